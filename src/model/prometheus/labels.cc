#include "model/prometheus/labels.h"

#include <cstring>

namespace periscope::model::prom {
namespace {

constexpr uint64_t kPrime1 = 0x9E3779B185EBCA87ull;
constexpr uint64_t kPrime2 = 0xC2B2AE3D27D4EB4Full;

uint64_t mix(uint64_t h, std::string_view s) {
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h ^= w * kPrime2;
    h = std::rotl(h, 31) * kPrime1;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, s.data() + i, s.size() - i);
  h ^= (tail ^ s.size()) * kPrime2;
  h = std::rotl(h, 27) * kPrime1;
  // 0xff separates name from value so ("ab","c") and ("a","bc") differ.
  return (h ^ 0xff) * kPrime2;
}

uint64_t finish(uint64_t h) {
  h ^= h >> 33;
  h *= kPrime2;
  h ^= h >> 29;
  return h;
}

}  // namespace

std::string_view metricKindName(MetricKind kind) {
  switch (kind) {
    case MetricKind::kCounter:
      return "counter";
    case MetricKind::kGauge:
      return "gauge";
    case MetricKind::kHistogram:
      return "histogram";
    case MetricKind::kSummary:
      return "summary";
    case MetricKind::kUnknown:
      break;
  }
  return "unknown";
}

uint64_t hashLabels(std::span<const LabelRef> labels) {
  uint64_t h = kPrime1;
  for (const LabelRef& l : labels) h = mix(mix(h, l.name), l.value);
  return finish(h);
}

uint64_t hashLabels(const Labels& labels) {
  uint64_t h = kPrime1;
  for (const Label& l : labels) h = mix(mix(h, l.name), l.value);
  return finish(h);
}

std::string_view labelValue(const Labels& labels, std::string_view name) {
  for (const Label& l : labels) {
    if (l.name == name) return l.value;
  }
  return {};
}

bool isValidLabelName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

std::string labelsToString(const Labels& labels) {
  std::string out = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i) out += ", ";
    out += labels[i].name;
    out += "=\"";
    out += labels[i].value;
    out += '"';
  }
  out += '}';
  return out;
}

}  // namespace periscope::model::prom
