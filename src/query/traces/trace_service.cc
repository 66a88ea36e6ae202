#include "query/traces/trace_service.h"

namespace periscope::query {

TraceService::TraceService(storage::TraceReader& reader, TraceServiceOptions options)
    : reader_(reader), options_(std::move(options)) {}

uint64_t TraceService::nowNs() const {
  if (options_.now_ns) return options_.now_ns();
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

Result<model::Traces> TraceService::getTrace(std::string_view trace_id, uint64_t start_ns,
                                             uint64_t end_ns) {
  if (trace_id.size() != 16) return invalidArgument("trace id must be 16 bytes (32 hex digits)");
  if (start_ns != 0 && end_ns != 0 && end_ns < start_ns)
    return invalidArgument("end must not be before start");
  return reader_.getTrace(trace_id, start_ns, end_ns);
}

Result<std::vector<model::Traces>> TraceService::findTraces(TraceQuery query) {
  if (query.limit == 0) query.limit = options_.default_limit;
  if (query.limit > options_.max_limit)
    return invalidArgument("limit " + std::to_string(query.limit) + " is over the maximum " +
                           std::to_string(options_.max_limit));
  if (query.max_duration_ns != 0 && query.max_duration_ns < query.min_duration_ns)
    return invalidArgument("maxDuration must not be less than minDuration");
  uint64_t lookback = static_cast<uint64_t>(options_.default_lookback.count());
  if (query.start_time_max_ns == 0) query.start_time_max_ns = nowNs();
  if (query.start_time_min_ns == 0)
    query.start_time_min_ns =
        query.start_time_max_ns > lookback ? query.start_time_max_ns - lookback : 1;
  if (query.start_time_max_ns < query.start_time_min_ns)
    return invalidArgument("end must not be before start");
  if (query.start_time_max_ns - query.start_time_min_ns >
      static_cast<uint64_t>(options_.max_lookback.count()))
    return invalidArgument("time range is longer than the maximum of " +
                           std::to_string(options_.max_lookback.count() / 86'400'000'000'000) +
                           " days");
  return reader_.findTraces(query);
}

Result<std::vector<std::string>> TraceService::services() {
  return reader_.services();
}

Result<std::vector<OperationInfo>> TraceService::operations(std::string_view service,
                                                            std::optional<int32_t> span_kind) {
  return reader_.operations(service, span_kind);
}

Result<std::vector<DependencyLink>> TraceService::dependencies(uint64_t end_ns,
                                                               uint64_t lookback_ns) {
  if (end_ns == 0) end_ns = nowNs();
  if (lookback_ns == 0) lookback_ns = static_cast<uint64_t>(options_.default_lookback.count());
  if (lookback_ns > static_cast<uint64_t>(options_.max_lookback.count()))
    return invalidArgument("lookback is longer than the maximum of " +
                           std::to_string(options_.max_lookback.count() / 86'400'000'000'000) +
                           " days");
  return reader_.dependencies(end_ns, lookback_ns);
}

}  // namespace periscope::query
