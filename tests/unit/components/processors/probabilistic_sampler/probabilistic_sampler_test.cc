// The processor over whole batches: dropping, arena ownership of rewritten tracestates, and
// the decision counters.
#include "components/processors/probabilistic_sampler/probabilistic_sampler.h"

#include <gtest/gtest.h>

#include <cmath>

#include "components/processors/probabilistic_sampler/factory.h"
#include "test_data.h"

namespace periscope::components::probabilistic_sampler {
namespace {

template <typename T>
class Capture : public pipeline::Consumer<T> {
 public:
  void consume(T&& data, pipeline::Done done) override {
    batches.push_back(std::move(data));
    done(Status::ok());
  }
  std::vector<T> batches;
};

constexpr const char* kKeep50 = "0102030405060708090a0b0c0d0e0f10";  // bucket 6693, seed 0
constexpr const char* kDrop50 = "00000000000000000000000000000001";  // bucket 8898, seed 0

model::Traces tracesOf(const std::vector<std::pair<const char*, const char*>>& spans) {
  model::Traces t;
  Arena& a = t.arena();
  model::ResourceSpans rs;
  auto scopes = a.allocArray<model::ScopeSpans>(1);
  auto list = a.allocArray<model::Span>(spans.size());
  for (size_t i = 0; i < spans.size(); ++i) {
    list[i] = testdata::span(a, spans[i].first, spans[i].second);
  }
  scopes[0].spans = list;
  rs.scope_spans = scopes;
  t.resources().push_back(rs);
  return t;
}

// Fills the stack below the caller, where process() kept its serialization buffer.
[[gnu::noinline]] void scribbleStack() {
  volatile char noise[8192];
  for (auto& c : noise) c = 'x';
}

double count(const std::string& name, const std::string& id, const std::string& policy,
             bool sampled) {
  return telemetry::globalRegistry().value(
      name, {{"processor", id}, {"policy", policy}, {"sampled", sampled ? "true" : "false"}});
}

TEST(ProbabilisticSamplerProcessor, DropsSpansAndCountsDecisions) {
  Capture<model::Traces> sink;
  component::Settings settings{
      {"probabilistic_sampler", "spans"}, component::Kind::kProcessor, "traces"};
  ProbabilisticSampler<model::Traces> p(settings, testdata::config(50), &sink);
  auto batch = tracesOf({{kKeep50, "vendor=a"}, {kDrop50, ""}, {kKeep50, ""}, {kDrop50, ""}});
  ASSERT_TRUE(pipeline::consumeAndWait<model::Traces>(p, std::move(batch)).isOk());
  ASSERT_EQ(sink.batches.size(), 1u);
  model::Traces& out = sink.batches[0];
  ASSERT_EQ(out.itemCount(), 2u);
  auto spans = out.resources()[0].scope_spans[0].spans;
  EXPECT_EQ(spans[0].trace_state, "ot=rv:976837c4f25a25;th:8,vendor=a");
  EXPECT_EQ(spans[1].trace_state, "ot=rv:976837c4f25a25;th:8");
  const std::string id = "probabilistic_sampler/spans";
  for (const char* name : {"otelcol_processor_probabilistic_sampler_count_traces_sampled",
                           "otelcol_processor_probabilistic_sampler_count_spans_processed"}) {
    EXPECT_EQ(count(name, id, "trace_id_hash", true), 2) << name;
    EXPECT_EQ(count(name, id, "trace_id_hash", false), 2) << name;
    // Series appear on first use only (NaN: not registered), as the collector exports them.
    EXPECT_TRUE(std::isnan(count(name, id, "sampling_priority", true))) << name;
  }
}

TEST(ProbabilisticSamplerProcessor, RewrittenTraceStateLivesInTheBatchArena) {
  Capture<model::Traces> sink;
  component::Settings settings{
      {"probabilistic_sampler", "arena"}, component::Kind::kProcessor, "traces"};
  ProbabilisticSampler<model::Traces> p(settings, testdata::config(50), &sink);
  ASSERT_TRUE(pipeline::consumeAndWait<model::Traces>(p, tracesOf({{kKeep50, "a=1"}})).isOk());
  ASSERT_EQ(sink.batches.size(), 1u);
  model::Traces moved = std::move(sink.batches[0]);
  sink.batches.clear();
  scribbleStack();  // reuses the stack the serializer wrote into
  EXPECT_EQ(moved.resources()[0].scope_spans[0].spans[0].trace_state,
            "ot=rv:976837c4f25a25;th:8,a=1");
}

TEST(ProbabilisticSamplerProcessor, AllDroppedAnswersDoneWithoutForwarding) {
  Capture<model::Traces> sink;
  component::Settings settings{
      {"probabilistic_sampler", "none"}, component::Kind::kProcessor, "traces"};
  ProbabilisticSampler<model::Traces> p(settings, testdata::config(0), &sink);
  EXPECT_TRUE(pipeline::consumeAndWait<model::Traces>(p, tracesOf({{kKeep50, ""}})).isOk());
  EXPECT_TRUE(sink.batches.empty());
  EXPECT_EQ(count("otelcol_processor_probabilistic_sampler_count_traces_sampled",
                  "probabilistic_sampler/none", "sampling_priority", false),
            1);
}

TEST(ProbabilisticSamplerProcessor, LogsCountPerPolicyIncludingTheAttributeName) {
  Capture<model::Logs> sink;
  component::Settings settings{
      {"probabilistic_sampler", "logs"}, component::Kind::kProcessor, "logs"};
  Config cfg = testdata::config(50);
  cfg.from_attribute = "log.id";
  ProbabilisticSampler<model::Logs> p(settings, cfg, &sink);
  model::Logs logs;
  Arena& a = logs.arena();
  model::ResourceLogs rl;
  auto scopes = a.allocArray<model::ScopeLogs>(1);
  auto list = a.allocArray<model::LogRecord>(3);
  list[0] = testdata::logRecord(a, kKeep50);
  list[1] = testdata::logRecord(a, "", {{"log.id", model::AnyValue::string("true")}});
  list[2] = testdata::logRecord(a, "", {{"log.id", model::AnyValue::string("abc")}});
  scopes[0].log_records = list;
  rl.scope_logs = scopes;
  logs.resources().push_back(rl);
  ASSERT_TRUE(pipeline::consumeAndWait<model::Logs>(p, std::move(logs)).isOk());
  ASSERT_EQ(sink.batches.size(), 1u);
  EXPECT_EQ(sink.batches[0].itemCount(), 2u);
  const std::string name = "otelcol_processor_probabilistic_sampler_count_logs_sampled";
  const std::string id = "probabilistic_sampler/logs";
  EXPECT_EQ(count(name, id, "trace_id_hash", true), 1);
  EXPECT_EQ(count(name, id, "log.id", true), 1);
  EXPECT_EQ(count(name, id, "log.id", false), 1);
}

TEST(ProbabilisticSamplerConfig, ValidationMessages) {
  struct Case {
    double pct;
    int precision;
    const char* message;  // empty: valid
  };
  const Case cases[] = {
      {15, 4, ""},
      {0, 4, ""},
      {250, 4, ""},  // > 100 means 100%
      {-5, 4, "sampling_percentage: sampling rate is negative: -5.000000%"},
      {1e-15, 4, "sampling_percentage: sampling rate is too small: 1e-15%"},
      {INFINITY, 4, "sampling_percentage: sampling rate is invalid: inf%"},
      {15, 0, "sampling_precision: invalid sampling precision: 0"},
      {15, 15, "sampling_precision: sampling precision is too great, should be <= 14: 15"},
      {15, -1, "sampling_precision: sampling precision must be between 1 and 14: -1"},
  };
  for (const auto& c : cases) {
    Config cfg = testdata::config(c.pct);
    cfg.sampling_precision = c.precision;
    EXPECT_EQ(cfg.validate().message(), c.message) << c.pct << " " << c.precision;
  }
  Config rec = testdata::config(10);
  rec.attribute_source = "record";
  EXPECT_EQ(rec.validate().message(), "from_attribute must be set when attribute_source is record");
}

}  // namespace
}  // namespace periscope::components::probabilistic_sampler

