#include "components/processors/probabilistic_sampler/tracestate.h"

#include <gtest/gtest.h>

namespace periscope::components::probabilistic_sampler {
namespace {

std::string roundTrip(std::string_view in) {
  TraceState ts;
  if (!ts.parse(in)) return "<invalid>";
  std::array<char, TraceState::kMaxSerialized> buf;
  return std::string(ts.serialize(buf));
}

TEST(ProbabilisticSamplerTraceState, ParsesOTelMember) {
  TraceState ts;
  ASSERT_TRUE(ts.parse("ot=th:c;rv:9b8233f7e3a151;xx:yy,vendor=v1"));
  EXPECT_EQ(ts.threshold()->unsigned_value, uint64_t{0xc} << 52);
  EXPECT_EQ(*ts.randomness(), 0x9b8233f7e3a151u);
}

TEST(ProbabilisticSamplerTraceState, RewritesOtFirstAndKeepsOtherVendors) {
  struct Case {
    const char* in;
    const char* out;
  };
  const Case cases[] = {
      {"", ""},
      {"congo=t61rcWkgMzE", "congo=t61rcWkgMzE"},
      // ot goes first with rv then th then its other fields, as the collector writes it.
      {"rojo=00f067aa0ba902b7,ot=th:c;zz:1;rv:9b8233f7e3a151,congo=t61rcWkgMzE",
       "ot=rv:9b8233f7e3a151;th:c;zz:1,rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"},
      // whitespace around members and empty members are dropped; values keep inner spaces.
      {" a=1 ,, b=x y\t,", "a=1,b=x y"},
      {"tenant@sys=v", "tenant@sys=v"},
  };
  for (const auto& c : cases) EXPECT_EQ(roundTrip(c.in), c.out) << c.in;
}

TEST(ProbabilisticSamplerTraceState, SetThresholdUpdatesOnlyOt) {
  TraceState ts;
  ASSERT_TRUE(ts.parse("a=1,ot=th:8,b=2"));
  ts.setThreshold(Threshold{uint64_t{0xe666} << 40});
  std::array<char, TraceState::kMaxSerialized> buf;
  EXPECT_EQ(ts.serialize(buf), "ot=th:e666,a=1,b=2");
  ts.setRandomness(0x123);
  EXPECT_EQ(ts.serialize(buf), "ot=rv:00000000000123;th:e666,a=1,b=2");
  ts.clearThreshold();
  EXPECT_EQ(ts.serialize(buf), "ot=rv:00000000000123,a=1,b=2");
}

TEST(ProbabilisticSamplerTraceState, RejectsMalformed) {
  const char* bad[] = {
      "novalue",                // no '='
      "Upper=1",                // keys are lower case
      "a=",                     // empty value
      "a=x,=y",                 // empty key
      "a=b=c",                  // '=' in a value
      "ot=th:g",                // not hex
      "ot=th:",                 // empty threshold
      "ot=th:123456789abcdef",  // 15 digits
      "ot=rv:123",              // rv must have 14 digits
      "ot=th",                  // no ':'
      "ot=TH:8",                // OTel keys are lower case
      "ot=th:8;;rv:1",          // empty OTel member
      "1abc=v",                 // simple keys start with a letter
      "t@=v",                   // empty system id
      "t@sys_is_too_long_x=v",  // system id longer than 14
  };
  for (const char* in : bad) EXPECT_EQ(roundTrip(in), "<invalid>") << in;
  std::string many;
  for (int i = 0; i < 33; ++i) many += (i ? ",k" : "k") + std::to_string(i) + "=v";
  EXPECT_EQ(roundTrip(many), "<invalid>");  // 33 members (W3C allows 32)
  EXPECT_EQ(roundTrip(std::string(1025, 'a')), "<invalid>");
  EXPECT_EQ(roundTrip("ot=xx:" + std::string(254, 'a')), "<invalid>");  // ot value > 256
}

}  // namespace
}  // namespace periscope::components::probabilistic_sampler
