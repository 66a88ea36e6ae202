#include "api/api_server.h"

#include "api/handlers/jaeger_v1.h"
#include "api/handlers/jaeger_v3.h"
#include "api/handlers/logs_service_backend.h"
#include "api/handlers/periscope_logs.h"
#include "api/handlers/prometheus_v1.h"
#include "api/http/router.h"

namespace periscope::api {

std::unique_ptr<Router> makeApiRouter(query::TraceService& traces,
                                      const query::MetricsService* metrics, std::string version,
                                      const LogsBackend* logs, LogsApiOptions logs_options) {
  auto router =
      std::make_unique<Router>([](std::string_view path, int status, std::string_view message) {
        if (path.starts_with("/api/v3/") || path == "/api/v3")
          return jaegerV3Error(status, message);
        if (path.starts_with("/api/v1/"))
          return prometheusError(status, status == 404 ? "not_found" : "bad_data", message);
        if (path.starts_with("/api/periscope/")) return periscopeError(status, message);
        return jaegerV1Error(status, message);
      });
  registerJaegerV1(*router, traces);
  registerJaegerV3(*router, traces);
  if (metrics != nullptr) {
    PrometheusApiOptions prometheus;
    prometheus.version = std::move(version);
    registerPrometheusV1(*router, *metrics, std::move(prometheus));
  }
  if (logs != nullptr) registerPeriscopeLogs(*router, *logs, std::move(logs_options));
  return router;
}

Result<std::unique_ptr<ApiServer>> ApiServer::start(const ApiOptions& options,
                                                    query::TraceService& traces,
                                                    const query::MetricsService* metrics,
                                                    const query::LogsService* logs) {
  std::unique_ptr<LogsBackend> backend;
  if (logs != nullptr) backend = std::make_unique<LogsServiceBackend>(*logs);
  const LogsBackend* raw = backend.get();
  return start(options, traces, metrics, raw, std::move(backend));
}

Result<std::unique_ptr<ApiServer>> ApiServer::start(const ApiOptions& options,
                                                    query::TraceService& traces,
                                                    const query::MetricsService* metrics,
                                                    const LogsBackend& logs) {
  return start(options, traces, metrics, &logs, nullptr);
}

Result<std::unique_ptr<ApiServer>> ApiServer::start(const ApiOptions& options,
                                                    query::TraceService& traces,
                                                    const query::MetricsService* metrics,
                                                    const LogsBackend* logs,
                                                    std::unique_ptr<LogsBackend> owned_logs) {
  std::unique_ptr<ApiServer> server(new ApiServer());
  server->owned_logs_ = std::move(owned_logs);
  server->router_ = makeApiRouter(traces, metrics, options.version, logs, options.logs);
  http::ServerOptions http_options;
  http_options.endpoint = options.endpoint;
  http_options.threads = options.threads;
  http_options.idle_timeout = options.idle_timeout;
  // Query requests carry no body worth the name (a form-POSTed PromQL query at most).
  http_options.max_body_bytes = 1u << 20;
  http_options.name = "query-api";
  const Router* router = server->router_.get();
  auto http_server = http::Server::start(
      http_options,
      [router](http::Request&& req, http::Respond respond) { respond(router->route(req)); });
  if (!http_server.isOk()) return http_server.status();
  server->server_ = std::move(*http_server);
  return server;
}

ApiServer::~ApiServer() {
  stop();
}

uint16_t ApiServer::port() const {
  return server_ ? server_->port() : 0;
}

void ApiServer::stop() {
  if (server_) server_->stop();
}

}  // namespace periscope::api
