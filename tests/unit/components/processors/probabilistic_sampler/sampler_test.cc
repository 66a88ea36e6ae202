// Decisions and tracestate / log attribute rewriting of the probabilistic_sampler, per mode.
// Hash values and rv strings are the Python-derived literals of threshold_test.cc.
#include "components/processors/probabilistic_sampler/sampler.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "test_data.h"

namespace periscope::components::probabilistic_sampler {
namespace {

using model::AnyValue;
using testdata::config;
using testdata::span;

constexpr const char* kA = "0102030405060708090a0b0c0d0e0f10";  // seed 0: bucket 6693
constexpr const char* kC = "4bf92f3577b34da6a3ce929d0e0e4736";  // low 56 bits ce929d0e0e4736
constexpr const char* kZero = "00000000000000000000000000000000";

struct SpanCase {
  const char* name;
  Config cfg;
  const char* trace_id;
  const char* tracestate_in;
  std::vector<model::KeyValue> attrs;
  bool sampled;
  Policy policy;
  const char* tracestate_out;  // of the (kept) span
};

Config failOpen(Config c) {
  c.fail_closed = false;
  return c;
}
Config precision(Config c, int p) {
  c.sampling_precision = p;
  return c;
}

void runSpanCases(const std::vector<SpanCase>& cases) {
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Arena a;
    model::Span s = span(a, c.trace_id, c.tracestate_in, c.attrs);
    Sampler sampler(c.cfg);
    Decision d = sampler.sampleSpan(a, s);
    EXPECT_EQ(d.sampled, c.sampled);
    EXPECT_EQ(sampler.policyName(d.policy), sampler.policyName(c.policy));
    EXPECT_EQ(s.trace_state, c.tracestate_out);
  }
}

TEST(ProbabilisticSamplerSpans, HashSeedMode) {
  runSpanCases({
      {"kept at 50%: rv and th written",
       config(50),
       kA,
       "",
       {},
       true,
       Policy::kTraceIdHash,
       "ot=rv:976837c4f25a25;th:8"},
      {"other vendors kept after ot",
       config(50),
       kA,
       "congo=t61rcWkgMzE,rojo=1",
       {},
       true,
       Policy::kTraceIdHash,
       "ot=rv:976837c4f25a25;th:8,congo=t61rcWkgMzE,rojo=1"},
      {"dropped at 10% (bucket 6693 >= 1638)",
       config(10),
       kA,
       "",
       {},
       false,
       Policy::kTraceIdHash,
       ""},
      {"kept at 10% with seed 0xdeadbeef (bucket 427)",
       config(10, "hash_seed", 0xdeadbeef),
       kA,
       "",
       {},
       true,
       Policy::kTraceIdHash,
       "ot=rv:f9501af4bc81ab;th:e668"},
      {"seed 22 drops it at 50%",
       config(50, "hash_seed", 22),
       kA,
       "",
       {},
       false,
       Policy::kTraceIdHash,
       ""},
      {"100% keeps with th:0",
       config(100),
       kA,
       "",
       {},
       true,
       Policy::kTraceIdHash,
       "ot=rv:976837c4f25a25;th:0"},
      {"above 100% is 100%",
       config(250),
       kA,
       "",
       {},
       true,
       Policy::kTraceIdHash,
       "ot=rv:976837c4f25a25;th:0"},
      {"0% never samples", config(0), kA, "", {}, false, Policy::kSamplingPriority, ""},
      {"0.001% rounds to zero buckets",
       config(0.001),
       kA,
       "",
       {},
       false,
       Policy::kSamplingPriority,
       ""},
  });
}

TEST(ProbabilisticSamplerSpans, FailClosedCases) {
  runSpanCases({
      {"malformed tracestate, fail closed",
       config(100),
       kA,
       "ot=th:zz",
       {},
       false,
       Policy::kTraceIdHash,
       "ot=th:zz"},
      {"malformed tracestate, fail open: kept unchanged",
       failOpen(config(100)),
       kA,
       "ot=th:zz",
       {},
       true,
       Policy::kTraceIdHash,
       "ot=th:zz"},
      {"hash_seed with an arriving th: refused",
       config(100),
       kA,
       "ot=th:8",
       {},
       false,
       Policy::kTraceIdHash,
       "ot=th:8"},
      {"hash_seed with an arriving rv: fail open leaves it",
       failOpen(config(1)),
       kA,
       "ot=rv:9b8233f7e3a151",
       {},
       true,
       Policy::kTraceIdHash,
       "ot=rv:9b8233f7e3a151"},
      {"zero trace id: missing randomness",
       config(100),
       kZero,
       "",
       {},
       false,
       Policy::kMissingRandomness,
       ""},
      {"zero trace id, fail open (as the collector: rv of all ones, th:0)",
       failOpen(config(10)),
       kZero,
       "",
       {},
       true,
       Policy::kMissingRandomness,
       "ot=rv:ffffffffffffff;th:0"},
      {"proportional, zero trace id",
       config(50, "proportional"),
       kZero,
       "",
       {},
       false,
       Policy::kMissingRandomness,
       ""},
      {"inconsistent arriving th (ce92.. < f), fail closed",
       config(100, "proportional"),
       kC,
       "ot=th:f",
       {},
       false,
       Policy::kTraceIdW3C,
       "ot=th:f"},
      {"inconsistent arriving th, fail open: cleared then th:0",
       failOpen(config(10, "equalizing")),
       kC,
       "ot=th:f,x=1",
       {},
       true,
       Policy::kTraceIdW3C,
       "ot=th:0,x=1"},
  });
}

TEST(ProbabilisticSamplerSpans, ProportionalMode) {
  runSpanCases({
      {"50% keeps ce92..",
       config(50, "proportional"),
       kC,
       "",
       {},
       true,
       Policy::kTraceIdW3C,
       "ot=th:8"},
      {"10% drops ce92.. (th e666)",
       config(10, "proportional"),
       kC,
       "",
       {},
       false,
       Policy::kTraceIdW3C,
       ""},
      {"multiplies: 50% of an arriving 50% is 25%",
       config(50, "proportional"),
       kC,
       "ot=th:8,congo=x",
       {},
       true,
       Policy::kTraceIdW3C,
       "ot=th:c,congo=x"},
      {"README example: rv 9b82.. at 50%",
       config(50, "proportional"),
       kC,
       "ot=th:0;rv:9b8233f7e3a151",
       {},
       true,
       Policy::kSamplingRandomness,
       "ot=rv:9b8233f7e3a151;th:8"},
      {"explicit rv decides, not the trace id",
       config(25, "proportional"),
       kC,
       "ot=rv:9b8233f7e3a151",
       {},
       false,
       Policy::kSamplingRandomness,
       "ot=rv:9b8233f7e3a151"},
      {"precision 1 rounds 10% to th:e",
       precision(config(10, "proportional"), 1),
       kC,
       "",
       {},
       false,
       Policy::kTraceIdW3C,
       ""},
      {"precision 2, 1/3 of 60%: 20% -> th:cd",
       precision(config(33.3333, "proportional"), 2),
       kC,
       "ot=th:6666",
       {},
       true,
       Policy::kTraceIdW3C,
       "ot=th:cd"},
      {"unchanged tracestate is not copied",
       config(100, "proportional"),
       kC,
       "ot=th:0",
       {},
       true,
       Policy::kTraceIdW3C,
       "ot=th:0"},
  });
}

TEST(ProbabilisticSamplerSpans, EqualizingMode) {
  runSpanCases({
      {"stricter arriving threshold is kept",
       config(50, "equalizing"),
       kC,
       "ot=th:c",
       {},
       true,
       Policy::kTraceIdW3C,
       "ot=th:c"},
      {"configured threshold when stricter",
       config(25, "equalizing"),
       kC,
       "a=b,ot=th:8",
       {},
       true,
       Policy::kTraceIdW3C,
       "ot=th:c,a=b"},
      {"drops below the configured threshold",
       config(25, "equalizing"),
       kC,
       "ot=rv:9b8233f7e3a151",
       {},
       false,
       Policy::kSamplingRandomness,
       "ot=rv:9b8233f7e3a151"},
      {"no arriving threshold",
       config(10, "equalizing"),
       kC,
       "",
       {},
       false,
       Policy::kTraceIdW3C,
       ""},
  });
}

TEST(ProbabilisticSamplerSpans, SamplingPriorityOverrides) {
  auto prio = [](AnyValue v) { return std::vector<model::KeyValue>{{"sampling.priority", v}}; };
  runSpanCases({
      {"int 0 drops a span 100% would keep", config(100), kA, "", prio(AnyValue::integer(0)), false,
       Policy::kSamplingPriority, ""},
      {"int 1 keeps a span 10% would drop, th:0", config(10), kA, "", prio(AnyValue::integer(1)),
       true, Policy::kSamplingPriority, "ot=rv:976837c4f25a25;th:0"},
      {"double 0.5 keeps", config(10, "proportional"), kC, "", prio(AnyValue::dbl(0.5)), true,
       Policy::kSamplingPriority, "ot=th:0"},
      {"string \"2\" keeps", config(0), kA, "", prio(AnyValue::string("2")), true,
       Policy::kSamplingPriority, "ot=th:0"},
      {"string \"0\" drops", config(100), kA, "", prio(AnyValue::string("0")), false,
       Policy::kSamplingPriority, ""},
      {"negative defers to the percentage", config(10), kA, "", prio(AnyValue::integer(-1)), false,
       Policy::kTraceIdHash, ""},
      {"non-numeric string defers", config(50), kA, "", prio(AnyValue::string("high")), true,
       Policy::kTraceIdHash, "ot=rv:976837c4f25a25;th:8"},
      {"priority wins over fail_closed (tracestate left alone)", config(50), kA, "ot=th:zz",
       prio(AnyValue::integer(1)), true, Policy::kSamplingPriority, "ot=th:zz"},
      {"keep cannot raise an arriving probability", config(10, "proportional"), kC, "ot=th:8",
       prio(AnyValue::integer(1)), true, Policy::kSamplingPriority, "ot=th:8"},
  });
}

TEST(ProbabilisticSamplerSpans, SameSeedSameDecisionAcrossInstances) {
  Sampler one(config(30, "hash_seed", 7));
  Sampler two(config(30, "hash_seed", 7));
  Sampler other(config(30, "hash_seed", 8));
  std::mt19937_64 rng(7);
  int differ = 0;
  for (int i = 0; i < 1000; ++i) {
    Arena a;
    std::string tid(16, '\0');
    for (auto& ch : tid) ch = static_cast<char>(rng());
    model::Span s1, s2, s3;
    s1.trace_id = s2.trace_id = s3.trace_id = a.copy(tid);
    bool d1 = one.sampleSpan(a, s1).sampled;
    EXPECT_EQ(d1, two.sampleSpan(a, s2).sampled);
    EXPECT_EQ(s1.trace_state, s2.trace_state);
    differ += d1 != other.sampleSpan(a, s3).sampled;
  }
  EXPECT_GT(differ, 100);  // a different seed is a different sample
}

// 100k trace ids from a fixed mt19937_64 seed: the kept count is exact (deterministic) and
// within 3 sigma of the target; an inverted comparison (90%), a wrong scale or using the high
// bytes of the id for W3C randomness would all fail one of the two.
TEST(ProbabilisticSamplerSpans, KeepsTheConfiguredFraction) {
  struct Case {
    Config cfg;
    double probability;  // exactly what the threshold encodes
    int expected;        // observed once, pinned
  };
  const Case cases[] = {
      {config(10), 1638.0 / 16384, 9998},
      {config(10, "proportional"), 1 - 0xe666 / 65536.0, 9918},
      {config(25, "equalizing"), 0.25, 24990},
  };
  const int n = 100000;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.cfg.mode);
    Sampler sampler(c.cfg);
    std::mt19937_64 rng(20261124);
    Arena a;
    int kept = 0;
    std::string tid(16, '\0');
    for (int i = 0; i < n; ++i) {
      uint64_t hi = rng(), lo = rng();
      for (int b = 0; b < 8; ++b) {
        tid[b] = static_cast<char>(hi >> (8 * b));
        tid[8 + b] = static_cast<char>(lo >> (8 * b));
      }
      model::Span s;
      s.trace_id = tid;
      kept += sampler.sampleSpan(a, s).sampled;
    }
    double mean = n * c.probability;
    double sigma = std::sqrt(n * c.probability * (1 - c.probability));
    EXPECT_NEAR(kept, mean, 3 * sigma);
    EXPECT_EQ(kept, c.expected);
  }
}

