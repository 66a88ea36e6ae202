// Each policy type alone, table-driven: which of a fixed set of traces it keeps.
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "tail_sampling_fixture.h"

namespace periscope::components::tail_sampling {
namespace {

using model::AnyValue;
using model::StatusCode;
using testing::Harness;
using testing::makeBatch;
using testing::SpanSpec;

// Traces 1..8, two spans each (the second carries the interesting bits).
std::vector<SpanSpec> corpus() {
  std::vector<SpanSpec> v;
  auto add = [&](uint32_t t, SpanSpec second) {
    v.push_back({.trace = t, .start_ms = 0, .end_ms = 10});
    second.trace = t;
    v.push_back(second);
  };
  add(1, {.start_ms = 5, .end_ms = 20});                                      // 20 ms
  add(2, {.start_ms = 5, .end_ms = 600});                                     // 600 ms
  add(3, {.end_ms = 5, .status = StatusCode::kError});                        // error
  add(4, {.end_ms = 5, .status = StatusCode::kOk});                           // ok
  add(5, {.attributes = {{"http.route", AnyValue::string("/health")}}});      // health
  add(6, {.attributes = {{"http.route", AnyValue::string("/api/orders")}}});  // api
  add(7, {.attributes = {{"retries", AnyValue::integer(7)}, {"vip", AnyValue::boolean(true)}}});
  add(8, {.trace_state = "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"});
  return v;
}

struct Case {
  const char* name;
  const char* policy;  // YAML of one policy
  std::set<uint32_t> kept;
};

class PolicyTable : public ::testing::TestWithParam<Case> {};

TEST_P(PolicyTable, KeepsExactlyTheMatchingTraces) {
  const Case& c = GetParam();
  Harness h(std::string("decision_wait: 10s\npolicies:\n  - ") + c.policy);
  h.send(makeBatch(corpus()));
  h.advance(10'000);
  h.proc->tick();
  EXPECT_EQ(h.out.traces, c.kept) << c.name;
  EXPECT_EQ(h.proc->pendingTraces(), 0u);
}

INSTANTIATE_TEST_SUITE_P(
    Policies, PolicyTable,
    ::testing::Values(
        Case{"always", "{name: all, type: always_sample}", {1, 2, 3, 4, 5, 6, 7, 8}},
        Case{"latency", "{name: slow, type: latency, latency: {threshold_ms: 500}}", {2}},
        Case{"latency_band",
             "{name: band, type: latency, latency: {threshold_ms: 10, upper_threshold_ms: 100}}",
             {1}},
        Case{"status_error",
             "{name: err, type: status_code, status_code: {status_codes: [ERROR]}}",
             {3}},
        Case{"status_ok_error",
             "{name: s, type: status_code, status_code: {status_codes: [OK, ERROR]}}",
             {3, 4}},
        Case{"string_exact",
             "{name: s, type: string_attribute, string_attribute: {key: http.route, values: "
             "[/health]}}",
             {5}},
        Case{"string_regex",
             "{name: s, type: string_attribute, string_attribute: {key: http.route, values: "
             "['^/api/'], enabled_regex_matching: true}}",
             {6}},
        Case{"string_invert",
             "{name: s, type: string_attribute, string_attribute: {key: http.route, values: "
             "[/health], invert_match: true}}",
             {1, 2, 3, 4, 6, 7, 8}},
        Case{"string_resource",
             "{name: s, type: string_attribute, string_attribute: {key: service.name, values: "
             "[svc]}}",
             {1, 2, 3, 4, 5, 6, 7, 8}},
        Case{"numeric",
             "{name: n, type: numeric_attribute, numeric_attribute: {key: retries, min_value: 5, "
             "max_value: 10}}",
             {7}},
        Case{"numeric_out_of_range",
             "{name: n, type: numeric_attribute, numeric_attribute: {key: retries, min_value: 8}}",
             {}},
        Case{"numeric_invert",
             "{name: n, type: numeric_attribute, numeric_attribute: {key: retries, min_value: 5, "
             "max_value: 10, invert_match: true}}",
             {1, 2, 3, 4, 5, 6, 8}},
        Case{"string_regex_invert",
             "{name: s, type: string_attribute, string_attribute: {key: http.route, values: "
             "['health$'], enabled_regex_matching: true, invert_match: true}}",
             {1, 2, 3, 4, 6, 7, 8}},
        Case{"latency_at_threshold",
             "{name: l, type: latency, latency: {threshold_ms: 20}}",
             {1, 2}},
        Case{"latency_band_excludes_its_lower_bound",
             "{name: l, type: latency, latency: {threshold_ms: 20, upper_threshold_ms: 600}}",
             {2}},
        Case{"trace_state_other_member",
             "{name: ts, type: trace_state, trace_state: {key: rojo, values: [00f067aa0ba902b7]}}",
             {8}},
        Case{"trace_state_no_match",
             "{name: ts, type: trace_state, trace_state: {key: congo, values: [t61]}}",
             {}},
        Case{"boolean",
             "{name: b, type: boolean_attribute, boolean_attribute: {key: vip, value: true}}",
             {7}},
        Case{"trace_state",
             "{name: ts, type: trace_state, trace_state: {key: congo, values: [t61rcWkgMzE]}}",
             {8}},
        Case{"span_count_none", "{name: c, type: span_count, span_count: {min_spans: 3}}", {}},
        Case{"span_count_all",
             "{name: c, type: span_count, span_count: {min_spans: 2, max_spans: 2}}",
             {1, 2, 3, 4, 5, 6, 7, 8}},
        Case{"probabilistic_0",
             "{name: p, type: probabilistic, probabilistic: {sampling_percentage: 0}}",
             {}},
        Case{"probabilistic_100",
             "{name: p, type: probabilistic, probabilistic: {sampling_percentage: 100}}",
             {1, 2, 3, 4, 5, 6, 7, 8}},
        Case{"rate_limiting_5_spans",
             "{name: r, type: rate_limiting, rate_limiting: {spans_per_second: 5}}",
             {1, 2}},
        Case{"and",
             "{name: a, type: and, and: {and_sub_policy: [{name: x, type: latency, latency: "
             "{threshold_ms: 15}}, {name: y, type: string_attribute, string_attribute: {key: "
             "service.name, values: [svc]}}]}}",
             {1, 2}},
        Case{"drop_alone",
             "{name: d, type: drop, drop: {drop_sub_policy: [{name: x, type: status_code, "
             "status_code: {status_codes: [ERROR]}}]}}",
             {}}),
    [](const ::testing::TestParamInfo<Case>& info) { return std::string(info.param.name); });

TEST(Probabilistic, MatchesTheCollectorsHash) {
  // FNV-1a 64 of "" is the offset basis; of "a" is the published test vector.
  EXPECT_EQ(hashTraceId("", ""), 0xcbf29ce484222325ull);
  EXPECT_EQ(hashTraceId("a", ""), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(hashTraceId("", "a"), 0xaf63dc4c8601ec8cull);
  // (2^64-1) x 0.5 truncated, as Go's big.Float Uint64() does.
  EXPECT_EQ(probabilisticThreshold(0.5), 0x7fffffffffffffffull);
  EXPECT_EQ(probabilisticThreshold(1.0), 0xffffffffffffffffull);
  EXPECT_EQ(probabilisticThreshold(0.0), 0u);
}

TEST(Probabilistic, SamplesAboutThePercentageConsistently) {
  auto cfg = testing::decodeConfig(
      "policies: [{name: p, type: probabilistic, probabilistic: {sampling_percentage: 25, "
      "hash_salt: s1}}]");
  auto policy = makePolicy(cfg->policies[0], [] { return int64_t{0}; });
  ASSERT_TRUE(policy.isOk());
  // Random ids: FNV-1a barely moves its high bits for ids differing only in their last bytes.
  std::mt19937_64 rng(7);
  uint64_t threshold = probabilisticThreshold(0.25);
  size_t kept = 0;
  for (int i = 0; i < 4000; ++i) {
    std::string id(16, '\0');
    uint64_t a = rng(), b = rng();
    std::memcpy(id.data(), &a, 8);
    std::memcpy(id.data() + 8, &b, 8);
    TraceData t{id, {}, 1, 100};
    bool keep = (*policy)->evaluate(t) == Decision::kSampled;
    EXPECT_EQ(keep, hashTraceId("s1", id) <= threshold);
    kept += keep;
  }
  EXPECT_GT(kept, 900u);
  EXPECT_LT(kept, 1100u);
}

// The collector's current rule (disableinvertdecisions stable in v0.152.0, then removed):
// invert_match only flips its own policy's answer; it vetoes nothing. Only drop vetoes.
TEST(Precedence, DropVetoesButAnInvertedMatchIsAPlainNotSampled) {
  Harness h(R"(
policies:
  - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
  - {name: not-health, type: string_attribute, string_attribute: {key: http.route, values: [/health], invert_match: true}}
  - name: drop-orders
    type: drop
    drop: {drop_sub_policy: [{name: orders, type: string_attribute, string_attribute: {key: http.route, values: [/api/orders]}}]}
)");
  // 1: error + /health -> "errors" samples; the inverted match is only not sampled.
  // 2: error + orders -> dropped. 3: error alone -> sampled. 4: nothing -> "not-health" does
  // not match, so (inverted) it samples.
  h.send(makeBatch({
      {.trace = 1,
       .status = StatusCode::kError,
       .attributes = {{"http.route", AnyValue::string("/health")}}},
      {.trace = 2,
       .status = StatusCode::kError,
       .attributes = {{"http.route", AnyValue::string("/api/orders")}}},
      {.trace = 3, .status = StatusCode::kError},
      {.trace = 4},
  }));
  h.advance(30'000);
  h.proc->tick();
  EXPECT_EQ(h.out.traces, (std::set<uint32_t>{1, 3, 4}));
  EXPECT_EQ(
      h.metric("global_count_traces_sampled",
               {{"processor", "tail_sampling"}, {"sampled", "false"}, {"decision", "dropped"}}),
      1);
  // Drop policies run first and stop the evaluation: "errors" saw traces 1, 3 and 4 only.
  EXPECT_EQ(h.metric("count_traces_sampled", {{"processor", "tail_sampling"},
                                              {"policy", "errors"},
                                              {"sampled", "true"},
                                              {"decision", "sampled"}}),
            2);
  EXPECT_EQ(h.metric("count_traces_sampled", {{"processor", "tail_sampling"},
                                              {"policy", "not-health"},
                                              {"sampled", "false"},
                                              {"decision", "not_sampled"}}),
            1);
}

TEST(Precedence, AnInvertedMatchAloneIsNotSampled) {
  Harness h(R"(
policies:
  - {name: not-health, type: string_attribute, string_attribute: {key: http.route, values: [/health], invert_match: true}}
  - {name: baseline, type: always_sample}
)");
  h.send(makeBatch(
      {{.trace = 1, .attributes = {{"http.route", AnyValue::string("/health")}}}, {.trace = 2}}));
  h.advance(30'000);
  h.proc->tick();
  // Under the old rule the inverted match on trace 1 vetoed "baseline"; now it does not.
  EXPECT_EQ(h.out.traces, (std::set<uint32_t>{1, 2}));
}

TEST(Precedence, DropPoliciesRunFirstEvenWithSampleOnFirstMatch) {
  Harness h(R"(
sample_on_first_match: true
policies:
  - {name: everything, type: always_sample}
  - name: drop-orders
    type: drop
    drop: {drop_sub_policy: [{name: orders, type: string_attribute, string_attribute: {key: http.route, values: [/api/orders]}}]}
)");
  h.send(makeBatch({{.trace = 1, .attributes = {{"http.route", AnyValue::string("/api/orders")}}},
                    {.trace = 2}}));
  h.advance(30'000);
  h.proc->tick();
  EXPECT_EQ(h.out.traces, (std::set<uint32_t>{2}));
}

TEST(Composite, AllocatesTheSpanBudgetByPercent) {
  Harness h(R"(
decision_wait: 1s
policies:
  - name: comp
    type: composite
    composite:
      max_total_spans_per_second: 10
      policy_order: [errors, rest]
      composite_sub_policy:
        - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
        - {name: rest, type: always_sample}
      rate_allocation:
        - {policy: errors, percent: 60}
        - {policy: rest, percent: 40}
)");
  // Ten 2-span error traces (1..10) and ten 2-span plain traces (11..20) in one second:
  // errors may take 6 spans (3 traces), the rest 4 spans (2 traces).
  std::vector<SpanSpec> spans;
  for (uint32_t t = 1; t <= 20; ++t) {
    auto st = t <= 10 ? StatusCode::kError : StatusCode::kUnset;
    spans.push_back({.trace = t, .status = st});
    spans.push_back({.trace = t});
  }
  h.send(makeBatch(spans));
  h.advance(1'000);
  h.proc->tick();
  // Traces are decided in arrival order within the tick.
  EXPECT_EQ(h.out.traces, (std::set<uint32_t>{1, 2, 3, 11, 12}));
  // The next second has a fresh budget.
  h.out.traces.clear();
  spans.clear();
  for (uint32_t t = 21; t <= 24; ++t) spans.push_back({.trace = t, .status = StatusCode::kError});
  h.send(makeBatch(spans));
  h.advance(1'000);
  h.proc->tick();
  EXPECT_EQ(h.out.traces, (std::set<uint32_t>{21, 22, 23, 24}));
}

// The collector evaluates composite sub-policies in composite_sub_policy order and never reads
// policy_order (not even its names).
TEST(Composite, EvaluatesSubPoliciesInListedOrderAndIgnoresPolicyOrder) {
  Harness h(R"(
decision_wait: 1s
policies:
  - name: comp
    type: composite
    composite:
      max_total_spans_per_second: 4
      policy_order: [everything, errors, no-such-policy]
      composite_sub_policy:
        - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
        - {name: everything, type: always_sample}
      rate_allocation:
        - {policy: errors, percent: 25}
        - {policy: everything, percent: 75}
)");
  // "errors" is listed first and has 1 span: the first error trace goes through it; the others
  // are over its budget (a composite does not fall through to the next sub-policy).
  h.send(makeBatch({{.trace = 1, .status = StatusCode::kError},
                    {.trace = 2, .status = StatusCode::kError},
                    {.trace = 3, .status = StatusCode::kError},
                    {.trace = 4, .status = StatusCode::kError}}));
  h.advance(1'000);
  h.proc->tick();
  EXPECT_EQ(h.out.traces, (std::set<uint32_t>{1}));
}

TEST(RateLimiting, TheBudgetIsPerSecond) {
  Harness h(
      "decision_wait: 1s\npolicies: [{name: r, type: rate_limiting, rate_limiting: "
      "{spans_per_second: 2}}]");
  h.send(makeBatch({{.trace = 1}, {.trace = 2}, {.trace = 3}}));
  h.advance(1'000);
  h.proc->tick();
  EXPECT_EQ(h.out.traces, (std::set<uint32_t>{1, 2}));
  h.send(makeBatch({{.trace = 4}, {.trace = 5}, {.trace = 6}}));
  h.advance(1'000);
  h.proc->tick();
  EXPECT_EQ(h.out.traces, (std::set<uint32_t>{1, 2, 4, 5}));
}

TEST(BytesLimiting, RefillsOverTime) {
  Harness h(
      "decision_wait: 1s\npolicies: [{name: b, type: bytes_limiting, bytes_limiting: "
      "{bytes_per_second: 100, burst_capacity: 400}}]");
  std::vector<SpanSpec> spans;
  for (uint32_t t = 1; t <= 10; ++t) spans.push_back({.trace = t});
  h.send(makeBatch(spans));
  h.advance(1'000);
  h.proc->tick();
  // Each one-span trace encodes to well over 100 and under 200 bytes: the 400-byte burst
  // takes exactly 2 or 3 of them; at least one and not all.
  size_t first = h.out.traces.size();
  EXPECT_GE(first, 2u);
  EXPECT_LE(first, 3u);
  EXPECT_TRUE(h.out.traces.contains(1));
  EXPECT_FALSE(h.out.traces.contains(10));
}

}  // namespace
}  // namespace periscope::components::tail_sampling
