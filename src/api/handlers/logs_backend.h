// LogsBackend: what the logs endpoints (/api/periscope/logs…, /api/periscope/traces/{id}/logs)
// ask of the query layer — query::LogsService's operations behind an interface, so that the
// handlers are tested against fakes. The production one is LogsServiceBackend
// (logs_service_backend.h), which ApiServer builds. Implementations are thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "query/logs/logs_service.h"

namespace periscope::api {

class LogsBackend {
 public:
  virtual ~LogsBackend() = default;
  virtual Result<query::LogsResult> query(const query::LogsRequest& request) const = 0;
  virtual Result<query::LogMetricsResult> queryRange(std::string_view query, int64_t start_ms,
                                                     int64_t end_ms, int64_t step_ms) const = 0;
  virtual Result<model::Logs> traceLogs(std::string_view trace_id) const = 0;
  virtual Result<std::vector<std::string>> resourceValues(std::string_view key) const = 0;
  virtual Result<std::unique_ptr<storage::logs::TailSubscription>> tail(
      std::string_view query, query::LogsService::TailSink on_match) const = 0;
};

}  // namespace periscope::api