// ---- logs ------------------------------------------------------------------------------

struct LogCase {
  const char* name;
  Config cfg;
  const char* trace_id;
  std::vector<model::KeyValue> attrs;
  bool sampled;
  Policy policy;
  const char* randomness_attr;
  const char* threshold_attr;
};

Config fromAttr(Config c, std::string source, std::string attr) {
  c.attribute_source = std::move(source);
  c.from_attribute = std::move(attr);
  return c;
}
Config withPriority(Config c, std::string attr) {
  c.sampling_priority = std::move(attr);
  return c;
}

void runLogCases(const std::vector<LogCase>& cases) {
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Arena a;
    model::LogRecord r = testdata::logRecord(a, c.trace_id, c.attrs);
    Sampler sampler(c.cfg);
    Decision d = sampler.sampleLog(a, r);
    EXPECT_EQ(d.sampled, c.sampled);
    EXPECT_EQ(sampler.policyName(d.policy), sampler.policyName(c.policy));
    EXPECT_EQ(testdata::attrString(r, "sampling.randomness"), c.randomness_attr);
    EXPECT_EQ(testdata::attrString(r, "sampling.threshold"), c.threshold_attr);
  }
}

TEST(ProbabilisticSamplerLogs, ByTraceIdAndByAttribute) {
  auto id = [](AnyValue v) { return std::vector<model::KeyValue>{{"log.id", v}}; };
  runLogCases({
      {"trace id hash, kept",
       config(50),
       kA,
       {},
       true,
       Policy::kTraceIdHash,
       "976837c4f25a25",
       "8"},
      {"trace id hash, dropped",
       config(10),
       kA,
       {},
       false,
       Policy::kTraceIdHash,
       "<absent>",
       "<absent>"},
      {"no trace id: falls back to from_attribute", fromAttr(config(50), "traceID", "log.id"), "",
       id(AnyValue::string("true")), true, Policy::kAttribute, "d9a8040d030995", "8"},
      {"attribute_source record ignores the trace id", fromAttr(config(50), "record", "log.id"), kA,
       id(AnyValue::string("abc")), false, Policy::kAttribute, "<absent>", "<absent>"},
      {"int attribute hashes its decimal text (bucket 14568 < 14745 at 90%)",
       fromAttr(config(90), "record", "log.id"), kA, id(AnyValue::integer(12345)), true,
       Policy::kAttribute, "1c5c38ce3038e8", "199c"},
      {"bool attribute hashes as \"true\"", fromAttr(config(50), "record", "log.id"), "",
       id(AnyValue::boolean(true)), true, Policy::kAttribute, "d9a8040d030995", "8"},
      {"no randomness at all: fail closed",
       fromAttr(config(100), "record", "log.id"),
       kA,
       {},
       false,
       Policy::kMissingRandomness,
       "<absent>",
       "<absent>"},
      {"no randomness, fail open: kept with threshold 0",
       failOpen(fromAttr(config(10), "record", "log.id")),
       kA,
       {},
       true,
       Policy::kMissingRandomness,
       "<absent>",
       "0"},
      {"hash_seed refuses records carrying a threshold",
       config(100),
       kA,
       {{"sampling.threshold", AnyValue::string("8")}},
       false,
       Policy::kTraceIdHash,
       "<absent>",
       "8"},
      {"proportional by trace id",
       config(50, "proportional"),
       kC,
       {},
       true,
       Policy::kTraceIdW3C,
       "<absent>",
       "8"},
      {"proportional with explicit sampling.randomness",
       config(50, "proportional"),
       kC,
       {{"sampling.randomness", AnyValue::string("00000000000001")}},
       false,
       Policy::kSamplingRandomness,
       "00000000000001",
       "<absent>"},
      // The released collector (PR 31894 and later): an all-zero trace id is no randomness in
      // hash_seed mode, and proportional / equalizing never hash from_attribute.
      {"hash_seed: all-zero trace id and no from_attribute: missing randomness",
       config(100),
       kZero,
       {},
       false,
       Policy::kMissingRandomness,
       "<absent>",
       "<absent>"},
      {"proportional: no trace id, from_attribute is not hashed",
       fromAttr(config(100, "proportional"), "traceID", "log.id"), kZero,
       id(AnyValue::string("abc")), false, Policy::kMissingRandomness, "<absent>", "<absent>"},
      {"equalizing: no trace id, from_attribute is not hashed",
       fromAttr(config(100, "equalizing"), "traceID", "log.id"), "", id(AnyValue::string("abc")),
       false, Policy::kMissingRandomness, "<absent>", "<absent>"},
      {"malformed sampling.threshold, fail closed",
       config(50, "proportional"),
       kC,
       {{"sampling.threshold", AnyValue::string("xyz")}},
       false,
       Policy::kMissingRandomness,
       "<absent>",
       "xyz"},
  });
}

