#include "components/exporters/awsemf/put_log_events_batcher.h"

#include <algorithm>

namespace periscope::components::awsemf_exporter {

PutLogEventsBatches batchForPutLogEvents(std::vector<LogEvent> events,
                                         const PutLogEventsLimits& limits) {
  std::stable_sort(events.begin(), events.end(), [](const LogEvent& a, const LogEvent& b) {
    return a.timestamp_ms < b.timestamp_ms;
  });
  PutLogEventsBatches out;
  size_t bytes = 0;
  for (auto& e : events) {
    size_t size = e.message.size() + limits.per_event_overhead_bytes;
    if (size > limits.max_request_bytes) {
      ++out.dropped_oversized;
      continue;
    }
    bool start_new = out.requests.empty() || bytes + size > limits.max_request_bytes ||
                     out.requests.back().size() >= limits.max_events ||
                     e.timestamp_ms - out.requests.back().front().timestamp_ms > limits.max_span_ms;
    if (start_new) {
      out.requests.emplace_back();
      bytes = 0;
    }
    bytes += size;
    out.requests.back().push_back(std::move(e));
  }
  return out;
}

}  // namespace periscope::components::awsemf_exporter
