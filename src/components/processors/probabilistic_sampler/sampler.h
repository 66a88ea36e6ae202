// The per-item decision of the `probabilistic_sampler`, following the collector's
// commonShouldSampleLogic: find the item's randomness (hash of the trace id or a log attribute
// in hash_seed mode; tracestate `rv:` or the trace id's low 56 bits otherwise), check it
// against an arriving threshold, pick the mode's threshold (or the fail_closed one on error),
// apply the priority override, keep when randomness >= threshold, and record the threshold
// used (tracestate `ot=th:` for spans, `sampling.threshold` for log records) on kept items.
// Sampler is immutable after construction and shared by every batch (no locks, no heap use
// per item; rewritten tracestates go into the batch arena).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/arena.h"
#include "components/processors/probabilistic_sampler/config.h"
#include "components/processors/probabilistic_sampler/threshold.h"
#include "model/log_record.h"
#include "model/span.h"

namespace periscope::components::probabilistic_sampler {

// The collector's `policy` label values (where the randomness came from).
enum class Policy : uint8_t {
  kTraceIdHash,         // "trace_id_hash"
  kTraceIdW3C,          // "trace_id_w3c"
  kSamplingRandomness,  // "sampling_randomness": explicit rv
  kMissingRandomness,   // "missing_randomness"
  kSamplingPriority,    // "sampling_priority": the priority override decided
  kAttribute,           // the from_attribute name (logs, hash_seed mode)
};
inline constexpr size_t kPolicyCount = 6;

struct Decision {
  bool sampled = false;
  Policy policy = Policy::kMissingRandomness;
};

class Sampler {
 public:
  explicit Sampler(const Config& config);

  // Decides one span; a kept span may get a rewritten trace_state (copied into `arena`).
  Decision sampleSpan(Arena& arena, model::Span& span) const;
  // Decides one log record; a kept record may get sampling.* attributes (in `arena`).
  Decision sampleLog(Arena& arena, model::LogRecord& record) const;

  std::string_view policyName(Policy p) const;

 private:
  enum class Kind { kNever, kHash, kEqualizing, kProportional };
  struct Randomness {
    uint64_t value = kAllProbabilitiesRandomness;
    Policy policy = Policy::kMissingRandomness;
  };

  // The mode's threshold given the arriving one (decide() in the collector).
  Threshold decide(std::optional<Threshold> arriving) const;
  Threshold failureThreshold() const {
    return fail_closed_ ? Threshold::never() : Threshold::always();
  }
  std::optional<Threshold> logPriority(const model::LogRecord& record) const;

  Kind kind_ = Kind::kNever;
  Threshold fixed_;   // hash_seed and equalizing
  double ratio_ = 0;  // proportional
  int precision_ = 4;
  uint32_t hash_seed_ = 0;
  bool fail_closed_ = true;
  bool logs_trace_id_ = true;
  std::string from_attribute_;
  std::string sampling_priority_;
};

// The bytes a log attribute contributes to the hash, as the collector's
// pcommon.Value.AsString() (raw bytes for bytes values); false for arrays and maps.
bool hashInput(const model::AnyValue& v, std::array<char, 64>& scratch, std::string_view& out);

}  // namespace periscope::components::probabilistic_sampler
