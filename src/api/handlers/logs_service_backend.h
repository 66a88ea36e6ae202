// LogsServiceBackend: the production LogsBackend, forwarding to a query::LogsService (which
// must outlive it). ApiServer::start builds one over the LogsService it is given.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/handlers/logs_backend.h"
#include "query/logs/logs_service.h"

namespace periscope::api {

class LogsServiceBackend final : public LogsBackend {
 public:
  explicit LogsServiceBackend(const query::LogsService& service) : service_(service) {}
  Result<query::LogsResult> query(const query::LogsRequest& request) const override {
    return service_.query(request);
  }
  Result<query::LogMetricsResult> queryRange(std::string_view query, int64_t start_ms,
                                             int64_t end_ms, int64_t step_ms) const override {
    return service_.queryRange(query, start_ms, end_ms, step_ms);
  }
  Result<model::Logs> traceLogs(std::string_view trace_id) const override {
    return service_.traceLogs(trace_id);
  }
  Result<std::vector<std::string>> resourceValues(std::string_view key) const override {
    return service_.resourceValues(key);
  }
  Result<std::unique_ptr<storage::logs::TailSubscription>> tail(
      std::string_view query, query::LogsService::TailSink on_match) const override {
    return service_.tail(query, std::move(on_match));
  }

 private:
  const query::LogsService& service_;
};

}  // namespace periscope::api
