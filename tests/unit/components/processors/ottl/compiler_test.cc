#include "components/processors/internal/ottl/compiler.h"

#include <gtest/gtest.h>

#include "unit/components/processors/ottl/test_data.h"

namespace periscope::ottl {
namespace {

struct Case {
  const char* condition;
  bool want;
};

// Compiles `text` in `context` and evaluates it on `ctx`: "true", "false" or "error: ...".
std::string run(ContextKind context, const std::string& text, EvalContext& ctx) {
  std::unique_ptr<Condition> c;
  SyntaxError e;
  if (!compileCondition(text, context, c, e)) return "compile error: " + e.toString();
  bool out = false;
  if (!c->eval(ctx, out)) return "error: " + ctx.error;
  return out ? "true" : "false";
}

void expectAll(ContextKind context, EvalContext& ctx, std::initializer_list<Case> cases) {
  for (const Case& c : cases) {
    EXPECT_EQ(run(context, c.condition, ctx), c.want ? "true" : "false") << c.condition;
  }
}

struct TraceFixture {
  model::Traces batch = testdata::traces(2);
  EvalContext ctx;
  TraceFixture() {
    auto& rs = batch.resources()[0];
    ctx.arena = &batch.arena();
    ctx.resource = &rs.resource;
    ctx.scope = &rs.scope_spans[0].scope;
    ctx.span = &rs.scope_spans[0].spans[1];  // span1: CLIENT, POST, status ERROR
    ctx.event = &ctx.span->events[1];
  }
};

TEST(OttlEval, SpanPaths) {
  TraceFixture f;
  expectAll(ContextKind::kSpan, f.ctx,
            {
                {"name == \"span1\"", true},
                {"span.name == \"span1\"", true},
                {"name != \"span1\"", false},
                {"attributes[\"http.method\"] == \"POST\"", true},
                {"attributes[\"i\"] == 1", true},
                {"attributes[\"i\"] == 1.0", true},
                {"attributes[\"i\"] > 0 and attributes[\"i\"] < 2", true},
                {"attributes[\"missing\"] == nil", true},
                {"attributes[\"missing\"] != nil", false},
                {"attributes[\"i\"] == \"1\"", false},
                {"resource.attributes[\"service.name\"] == \"svc\"", true},
                {"instrumentation_scope.name == \"lib\"", true},
                {"instrumentation_scope.version == \"1.0\"", true},
                {"instrumentation_scope.attributes[\"scope.attr\"] == \"x\"", true},
                {"kind == SPAN_KIND_CLIENT", true},
                {"kind == 3", true},
                {"kind == SPAN_KIND_SERVER", false},
                {"status.code == STATUS_CODE_ERROR", true},
                {"status.message == \"boom\"", true},
                {"trace_id.string == \"0102030405060708090a0b0c0d0e0f10\"", true},
                {"trace_id == TraceID(0x0102030405060708090a0b0c0d0e0f10)", true},
                {"span_id == SpanID(0xa0a1a2a3a4a5a601)", true},
                {"span_id.string == \"a0a1a2a3a4a5a601\"", true},
                {"parent_span_id.string == \"\"", true},
                {"start_time_unix_nano == 1000", true},
                {"end_time_unix_nano - start_time_unix_nano == 200", true},
                {"(end_time_unix_nano - start_time_unix_nano) / 100 == 2", true},
                {"end_time_unix_nano - start_time_unix_nano > 150 * 2", false},
                {"trace_state == \"\"", true},
                {"IsMatch(attributes[\"http.url\"], \"^/api/\")", true},
                {"IsMatch(attributes[\"http.url\"], \"health\")", false},
                {"IsMatch(attributes[\"i\"], \"^1$\")", true},
                {"IsMatch(attributes[\"missing\"], \".*\")", false},
                {"not IsMatch(name, \"span0\")", true},
                {"IsString(name) and IsInt(attributes[\"i\"]) and not IsDouble(kind)", true},
                {"IsMap(attributes) and not IsList(attributes)", true},
                {"Len(name) == 5 and Len(attributes) == 3", true},
                {"Concat([name, attributes[\"i\"], true], \"-\") == \"span1-1-true\"", true},
                {"Substring(name, 1, 3) == \"pan\"", true},
                {"ToUpperCase(attributes[\"http.method\"]) == \"POST\"", true},
                {"ToLowerCase(name) == \"span1\"", true},
                {"\"b\" > \"a\" and 2.5 > 2 and -1 < 0", true},
                {"true == true and nil == nil and not (true != true)", true},
                {"attributes[\"i\"] == 1 or 1 / 0 == 1", true},  // short circuit
            });
}

TEST(OttlEval, SpanEventPaths) {
  TraceFixture f;
  expectAll(ContextKind::kSpanEvent, f.ctx,
            {
                {"name == \"ev1\"", true},
                {"spanevent.name == \"ev1\"", true},
                {"attributes[\"n\"] == 1", true},
                {"time_unix_nano == 11", true},
                {"span.name == \"span1\"", true},
                {"span.attributes[\"http.method\"] == \"POST\"", true},
                {"span.kind == SPAN_KIND_CLIENT", true},
                {"resource.attributes[\"service.name\"] == \"svc\"", true},
            });
}

TEST(OttlEval, MetricAndDataPointPaths) {
  model::Metrics batch = testdata::metrics();
  auto& rm = batch.resources()[0];
  EvalContext ctx;
  ctx.arena = &batch.arena();
  ctx.resource = &rm.resource;
  ctx.scope = &rm.scope_metrics[0].scope;
  model::Metric& sum = rm.scope_metrics[0].metrics[1];
  ctx.metric = &sum;
  ctx.point = dataPointRef(sum.number_points[1]);
  expectAll(ContextKind::kMetric, ctx,
            {
                {"name == \"m.sum\"", true},
                {"metric.name == \"m.sum\"", true},
                {"description == \"d m.sum\" and unit == \"1\"", true},
                {"type == METRIC_DATA_TYPE_SUM", true},
                {"aggregation_temporality == AGGREGATION_TEMPORALITY_CUMULATIVE", true},
                {"is_monotonic == true", true},
            });
  expectAll(ContextKind::kDataPoint, ctx,
            {
                {"attributes[\"k\"] == \"b\"", true},
                {"value_double == 2.5", true},
                {"value_int == nil", true},
                {"value_double * 2 == 5", true},
                {"metric.name == \"m.sum\"", true},
                {"metric.type == METRIC_DATA_TYPE_SUM", true},
                {"count == nil", true},
            });
  model::Metric& hist = rm.scope_metrics[0].metrics[2];
  ctx.metric = &hist;
  ctx.point = dataPointRef(hist.histogram_points[0]);
  expectAll(ContextKind::kDataPoint, ctx,
            {
                {"count == 4 and sum == 10.0", true},
                {"value_double == nil", true},
                {"metric.type == METRIC_DATA_TYPE_HISTOGRAM", true},
            });
}

TEST(OttlEval, LogPaths) {
  model::Logs batch = testdata::logs();
  auto& rl = batch.resources()[0];
  EvalContext ctx;
  ctx.arena = &batch.arena();
  ctx.resource = &rl.resource;
  ctx.scope = &rl.scope_logs[0].scope;
  ctx.log = &rl.scope_logs[0].log_records[1];
  expectAll(ContextKind::kLog, ctx,
            {
                {"body == \"error: boom\"", true},
                {"log.body == \"error: boom\"", true},
                {"body.string == \"error: boom\"", true},
                {"IsMatch(body, \"^error\")", true},
                {"severity_number >= SEVERITY_NUMBER_ERROR", true},
                {"severity_number == SEVERITY_NUMBER_ERROR", true},
                {"severity_number < SEVERITY_NUMBER_WARN4", false},
                {"SEVERITY_NUMBER_FATAL4 == 24 and SEVERITY_NUMBER_TRACE2 == 2", true},
                {"severity_text == \"ERROR\"", true},
                {"attributes[\"secret\"] != nil", true},
                {"time_unix_nano == 2", true},
                {"trace_id.string == \"\"", true},
                {"resource.attributes[\"service.name\"] == \"svc\"", true},
            });
  ctx.log = &rl.scope_logs[0].log_records[2];
  expectAll(ContextKind::kLog, ctx,
            {
                {"body == 42", true},
                {"IsInt(body)", true},
                {"body.string == nil", true},
                {"IsMatch(body, \"^4\")", true},
            });
}

TEST(OttlEval, RuntimeErrors) {
  TraceFixture f;
  EXPECT_EQ(run(ContextKind::kSpan, "name + 1 == 2", f.ctx),
            "error: cannot apply \"+\" to string and int");
  EXPECT_EQ(run(ContextKind::kSpan, "attributes[\"i\"] / 0 == 1", f.ctx),
            "error: division by zero");
  EXPECT_EQ(run(ContextKind::kSpan, "Substring(name, 3, 5) == \"\"", f.ctx),
            "error: Substring range [3, 8) is outside the string of length 5");
}

// Integer overflow wraps as in Go instead of trapping (INT64_MIN / -1 raises SIGFPE on x86).
TEST(OttlEval, IntegerOverflowWraps) {
  TraceFixture f;
  expectAll(ContextKind::kSpan, f.ctx,
            {
                {"(-9223372036854775807 - 1) / -1 == -9223372036854775807 - 1", true},
                {"-(-9223372036854775807 - 1) == -9223372036854775807 - 1", true},
                {"9223372036854775807 + 1 < 0", true},
                {"attributes[\"i\"] / -1 == -1", true},
            });
}

// As the collector: two nils are equal (so <= and >= hold), false < true, and IsMatch/Concat
// see maps and lists as JSON and bytes as hex instead of failing.
TEST(OttlEval, ComparisonsAndTextOfEveryType) {
  TraceFixture f;
  expectAll(ContextKind::kSpan, f.ctx,
            {
                {"attributes[\"missing\"] <= nil", true},
                {"attributes[\"missing\"] >= nil", true},
                {"attributes[\"missing\"] < nil", false},
                {"false < true", true},
                {"true <= false", false},
                {"IsMatch(attributes, \"\\\"http.method\\\":\\\"POST\\\"\")", true},
                {"IsMatch(span_id, \"^[0-9a-f]{16}$\")", true},
                {"Concat([name, attributes[\"i\"], 2.5], \"-\") == \"span1-1-2.5\"", true},
            });
}

TEST(OttlCompile, ErrorsNameTheColumn) {
  const std::tuple<ContextKind, const char*, const char*> cases[] = {
      {ContextKind::kSpan, "nme == \"a\"", "column 1: unknown path nme in context span"},
      {ContextKind::kSpan, "name == \"a\" and body == \"x\"",
       "column 17: unknown path body in context span"},
      {ContextKind::kLog, "span.name == \"a\"", "column 1: unknown path span.name in context log"},
      {ContextKind::kSpan, "kind == SPAN_KIND_SERVR", "column 9: unknown enum SPAN_KIND_SERVR"},
      {ContextKind::kSpan, "IsMatch(name, \"(\")",
       "column 15: invalid regular expression \"(\": missing ): ("},
      {ContextKind::kSpan, "IsMatch(name)", "column 1: IsMatch expects 2 arguments, got 1"},
      {ContextKind::kSpan, "IsMatch(name, name)",
       "column 15: the pattern must be a string literal"},
      {ContextKind::kSpan, "Foo(name)", "column 1: unknown function Foo"},
      {ContextKind::kSpan, "set(name, \"x\")",
       "column 1: editor set cannot be used in an expression"},
      {ContextKind::kSpan, "1", "column 1: expected a boolean expression, found 1"},
      {ContextKind::kSpan, "name == \"a\" and 1 + 1",
       "column 17: expected a boolean expression, found (1 + 1)"},
      {ContextKind::kSpan, "\"a\"", "column 1: expected a boolean expression, found \"a\""},
      {ContextKind::kSpan, "attributes[\"debug\"]",
       "column 1: expected a boolean expression, found attributes[\"debug\"]"},
      {ContextKind::kSpan, "attributes[0] == 1",
       "column 1: attributes are indexed by a string key, e.g. attributes[\"http.method\"]"},
      {ContextKind::kSpan, "TraceID(0x01) == trace_id",
       "column 9: TraceID expects a 16-byte literal such as 0x00000000000000000000000000000000"},
      {ContextKind::kSpan, "[1] == 1", "column 1: a list is only allowed as a function argument"},
      {ContextKind::kMetric, "attributes[\"k\"] == \"a\"",
       "column 1: unknown path attributes[\"k\"] in context metric"},
  };
  for (const auto& [context, text, want] : cases) {
    std::unique_ptr<Condition> c;
    SyntaxError e;
    EXPECT_FALSE(compileCondition(text, context, c, e)) << text;
    EXPECT_EQ(e.toString(), want) << text;
  }
  const std::tuple<ContextKind, const char*, const char*> statements[] = {
      {ContextKind::kSpan, "IsMatch(name, \"x\")",
       "column 1: converter IsMatch cannot be used as a statement; statements start with an "
       "editor such as set"},
      {ContextKind::kSpan, "sett(name, \"x\")", "column 1: unknown editor sett"},
      {ContextKind::kSpan, "set(trace_id, \"x\")", "column 5: trace_id cannot be set"},
      {ContextKind::kSpan, "set(\"a\", \"x\")", "column 5: expected a path to set, found \"a\""},
      {ContextKind::kSpan, "delete_key(name, \"x\")", "column 12: name is not an attribute map"},
      {ContextKind::kSpan, "delete_key(attributes, name)",
       "column 24: the key must be a string literal"},
      {ContextKind::kSpan, "truncate_all(attributes, -1)",
       "column 26: the limit must be a non-negative integer literal"},
      {ContextKind::kSpan, "limit(attributes, 1, [\"a\", \"b\"])",
       "column 22: more priority keys (2) than the limit (1)"},
      {ContextKind::kSpan, "limit(attributes, 0, [])", "column 19: the limit must be at least 1"},
      {ContextKind::kSpan, "set(name, \"x\") where 1 + 1",
       "column 22: expected a boolean expression, found (1 + 1)"},
      {ContextKind::kSpan, "set(name, 1) where namee == \"\"",
       "column 20: unknown path namee in context span"},
  };
  for (const auto& [context, text, want] : statements) {
    std::unique_ptr<Statement> s;
    SyntaxError e;
    EXPECT_FALSE(compileStatement(text, context, s, e)) << text;
    EXPECT_EQ(e.toString(), want) << text;
  }
}

}  // namespace
}  // namespace periscope::ottl
