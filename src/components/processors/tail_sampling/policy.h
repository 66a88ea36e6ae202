// Sampling policies: each evaluates one whole buffered trace (decoded only for the evaluation)
// and answers a Decision, as the collector's policy evaluators do. Stateful policies
// (rate_limiting, bytes_limiting, composite) read time from the injected clock.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"
#include "components/processors/tail_sampling/config.h"
#include "model/span.h"

namespace periscope::components::tail_sampling {

enum class Decision : uint8_t {
  kUnspecified,
  kSampled,
  kNotSampled,
  kDropped,  // a drop policy matched: vetoes everything
  // No inverted decisions: invert_match yields a plain kSampled / kNotSampled (see policy.cc).
};

// Nanoseconds on a monotonic clock; injected so tests drive time.
using Clock = std::function<int64_t()>;

// One trace as the policies see it: its resource groups (decoded), span count and encoded size.
struct TraceData {
  std::string_view trace_id;  // raw 16 bytes
  std::span<const model::ResourceSpans> resources;
  uint32_t span_count = 0;
  uint64_t encoded_bytes = 0;
};

class Policy {
 public:
  virtual ~Policy() = default;
  virtual Decision evaluate(const TraceData& trace) = 0;
};

// Builds a validated policy config (Config::validate ran) into its evaluator.
Result<std::unique_ptr<Policy>> makePolicy(const PolicyCfg& cfg, const Clock& clock);
Result<std::unique_ptr<Policy>> makeLeafPolicy(const LeafPolicyCfg& cfg, const Clock& clock);

// The collector's probabilistic hash: FNV-1a 64 over salt then trace id bytes, and the
// threshold MaxUint64 x ratio (truncated); sampled when hash <= threshold.
uint64_t hashTraceId(std::string_view salt, std::string_view trace_id);
uint64_t probabilisticThreshold(double ratio);

}  // namespace periscope::components::tail_sampling
