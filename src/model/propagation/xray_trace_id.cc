#include "model/propagation/xray_trace_id.h"

#include <chrono>

namespace periscope::model::propagation {

void writeXrayTraceId(uint32_t epoch_seconds, uint64_t random_hi, uint64_t random_lo,
                      uint8_t* out) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<uint8_t>(epoch_seconds >> (24 - 8 * i));
  for (int i = 0; i < 8; ++i) out[4 + i] = static_cast<uint8_t>(random_hi >> (56 - 8 * i));
  for (int i = 0; i < 4; ++i) out[12 + i] = static_cast<uint8_t>(random_lo >> (24 - 8 * i));
}

uint32_t xrayTraceIdEpochSeconds(const uint8_t* trace_id) {
  return static_cast<uint32_t>(trace_id[0]) << 24 | static_cast<uint32_t>(trace_id[1]) << 16 |
         static_cast<uint32_t>(trace_id[2]) << 8 | static_cast<uint32_t>(trace_id[3]);
}

bool isValidXrayTraceId(const uint8_t* trace_id, int64_t now_epoch_seconds) {
  const int64_t epoch = xrayTraceIdEpochSeconds(trace_id);
  return epoch <= now_epoch_seconds + kXrayTraceIdMaxSkewSeconds &&
         epoch >= now_epoch_seconds - kXrayTraceIdMaxAgeSeconds;
}

uint32_t XrayTraceIdGenerator::systemClock() {
  return static_cast<uint32_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

std::array<uint8_t, 16> XrayTraceIdGenerator::next() {
  std::array<uint8_t, 16> id;
  const uint64_t hi = rng_();
  const uint64_t lo = rng_();
  writeXrayTraceId(clock_(), hi, lo, id.data());
  return id;
}

}  // namespace periscope::model::propagation
