// W3C Trace Context `traceparent` header (https://www.w3.org/TR/trace-context/#traceparent-header):
//   00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01
//   version-trace_id-parent_id-trace_flags, lower-case hex only.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace periscope::model::propagation {

struct Traceparent {
  static constexpr uint8_t kSampledFlag = 0x01;

  uint8_t version = 0;
  std::array<uint8_t, 16> trace_id{};
  std::array<uint8_t, 8> parent_id{};
  uint8_t flags = 0;

  bool sampled() const { return (flags & kSampledFlag) != 0; }
};

// Parses per the spec's processing model: version "ff" and non-hex or upper-case digits are
// invalid; version 00 must be exactly 55 characters; a higher (future) version is read as 00
// when it is at least 55 characters and anything after them starts with "-" (its extra fields are
// ignored). All-zero trace or parent ids are invalid. nullopt when invalid.
std::optional<Traceparent> parseTraceparent(std::string_view header);

// Always writes version 00 (the only version this code knows how to produce), whatever
// `version` says, since a future version's fields are not known.
std::string formatTraceparent(const Traceparent& tp);

}  // namespace periscope::model::propagation
