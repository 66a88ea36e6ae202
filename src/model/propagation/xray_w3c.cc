#include "model/propagation/xray_w3c.h"

#include <algorithm>

namespace periscope::model::propagation {
namespace {

template <size_t N>
bool allZero(const std::array<uint8_t, N>& id) {
  return std::all_of(id.begin(), id.end(), [](uint8_t b) { return b == 0; });
}

}  // namespace

std::optional<Traceparent> xrayToTraceparent(const XrayTraceHeader& xray) {
  if (!xray.has_parent || allZero(xray.trace_id) || allZero(xray.parent_id)) return std::nullopt;
  Traceparent tp;
  tp.trace_id = xray.trace_id;
  tp.parent_id = xray.parent_id;
  tp.flags = xray.sampled.value_or(false) ? Traceparent::kSampledFlag : 0;
  return tp;
}

XrayTraceHeader traceparentToXray(const Traceparent& tp) {
  XrayTraceHeader xray;
  xray.trace_id = tp.trace_id;
  xray.has_parent = true;
  xray.parent_id = tp.parent_id;
  xray.sampled = tp.sampled();
  return xray;
}

std::optional<XrayTraceHeader> sqsTraceHeader(std::optional<std::string_view> aws_trace_header,
                                              std::optional<std::string_view> http_header) {
  if (aws_trace_header) {
    if (auto h = parseXrayTraceHeader(*aws_trace_header)) return h;
  }
  if (http_header) return parseXrayTraceHeader(*http_header);
  return std::nullopt;
}

}  // namespace periscope::model::propagation
