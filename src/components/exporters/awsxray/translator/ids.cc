#include "components/exporters/awsxray/translator/ids.h"

#include <random>

namespace periscope::components::awsxray_exporter::translator {

std::string hexOf(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xf]);
  }
  return out;
}

std::string xrayTraceId(std::string_view trace_id) {
  if (trace_id.size() != 16) return {};
  return "1-" + hexOf(trace_id.substr(0, 4)) + "-" + hexOf(trace_id.substr(4));
}

bool hasRecentEpoch(std::string_view trace_id, int64_t now_unix_seconds) {
  if (trace_id.size() != 16) return false;
  int64_t epoch = 0;
  for (int i = 0; i < 4; ++i) epoch = (epoch << 8) | static_cast<unsigned char>(trace_id[i]);
  constexpr int64_t kMaxAge = 28 * 24 * 3600;
  constexpr int64_t kMaxSkew = 5 * 60;
  return epoch >= now_unix_seconds - kMaxAge && epoch <= now_unix_seconds + kMaxSkew;
}

IdSource randomIdSource() {
  return [] {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    uint64_t v = rng();
    std::string bytes(8, '\0');
    for (int i = 7; i >= 0; --i, v >>= 8) bytes[i] = static_cast<char>(v & 0xff);
    return hexOf(bytes);
  };
}

}  // namespace periscope::components::awsxray_exporter::translator
