// X-Ray-compatible trace ids: epoch-seconds prefix from the (injected) clock, and the collector
// awsxray exporter's acceptance window.
#include "model/propagation/xray_trace_id.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "common/hex.h"

namespace periscope::model::propagation {
namespace {

std::string hex(const std::array<uint8_t, 16>& id) {
  return hexEncode(std::string_view(reinterpret_cast<const char*>(id.data()), id.size()));
}

TEST(XrayTraceId, WritesEpochSecondsBigEndianThenRandomBytes) {
  std::array<uint8_t, 16> id{};
  writeXrayTraceId(0x5759e988u, 0x0102030405060708ull, 0xffffffff0a0b0c0dull, id.data());
  EXPECT_EQ(hex(id), "5759e98801020304050607080a0b0c0d");
  EXPECT_EQ(xrayTraceIdEpochSeconds(id.data()), 0x5759e988u);
}

TEST(XrayTraceId, GeneratorPrefixIsTheInjectedClock) {
  uint32_t now = 1'764'000'000;  // 2025-11-24T16:00:00Z = 0x69248100
  XrayTraceIdGenerator gen(7, [&] { return now; });
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    auto id = gen.next();
    EXPECT_EQ(hex(id).substr(0, 8), "69248100") << i;
    EXPECT_TRUE(seen.insert(hex(id)).second) << "duplicate id " << hex(id);
  }
  now = 0x01020304;
  EXPECT_EQ(hex(gen.next()).substr(0, 8), "01020304");
}

TEST(XrayTraceId, SystemClockIdsAreValidNow) {
  XrayTraceIdGenerator gen(1);
  EXPECT_TRUE(isValidXrayTraceId(gen.next().data(), XrayTraceIdGenerator::systemClock()));
}

TEST(XrayTraceId, ValidityWindowIs28DaysBackAnd5MinutesAhead) {
  const int64_t now = 1'764'000'000;
  struct Case {
    int64_t prefix;
    bool valid;
  } cases[] = {
      {now, true},
      {now + 300, true},
      {now + 301, false},
      {now - 28 * 86400, true},
      {now - 28 * 86400 - 1, false},
      {0, false},
  };
  for (const Case& c : cases) {
    std::array<uint8_t, 16> id{};
    writeXrayTraceId(static_cast<uint32_t>(c.prefix), 1, 2, id.data());
    EXPECT_EQ(isValidXrayTraceId(id.data(), now), c.valid) << c.prefix - now;
  }
}

}  // namespace
}  // namespace periscope::model::propagation
