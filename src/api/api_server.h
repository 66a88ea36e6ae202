// ApiServer: the query HTTP API on one listener (default 127.0.0.1:16686) — Jaeger v1
// (/api/...) and v3 (/api/v3/...) over query::TraceService, Prometheus's /api/v1/... over
// query::MetricsService when there is a metrics store, and Periscope's /api/periscope/logs…
// over a LogsBackend when there is a log store. Started by app/ (serve); the
// TraceService must outlive the server. Handlers run on the server's threads and may block on
// storage reads, hence a few threads. stop() is idempotent and also runs on destruction.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "api/handlers/logs_backend.h"
#include "api/handlers/periscope_logs.h"
#include "common/http/server.h"
#include "common/status.h"
#include "query/logs/logs_service.h"
#include "query/metrics/metrics_service.h"
#include "query/traces/trace_service.h"

namespace periscope::api {

class Router;

struct ApiOptions {
  std::string endpoint = "127.0.0.1:16686";  // host:port; port 0 picks a free port (tests)
  int threads = 4;
  std::chrono::milliseconds idle_timeout{60'000};
  std::string version = "0.0.0";  // Periscope's, for /api/v1/status/buildinfo
  LogsApiOptions logs;            // the logs endpoints' clock and live-tail limits
};

class ApiServer {
 public:
  // Binds and starts serving; a bind error (e.g. address in use) is returned here.
  // `metrics` may be null (no metrics store: the Prometheus endpoints are not served), and so
  // may `logs` (no log store: /api/periscope/logs… answer 404); both must outlive the server.
  static Result<std::unique_ptr<ApiServer>> start(const ApiOptions& options,
                                                  query::TraceService& traces,
                                                  const query::MetricsService* metrics = nullptr,
                                                  const query::LogsService* logs = nullptr);
  // The same over any LogsBackend (tests use fakes); `logs` must outlive the server.
  static Result<std::unique_ptr<ApiServer>> start(const ApiOptions& options,
                                                  query::TraceService& traces,
                                                  const query::MetricsService* metrics,
                                                  const LogsBackend& logs);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  uint16_t port() const;
  // Stops accepting, closes connections and joins the server's threads.
  void stop();

 private:
  ApiServer() = default;

  static Result<std::unique_ptr<ApiServer>> start(const ApiOptions& options,
                                                  query::TraceService& traces,
                                                  const query::MetricsService* metrics,
                                                  const LogsBackend* logs,
                                                  std::unique_ptr<LogsBackend> owned_logs);

  // Declared before server_ so that they outlive the threads that route through them.
  std::unique_ptr<LogsBackend> owned_logs_;  // over the LogsService passed to start()
  std::unique_ptr<Router> router_;
  std::unique_ptr<http::Server> server_;
};

// The router ApiServer serves: every endpoint, and 404/405/400 answers in the envelope of the
// API family the path belongs to (v3 under /api/v3/, Prometheus's under /api/v1/, Periscope's
// under /api/periscope/, Jaeger v1 elsewhere). For tests and embedding; the router must outlive
// any server serving it (live tails end before it goes).
std::unique_ptr<Router> makeApiRouter(query::TraceService& traces,
                                      const query::MetricsService* metrics = nullptr,
                                      std::string version = "0.0.0",
                                      const LogsBackend* logs = nullptr,
                                      LogsApiOptions logs_options = {});

}  // namespace periscope::api
