#include "model/prometheus/labels.h"

#include <cstring>

namespace periscope::model::prom {
namespace {

constexpr uint64_t kPrime1 = 0x9E3779B185EBCA87ull;
constexpr uint64_t kPrime2 = 0xC2B2AE3D27D4EB4Full;

// The n < 8 bytes at p as a little-endian word (as a memcpy into a zeroed u64 on x86/ARM), with
// fixed-size loads instead of a variable-length memcpy call: labels are mostly short.
uint64_t loadTail(const unsigned char* p, size_t n) {
  if (n >= 4) {
    uint32_t lo, hi;
    std::memcpy(&lo, p, 4);
    std::memcpy(&hi, p + n - 4, 4);  // overlaps lo by 8 - n bytes: the same bits
    return lo | (static_cast<uint64_t>(hi) << (8 * (n - 4)));
  }
  if (n == 0) return 0;
  return p[0] | (static_cast<uint64_t>(p[n / 2]) << (8 * (n / 2))) |
         (static_cast<uint64_t>(p[n - 1]) << (8 * (n - 1)));
}

uint64_t mix(uint64_t h, std::string_view s) {
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h ^= w * kPrime2;
    h = std::rotl(h, 31) * kPrime1;
  }
  uint64_t tail = loadTail(reinterpret_cast<const unsigned char*>(s.data()) + i, s.size() - i);
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
