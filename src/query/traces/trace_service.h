// TraceService: the trace queries the API and CLI offer, on top of a storage TraceReader.
// Applies the defaults and bounds users rely on (search window, result limit) in one place,
// so the Jaeger v1 and v3 handlers behave alike.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/batch.h"
#include "storage/signals/traces/trace_reader.h"

namespace periscope::query {

using TraceQuery = storage::TraceQuery;
using OperationInfo = storage::OperationInfo;
using DependencyLink = storage::DependencyLink;

struct TraceServiceOptions {
  size_t default_limit = 20;
  size_t max_limit = 1500;
  std::chrono::nanoseconds default_lookback = std::chrono::hours(1);
  std::chrono::nanoseconds max_lookback = std::chrono::hours(24 * 31);
  // Wall clock in ns since the epoch; injectable for tests.
  std::function<uint64_t()> now_ns;
};

class TraceService {
 public:
  TraceService(storage::TraceReader& reader, TraceServiceOptions options = {});

  // trace_id: 16 raw bytes.
  Result<model::Traces> getTrace(std::string_view trace_id, uint64_t start_ns = 0,
                                 uint64_t end_ns = 0);
  // Fills in a missing time window (the last default_lookback) and limit; INVALID_ARGUMENT
  // naming the field for max < min, a limit over max_limit, or a window over max_lookback.
  Result<std::vector<model::Traces>> findTraces(TraceQuery query);
  Result<std::vector<std::string>> services();
  Result<std::vector<OperationInfo>> operations(std::string_view service,
                                                std::optional<int32_t> span_kind);
  // end_ns 0 = now; lookback_ns 0 = default_lookback.
  Result<std::vector<DependencyLink>> dependencies(uint64_t end_ns, uint64_t lookback_ns);

  uint64_t nowNs() const;

 private:
  storage::TraceReader& reader_;
  TraceServiceOptions options_;
};

}  // namespace periscope::query
