// Prometheus-shaped series identity: a sorted set of label pairs including `__name__`, shared
// by the OTLP→Prometheus translation (model/prometheus), the metrics store (storage) and
// PromQL (query). LabelRef is the zero-copy form used on ingest hot paths; Labels owns.
#pragma once

#include <bit>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace periscope::model::prom {

inline constexpr std::string_view kMetricNameLabel = "__name__";

struct LabelRef {
  std::string_view name;
  std::string_view value;
};

struct Label {
  std::string name;
  std::string value;
  bool operator==(const Label&) const = default;
  auto operator<=>(const Label&) const = default;
};

// Sorted by name; names unique; no empty values (an empty value means "absent", as in Prometheus).
using Labels = std::vector<Label>;

// Prometheus's stale marker: a NaN with this exact bit pattern ends a series (staleness).
inline constexpr uint64_t kStaleNaNBits = 0x7ff0000000000002ull;
inline double staleNaN() {
  return std::bit_cast<double>(kStaleNaNBits);
}
inline bool isStaleNaN(double v) {
  return std::bit_cast<uint64_t>(v) == kStaleNaNBits;
}

// Prometheus metric types, as in the text exposition format and remote-write metadata.
enum class MetricKind : uint8_t { kUnknown, kCounter, kGauge, kHistogram, kSummary };
std::string_view metricKindName(MetricKind kind);  // "counter", "gauge", ..., "unknown"

struct MetricMetadata {
  std::string family;  // metric family name, e.g. "http_server_duration_seconds"
  MetricKind kind = MetricKind::kUnknown;
  std::string help;
  std::string unit;  // Prometheus unit word ("seconds"), empty if none
};

// Stable 64-bit hash of sorted labels (xxhash-like mixing; the same on every platform).
uint64_t hashLabels(std::span<const LabelRef> labels);
uint64_t hashLabels(const Labels& labels);

std::string_view labelValue(const Labels& labels, std::string_view name);  // "" if absent
// Prometheus's label name syntax: [a-zA-Z_][a-zA-Z0-9_]*.
bool isValidLabelName(std::string_view name);
std::string labelsToString(const Labels& labels);  // {__name__="x", a="b"} form, for messages

}  // namespace periscope::model::prom
