// Synthetic but realistic OTLP traffic: spans of a small shop (frontend → checkout → payment,
// inventory → database) with semantic-convention attributes (~450 B/span on the wire), 10% of
// spans with an exception event, ~5% errors. Deterministic for a given seed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/batch.h"

namespace periscope::app::loadgen {

struct WorkloadOptions {
  int spans_per_request = 512;
  int distinct_requests = 16;  // pre-encoded pool size
  uint64_t seed = 1;
};

// One request's worth of spans; `salt` varies ids and values between requests.
model::Traces makeTraces(int spans, uint64_t seed);

enum class Encoding { kProtobuf, kJson };
std::vector<std::string> encodeRequests(const WorkloadOptions& options, Encoding encoding);

}  // namespace periscope::app::loadgen
