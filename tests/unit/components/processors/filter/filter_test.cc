#include "components/processors/filter/filter.h"

#include <gtest/gtest.h>

#include "unit/components/processors/ottl/processor_test_support.h"
#include "unit/components/processors/ottl/test_data.h"

namespace periscope::components::filter {
namespace {

namespace td = ottl::testdata;

component::Settings settings() {
  return {{"filter", "test"}, component::Kind::kProcessor, "p"};
}

Config decode(const std::string& yaml) {
  config::Diagnostics d;
  Config c = td::decodeConfig<Config>(yaml, d);
  EXPECT_TRUE(d.ok()) << d.format();
  return c;
}

std::vector<std::string> spanNames(const model::Traces& t) {
  std::vector<std::string> out;
  for (const auto& rs : t.resources())
    for (const auto& ss : rs.scope_spans)
      for (const auto& s : ss.spans) {
        std::string events;
        for (const auto& e : s.events) events += (events.empty() ? "" : ",") + std::string(e.name);
        out.push_back(std::string(s.name) + "[" + events + "]");
      }
  return out;
}

std::vector<std::string> pointsOf(const model::Metrics& m) {
  std::vector<std::string> out;
  for (const auto& rm : m.resources())
    for (const auto& sm : rm.scope_metrics)
      for (const auto& metric : sm.metrics) {
        auto add = [&](const auto& points) {
          for (const auto& p : points)
            out.push_back(std::string(metric.name) + "{" + td::show(p.attributes) + "}");
        };
        add(metric.number_points);
        add(metric.histogram_points);
      }
  return out;
}

std::vector<std::string> logBodies(const model::Logs& l) {
  std::vector<std::string> out;
  for (const auto& rl : l.resources())
    for (const auto& sl : rl.scope_logs)
      for (const auto& r : sl.log_records)
        out.push_back(r.body.type() == model::AnyValue::Type::kString
                          ? std::string(r.body.str())
                          : std::to_string(r.body.intValue()));
  return out;
}

template <typename T>
struct Harness {
  telemetry::Registry registry;
  td::Capture<T> next;
  Filter<T> filter;
  explicit Harness(const std::string& yaml) : filter(settings(), decode(yaml), &next, registry) {}
  double filtered(const char* name) { return registry.value(name, {{"filter", "filter/test"}}); }
};

TEST(Filter, DropsMatchingSpansAndCountsThem) {
  Harness<model::Traces> r(
      "traces:\n  span:\n    - 'attributes[\"http.method\"] == \"GET\"'\n"
      "    - name == \"span3\"\n");
  ASSERT_TRUE(td::runProcessor(r.filter, td::traces(5)).isOk());
  ASSERT_EQ(r.next.got.size(), 1u);
  EXPECT_EQ(spanNames(r.next.got[0]), (std::vector<std::string>{"span1[ev0,ev1]"}));
  EXPECT_EQ(r.filtered("otelcol_processor_filter_spans_filtered"), 4);
}

TEST(Filter, DropsSpanEventsButKeepsTheirSpans) {
  Harness<model::Traces> r(
      "traces:\n  span: ['name == \"span0\"']\n"
      "  spanevent: ['name == \"ev0\" and span.kind == SPAN_KIND_CLIENT', 'time_unix_nano == "
      "21']\n");
  ASSERT_TRUE(td::runProcessor(r.filter, td::traces(4)).isOk());
  ASSERT_EQ(r.next.got.size(), 1u);
  EXPECT_EQ(spanNames(r.next.got[0]),
            (std::vector<std::string>{"span1[ev1]", "span2[ev0]", "span3[ev1]"}));
  EXPECT_EQ(r.filtered("otelcol_processor_filter_spans_filtered"), 1);
}

TEST(Filter, DropsMetricsWithAllTheirPoints) {
  Harness<model::Metrics> r(
      "metrics:\n  metric: ['name == \"m.sum\"', 'type == METRIC_DATA_TYPE_HISTOGRAM']\n");
  ASSERT_TRUE(td::runProcessor(r.filter, td::metrics()).isOk());
  ASSERT_EQ(r.next.got.size(), 1u);
  EXPECT_EQ(pointsOf(r.next.got[0]),
            (std::vector<std::string>{"m.gauge{k=a}", "m.gauge{k=b}", "m.gauge{k=c}"}));
  EXPECT_EQ(r.filtered("otelcol_processor_filter_datapoints_filtered"), 3);
}

TEST(Filter, DropsDataPointsAndMetricsLeftEmpty) {
  Harness<model::Metrics> r(
      "metrics:\n  datapoint: ['attributes[\"k\"] == \"a\"', 'value_int == 3']\n");
  ASSERT_TRUE(td::runProcessor(r.filter, td::metrics()).isOk());
  ASSERT_EQ(r.next.got.size(), 1u);
  EXPECT_EQ(pointsOf(r.next.got[0]), (std::vector<std::string>{"m.gauge{k=b}", "m.sum{k=b}"}));
  EXPECT_EQ(r.next.got[0].resources()[0].scope_metrics[0].metrics.size(), 2u);  // m.hist is gone
  EXPECT_EQ(r.filtered("otelcol_processor_filter_datapoints_filtered"), 4);
}

TEST(Filter, DropsLogRecords) {
  Harness<model::Logs> r(
      "logs:\n  log_record:\n    - severity_number < SEVERITY_NUMBER_INFO\n"
      "    - IsMatch(body, \"boom$\")\n");
  ASSERT_TRUE(td::runProcessor(r.filter, td::logs()).isOk());
  ASSERT_EQ(r.next.got.size(), 1u);
  EXPECT_EQ(logBodies(r.next.got[0]), (std::vector<std::string>{"hello world"}));
  EXPECT_EQ(r.filtered("otelcol_processor_filter_logs_filtered"), 2);
}

// Two resources: svc (span0, span1) and other (span0).
model::Traces twoResources() {
  model::Traces t = td::traces(2);
  t.append(td::traces(1));
  t.resources()[1].resource.attributes =
      td::attrs(t.arena(), {{"service.name", td::str(t.arena(), "other")}});
  return t;
}

TEST(Filter, InferredTraceConditionsDropResourcesScopesSpansAndEvents) {
  Harness<model::Traces> r(
      "trace_conditions:\n"
      "  - resource.attributes[\"service.name\"] == \"other\"\n"  // the whole resource
      "  - span.name == \"span1\"\n"
      "  - IsMatch(spanevent.name, \"1$\")\n"
      "traces:\n"
      "  span: ['name == \"nothing\"']\n");  // legacy lists still apply
  ASSERT_TRUE(td::runProcessor(r.filter, twoResources()).isOk());
  ASSERT_EQ(r.next.got.size(), 1u);
  EXPECT_EQ(r.next.got[0].resources().size(), 1u);
  EXPECT_EQ(spanNames(r.next.got[0]), (std::vector<std::string>{"span0[ev0]"}));
  EXPECT_EQ(r.filtered("otelcol_processor_filter_spans_filtered"), 2);
}

TEST(Filter, ConditionGroupsAndScopeContext) {
  Harness<model::Traces> r(
      "trace_conditions:\n"
      "  - context: scope\n"
      "    conditions: ['version == \"1.0\" and resource.attributes[\"service.name\"] == "
      "\"other\"']\n");
  ASSERT_TRUE(td::runProcessor(r.filter, twoResources()).isOk());
  EXPECT_EQ(spanNames(r.next.got.at(0)),
            (std::vector<std::string>{"span0[ev0,ev1]", "span1[ev0,ev1]"}));
}

TEST(Filter, InferredMetricAndLogConditions) {
  Harness<model::Metrics> metrics(
      "metric_conditions:\n"
      "  - metric.type == METRIC_DATA_TYPE_HISTOGRAM\n"
      "  - datapoint.value_int > 1\n");
  ASSERT_TRUE(td::runProcessor(metrics.filter, td::metrics()).isOk());
  EXPECT_EQ(pointsOf(metrics.next.got.at(0)),
            (std::vector<std::string>{"m.gauge{k=a}", "m.sum{k=a}", "m.sum{k=b}"}));
  Harness<model::Logs> logs("log_conditions: ['instrumentation_scope.name == \"lib\"']\n");
  ASSERT_TRUE(td::runProcessor(logs.filter, td::logs()).isOk());
  EXPECT_TRUE(logs.next.got.empty());
  EXPECT_EQ(logs.filtered("otelcol_processor_filter_logs_filtered"), 3);
}

TEST(Filter, NothingLeftAnswersSuccessWithoutForwarding) {
  Harness<model::Logs> r("logs:\n  log_record: ['true']\n");
  EXPECT_TRUE(td::runProcessor(r.filter, td::logs()).isOk());
  EXPECT_TRUE(r.next.got.empty());
}

TEST(Filter, NoConditionsForTheSignalPassesEverything) {
  Harness<model::Logs> r("traces:\n  span: ['true']\n");
  EXPECT_TRUE(td::runProcessor(r.filter, td::logs()).isOk());
  ASSERT_EQ(r.next.got.size(), 1u);
  EXPECT_EQ(r.next.got[0].itemCount(), 3u);
}

// span0 has i == 0: the division fails there; span1 (i == 1) matches.
const char* kFailing = "  span: ['100 / attributes[\"i\"] == 100']\n";

TEST(Filter, ErrorModePropagateFailsTheBatch) {
  Harness<model::Traces> r(std::string("traces:\n") + kFailing);
  Status s = td::runProcessor(r.filter, td::traces(3));
  EXPECT_FALSE(s.isOk());
  EXPECT_EQ(s.message(),
            "failed to execute statement: 100 / attributes[\"i\"] == 100: division by zero");
  EXPECT_TRUE(r.next.got.empty());
}

TEST(Filter, ErrorModeIgnoreAndSilentTreatFailuresAsNoMatch) {
  for (const char* mode : {"ignore", "silent"}) {
    Harness<model::Traces> r(std::string("error_mode: ") + mode + "\ntraces:\n" + kFailing);
    ASSERT_TRUE(td::runProcessor(r.filter, td::traces(3)).isOk()) << mode;
    ASSERT_EQ(r.next.got.size(), 1u);
    EXPECT_EQ(spanNames(r.next.got[0]),
              (std::vector<std::string>{"span0[ev0,ev1]", "span2[ev0,ev1]"}))
        << mode;
  }
}

TEST(FilterConfig, ErrorsPointAtTheTokenInTheFile) {
  std::string yaml =
      "processors:\n"
      "  filter:\n"
      "    error_mode: loud\n"
      "    traces:\n"
      "      span:\n"
      "        - 'IsMatch(name, \"x\"))'\n"
      "        - attributes[\"k\"] == nme\n"
      "        - \"kind == SPAN_KIND_SERVR\"\n"
      "        - |\n"
      "          name == \"a\" and\n"
      "          body == \"b\"\n"
      "      spanevent: [ 'name ==' ]\n"
      "    metrics:\n"
      "      datapoint: name\n"
      "    logs:\n"
      "      log_record: ['span.name == \"x\"']\n"
      "      logs: []\n"
      "    trace_conditions:\n"
      "      - span.name == 1 and spanevent.nme == \"x\"\n"
      "      - context: log\n"
      "      - {context: span, conditions: ['nam == 1'], when: x}\n";
  EXPECT_EQ(
      td::configErrors<Config>(yaml, "filter"),
      "config.yaml:3:17: processors.filter.error_mode: invalid value \"loud\"; expected one "
      "of propagate, ignore, silent\n"
      "config.yaml:6:30: processors.filter.traces.span[0]: column 19: unexpected token \")\"\n"
      "config.yaml:7:30: processors.filter.traces.span[1]: column 20: unknown path nme in "
      "context span\n"
      "config.yaml:8:20: processors.filter.traces.span[2]: column 9: unknown enum "
      "SPAN_KIND_SERVR\n"
      "config.yaml:9:11: processors.filter.traces.span[3]: column 17: unknown path body in "
      "context span\n"
      "config.yaml:12:28: processors.filter.traces.spanevent[0]: column 8: unexpected end of "
      "statement\n"
      "config.yaml:14:18: processors.filter.metrics.datapoint: expected a list of OTTL "
      "conditions, got a scalar\n"
      "config.yaml:16:21: processors.filter.logs.log_record[0]: column 1: unknown path "
      "span.name in context log\n"
      "config.yaml:17:7: processors.filter.logs.logs: unknown key \"logs\"\n"
      "config.yaml:19:28: processors.filter.trace_conditions[0]: column 20: unknown path "
      "spanevent.nme in context spanevent\n"
      "config.yaml:20:18: processors.filter.trace_conditions[1].context: invalid context "
      "\"log\"; expected one of resource, scope, span, spanevent\n"
      "config.yaml:21:39: processors.filter.trace_conditions[2].conditions[0]: column 1: "
      "unknown path nam in context span\n"
      "config.yaml:21:51: processors.filter.trace_conditions[2].when: unknown key; expected "
      "context or conditions\n");
}

}  // namespace
}  // namespace periscope::components::filter
