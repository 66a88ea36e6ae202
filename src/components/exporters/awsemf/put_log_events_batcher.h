// Splits log events into PutLogEvents requests within the API's limits: ≤1,048,576 bytes per
// request counting each message's UTF-8 bytes plus 26 bytes, ≤10,000 events, events in
// chronological order, and ≤24 hours between the first and last event of a request.
#pragma once

#include <cstdint>
#include <vector>

#include "components/exporters/awsemf/emf_translator.h"

namespace periscope::components::awsemf_exporter {

struct PutLogEventsLimits {
  size_t max_request_bytes = kPutLogEventsMaxBytes;
  size_t per_event_overhead_bytes = kPutLogEventsOverheadBytes;
  size_t max_events = 10'000;
  int64_t max_span_ms = 24LL * 60 * 60 * 1000;
};

struct PutLogEventsBatches {
  std::vector<std::vector<LogEvent>> requests;  // each sorted by timestamp
  size_t dropped_oversized = 0;  // an event alone larger than a request; cannot be sent
};

// Sorts the events by timestamp (stable) and packs them greedily.
PutLogEventsBatches batchForPutLogEvents(std::vector<LogEvent> events,
                                         const PutLogEventsLimits& limits = {});

}  // namespace periscope::components::awsemf_exporter
