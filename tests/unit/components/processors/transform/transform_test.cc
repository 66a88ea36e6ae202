#include "components/processors/transform/transform.h"

#include <gtest/gtest.h>

#include "unit/components/processors/ottl/processor_test_support.h"
#include "unit/components/processors/ottl/test_data.h"

namespace periscope::components::transform {
namespace {

namespace td = ottl::testdata;

component::Settings settings() {
  return {{"transform", "test"}, component::Kind::kProcessor, "p"};
}

Config decode(const std::string& yaml) {
  config::Diagnostics d;
  Config c = td::decodeConfig<Config>(yaml, d);
  EXPECT_TRUE(d.ok()) << d.format();
  return c;
}

template <typename T>
struct Harness {
  td::Capture<T> next;
  Transform<T> transform;
  explicit Harness(const std::string& yaml) : transform(settings(), decode(yaml), &next) {}
  T& out() { return next.got.at(0); }
};

// Runs span statements on traces(2) and shows span1's attributes.
std::string spanEdit(const std::string& statement) {
  Harness<model::Traces> r("trace_statements:\n  - context: span\n    statements: ['" + statement +
                           "']\n");
  Status s = td::runProcessor(r.transform, td::traces(2));
  if (!s.isOk()) return "error: " + std::string(s.message());
  return td::show(r.out().resources()[0].scope_spans[0].spans[1].attributes);
}

TEST(Transform, EditorsOnSpanAttributes) {
  const std::pair<const char*, const char*> cases[] = {
      {"set(attributes[\"new\"], \"v\")", "i=1,http.method=POST,http.url=/api/1,new=v"},
      {"set(attributes[\"i\"], attributes[\"i\"] * 10)", "i=10,http.method=POST,http.url=/api/1"},
      {"set(attributes[\"d\"], end_time_unix_nano - start_time_unix_nano)",
       "i=1,http.method=POST,http.url=/api/1,d=200"},
      {"set(attributes[\"c\"], Concat([name, attributes[\"http.method\"]], \":\"))",
       "i=1,http.method=POST,http.url=/api/1,c=span1:POST"},
      {"set(attributes[\"x\"], nil)", "i=1,http.method=POST,http.url=/api/1"},
      {"set(attributes[\"x\"], 1.5) where name == \"span0\"",
       "i=1,http.method=POST,http.url=/api/1"},
      {"delete_key(attributes, \"http.method\")", "i=1,http.url=/api/1"},
      {"delete_key(attributes, \"absent\")", "i=1,http.method=POST,http.url=/api/1"},
      {"delete_matching_keys(attributes, \"^http\\\\.\")", "i=1"},
      {"keep_keys(attributes, [\"http.url\", \"i\"])", "i=1,http.url=/api/1"},
      {"truncate_all(attributes, 3)", "i=1,http.method=POS,http.url=/ap"},
      {"limit(attributes, 2, [\"http.url\"])", "i=1,http.url=/api/1"},
      {"limit(attributes, 1, [])", "i=1"},
      {"limit(attributes, 5, [])", "i=1,http.method=POST,http.url=/api/1"},
      {"replace_pattern(attributes[\"http.url\"], \"^/api/(\\\\d+)$\", \"/api/{id=$1}\")",
       "i=1,http.method=POST,http.url=/api/{id=1}"},
      // In YAML `$$` is the escape of a literal `$` (env expansion), as in the collector.
      {"replace_pattern(attributes[\"http.url\"], \"/(?P<seg>[a-z]+)/\", \"<$${seg}>\\\\$$$$\")",
       "i=1,http.method=POST,http.url=<api>\\$1"},
      {"replace_pattern(attributes[\"http.method\"], \"O\", \"0\")",
       "i=1,http.method=P0ST,http.url=/api/1"},
      {"set(attributes[\"n\"], attributes[\"missing\"] / 2)",
       "error: failed to execute statement: set(attributes[\"n\"], attributes[\"missing\"] / 2): "
       "cannot apply \"/\" to nil and int"},
  };
  for (const auto& [statement, want] : cases) EXPECT_EQ(spanEdit(statement), want) << statement;
}

TEST(Transform, SetsSpanFieldsAndCopiesStringsIntoTheBatchArena) {
  Harness<model::Traces> r(
      "trace_statements:\n"
      "  - context: span\n"
      "    statements:\n"
      "      - set(name, Concat([\"x\", name], \"-\")) where kind == SPAN_KIND_SERVER\n"
      "      - set(status.code, STATUS_CODE_OK) where status.code == STATUS_CODE_UNSET\n"
      "      - set(status.message, \"fine\") where status.code == STATUS_CODE_OK\n"
      "      - set(kind, SPAN_KIND_INTERNAL) where attributes[\"i\"] == 1\n"
      "      - set(name, 5)\n");  // wrong type: ignored, as the collector does
  ASSERT_TRUE(td::runProcessor(r.transform, td::traces(2)).isOk());
  auto spans = r.out().resources()[0].scope_spans[0].spans;
  EXPECT_EQ(spans[0].name, "x-span0");
  EXPECT_EQ(spans[0].status_code_raw, 1);
  EXPECT_TRUE(spans[0].has_status);
  EXPECT_EQ(spans[0].status.message, "fine");
  EXPECT_EQ(spans[1].name, "span1");
  EXPECT_EQ(spans[1].status_code_raw, 2);
  EXPECT_EQ(spans[1].kind, 1);
}

TEST(Transform, ResourceScopeAndSpanEventContexts) {
  Harness<model::Traces> r(
      "trace_statements:\n"
      "  - context: resource\n"
      "    statements: ['set(attributes[\"env\"], \"prod\")']\n"
      "  - context: scope\n"
      "    statements: ['set(version, \"2.0\")']\n"
      "  - context: spanevent\n"
      "    statements: ['set(attributes[\"span\"], span.name) where name == \"ev1\"']\n"
      "  - 'set(attributes[\"env\"], resource.attributes[\"env\"])'\n");  // flat: span context
  ASSERT_TRUE(td::runProcessor(r.transform, td::traces(2)).isOk());
  auto& rs = r.out().resources()[0];
  EXPECT_EQ(td::show(rs.resource.attributes), "service.name=svc,env=prod");
  EXPECT_EQ(rs.scope_spans[0].scope.version, "2.0");
  auto& span1 = rs.scope_spans[0].spans[1];
  EXPECT_EQ(td::show(span1.events[0].attributes), "n=0");
  EXPECT_EQ(td::show(span1.events[1].attributes), "n=1,span=span1");
  EXPECT_EQ(td::show(span1.attributes), "i=1,http.method=POST,http.url=/api/1,env=prod");
}

TEST(Transform, FlatStatementsInferTheirContextFromPathPrefixes) {
  Harness<model::Traces> r(
      "trace_statements:\n"
      "  - 'set(resource.attributes[\"n\"], Len(resource.attributes))'\n"    // resource: runs once
      "  - 'set(span.attributes[\"scope\"], instrumentation_scope.name)'\n"  // span
      "  - 'set(spanevent.attributes[\"s\"], span.name) where spanevent.name == \"ev0\"'\n");
  ASSERT_TRUE(td::runProcessor(r.transform, td::traces(2)).isOk());
  auto& rs = r.out().resources()[0];
  EXPECT_EQ(td::show(rs.resource.attributes), "service.name=svc,n=1");
  auto& span0 = rs.scope_spans[0].spans[0];
  EXPECT_EQ(td::show(span0.attributes),
            "i=0,http.method=GET,http.url=https://example.com/health,scope=lib");
  EXPECT_EQ(td::show(span0.events[0].attributes), "n=0,s=span0");
  EXPECT_EQ(td::show(span0.events[1].attributes), "n=1");
}

TEST(Transform, GroupConditionsGateTheStatements) {
  Harness<model::Traces> r(
      "trace_statements:\n"
      "  - context: span\n"
      "    conditions: ['kind == SPAN_KIND_CLIENT', 'name == \"span2\"']\n"
      "    statements: ['set(attributes[\"hit\"], true)']\n");
  ASSERT_TRUE(td::runProcessor(r.transform, td::traces(4)).isOk());
  std::vector<std::string> hits;
  for (const auto& s : r.out().resources()[0].scope_spans[0].spans) {
    if (model::findAttribute(s.attributes, "hit")) hits.emplace_back(s.name);
  }
  EXPECT_EQ(hits, (std::vector<std::string>{"span1", "span2", "span3"}));
}

TEST(Transform, MetricAndDataPointContexts) {
  Harness<model::Metrics> r(
      "metric_statements:\n"
      "  - context: metric\n"
      "    statements: ['set(description, \"gauge!\") where type == METRIC_DATA_TYPE_GAUGE',\n"
      "                 'set(unit, \"ms\") where name == \"m.sum\"']\n"
      "  - context: datapoint\n"
      "    statements:\n"
      "      - set(value_int, value_int * 100) where metric.name == \"m.gauge\"\n"
      "      - set(value_double, 0.5) where attributes[\"k\"] == \"b\" and IsDouble(value_double)\n"
      "      - set(attributes[\"metric\"], metric.name)\n");
  ASSERT_TRUE(td::runProcessor(r.transform, td::metrics()).isOk());
  auto metrics = r.out().resources()[0].scope_metrics[0].metrics;
  EXPECT_EQ(metrics[0].description, "gauge!");
  EXPECT_EQ(metrics[1].unit, "ms");
  EXPECT_EQ(metrics[0].number_points[2].as_int, 300);
  EXPECT_EQ(metrics[1].number_points[0].as_double, 1.5);
  EXPECT_EQ(metrics[1].number_points[1].as_double, 0.5);
  EXPECT_EQ(td::show(metrics[2].histogram_points[0].attributes), "k=a,metric=m.hist");
}

TEST(Transform, LogContext) {
  Harness<model::Logs> r(
      "log_statements:\n"
      "  - context: log\n"
      "    statements:\n"
      "      - replace_pattern(attributes[\"secret\"], \".*\", \"***\")\n"
      "      - set(severity_text, \"WARN\") where severity_number == SEVERITY_NUMBER_INFO\n"
      "      - set(body, Concat([\"[\", severity_text, \"] \", body], \"\")) where IsString(body)\n"
      "      - set(attributes[\"body_len\"], Len(body)) where IsString(body)\n");
  ASSERT_TRUE(td::runProcessor(r.transform, td::logs()).isOk());
  auto records = r.out().resources()[0].scope_logs[0].log_records;
  EXPECT_EQ(records[0].severity_text, "WARN");
  EXPECT_EQ(records[0].body.str(), "[WARN] hello world");
  EXPECT_EQ(td::show(records[1].attributes), "user=bob,secret=***,body_len=19");
  EXPECT_EQ(records[2].body.intValue(), 42);
}

TEST(Transform, ErrorModes) {
  const char* statements =
      "log_statements:\n"
      "  - context: log\n"
      "    statements:\n"
      "      - set(attributes[\"x\"], body + 1)\n"  // fails on string bodies
      "      - set(attributes[\"after\"], true)\n";
  {
    Harness<model::Logs> r(statements);
    Status s = td::runProcessor(r.transform, td::logs());
    EXPECT_EQ(s.message(),
              "failed to execute statement: set(attributes[\"x\"], body + 1): cannot apply \"+\" "
              "to string and int");
    EXPECT_TRUE(r.next.got.empty());
  }
  for (const char* mode : {"ignore", "silent"}) {
    Harness<model::Logs> r(std::string("error_mode: ") + mode + "\n" + statements);
    ASSERT_TRUE(td::runProcessor(r.transform, td::logs()).isOk());
    auto records = r.out().resources()[0].scope_logs[0].log_records;
    EXPECT_EQ(td::show(records[0].attributes), "user=alice,after=true") << mode;
    EXPECT_EQ(td::show(records[2].attributes), "x=43,after=true") << mode;
  }
}

TEST(TransformConfig, ErrorsPointAtTheTokenInTheFile) {
  std::string yaml =
      "processors:\n"
      "  transform:\n"
      "    trace_statements:\n"
      "      - context: log\n"
      "        statements: ['set(name, \"x\")']\n"
      "      - statements: ['set(name, \"x\")']\n"
      "      - context: span\n"
      "        statements:\n"
      "          - set(nam, \"x\")\n"
      "          - IsMatch(name, \"x\")\n"
      "        conditions: ['name = \"x\"']\n"
      "        statement: []\n"
      "      - 'delete_key(attributes, 1)'\n"
      "    log_statements: {context: log}\n";
  EXPECT_EQ(td::configErrors<Config>(yaml, "transform"),
            "config.yaml:4:18: processors.transform.trace_statements[0].context: invalid context "
            "\"log\"; expected one of resource, scope, span, spanevent\n"
            "config.yaml:6:9: processors.transform.trace_statements[1]: missing \"context\" (one "
            "of resource, scope, span, spanevent)\n"
            "config.yaml:9:17: processors.transform.trace_statements[2].statements[0]: column 5: "
            "unknown path nam in context span\n"
            "config.yaml:10:13: processors.transform.trace_statements[2].statements[1]: column 1: "
            "converter IsMatch cannot be used as a statement; statements start with an editor "
            "such as set\n"
            "config.yaml:11:28: processors.transform.trace_statements[2].conditions[0]: column 6: "
            "unexpected \"=\"; use \"==\" to compare\n"
            "config.yaml:12:9: processors.transform.trace_statements[2].statement: unknown key; "
            "expected context, statements or conditions\n"
            "config.yaml:13:33: processors.transform.trace_statements[3]: column 24: the key must "
            "be a string literal\n"
            "config.yaml:14:21: processors.transform.log_statements: expected a list of statement "
            "groups, got a map\n");
}

}  // namespace
}  // namespace periscope::components::transform
