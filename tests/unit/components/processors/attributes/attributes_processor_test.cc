// The attributes processor end to end: YAML config → factory → batches, with include/exclude
// matrices per signal and the per-signal config errors.
#include <gtest/gtest.h>

#include "components/processors/attributes/config.h"
#include "components/processors/attributes/factory.h"
#include "pipeline/consumer.h"
#include "unit/components/processors/attributes/attr_test_util.h"

namespace periscope::components::attributes {
namespace {

using testing::AttrSpec;
using testing::i64;
using testing::str;

struct SpanSpec {
  std::string service;  // "" = no service.name
  std::string scope = "lib";
  std::string version = "1.0";
  std::string name = "op";
  int32_t kind = 2;  // server
  AttrSpec attrs;
};

model::Traces traces(const std::vector<SpanSpec>& specs) {
  model::Traces batch;
  Arena& a = batch.arena();
  for (const SpanSpec& s : specs) {
    model::ResourceSpans rs;
    rs.has_resource = true;
    AttrSpec res = {{"env", str("prod")}};
    if (!s.service.empty()) res.push_back({"service.name", str(s.service)});
    rs.resource.attributes = testing::makeAttrs(a, res);
    auto scopes = a.allocArray<model::ScopeSpans>(1);
    scopes[0].has_scope = true;
    scopes[0].scope.name = a.copy(s.scope);
    scopes[0].scope.version = a.copy(s.version);
    auto spans = a.allocArray<model::Span>(1);
    spans[0].name = a.copy(s.name);
    spans[0].kind = s.kind;
    spans[0].attributes = testing::makeAttrs(a, s.attrs);
    scopes[0].spans = spans;
    rs.scope_spans = scopes;
    batch.resources().push_back(rs);
  }
  return batch;
}

struct LogSpec {
  model::AnyValue body = str("hello");
  std::string severity_text = "INFO";
  int32_t severity_number = 9;
  AttrSpec attrs;
};

model::Logs logs(const std::vector<LogSpec>& specs) {
  model::Logs batch;
  Arena& a = batch.arena();
  model::ResourceLogs rl;
  rl.resource.attributes = testing::makeAttrs(a, {{"env", str("prod")}});
  auto scopes = a.allocArray<model::ScopeLogs>(1);
  scopes[0].scope.name = "lib";
  auto records = a.allocArray<model::LogRecord>(specs.size());
  for (size_t i = 0; i < specs.size(); ++i) {
    records[i].body = specs[i].body;
    records[i].severity_text = a.copy(specs[i].severity_text);
    records[i].severity_number = specs[i].severity_number;
    records[i].attributes = testing::makeAttrs(a, specs[i].attrs);
  }
  scopes[0].log_records = records;
  rl.scope_logs = scopes;
  batch.resources().push_back(rl);
  return batch;
}

// One resource (env=<env>) per entry, each with a gauge and a histogram of one point each.
model::Metrics metrics(const std::vector<std::pair<std::string, std::string>>& name_env) {
  model::Metrics batch;
  Arena& a = batch.arena();
  for (const auto& [name, env] : name_env) {
    model::ResourceMetrics rm;
    rm.resource.attributes = testing::makeAttrs(a, {{"env", str(env)}});
    auto scopes = a.allocArray<model::ScopeMetrics>(1);
    auto ms = a.allocArray<model::Metric>(2);
    ms[0].name = a.copy(name);
    ms[0].type = model::MetricType::kGauge;
    ms[0].number_points = a.allocArray<model::NumberDataPoint>(1);
    ms[0].number_points[0].attributes = testing::makeAttrs(a, {{"p", i64(1)}});
    ms[1].name = a.copy(name + "_hist");
    ms[1].type = model::MetricType::kHistogram;
    ms[1].histogram_points = a.allocArray<model::HistogramDataPoint>(1);
    scopes[0].metrics = ms;
    rm.scope_metrics = scopes;
    batch.resources().push_back(rm);
  }
  return batch;
}

template <typename T>
Result<std::unique_ptr<pipeline::ConsumerComponent>> build(const std::string& yaml,
                                                           testing::KeepLast<T>& sink) {
  auto factory = makeFactory();
  Config cfg;
  std::string err = testing::decodeConfig(yaml, cfg);
  if (!err.empty()) return invalidArgument(err);
  pipeline::Consumers next;
  next.set(pipeline::signalOf<T>(), static_cast<pipeline::Consumer<T>*>(&sink));
  return factory->create(pipeline::signalOf<T>(),
                         {{"attributes", ""}, component::Kind::kProcessor, "p"}, cfg, next);
}

template <typename T>
void run(pipeline::ConsumerComponent& p, T&& batch) {
  Status st = pipeline::consumeAndWait<T>(*p.input().get<T>(), std::move(batch));
  ASSERT_TRUE(st.isOk()) << st.message();
}

// Which spans got the `hit` attribute, as a string of 0/1 per span.
std::string hitSpans(const model::Traces& t) {
  std::string out;
  for (const auto& rs : t.resources())
    for (const auto& ss : rs.scope_spans)
      for (const auto& s : ss.spans) out += model::findAttribute(s.attributes, "hit") ? '1' : '0';
  return out;
}

const std::string kHit = "actions:\n  - {key: hit, action: insert, value: 1}\n";

TEST(AttributesProcessor, SpanIncludeExcludeMatrix) {
  const std::vector<SpanSpec> spans = {
      {.service = "svcA", .name = "GET /a", .attrs = {{"http.status", i64(200)}}},
      {.service = "svcB", .name = "GET /b", .kind = 3, .attrs = {{"http.status", i64(500)}}},
      {.service = "", .scope = "other", .version = "", .name = "db", .kind = 1},
      {.service = "svcA",
       .version = "2.0",
       .name = "POST /a",
       .attrs = {{"http.status", str("200")}}},
  };
  struct Row {
    std::string match;
    std::string hits;
  };
  const std::vector<Row> rows = {
      {"", "1111"},
      {"include: {match_type: strict, services: [svcA]}", "1001"},
      {"include: {match_type: strict, services: ['<nil-service-name>']}", "0010"},
      {"include: {match_type: regexp, services: ['^svc']}", "1101"},
      {"include: {match_type: regexp, services: [B]}", "0100"},  // unanchored
      {"exclude: {match_type: strict, services: [svcA]}", "0110"},
      {"include: {match_type: strict, span_names: ['GET /a', db]}", "1010"},
      {"include: {match_type: regexp, span_names: ['^GET']}", "1100"},
      {"include: {match_type: strict, span_kinds: [SPAN_KIND_CLIENT, SPAN_KIND_INTERNAL]}", "0110"},
      {"include: {match_type: regexp, span_kinds: [SERVER]}", "1001"},
      // strict attribute values are typed: 200 (int) does not match "200" (string)
      {"include: {match_type: strict, attributes: [{key: http.status, value: 200}]}", "1000"},
      {"include: {match_type: strict, attributes: [{key: http.status, value: '200'}]}", "0001"},
      {"include: {match_type: strict, attributes: [{key: http.status}]}", "1101"},
      {"include: {match_type: regexp, attributes: [{key: http.status, value: '^2'}]}", "1001"},
      {"include: {match_type: strict, resources: [{key: env, value: prod}]}", "1111"},
      {"include: {match_type: strict, resources: [{key: service.name}]}", "1101"},
      {"include: {match_type: strict, libraries: [{name: lib}]}", "1101"},
      {"include: {match_type: strict, libraries: [{name: lib, version: '2.0'}]}", "0001"},
      {"include: {match_type: strict, libraries: [{name: other, version: ''}]}", "0010"},
      {"include: {match_type: strict, libraries: [{name: lib, version: ''}]}", "0000"},
      // every library entry must match, as the collector's code does
      {"include: {match_type: strict, libraries: [{name: lib}, {name: other}]}", "0000"},
      {"include: {match_type: regexp, libraries: [{name: lib}, {name: '^l', version: '^2'}]}",
       "0001"},
      // every property given must match
      {"include: {match_type: strict, services: [svcA], span_names: ['GET /a']}", "1000"},
      // include first, then exclude
      {"include: {match_type: strict, services: [svcA]}\n"
       "exclude: {match_type: regexp, span_names: [POST]}",
       "1000"},
      {"include: {match_type: regexp, services: [svc]}\n"
       "exclude: {match_type: strict, attributes: [{key: http.status, value: 500}]}",
       "1001"},
  };
  for (const Row& r : rows) {
    testing::KeepLast<model::Traces> sink;
    auto p = build<model::Traces>(kHit + r.match + "\n", sink);
    ASSERT_TRUE(p.isOk()) << r.match << ": " << p.status().message();
    run(**p, traces(spans));
    EXPECT_EQ(hitSpans(sink.last), r.hits) << r.match;
  }
}

TEST(AttributesProcessor, LogIncludeExcludeMatrix) {
  const std::vector<LogSpec> records = {
      {.body = str("user login ok"), .severity_text = "INFO", .severity_number = 9},
      {.body = str("disk failure"),
       .severity_text = "ERROR",
       .severity_number = 17,
       .attrs = {{"component", str("disk")}}},
      {.body = i64(42), .severity_text = "", .severity_number = 0},
  };
  struct Row {
    std::string match;
    std::string hits;
  };
  const std::vector<Row> rows = {
      {"include: {match_type: regexp, log_bodies: [login]}", "100"},
      {"include: {match_type: strict, log_bodies: ['disk failure']}", "010"},
      // other bodies are matched by their string form
      {"include: {match_type: regexp, log_bodies: ['^42$']}", "001"},
      {"include: {match_type: strict, log_severity_texts: [ERROR]}", "010"},
      {"include: {match_type: regexp, log_severity_texts: ['^I']}", "100"},
      {"include: {match_type: strict, log_severity_number: {min: WARN}}", "010"},
      {"include: {match_type: strict, log_severity_number: {min: 9}}", "110"},
      {"include: {match_type: strict, log_severity_number: {min: info, match_undefined: true}}",
       "111"},
      {"include: {match_type: strict, attributes: [{key: component, value: disk}]}", "010"},
      {"exclude: {match_type: strict, resources: [{key: env, value: prod}]}", "000"},
      {"include: {match_type: strict, libraries: [{name: lib}]}\n"
       "exclude: {match_type: strict, log_severity_texts: [INFO]}",
       "011"},
  };
  for (const Row& r : rows) {
    testing::KeepLast<model::Logs> sink;
    auto p = build<model::Logs>(kHit + r.match + "\n", sink);
    ASSERT_TRUE(p.isOk()) << r.match << ": " << p.status().message();
    run(**p, logs(records));
    std::string hits;
    for (const auto& lr : sink.last.resources()[0].scope_logs[0].log_records)
      hits += model::findAttribute(lr.attributes, "hit") ? '1' : '0';
    EXPECT_EQ(hits, r.hits) << r.match;
  }
}

TEST(AttributesProcessor, MetricsEditDataPointsOfMatchingMetrics) {
  struct Row {
    std::string match;
    std::string rendered;  // per metric: its points' attributes
  };
  const std::vector<Row> rows = {
      {"",
       "cpu[p=int:1 hit=int:1] cpu_hist[hit=int:1] mem[p=int:1 hit=int:1] "
       "mem_hist[hit=int:1]"},
      {"include: {match_type: strict, metric_names: [cpu]}",
       "cpu[p=int:1 hit=int:1] cpu_hist[] mem[p=int:1] mem_hist[]"},
      {"include: {match_type: regexp, metric_names: [_hist$]}",
       "cpu[p=int:1] cpu_hist[hit=int:1] mem[p=int:1] mem_hist[hit=int:1]"},
      {"exclude: {match_type: strict, resources: [{key: env, value: dev}]}",
       "cpu[p=int:1 hit=int:1] cpu_hist[hit=int:1] mem[p=int:1] mem_hist[]"},
  };
  for (const Row& r : rows) {
    testing::KeepLast<model::Metrics> sink;
    auto p = build<model::Metrics>(kHit + r.match + "\n", sink);
    ASSERT_TRUE(p.isOk()) << r.match << ": " << p.status().message();
    run(**p, metrics({{"cpu", "prod"}, {"mem", "dev"}}));
    std::string out;
    for (const auto& rm : sink.last.resources()) {
      for (const auto& m : rm.scope_metrics[0].metrics) {
        if (!out.empty()) out += ' ';
        out += std::string(m.name) + "[";
        for (const auto& dp : m.number_points) out += testing::render(dp.attributes);
        for (const auto& dp : m.histogram_points) out += testing::render(dp.attributes);
        out += "]";
      }
    }
    EXPECT_EQ(out, r.rendered) << r.match;
  }
}

TEST(AttributesProcessor, PerSignalMatchErrors) {
  struct Row {
    component::Signal signal;
    std::string match;
    std::string error;
  };
  using component::Signal;
  const std::vector<Row> rows = {
      {Signal::kTraces, "include: {match_type: strict, log_bodies: [x]}",
       "include: log_bodies should not be specified for trace spans"},
      {Signal::kTraces, "exclude: {match_type: strict, log_severity_number: {min: 1}}",
       "exclude: log_severity_number should not be specified for trace spans"},
      {Signal::kTraces, "include: {match_type: strict, metric_names: [x]}",
       "include: metric_names should not be specified for trace spans"},
      {Signal::kTraces, "include: {match_type: strict}",
       "include: at least one of \"attributes\", \"libraries\",  or \"resources\" field must be "
       "specified"},
      {Signal::kTraces, "include: {match_type: strict, span_kinds: [server]}",
       "include: span_kinds string must match one of the standard span kinds when "
       "match_type=strict: [SPAN_KIND_CLIENT SPAN_KIND_CONSUMER SPAN_KIND_INTERNAL "
       "SPAN_KIND_PRODUCER SPAN_KIND_SERVER]"},
      {Signal::kLogs, "include: {match_type: strict, span_names: [x]}",
       "include: services, span_names, and span_kinds are not valid for log records"},
      {Signal::kLogs, "include: {match_type: strict, metric_names: [x]}",
       "include: metric_names should not be specified for log records"},
      {Signal::kLogs, "include: {match_type: strict}",
       "include: at least one of \"attributes\", \"libraries\", \"span_kinds\", \"resources\", "
       "\"log_bodies\", \"log_severity_texts\" or \"log_severity_number\" field must be "
       "specified"},
      {Signal::kMetrics, "include: {match_type: strict, attributes: [{key: a}]}",
       "include: attributes should not be specified for metrics"},
      {Signal::kMetrics, "exclude: {match_type: strict, services: [a]}",
       "exclude: services should not be specified for metrics"},
      {Signal::kMetrics, "include: {match_type: strict}",
       "include: at least one of \"metric_names\" or \"resources\" field must be specified"},
  };
  auto factory = makeFactory();
  for (const Row& r : rows) {
    Config cfg;
    ASSERT_EQ(testing::decodeConfig(kHit + r.match + "\n", cfg), "") << r.match;
    auto p = factory->create(r.signal, {{"attributes", ""}, component::Kind::kProcessor, "p"}, cfg,
                             pipeline::Consumers{});
    ASSERT_FALSE(p.isOk()) << r.match;
    EXPECT_EQ(p.status().message(), r.error) << r.match;
  }
}

TEST(AttributesProcessor, SignalIndependentErrorsAtConfigTime) {
  struct Row {
    std::string yaml;
    std::string error;
  };
  const std::vector<Row> rows = {
      {"include: {match_type: strict}\n", "missing required field \"actions\""},
      {kHit + "include: {services: [a]}\n",
       "include: unrecognized match_type: '', valid types are: [regexp strict]"},
      {kHit + "exclude: {match_type: regexp, span_names: ['(']}\n",
       "exclude: error creating span name filters: error parsing regexp \"(\": missing ): ("},
      {kHit + "include: {match_type: regexp, attributes: [{key: a, value: 1}]}\n",
       "include: error creating attribute filters: match_type=regexp for \"a\" only supports Str, "
       "but found Int"},
      {kHit + "include: {match_type: strict, attributes: [{value: 1}]}\n",
       "include: error creating attribute filters: can't have empty key in the list of attributes"},
      {kHit + "include: {match_type: strict, log_severity_number: {min: LOUD}}\n",
       "include: log_severity_number.min: invalid severity \"LOUD\"; expected 0-24 or a name "
       "such as INFO or WARN2"},
      {kHit + "include: {match_type: strict, span_name: [a]}\n",
       "test.yaml:3:31: include.span_name: unknown key \"span_name\"; did you mean "
       "\"span_names\"?\n"},
  };
  for (const Row& r : rows) {
    Config cfg;
    EXPECT_EQ(testing::decodeConfig(r.yaml, cfg), r.error) << r.yaml;
  }
}

TEST(AttributesProcessor, AddedValuesLiveInTheBatchArena) {
  testing::KeepLast<model::Traces> sink;
  model::Traces out;
  {
    auto p = build<model::Traces>(
        "actions:\n  - {key: added.key, action: upsert, value: a-config-string}\n", sink);
    ASSERT_TRUE(p.isOk());
    run(**p, traces({{.service = "s"}}));
    out = std::move(sink.last);
  }  // the processor and its config are gone; the batch must not point at them
  EXPECT_EQ(testing::render(out.resources()[0].scope_spans[0].spans[0].attributes),
            "added.key=str:a-config-string");
}

}  // namespace
}  // namespace periscope::components::attributes
