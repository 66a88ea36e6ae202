// Hostile inputs: catastrophic-backtracking patterns and long runs finish (RE2 is linear; no timing
// is asserted) and the output is exactly right.
#include <gtest/gtest.h>

#include "components/processors/redaction/detectors.h"
#include "redaction_test_support.h"

namespace periscope::components::redaction {
namespace {

constexpr size_t kMiB = 1 << 20;

std::string repeat(std::string_view unit, size_t total_bytes) {
  std::string out;
  out.reserve(total_bytes + unit.size());
  while (out.size() < total_bytes) out.append(unit);
  return out;
}

Config allDetectors() {
  Config c;
  c.allow_all_keys = true;
  for (const Detector& d : builtinDetectors()) c.detectors.emplace_back(d.name);
  return c;
}

TEST(RedactionHostile, NestedQuantifiersOnAMegabyteOfA) {
  Config c;
  c.allow_all_keys = true;
  c.blocked_values = {"(a+)+b", "(a|aa)+$x", "(.*a){12}c"};
  auto r = test::make(c);
  std::string as(kMiB, 'a');
  EXPECT_EQ(r->redactString("k", as), std::nullopt);
  EXPECT_EQ(r->redactString("k", as + "b"), "****");
}

TEST(RedactionHostile, LongDigitRunsAreNotCards) {
  auto r = test::make(allDetectors());
  EXPECT_EQ(r->redactString("k", std::string(kMiB, '4')), std::nullopt);
  EXPECT_EQ(r->redactString("k", repeat("4111 ", kMiB)), std::nullopt);  // groups of 4, no card
}

TEST(RedactionHostile, ManyCardsInOneValue) {
  auto r = test::make(allDetectors());
  std::string cards = repeat("4111111111111111 ", kMiB);
  std::string want = repeat("**** ", (cards.size() / 17) * 5);
  EXPECT_EQ(r->redactString("k", cards), want);
}

TEST(RedactionHostile, RejectedCandidatesEverywhere) {
  auto r = test::make(allDetectors());
  // Each is a run of candidates the checks reject: versions, colons, half e-mails, hex groups.
  for (std::string_view unit : {"1.2.3.4.5 ", "ffff:", "::::", "a@", "eyJ.", "Bearer x ", "AKIA"}) {
    std::string text = repeat(unit, kMiB);
    EXPECT_EQ(r->redactString("k", text), std::nullopt) << unit;
  }
}

TEST(RedactionHostile, SanitisersOnLongInputs) {
  Config c;
  c.allow_all_keys = true;
  c.url_sanitizer.enabled = true;
  c.db_sanitizer.sql.enabled = true;
  auto r = test::make(c);
  EXPECT_EQ(r->redactString("db.statement", std::string(kMiB, '\'')), "?");
  EXPECT_EQ(r->redactString("db.statement", std::string(kMiB, '7')), "?");
  // Quote/backslash runs (one reading closes every string, the other none), dollar quotes that
  // MySQL reads as one identifier, and block comments that nest forever.
  EXPECT_EQ(r->redactString("db.statement", repeat("'\\", kMiB)), "?");
  EXPECT_EQ(r->redactString("db.statement", repeat("$a$", kMiB)), "?");
  EXPECT_EQ(r->redactString("db.statement", repeat("/*", kMiB)), "/*?");
  EXPECT_EQ(r->redactString("url.full", "https://h/p#" + repeat("t=1&", kMiB)),
            "https://h/p#" + repeat("t=****&", (kMiB / 4) * 7));
  std::string query = "https://h/p?" + repeat("a=1&", kMiB);
  query.pop_back();
  std::string want = "https://h/p?" + repeat("a=****&", (kMiB / 4) * 7);
  want.pop_back();
  EXPECT_EQ(r->redactString("url.full", query), want);
}

}  // namespace
}  // namespace periscope::components::redaction
