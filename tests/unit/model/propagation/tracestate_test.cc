// W3C tracestate: list-member grammar, the 32-member limit, duplicates, and the update rule.
#include "model/propagation/tracestate.h"

#include <gtest/gtest.h>

#include <string>

namespace periscope::model::propagation {
namespace {

struct Case {
  std::string header;
  bool valid;
  const char* formatted;  // when valid
};

std::string members(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += (i ? "," : "") + ("k" + std::to_string(i)) + "=v";
  return s;
}

TEST(TraceState, ParsesAndFormats) {
  const Case cases[] = {
      {"rojo=00f067aa0ba902b7,congo=t61rcWkgMzE", true, "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"},
      {" rojo=1 ,\t, congo=2 ,", true, "rojo=1,congo=2"},  // OWS and empty members
      {"", true, ""},
      {"fw529a3039@dt=1,0tenant@sys=2", true, "fw529a3039@dt=1,0tenant@sys=2"},
      {"a_-*/9=va lue", true, "a_-*/9=va lue"},  // inner space is a chr
      {"k=" + std::string(256, 'v'), true, nullptr},
      {"k=" + std::string(257, 'v'), false, nullptr},
      {std::string(256, 'k') + "=v", true, nullptr},
      {std::string(257, 'k') + "=v", false, nullptr},
      {members(32), true, nullptr},
      {members(33), false, nullptr},
      {"Rojo=1", false, nullptr},                            // upper-case key
      {"1abc=1", false, nullptr},                            // simple key must start with lcalpha
      {"t@" + std::string(15, 's') + "=1", false, nullptr},  // system id > 14
      {"t@Sys=1", false, nullptr},
      {"rojo", false, nullptr},      // no '='
      {"rojo=", false, nullptr},     // empty value
      {"rojo=a ", true, "rojo=a"},   // trailing space is list OWS, not value
      {"rojo=a=b", false, nullptr},  // '=' in value
      {"rojo=\x7f", false, nullptr},
      {"rojo=1,rojo=2", false, nullptr},  // duplicate key
  };
  for (const Case& c : cases) {
    auto ts = TraceState::parse(c.header);
    EXPECT_EQ(ts.isOk(), c.valid) << c.header;
    if (ts.isOk() && c.formatted) {
      EXPECT_EQ(ts->format(), c.formatted);
    }
  }
}

TEST(TraceState, ErrorsNameTheMember) {
  auto ts = TraceState::parse("rojo=1,Congo=2");
  ASSERT_FALSE(ts.isOk());
  EXPECT_EQ(ts.status().message(), "tracestate member 2 \"Congo=2\": invalid key");
}

TEST(TraceState, PutMovesTheKeyToTheFrontAndCapsAt32) {
  auto ts = TraceState::parse("rojo=1,congo=2");
  ASSERT_TRUE(ts.isOk());
  ASSERT_TRUE(ts->put("congo", "3").isOk());
  EXPECT_EQ(ts->format(), "congo=3,rojo=1");
  ASSERT_TRUE(ts->put("new", "x").isOk());
  EXPECT_EQ(ts->format(), "new=x,congo=3,rojo=1");
  EXPECT_EQ(ts->get("rojo"), "1");
  EXPECT_FALSE(ts->get("absent").has_value());
  ts->erase("congo");
  EXPECT_EQ(ts->format(), "new=x,rojo=1");
  EXPECT_FALSE(ts->put("Bad", "x").isOk());
  EXPECT_FALSE(ts->put("ok", "a,b").isOk());

  auto full = TraceState::parse(members(32));
  ASSERT_TRUE(full.isOk());
  ASSERT_TRUE(full->put("mine", "1").isOk());
  ASSERT_EQ(full->members().size(), 32u);
  EXPECT_EQ(full->members().front(), (TraceStateMember{"mine", "1"}));
  EXPECT_EQ(full->members().back().key, "k30");  // the rightmost (k31) was dropped
}

TEST(TraceState, RoundTrips) {
  for (const char* h : {"rojo=00f067aa0ba902b7,congo=t61rcWkgMzE", "ot=th:8;rv:01,a@b=c d"}) {
    auto ts = TraceState::parse(h);
    ASSERT_TRUE(ts.isOk()) << h;
    EXPECT_EQ(ts->format(), h);
    auto again = TraceState::parse(ts->format());
    ASSERT_TRUE(again.isOk());
    EXPECT_EQ(again->members(), ts->members());
  }
}

}  // namespace
}  // namespace periscope::model::propagation
