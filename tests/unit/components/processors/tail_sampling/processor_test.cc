// The processor end to end with a fake clock: a generated stream with known decisions, late
// spans, num_traces overflow, shutdown, and config errors.
#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <thread>

#include "tail_sampling_fixture.h"

namespace periscope::components::tail_sampling {
namespace {

using model::AnyValue;
using model::StatusCode;
using testing::Harness;
using testing::makeBatch;
using testing::SpanSpec;

const telemetry::Labels kProc = {{"processor", "tail_sampling"}};

constexpr const char* kErrorsOrSlowNoHealth = R"(
decision_wait: 5s
num_traces: 100000
policies:
  - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
  - {name: slow, type: latency, latency: {threshold_ms: 1000}}
  - name: no-health
    type: drop
    drop: {drop_sub_policy: [{name: health, type: string_attribute, string_attribute: {key: http.route, values: [/health]}}]}
)";

TEST(TailSampling, GeneratedStreamKeepsExactlyTheTracesThatDeserveIt) {
  Harness h(kErrorsOrSlowNoHealth);
  std::mt19937 rng(42);
  constexpr uint32_t kTraces = 2000, kSpans = 10;
  std::set<uint32_t> expected;
  // Each trace's spans are spread over 3 batches sent 1 s apart; a new trace starts every 2 ms.
  std::map<int64_t, std::vector<SpanSpec>> by_batch;  // batch time (ms) -> spans
  for (uint32_t t = 1; t <= kTraces; ++t) {
    bool error = rng() % 10 == 0;
    bool slow = rng() % 8 == 0;
    bool health = rng() % 5 == 0;
    if ((error || slow) && !health) expected.insert(t);
    int64_t t0 = static_cast<int64_t>(t) * 2 / 1000 * 1000;  // the second it starts in
    for (uint32_t s = 0; s < kSpans; ++s) {
      SpanSpec sp{.trace = t, .start_ms = s, .end_ms = s + (slow && s == kSpans - 1 ? 1500u : 50u)};
      if (error && s == 7) sp.status = StatusCode::kError;
      if (health && s == 0) sp.attributes = {{"http.route", AnyValue::string("/health")}};
      by_batch[t0 + (s % 3) * 1000].push_back(sp);
    }
  }
  for (auto& [at, spans] : by_batch) {
    while (h.now < 1'000'000'000'000 + at * 1'000'000) {
      h.advance(500);
      h.proc->tick();
    }
    h.send(makeBatch(spans, "checkout"));
  }
  for (int i = 0; i < 20; ++i) {
    h.advance(500);
    h.proc->tick();
  }
  EXPECT_EQ(h.out.traces, expected);
  for (uint32_t t : expected) EXPECT_EQ(h.out.spans_by_trace[t], 10) << t;
  EXPECT_EQ(h.out.spans, expected.size() * kSpans);
  // Resource, scope and schema come back exactly as sent.
  EXPECT_EQ(h.out.services, (std::set<std::string>{"checkout"}));
  EXPECT_EQ(h.out.scope_names, (std::set<std::string>{"lib@1.0"}));
  EXPECT_EQ(h.out.resource_schema,
            (std::set<std::string>{"https://opentelemetry.io/schemas/1.21.0"}));
  EXPECT_EQ(h.proc->pendingTraces(), 0u);
  EXPECT_EQ(h.metric("new_trace_id_received", kProc), kTraces);
  EXPECT_EQ(h.metric("sampling_trace_dropped_too_early", kProc), 0);
}

TEST(TailSampling, ASampledTraceComesOutByteForByteAsItCameIn) {
  Harness h("policies: [{name: all, type: always_sample}]");
  auto spans = std::vector<SpanSpec>{
      {.trace = 9, .start_ms = 0, .end_ms = 40, .attributes = {{"k", AnyValue::string("v")}}},
      {.trace = 9, .start_ms = 3, .end_ms = 9, .status = StatusCode::kOk, .trace_state = "a=b"},
      {.trace = 9, .start_ms = 5, .end_ms = 7, .attributes = {{"n", AnyValue::integer(-3)}}}};
  std::string sent;
  model::otlp::encode(makeBatch(spans, "svc", {{"host.name", AnyValue::string("h1")}}), sent);
  h.send(makeBatch(spans, "svc", {{"host.name", AnyValue::string("h1")}}));
  h.advance(30'000);
  h.proc->tick();
  ASSERT_EQ(h.out.encodings.size(), 1u);
  EXPECT_EQ(h.out.encodings[0], sent);
}

// A started processor on the real clock with its own ticker thread (every millisecond).
std::unique_ptr<TailSamplingProcessor> startWithTicker(const Config& cfg,
                                                       pipeline::Consumer<model::Traces>& next,
                                                       telemetry::Registry& registry) {
  TailSamplingProcessor::Options o;
  o.tick_interval = std::chrono::milliseconds(1);
  o.registry = &registry;
  component::Settings settings;
  settings.id = component::ComponentId::parse("tail_sampling").value();
  auto p = TailSamplingProcessor::create(settings, cfg, &next, o);
  EXPECT_TRUE(p.isOk());
  periscope::testing::NullHost host;
  EXPECT_TRUE((*p)->start(host).isOk());
  return std::move(*p);
}

TEST(TailSampling, TheTickerThreadDecidesOnItsOwn) {
  auto cfg =
      testing::decodeConfig("decision_wait: 1ms\npolicies: [{name: all, type: always_sample}]");
  testing::TraceRecorder out;
  telemetry::Registry registry;
  auto p = startWithTicker(*cfg, out, registry);
  ASSERT_TRUE(pipeline::consumeAndWait(*p, makeBatch({{.trace = 1}, {.trace = 1}})).isOk());
  EXPECT_TRUE(out.waitForSpans(2));  // no tick() from the test: the ticker decided
  EXPECT_TRUE(p->shutdown(std::chrono::steady_clock::now() + std::chrono::seconds(5)).isOk());
  EXPECT_EQ(out.traces, (std::set<uint32_t>{1}));
}

TEST(TailSampling, LateSpansFollowTheirTracesDecision) {
  Harness h(R"(
decision_wait: 2s
decision_cache: {sampled_cache_size: 10, non_sampled_cache_size: 10}
policies: [{name: errors, type: status_code, status_code: {status_codes: [ERROR]}}]
)");
  h.send(makeBatch({{.trace = 1, .status = StatusCode::kError}, {.trace = 2}}));
  h.advance(2'000);
  h.proc->tick();
  ASSERT_EQ(h.out.traces, (std::set<uint32_t>{1}));
  h.out.traces.clear();
  size_t batches = h.out.batches;
  h.advance(3'000);
  // Late spans: trace 1's go on at once (no tick), trace 2's are dropped even with an error.
  h.send(makeBatch({{.trace = 1}, {.trace = 2, .status = StatusCode::kError}, {.trace = 1}}));
  EXPECT_EQ(h.out.batches, batches + 1);
  EXPECT_EQ(h.out.traces, (std::set<uint32_t>{1}));
  EXPECT_EQ(h.out.spans_by_trace[1], 3);  // 1 decided + 2 late
  EXPECT_EQ(h.proc->pendingTraces(), 0u);
  EXPECT_EQ(h.metric("early_releases_from_cache_decision",
                     {{"processor", "tail_sampling"}, {"sampled", "true"}}),
            2);
  EXPECT_EQ(h.metric("early_releases_from_cache_decision",
                     {{"processor", "tail_sampling"}, {"sampled", "false"}}),
            1);
  EXPECT_EQ(h.metric("sampling_late_span_age", kProc), 3);  // observations
  h.advance(10'000);
  h.proc->tick();
  EXPECT_EQ(h.out.traces, (std::set<uint32_t>{1}));
}

TEST(TailSampling, SpansArrivingWhileTheirTraceIsDecidedFollowTheDecision) {
  Harness h(R"(
decision_wait: 1s
policies: [{name: errors, type: status_code, status_code: {status_codes: [ERROR]}}]
)");
  h.send(makeBatch({{.trace = 1, .status = StatusCode::kError}, {.trace = 2}}));
  h.advance(1'000);
  h.before_evaluate = [&] {
    // The traces are out of the buffer but not decided yet: these spans are held for them.
    h.send(makeBatch({{.trace = 1}, {.trace = 2, .status = StatusCode::kError}}));
  };
  h.proc->tick();
  EXPECT_EQ(h.out.traces, (std::set<uint32_t>{1}));
  EXPECT_EQ(h.out.spans_by_trace[1], 2);
  EXPECT_EQ(h.proc->pendingTraces(), 0u);
}

TEST(TailSampling, EvictedCacheEntriesMakeALateSpanANewTrace) {
  Harness h(R"(
decision_wait: 1s
decision_cache: {sampled_cache_size: 1, non_sampled_cache_size: 1}
policies: [{name: errors, type: status_code, status_code: {status_codes: [ERROR]}}]
)");
  h.send(makeBatch(
      {{.trace = 1, .status = StatusCode::kError}, {.trace = 2, .status = StatusCode::kError}}));
  h.advance(1'000);
  h.proc->tick();
  ASSERT_EQ(h.out.traces, (std::set<uint32_t>{1, 2}));
  // Only trace 2 is still remembered: trace 1's late span waits for a decision of its own.
  h.send(makeBatch({{.trace = 1}, {.trace = 2}}));
  EXPECT_EQ(h.proc->pendingTraces(), 1u);
  EXPECT_EQ(h.out.spans_by_trace[2], 2);
}

TEST(TailSampling, NumTracesOverflowDecidesTheOldestEarly) {
  Harness h("num_traces: 3\npolicies: [{name: all, type: always_sample}]");
  for (uint32_t t = 1; t <= 5; ++t) {
    h.send(makeBatch({{.trace = t}, {.trace = t}}));
    h.advance(100);
  }
  // Traces 1 and 2 were decided (and sent) when 4 and 5 arrived: nothing was lost.
  EXPECT_EQ(h.out.traces, (std::set<uint32_t>{1, 2}));
  EXPECT_EQ(h.out.spans_by_trace[1], 2);
  EXPECT_EQ(h.proc->pendingTraces(), 3u);
  EXPECT_EQ(h.metric("sampling_trace_dropped_too_early", kProc), 2);
  EXPECT_EQ(h.metric("sampling_traces_on_memory", kProc), 3);
  h.advance(30'000);
  h.proc->tick();
  EXPECT_EQ(h.out.traces, (std::set<uint32_t>{1, 2, 3, 4, 5}));
}

TEST(TailSampling, ShutdownDecidesPendingTraces) {
  Harness h(
      R"(policies: [{name: errors, type: status_code, status_code: {status_codes: [ERROR]}}])");
  h.send(makeBatch({{.trace = 1, .status = StatusCode::kError}, {.trace = 2}}));
  h.proc->beginShutdown();
  EXPECT_EQ(h.out.traces, (std::set<uint32_t>{1}));
  EXPECT_EQ(h.proc->pendingTraces(), 0u);
  EXPECT_TRUE(h.proc->shutdown(std::chrono::steady_clock::now() + std::chrono::seconds(5)).isOk());
}

TEST(TailSampling, ShutdownCanDropPendingTraces) {
  Harness h(R"(
drop_pending_traces_on_shutdown: true
policies: [{name: all, type: always_sample}]
)");
  h.send(makeBatch({{.trace = 1}, {.trace = 2}}));
  EXPECT_TRUE(h.proc->shutdown(std::chrono::steady_clock::now() + std::chrono::seconds(5)).isOk());
  EXPECT_TRUE(h.out.traces.empty());
  EXPECT_EQ(h.proc->pendingTraces(), 0u);
}

TEST(TailSampling, SampleOnFirstMatchStopsEvaluating) {
  Harness h(R"(
sample_on_first_match: true
policies:
  - {name: all, type: always_sample}
  - {name: never, type: probabilistic, probabilistic: {sampling_percentage: 0}}
)");
  h.send(makeBatch({{.trace = 1}}));
  h.advance(30'000);
  h.proc->tick();
  EXPECT_EQ(h.out.traces, (std::set<uint32_t>{1}));
  EXPECT_EQ(h.metric("count_traces_sampled", {{"processor", "tail_sampling"},
                                              {"policy", "never"},
                                              {"sampled", "false"},
                                              {"decision", "not_sampled"}}),
            0);
}

double histogramSum(Harness& h, const std::string& name) {
  return h.registry.histogram("otelcol_processor_tail_sampling_" + name, "", kProc, {}).sum();
}

TEST(TailSampling, LateSpanAgesAreInFractionalSeconds) {
  Harness h(R"(
decision_wait: 1s
decision_cache: {sampled_cache_size: 10}
policies: [{name: all, type: always_sample}]
)");
  h.send(makeBatch({{.trace = 1}}));
  h.advance(1'000);
  h.proc->tick();
  h.advance(1'500);
  h.send(makeBatch({{.trace = 1}}));
  EXPECT_DOUBLE_EQ(histogramSum(h, "sampling_late_span_age"), 1.5);  // was 1 (whole seconds)
  EXPECT_DOUBLE_EQ(histogramSum(h, "sampling_trace_removal_age"), 1.0);
}

TEST(TailSampling, DecisionLatencyIsPerPolicy) {
  Harness h(R"(
policies:
  - {name: a, type: always_sample}
  - {name: b, type: span_count, span_count: {min_spans: 1}}
)");
  h.send(makeBatch({{.trace = 1}, {.trace = 2}}));
  h.advance(30'000);
  h.proc->tick();
  // The collector's histogram carries the policy label; one observation per evaluation.
  EXPECT_EQ(
      h.metric("sampling_decision_latency", {{"processor", "tail_sampling"}, {"policy", "a"}}), 2);
  EXPECT_EQ(
      h.metric("sampling_decision_latency", {{"processor", "tail_sampling"}, {"policy", "b"}}), 2);
}

// At 1% sampling a forwarded batch that shared the tick's decoded body kept ~100 times the
// sampled data alive downstream; the sampled traces now go on in an arena of their own.
TEST(TailSampling, ForwardedBatchHoldsOnlyTheSampledData) {
  Harness h(R"(
policies: [{name: vip, type: string_attribute, string_attribute: {key: vip, values: ["yes"]}}]
)");
  std::vector<SpanSpec> spans;
  for (uint32_t t = 1; t <= 300; ++t) {
    for (int s = 0; s < 10; ++s) {
      SpanSpec sp{.trace = t, .name = "operation-with-a-fairly-long-name-" + std::to_string(s)};
      if (t == 150 && s == 0) sp.attributes = {{"vip", AnyValue::string("yes")}};
      spans.push_back(sp);
    }
  }
  std::string all;
  model::otlp::encode(makeBatch(spans), all);
  h.send(makeBatch(spans));
  h.advance(30'000);
  h.proc->tick();
  ASSERT_EQ(h.out.traces, (std::set<uint32_t>{150}));
  ASSERT_EQ(h.out.front_arena_bytes.size(), 1u);
  size_t kept = h.out.encodings[0].size();
  size_t held = h.out.front_arena_bytes[0];
  EXPECT_GE(held, kept);             // the sampled bytes live in the batch's own arena...
  EXPECT_LE(held, 4 * kept + 8192);  // ...which is sized by them (first block 4 KiB)
  EXPECT_GT(all.size(), 20 * (4 * kept + 8192));  // the tick's data is far larger
}

TEST(TailSampling, OneUndecodableTraceCostsOnlyItself) {
  Harness h("policies: [{name: all, type: always_sample}]");
  // Invalid UTF-8 in a span name: encoded as given, refused by the decoder at decision time.
  h.send(makeBatch({{.trace = 1}, {.trace = 2, .name = "bad\xff\xfe"}, {.trace = 3}}));
  h.advance(30'000);
  h.proc->tick();
  EXPECT_EQ(h.out.traces, (std::set<uint32_t>{1, 3}));  // was: nothing (the whole tick)
  EXPECT_EQ(h.metric("sampling_policy_evaluation_error", kProc), 1);
  EXPECT_EQ(
      h.metric("global_count_traces_sampled",
               {{"processor", "tail_sampling"}, {"sampled", "false"}, {"decision", "not_sampled"}}),
      1);
  EXPECT_EQ(h.proc->pendingTraces(), 0u);
}

TEST(TailSampling, AnUndecodableSpanArrivingDuringEvaluationIsCounted) {
  Harness h("decision_wait: 1s\npolicies: [{name: all, type: always_sample}]");
  h.send(makeBatch({{.trace = 1}, {.trace = 2}}));
  h.advance(1'000);
  h.before_evaluate = [&] {
    h.before_evaluate = nullptr;
    h.send(makeBatch({{.trace = 1, .name = "bad\xff"}, {.trace = 2}}));
  };
  h.proc->tick();
  EXPECT_EQ(h.out.spans_by_trace[1], 1);
  EXPECT_EQ(h.out.spans_by_trace[2], 2);  // was 1: the good late span went down with the bad
  EXPECT_EQ(h.metric("sampling_policy_evaluation_error", kProc), 1);  // was 0: lost silently
}

TEST(TailSampling, ATraceOverMaximumTraceSizeBytesIsDecidedNotSampledAtOnce) {
  Harness h(R"(
maximum_trace_size_bytes: 1000
decision_cache: {non_sampled_cache_size: 10}
policies: [{name: all, type: always_sample}]
)");
  std::vector<SpanSpec> small(3, SpanSpec{.trace = 1});
  h.send(makeBatch(small));
  EXPECT_EQ(h.proc->pendingTraces(), 1u);
  h.send(makeBatch(std::vector<SpanSpec>(20, SpanSpec{.trace = 1})));  // now over 1000 bytes
  h.send(makeBatch({{.trace = 2}}));
  EXPECT_EQ(h.proc->pendingTraces(), 1u);  // trace 1 is decided
  EXPECT_EQ(h.metric("traces_dropped_too_large", kProc), 1);
  h.send(makeBatch({{.trace = 1}}));  // a late span follows the not-sampled decision
  EXPECT_EQ(h.metric("early_releases_from_cache_decision",
                     {{"processor", "tail_sampling"}, {"sampled", "false"}}),
            1);
  h.advance(30'000);
  h.proc->tick();
  EXPECT_EQ(h.out.traces, (std::set<uint32_t>{2}));
  EXPECT_EQ(h.proc->pendingTraces(), 0u);
}

// An oversized trace dropped in the middle of a request must not release the resource/scope
// header the request's later traces still use (the header would be reused by the next request,
// and those traces would leave under another service).
TEST(TailSampling, DroppingATooLargeTraceKeepsTheHeaderOfItsNeighbours) {
  Harness h("maximum_trace_size_bytes: 1000\npolicies: [{name: all, type: always_sample}]");
  std::vector<SpanSpec> mixed(20, SpanSpec{.trace = 1});  // over 1000 bytes, sorts first
  mixed.push_back({.trace = 2});
  h.send(makeBatch(mixed, "checkout"));
  h.send(makeBatch({{.trace = 3}}, "payment"));
  EXPECT_EQ(h.metric("traces_dropped_too_large", kProc), 1);
  h.advance(30'000);
  h.proc->tick();
  EXPECT_EQ(h.out.traces, (std::set<uint32_t>{2, 3}));
  EXPECT_EQ(h.out.services, (std::set<std::string>{"checkout", "payment"}));
  EXPECT_EQ(h.out.scope_names, (std::set<std::string>{"lib@1.0"}));
  EXPECT_EQ(h.out.spans, 2u);
}

// Decision caches of 0 remember the last num_traces decisions of each kind.
TEST(TailSampling, DefaultDecisionCachesRememberTheLastNumTracesDecisions) {
  Harness h("num_traces: 3\npolicies: [{name: all, type: always_sample}]");
  for (uint32_t t = 1; t <= 4; ++t) h.send(makeBatch({{.trace = t}}));  // 1 decided early
  h.advance(30'000);
  h.proc->tick();
  ASSERT_EQ(h.out.traces, (std::set<uint32_t>{1, 2, 3, 4}));
  // Decided in order 1, then 2, 3, 4: the cache of 3 remembers 2..4 only.
  h.send(makeBatch({{.trace = 1}, {.trace = 2}, {.trace = 3}, {.trace = 4}}));
  EXPECT_EQ(h.proc->pendingTraces(), 1u);  // trace 1 starts again
  EXPECT_EQ(h.metric("early_releases_from_cache_decision",
                     {{"processor", "tail_sampling"}, {"sampled", "true"}}),
            3);
  EXPECT_EQ(h.out.spans, 7u);
}

TEST(TailSampling, OverflowWithinOneBatchDecidesTheOldestEarly) {
  Harness h("num_traces: 2\npolicies: [{name: all, type: always_sample}]");
  h.send(makeBatch({{.trace = 1},
                    {.trace = 2},
                    {.trace = 3},
                    {.trace = 1},
                    {.trace = 4},
                    {.trace = 5},
                    {.trace = 5}}));
  // Five traces in one request, room for two: three are decided before the request returns,
  // each with every span it had in that request.
  EXPECT_EQ(h.metric("sampling_trace_dropped_too_early", kProc), 3);
  EXPECT_EQ(h.proc->pendingTraces(), 2u);
  EXPECT_EQ(h.out.traces.size(), 3u);
  h.advance(30'000);
  h.proc->tick();
  EXPECT_EQ(h.out.traces, (std::set<uint32_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(h.out.spans_by_trace[1], 2);
  EXPECT_EQ(h.out.spans_by_trace[5], 2);
  EXPECT_EQ(h.out.spans, 7u);
}

TEST(TailSampling, ATraceSpreadOverResourcesIsDecidedAsAWhole) {
  Harness h(R"(
policies: [{name: payments, type: string_attribute, string_attribute: {key: service.name, values: [payments]}}]
)");
  // One request with two resources, each with spans of traces 1 and 2; then a third resource
  // for trace 1 in a later request. Only trace 1 touches "payments".
  model::Traces first = makeBatch({{.trace = 1}, {.trace = 2}}, "frontend");
  first.append(makeBatch({{.trace = 1}, {.trace = 2}}, "checkout"));
  h.send(std::move(first));
  h.send(makeBatch({{.trace = 1}}, "payments"));
  h.advance(30'000);
  h.proc->tick();
  EXPECT_EQ(h.out.traces, (std::set<uint32_t>{1}));
  EXPECT_EQ(h.out.spans_by_trace[1], 3);
  EXPECT_EQ(h.out.services, (std::set<std::string>{"frontend", "checkout", "payments"}));
}

TEST(TailSampling, SpansWithInvalidTraceIdsAreDroppedAndCounted) {
  Harness h("policies: [{name: all, type: always_sample}]");
  model::Traces batch = makeBatch({{.trace = 1}, {.trace = 2}});
  auto& spans = batch.resources()[0].scope_spans[0].spans;
  spans[1].trace_id = spans[1].trace_id.substr(0, 8);  // used to share a key with padded ids
  h.send(std::move(batch));
  EXPECT_EQ(h.proc->pendingTraces(), 1u);
  EXPECT_EQ(h.metric("spans_invalid_trace_id", kProc), 1);
  h.advance(30'000);
  h.proc->tick();
  EXPECT_EQ(h.out.spans, 1u);
}

// Holds every forwarded batch's done until the test releases it.
class HeldConsumer : public pipeline::Consumer<model::Traces> {
 public:
  void consume(model::Traces&&, pipeline::Done done) override {
    std::lock_guard lock(mu);
    held.push_back(std::move(done));
  }
  std::mutex mu;
  std::vector<pipeline::Done> held;
};

// shutdown() gives up at its deadline; a done that comes after the processor is destroyed must
// not touch it (the callbacks used to capture `this`; ASan flags the use after free).
TEST(TailSampling, ADoneAfterTheProcessorIsGoneIsHarmless) {
  auto cfg = testing::decodeConfig("policies: [{name: all, type: always_sample}]");
  HeldConsumer next;
  telemetry::Registry registry;
  TailSamplingProcessor::Options o;
  o.run_ticker = false;
  o.registry = &registry;
  component::Settings settings;
  settings.id = component::ComponentId::parse("tail_sampling").value();
  auto p = TailSamplingProcessor::create(settings, *cfg, &next, o);
  ASSERT_TRUE(p.isOk());
  ASSERT_TRUE(pipeline::consumeAndWait(**p, makeBatch({{.trace = 1}})).isOk());
  (*p)->beginShutdown();  // decides trace 1 and forwards it: its done is held
  ASSERT_EQ(next.held.size(), 1u);
  EXPECT_FALSE((*p)->shutdown(std::chrono::steady_clock::now()).isOk());  // deadline passed
  p->reset();
  next.held[0](Status::ok());  // the processor is gone
  SUCCEED();
}

// The real ticker thread, several producers and num_traces overflow at once: every span sent
// is either forwarded or counted as not sampled, and each trace's spans share one fate.
TEST(TailSampling, ConcurrentProducersTickerAndOverflowAccountForEverySpan) {
  auto cfg = testing::decodeConfig(R"(
decision_wait: 2ms
num_traces: 40
policies: [{name: half, type: string_attribute, string_attribute: {key: keep, values: ["yes"]}}]
)");
  testing::TraceRecorder out;
  telemetry::Registry registry;
  auto p = startWithTicker(*cfg, out, registry);
  TailSamplingProcessor& proc = *p;

  constexpr uint32_t kThreads = 4, kBatches = 50, kSpans = 60, kTraces = 400;
  std::map<uint32_t, int> sent;  // trace -> spans
  std::vector<std::vector<std::vector<SpanSpec>>> plan(kThreads);
  for (uint32_t th = 0; th < kThreads; ++th) {
    for (uint32_t b = 0; b < kBatches; ++b) {
      std::vector<SpanSpec> batch;
      // 60 distinct traces per request, num_traces 40: every request overflows.
      for (uint32_t k = 0; k < kSpans; ++k) {
        // Traces are shared between threads and batches, so spans of one trace race.
        uint32_t t = 1 + (th * 7 + b * 3 + k * 11) % kTraces;
        SpanSpec span{.trace = t};
        // Every span of an even trace says keep: any part of a trace decides like the whole.
        if (t % 2 == 0) span.attributes = {{"keep", AnyValue::string("yes")}};
        batch.push_back(span);
        ++sent[t];
      }
      plan[th].push_back(std::move(batch));
    }
  }
  std::atomic<bool> ok{true};
  std::vector<std::thread> producers;
  for (uint32_t th = 0; th < kThreads; ++th) {
    producers.emplace_back([&, th] {
      for (auto& batch : plan[th]) {
        if (!pipeline::consumeAndWait(proc, makeBatch(batch)).isOk()) ok = false;
      }
    });
  }
  for (auto& t : producers) t.join();
  proc.beginShutdown();
  ASSERT_TRUE(proc.shutdown(std::chrono::steady_clock::now() + std::chrono::seconds(30)).isOk());
  EXPECT_TRUE(ok);
  EXPECT_EQ(proc.pendingTraces(), 0u);

  size_t total = kThreads * kBatches * kSpans;
  auto value = [&](const std::string& name, telemetry::Labels labels) {
    labels.insert(labels.begin(), {"processor", "tail_sampling"});
    return registry.value("otelcol_processor_tail_sampling_" + name, labels);
  };
  double not_sampled =
      value("count_spans_sampled",
            {{"policy", "half"}, {"sampled", "false"}, {"decision", "not_sampled"}}) +
      value("early_releases_from_cache_decision", {{"sampled", "false"}});
  double sampled = value("count_spans_sampled",
                         {{"policy", "half"}, {"sampled", "true"}, {"decision", "sampled"}}) +
                   value("early_releases_from_cache_decision", {{"sampled", "true"}});
  EXPECT_EQ(out.spans + static_cast<size_t>(not_sampled), total);
  EXPECT_EQ(static_cast<size_t>(sampled), out.spans);
  // Whole traces in or out, whenever and however often their parts were decided.
  for (const auto& [t, n] : sent) EXPECT_EQ(out.spans_by_trace[t], t % 2 == 0 ? n : 0) << t;
  EXPECT_GT(out.spans, 0u);
  EXPECT_LT(out.spans, total);
  EXPECT_GE(value("sampling_trace_dropped_too_early", {}), kThreads * kBatches * 20.0);
}

TEST(TailSamplingConfig, DefaultsAreTheCollectors) {
  auto c = testing::decodeConfig("policies: [{name: all, type: always_sample}]");
  EXPECT_EQ(c->decision_wait, std::chrono::seconds(30));
  EXPECT_EQ(c->num_traces, 50000u);
  EXPECT_EQ(c->decision_cache.sampled_cache_size, 0u);
  EXPECT_FALSE(c->sample_on_first_match);
  EXPECT_FALSE(c->drop_pending_traces_on_shutdown);
  EXPECT_TRUE(c->validate().isOk());
}

struct ConfigError {
  const char* yaml;
  const char* message;
};

TEST(TailSamplingConfig, ErrorsNameTheField) {
  std::vector<ConfigError> cases = {
      {"policies: []", "policies: at least one policy is required"},
      {"policies: [{name: l, type: latency}]",
       "policies[0]: policy type \"latency\" needs a \"latency\" section"},
      {"policies: [{name: s, type: string_attribute, string_attribute: {key: k, values: ['(a'], "
       "enabled_regex_matching: true}}]",
       "policies[0]: string_attribute.values[0]: invalid regex \"(a\": missing ): (a"},
      {"policies: [{name: s, type: status_code, status_code: {status_codes: [FAIL]}}]",
       "policies[0]: status_code.status_codes: unknown status code \"FAIL\", supported: OK, "
       "ERROR, UNSET"},
      {"policies: [{name: a, type: always_sample}, {name: a, type: always_sample}]",
       "policies[1]: duplicate policy name \"a\""},
      {"policies: [{name: d, type: drop, drop: {drop_sub_policy: []}}]",
       "policies[0].drop.drop_sub_policy: expected at least one sub-policy"},
      {"policies: [{name: c, type: composite, composite: {max_total_spans_per_second: 10, "
       "composite_sub_policy: [{name: x, type: always_sample}], rate_allocation: [{policy: y, "
       "percent: 10}]}}]",
       "policies[0].composite.rate_allocation: unknown sub-policy \"y\""},
      {"policies: [{name: r, type: rate_limiting, rate_limiting: {spans_per_second: 0}}]",
       "policies[0]: rate_limiting.spans_per_second must be greater than zero"},
  };
  for (const auto& c : cases) {
    auto cfg = testing::decodeConfig(c.yaml);
    EXPECT_EQ(cfg->validate().message(), c.message) << c.yaml;
  }
}

TEST(TailSamplingConfig, UnknownPolicyTypeIsADecodeError) {
  std::string errors;
  testing::decodeConfig("policies: [{name: x, type: ottl_condition}]", &errors);
  EXPECT_EQ(errors,
            "test.yaml:1:28: policies[0].type: invalid value \"ottl_condition\"; expected one of "
            "always_sample, latency, status_code, string_attribute, numeric_attribute, "
            "boolean_attribute, probabilistic, rate_limiting, bytes_limiting, span_count, "
            "trace_state, and, composite, drop\n");
}

}  // namespace
}  // namespace periscope::components::tail_sampling