TEST(ProbabilisticSamplerLogs, SamplingPriorityAttribute) {
  auto prio = [](AnyValue v) { return std::vector<model::KeyValue>{{"prio", v}}; };
  runLogCases({
      {"0 drops", withPriority(config(100), "prio"), kA, prio(AnyValue::integer(0)), false,
       Policy::kSamplingPriority, "<absent>", "<absent>"},
      {"100 keeps what 10% drops", withPriority(config(10), "prio"), kA,
       prio(AnyValue::integer(100)), true, Policy::kSamplingPriority, "976837c4f25a25", "0"},
      {">= 100 is 100%", withPriority(config(10), "prio"), kA, prio(AnyValue::dbl(250)), true,
       Policy::kSamplingPriority, "976837c4f25a25", "0"},
      {"a percentage replaces sampling_percentage",
       withPriority(config(100, "proportional"), "prio"), kC, prio(AnyValue::dbl(10)), false,
       Policy::kSamplingPriority, "<absent>", "<absent>"},
      {"absent attribute: configured percentage",
       withPriority(config(50), "prio"),
       kA,
       {},
       true,
       Policy::kTraceIdHash,
       "976837c4f25a25",
       "8"},
      {"string priority ignored", withPriority(config(50), "prio"), kA, prio(AnyValue::string("0")),
       true, Policy::kTraceIdHash, "976837c4f25a25", "8"},
  });
}

TEST(ProbabilisticSamplerLogs, HashInputFormatsLikeTheCollector) {
  std::array<char, 64> scratch;
  std::string_view out;
  auto fmt = [&](AnyValue v) {
    return hashInput(v, scratch, out) ? std::string(out) : std::string("<none>");
  };
  EXPECT_EQ(fmt(AnyValue::dbl(1.5)), "1.5");
  EXPECT_EQ(fmt(AnyValue::dbl(100)), "100");
  EXPECT_EQ(fmt(AnyValue::dbl(1e-7)), "1e-7");
  EXPECT_EQ(fmt(AnyValue::dbl(1e21)), "1e+21");
  EXPECT_EQ(fmt(AnyValue::integer(-42)), "-42");
  EXPECT_EQ(fmt(AnyValue::boolean(false)), "false");
  EXPECT_EQ(fmt(AnyValue::bytes(std::string_view("\x01\x02", 2))), std::string("\x01\x02", 2));
  EXPECT_EQ(fmt(AnyValue::array({})), "<none>");
}

}  // namespace
}  // namespace periscope::components::probabilistic_sampler
