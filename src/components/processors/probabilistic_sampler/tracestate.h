// W3C `tracestate` with the OpenTelemetry `ot` member parsed, for rewriting `ot=th:...` while
// passing every other vendor's member through. The object keeps only views into the input
// (serialize() walks it again for the members it passes through): small, no heap use.
// Validation follows the W3C grammar and the OTel tracestate grammar as the collector's
// pkg/sampling applies them; an invalid tracestate is an error the sampler handles per
// `fail_closed`.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "components/processors/probabilistic_sampler/threshold.h"

namespace periscope::components::probabilistic_sampler {

class TraceState {
 public:
  static constexpr size_t kMaxMembers = 32;
  static constexpr size_t kMaxLength = 1024;
  static constexpr size_t kMaxOTelLength = 256;
  // Largest serialization: the input plus `ot=`, `rv:` (14) and `th:` (14) with separators.
  static constexpr size_t kMaxSerialized = kMaxLength + 48;

  // False when `input` is not a valid tracestate (the object is then unusable).
  bool parse(std::string_view input);

  std::optional<uint64_t> randomness() const { return rv_; }
  std::optional<Threshold> threshold() const { return th_; }
  void setRandomness(uint64_t rv) { rv_ = rv; }
  void setThreshold(Threshold th) { th_ = th; }
  void clearThreshold() { th_.reset(); }

  // `ot=rv:...;th:...;<other ot fields>` first, then the other vendors in arrival order (the
  // collector's order); members are written without surrounding whitespace.
  std::string_view serialize(std::array<char, kMaxSerialized>& buffer) const;

 private:
  bool parseOTel(std::string_view value);

  std::string_view input_;
  std::string_view ot_value_;  // the (last) `ot` member's value
  std::optional<uint64_t> rv_;
  std::optional<Threshold> th_;
};

}  // namespace periscope::components::probabilistic_sampler