namespace periscope::components::probabilistic_sampler {
namespace {

TEST(ProbabilisticSamplerFactory, TracesAndLogsWithCollectorDefaults) {
  auto factory = makeFactory();
  EXPECT_EQ(factory->type(), "probabilistic_sampler");
  EXPECT_TRUE(factory->supports(pipeline::Signal::kTraces));
  EXPECT_TRUE(factory->supports(pipeline::Signal::kLogs));
  EXPECT_FALSE(factory->supports(pipeline::Signal::kMetrics));
  auto cfg = factory->createDefaultConfig();
  const auto& c = static_cast<const Config&>(*cfg);
  EXPECT_EQ(c.sampling_percentage, 0);
  EXPECT_EQ(c.hash_seed, 0u);
  EXPECT_EQ(c.mode, "hash_seed");
  EXPECT_EQ(c.sampling_precision, 4);
  EXPECT_TRUE(c.fail_closed);
  EXPECT_EQ(c.attribute_source, "traceID");
  Capture<model::Traces> traces;
  Capture<model::Logs> logs;
  pipeline::Consumers next;
  next.traces = &traces;
  next.logs = &logs;
  component::Settings settings{
      {"probabilistic_sampler", "factory"}, component::Kind::kProcessor, "traces"};
  for (auto signal : {pipeline::Signal::kTraces, pipeline::Signal::kLogs}) {
    auto created = factory->create(signal, settings, *cfg, next);
    ASSERT_TRUE(created.isOk());
    pipeline::Consumers in = (*created)->input();
    if (signal == pipeline::Signal::kTraces) {
      ASSERT_NE(in.traces, nullptr);
      EXPECT_TRUE(in.traces->mutatesData());  // fan-out must hand it a private copy
    } else {
      ASSERT_NE(in.logs, nullptr);
      EXPECT_TRUE(in.logs->mutatesData());
    }
  }
}

}  // namespace
}  // namespace periscope::components::probabilistic_sampler
