// Threshold and randomness encodings, and the hash_seed mode's FNV hash, against values
// derived outside this code base.
//
// How the expected values were derived: a 40-line Python model written from the collector's
// published description (README "Hash seed" / "Sampling precision", pkg/sampling's
// ProbabilityToThresholdWithPrecision and TValue rules, fnvhasher.go): FNV-1a 32 over the seed's
// 4 little-endian bytes then the 16 trace id bytes; bucket = hash & 0x3fff; kept iff
// bucket < uint32(float32(pct) * float32(163.84)); rv = (0x3fff-bucket)<<42 |
// ((top14 ^ top14<<10) << 14) | bucket with top14 = hash >> 18. It was run once and its
// output pasted here as literals. The FNV-1a core is also checked against the published
// FNV test vector fnv1a32("foobar") = 0xbf9cf968.
#include "components/processors/probabilistic_sampler/threshold.h"

#include <gtest/gtest.h>

#include "components/processors/probabilistic_sampler/hash_randomness.h"
#include "test_data.h"

namespace periscope::components::probabilistic_sampler {
namespace {

std::string th(Threshold t) {
  char buf[kNumHexDigits];
  return std::string(encodeThreshold(t, buf));
}

TEST(ProbabilisticSamplerHash, FnvMatchesPublishedVector) {
  // Seed bytes (little-endian) "foob" followed by "ar" hash as "foobar".
  uint32_t seed = 'f' | ('o' << 8) | ('o' << 16) | (uint32_t{'b'} << 24);
  EXPECT_EQ(fnv1aWithSeed("ar", seed), 0xbf9cf968u);
}

struct HashVector {
  const char* trace_id;
  uint32_t seed;
  uint32_t hash;
  const char* rv;
  bool keep10;
  bool keep50;
};

TEST(ProbabilisticSamplerHash, TraceIdVectors) {
  const HashVector vectors[] = {
      {"0102030405060708090a0b0c0d0e0f10", 0, 0xdf241a25, "976837c4f25a25", false, true},
      {"0102030405060708090a0b0c0d0e0f10", 22, 0xd863b443, "2ef03615863443", false, false},
      {"0102030405060708090a0b0c0d0e0f10", 0xdeadbeef, 0x6bcb41ab, "f9501af4bc81ab", true, true},
      {"4bf92f3577b34da6a3ce929d0e0e4736", 0, 0x3420408d, "fdc80d0b42008d", true, true},
      {"4bf92f3577b34da6a3ce929d0e0e4736", 22, 0x5610306b, "3e50158161306b", false, false},
      {"4bf92f3577b34da6a3ce929d0e0e4736", 0xdeadbeef, 0x5db650d3, "bcb01768db50d3", false, true},
      {"ffffffffffffffffffffffffffffffff", 0, 0x291a1545, "aae80a44919545", false, true},
      {"ffffffffffffffffffffffffffffffff", 22, 0x03b425b3, "693000ed3b65b3", false, false},
      {"00000000000000000000000000000001", 0, 0xb8fee2c2, "74f42e348fe2c2", false, false},
      {"00000000000000000000000000000001", 0xdeadbeef, 0x99bda6f8, "641c26669be6f8", false, false},
  };
  const Threshold t10{uint64_t{0x4000 - 1638} << 42};
  const Threshold t50{uint64_t{0x4000 - 8192} << 42};
  for (const auto& v : vectors) {
    SCOPED_TRACE(std::string(v.trace_id) + " seed " + std::to_string(v.seed));
    std::string tid = testdata::hexId(v.trace_id);
    EXPECT_EQ(fnv1aWithSeed(tid, v.seed), v.hash);
    uint64_t r = hashRandomness(tid, v.seed);
    char buf[kNumHexDigits];
    EXPECT_EQ(encodeRandomness(r, buf), v.rv);
    EXPECT_EQ(t10.shouldSample(r), v.keep10);
    EXPECT_EQ(t50.shouldSample(r), v.keep50);
  }
}

TEST(ProbabilisticSamplerHash, AcceptedBucketsUseFloat32Arithmetic) {
  const std::pair<float, uint32_t> cases[] = {{10.0f, 1638}, {25.0f, 4096},   {33.3f, 5455},
                                              {50.0f, 8192}, {99.99f, 16382}, {100.0f, 16384},
                                              {0.001f, 0},   {0.01f, 1}};
  for (auto [pct, want] : cases) EXPECT_EQ(acceptedBuckets(pct), want) << pct;
}

TEST(ProbabilisticSamplerThreshold, ProbabilityToThresholdWithPrecision) {
  struct Case {
    double probability;
    int precision;
    const char* tvalue;
  };
  const Case cases[] = {
      {0.25, 4, "c"},       {0.5, 4, "8"},
      {0.1, 4, "e666"},     {0.1, 1, "e"},
      {0.1, 2, "e6"},       {0.1, 14, "e6666666666666"},
      {1.0 / 3, 4, "aaab"}, {1.0 / 3, 0, "aaaaaaaaaaaaac"},
      {0.999, 4, "004189"}, {0.9999999, 4, "000001ad8"},
      {0.01, 4, "fd71"},    {0.75, 3, "4"},
      {1.0, 4, "0"},
  };
  for (const auto& c : cases) {
    ProbabilityError err;
    Threshold t = probabilityToThreshold(c.probability, c.precision, &err);
    EXPECT_EQ(err, ProbabilityError::kNone);
    EXPECT_EQ(th(t), c.tvalue) << c.probability << " precision " << c.precision;
  }
  ProbabilityError err;
  probabilityToThreshold(0, 4, &err);
  EXPECT_EQ(err, ProbabilityError::kOutOfRange);
  probabilityToThreshold(1.5, 4, &err);
  EXPECT_EQ(err, ProbabilityError::kOutOfRange);
  // 2^-56 rounds up to the never-sample threshold, which has no encoding.
  EXPECT_EQ(th(probabilityToThreshold(kMinSamplingProbability, 4, &err)), "");
}

TEST(ProbabilisticSamplerThreshold, TValueRoundTrips) {
  const char* tvalues[] = {
      "0", "1", "8", "c", "e666", "fd71", "004189", "aaaaaaaaaaaaac", "ffffffffffffff"};
  for (const char* tv : tvalues) {
    auto t = parseThreshold(tv);
    ASSERT_TRUE(t.has_value()) << tv;
    EXPECT_EQ(th(*t), tv);
  }
  EXPECT_EQ(parseThreshold("8")->unsigned_value, uint64_t{8} << 52);
  EXPECT_EQ(parseThreshold("C")->unsigned_value, uint64_t{0xc} << 52);  // either case parses
  EXPECT_EQ(th(*parseThreshold("80")), "8");  // trailing zeros are not written back
  EXPECT_DOUBLE_EQ(parseThreshold("c")->probability(), 0.25);
  for (const char* bad : {"", "123456789abcdef", "xyz", "-1", "+1", "0x1"}) {
    EXPECT_FALSE(parseThreshold(bad).has_value()) << bad;
  }
}

TEST(ProbabilisticSamplerThreshold, RValueRoundTrips) {
  auto r = parseRandomness("9b8233f7e3a151");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, 0x9b8233f7e3a151u);
  char buf[kNumHexDigits];
  EXPECT_EQ(encodeRandomness(*r, buf), "9b8233f7e3a151");
  EXPECT_EQ(encodeRandomness(0xab, buf), "000000000000ab");
  for (const char* bad : {"", "9b8233f7e3a15", "9b8233f7e3a1511", "9b8233f7e3a15g"}) {
    EXPECT_FALSE(parseRandomness(bad).has_value()) << bad;
  }
  // README example: rv 9b8233f7e3a151 passes 50% (th:8) and fails 25% (th:c).
  EXPECT_TRUE(parseThreshold("8")->shouldSample(*r));
  EXPECT_FALSE(parseThreshold("c")->shouldSample(*r));
}

TEST(ProbabilisticSamplerThreshold, TraceIdRandomnessIsLow56Bits) {
  EXPECT_EQ(traceIdRandomness(testdata::hexId("4bf92f3577b34da6a3ce929d0e0e4736")),
            0xce929d0e0e4736u);
  EXPECT_TRUE(isEmptyTraceId(testdata::hexId("00000000000000000000000000000000")));
  EXPECT_TRUE(isEmptyTraceId("short"));
  EXPECT_FALSE(isEmptyTraceId(testdata::hexId("00000000000000000000000000000001")));
}

}  // namespace
}  // namespace periscope::components::probabilistic_sampler
