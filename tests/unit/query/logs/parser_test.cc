// Log query parser: canonical printing of valid queries (and print → parse → print
// stability), the AST fields evaluation will rely on, and the exact message (with
// line:column) of invalid ones.
#include "query/logs/parser.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <string>
#include <variant>

#include "query/logs/printer.h"

namespace periscope::query::logs {
namespace {

struct Case {
  std::string_view query;
  std::string_view expected;  // the canonical print, or the error message
};

// Parses, prints, and checks that the printed text parses to the same print.
std::string canonical(std::string_view query) {
  Result<Expr> e = parse(query);
  if (!e.isOk()) return "ERROR " + std::string(e.status().message());
  std::string printed = toString(*e);
  Result<Expr> again = parse(printed);
  if (!again.isOk()) return "REPARSE ERROR " + std::string(again.status().message());
  std::string reprinted = toString(*again);
  if (reprinted != printed) return "UNSTABLE " + printed + " -> " + reprinted;
  return printed;
}

std::string errorOf(std::string_view query) {
  Result<Expr> e = parse(query);
  if (e.isOk()) return "OK " + toString(*e);
  EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument) << query;
  return std::string(e.status().message());
}

constexpr Case kValid[] = {
    {R"({service.name="checkout"})", R"({service.name="checkout"})"},
    {R"({ service.name = "checkout" , k8s.pod.name != "p-1" })",
     R"({service.name="checkout", k8s.pod.name!="p-1"})"},
    {R"({service.name=~"check.*", host.name!~`web-\d+`})",
     R"({service.name=~"check.*", host.name!~"web-\\d+"})"},
    {R"({severity>="warn"})", R"({severity>="WARN"})"},
    {R"({severity>"Error", severity<=21})", R"({severity>"ERROR", severity<=21})"},
    {R"({severity<"TRACE", severity>=1})", R"({severity<"TRACE", severity>=1})"},
    {R"({severity="oops"})", R"({severity="oops"})"},
    {R"({a="b"} |= "timeout" != "debug" |~ "err(or)?" !~ `^GET /health`)",
     R"({a="b"} |= "timeout" != "debug" |~ "err(or)?" !~ "^GET /health")"},
    {R"({a="b"}|="x")", R"({a="b"} |= "x")"},
    {R"({a="b"} | json)", R"({a="b"} | json)"},
    {R"({a="b"} | json user.id,level , msg)", R"({a="b"} | json user.id, level, msg)"},
    {R"({a="b"} | trace_id="4bf92f3577b34da6a3ce929d0e0e4736")",
     R"({a="b"} | trace_id = "4bf92f3577b34da6a3ce929d0e0e4736")"},
    {R"({a="b"} | http.status_code>=500)", R"({a="b"} | http.status_code >= 500)"},
    {R"({a="b"} | json | body.user.id != 42 | latency < 0.25 | x > -1.5e3)",
     R"({a="b"} | json | body.user.id != 42 | latency < 0.25 | x > -1500)"},
    {R"({a="b"} | path =~ "/api/.*" | method !~ "GET|HEAD")",
     R"({a="b"} | path =~ "/api/.*" | method !~ "GET|HEAD")"},
    {R"({a="b"} | status >= 500 and method = "POST" or slow = "true")",
     R"({a="b"} | status >= 500 and method = "POST" or slow = "true")"},
    {R"({a="b"} | limit = 3 | json = "x" | direction != "up")",
     R"({a="b"} | limit = 3 | json = "x" | direction != "up")"},
    {R"({a="b"} |= "x" | limit 100 | direction forward)",
     R"({a="b"} |= "x" | limit 100 | direction forward)"},
    {R"({a="b"} | direction backward)", R"({a="b"} | direction backward)"},
    {"{a=\"tab\\there \\u00e9 \\x41 \\101 \\\"q\\\"\"}", "{a=\"tab\\there é A A \\\"q\\\"\"}"},
    {"{a=`multi\nline`}", R"({a="multi\nline"})"},
    {R"({a="\xff\x00"})", R"({a="\xff\x00"})"},  // not UTF-8: kept as bytes, printed escaped
    {R"(count_over_time({a="b"}[5m]))", R"(count_over_time({a="b"} [5m]))"},
    {R"(rate({a="b"} |= "error" | json | level="error" [1h30m]))",
     R"(rate({a="b"} |= "error" | json | level = "error" [1h30m]))"},
    {R"(bytes_over_time({a="b"}[90s]))", R"(bytes_over_time({a="b"} [1m30s]))"},
    {R"(bytes_rate({a="b"}[1d]))", R"(bytes_rate({a="b"} [1d]))"},
    {R"(sum by (service.name) (rate({a="b"}[5m])))",
     R"(sum by (service.name) (rate({a="b"} [5m])))"},
    {R"(sum(rate({a="b"}[5m])) by (host, service.name))",
     R"(sum by (host, service.name) (rate({a="b"} [5m])))"},
    {R"(avg without (pod) (count_over_time({a="b"}[1m])))",
     R"(avg without (pod) (count_over_time({a="b"} [1m])))"},
    {R"(max by () (count_over_time({a="b"}[1m])))", R"(max by () (count_over_time({a="b"} [1m])))"},
    {R"(topk(5, sum by (service.name) (rate({severity>="ERROR"}[5m]))))",
     R"(topk(5, sum by (service.name) (rate({severity>="ERROR"} [5m]))))"},
    {R"(count(min(count_over_time({a="b"}[1m]))))", R"(count(min(count_over_time({a="b"} [1m]))))"},
};

TEST(LogQueryParserTest, ValidQueriesPrintCanonically) {
  for (const Case& c : kValid) {
    EXPECT_EQ(canonical(c.query), c.expected) << c.query;
  }
}

TEST(LogQueryParserTest, CanonicalFormIsAFixedPoint) {
  for (const Case& c : kValid) {
    EXPECT_EQ(canonical(c.expected), c.expected) << c.expected;
  }
}

constexpr Case kInvalid[] = {
    {"{}", "1:2: parse error: empty stream selector, expected at least one matcher"},
    {"", "1:1: parse error: unexpected end of input, expected \"{\" or a metric function"},
    {R"({a="b"} | | x="y")",
     "1:11: parse error: unexpected \"|\", expected a field name or json, limit, direction"},
    {R"({a=~"(unclosed"})", "1:5: parse error: invalid regex \"(unclosed\": missing ): (unclosed"},
    {R"({a="b"} |~ "a[")", "1:12: parse error: invalid regex \"a[\": missing ]: ["},
    {R"({a="b"} | x =~ "*")",
     "1:16: parse error: invalid regex \"*\": no argument for repetition operator: *"},
    {R"({severity>="WARNING"})",
     "1:12: parse error: unknown severity \"WARNING\", expected TRACE, DEBUG, INFO, WARN, "
     "ERROR, FATAL or 1 to 24"},
    {R"({severity>=25})", "1:12: parse error: severity number 25 out of range, expected 1 to 24"},
    {R"({severity>=1.5})", "1:12: parse error: severity number 1.5 out of range, expected 1 to 24"},
    {R"({service.name>"a"})", "1:14: parse error: operator \">\" is only allowed on severity"},
    {R"({a=1})", "1:4: parse error: unexpected number 1, expected a string"},
    {R"({a="b" b="c"})", "1:8: parse error: unexpected identifier \"b\", expected \",\" or \"}\""},
    {R"({a})",
     "1:3: parse error: unexpected \"}\", expected a matcher operator (=, !=, =~, !~, >, >=, <, "
     "<=)"},
    {R"(count_over_time({a="b"}))",
     "1:24: parse error: unexpected \")\", expected a range such as [5m] or a pipeline stage"},
    {R"(rate({a="b"}[5x]))", "1:14: parse error: bad duration \"5x\""},
    {R"(rate({a="b"}[0s]))", "1:14: parse error: range must be positive, got 0s"},
    {R"(rate({a="b"}[]))", "1:14: parse error: unexpected \"]\", expected a duration"},
    {R"(sum({a="b"}))",
     "1:5: parse error: unexpected \"{\", expected a metric function (count_over_time, rate, sum, "
     "…)"},
    {R"(topk(0, rate({a="b"}[1m])))", "1:6: parse error: topk needs a positive integer, got 0"},
    {R"(foo({a="b"}))",
     "1:1: parse error: unexpected identifier \"foo\", expected a metric function "
     "(count_over_time, "
     "rate, sum, …)"},
    {R"({a="unterminated})", "1:4: parse error: unterminated quoted string"},
    {"{a=`raw}", "1:4: parse error: unterminated raw string"},
    {"{a=\"line\nbreak\"}", "1:4: parse error: unterminated quoted string"},
    {R"({a="bad \q escape"})", "1:9: parse error: invalid escape sequence in string"},
    {R"({a="b"} garbage)",
     "1:9: parse error: unexpected identifier \"garbage\", expected a pipeline stage or end of "
     "input"},
    {R"(rate({a="b"}[1m])) extra)", "1:18: parse error: unexpected \")\", expected end of input"},
    {R"({a="b"} # comment)", "1:9: parse error: unexpected character \"#\""},
    {R"({a="b"} | x =~ 5)", "1:16: parse error: operator \"=~\" needs a string, got number 5"},
    {R"({a="b"} | x > "5")", "1:15: parse error: operator \">\" needs a number, got string \"5\""},
    {R"({a="b"} | x = y)",
     "1:15: parse error: unexpected identifier \"y\", expected a string or number"},
    {R"({a="b"} | x = 1 and)", "1:20: parse error: unexpected end of input, expected a field name"},
    {R"({a="b"} | x > 1e400)", "1:15: parse error: number 1e400 out of range"},
    {R"({a="b"} | limit 0)", "1:17: parse error: limit must be a positive integer, got 0"},
    {R"({a="b"} | limit 10 | limit 5)", "1:22: parse error: limit given twice"},
    {R"({a="b"} | direction sideways)",
     "1:21: parse error: unexpected identifier \"sideways\", expected forward or backward"},
    {R"(rate({a="b"} | limit 5 [1m]))",
     "1:16: parse error: limit is not allowed in a metric query"},
    // The examples of docs/logs.md.
    {R"({service.name="checkout"} | | x="y")",
     "1:29: parse error: unexpected \"|\", expected a field name or json, limit, direction"},
    {"{a=`x\ny`} | | x",
     "2:7: parse error: unexpected \"|\", expected a field name or json, limit, direction"},
    {"{a=\"b\"}\n  |= 5", "2:6: parse error: unexpected number 5, expected a string"},
};

TEST(LogQueryParserTest, InvalidQueriesReportLineAndColumn) {
  for (const Case& c : kInvalid) {
    EXPECT_EQ(errorOf(c.query), c.expected) << c.query;
  }
}

TEST(LogQueryParserTest, AstCarriesWhatEvaluationNeeds) {
  Result<Expr> e =
      parse(R"(sum by (service.name) (rate({service.name=~"a|b", severity>=warn_ignored} [5m])))");
  ASSERT_FALSE(e.isOk());  // a bare word is not a severity value
  e = parse(R"(sum by (service.name) (rate({service.name=~"a|b", severity>="warn"} |= "x" [5m])))");
  ASSERT_TRUE(e.isOk()) << e.status().message();
  ASSERT_TRUE(e->isMetric());
  const auto& sum = std::get<VectorAggregation>(e->node(e->root));
  EXPECT_EQ(sum.op, VectorAggregator::kSum);
  EXPECT_FALSE(sum.without);
  ASSERT_EQ(sum.labels.size(), 1u);
  EXPECT_EQ(sum.labels[0], "service.name");
  const auto& rate = std::get<RangeAggregation>(e->node(sum.inner));
  EXPECT_EQ(rate.function, RangeFunction::kRate);
  EXPECT_EQ(rate.range_ms, 300000);
  const auto& q = std::get<LogQuery>(e->node(rate.query));
  ASSERT_EQ(q.matchers.size(), 2u);
  EXPECT_EQ(q.matchers[0].op, CompareOp::kRegexMatch);
  EXPECT_EQ(q.matchers[0].value, "a|b");
  EXPECT_EQ(q.matchers[1].name, "severity");
  EXPECT_EQ(q.matchers[1].severity_number, 13);
  ASSERT_EQ(q.stages.size(), 1u);
  EXPECT_EQ(std::get<LineFilter>(q.stages[0]).value, "x");

  e = parse(R"({a="b"} | s >= 500 and m = "POST" or t = "1")");
  ASSERT_TRUE(e.isOk()) << e.status().message();
  const auto& log = std::get<LogQuery>(e->node(e->root));
  ASSERT_EQ(log.stages.size(), 1u);
  // `and` binds tighter: or(and(s, m), t).
  const auto& top = std::get<FieldLogical>(e->node(std::get<FieldFilter>(log.stages[0]).condition));
  EXPECT_FALSE(top.is_and);
  EXPECT_TRUE(std::get<FieldLogical>(e->node(top.lhs)).is_and);
  const auto& t = std::get<FieldComparison>(e->node(top.rhs));
  EXPECT_EQ(t.field, "t");
  EXPECT_EQ(t.text, "1");
  const auto& s = std::get<FieldComparison>(e->node(std::get<FieldLogical>(e->node(top.lhs)).lhs));
  EXPECT_TRUE(s.is_number);
  EXPECT_EQ(s.number, 500);
  EXPECT_EQ(s.op, CompareOp::kGreaterEqual);
}

// RE2 runs in linear time, so a pattern that backtracking engines take exponential time on
// is harmless: parsing accepts it and matching a long near-miss input returns (false).
TEST(LogQueryParserTest, HostileRegexIsAcceptedAndMatchesInLinearTime) {
  Result<Expr> e = parse(R"({a="b"} | msg =~ "(a+)+$" |~ "(a+)+$")");
  ASSERT_TRUE(e.isOk()) << e.status().message();
  const auto& q = std::get<LogQuery>(e->node(e->root));
  const auto& c = std::get<FieldComparison>(e->node(std::get<FieldFilter>(q.stages[0]).condition));
  ASSERT_EQ(c.text, "(a+)+$");
  RE2 anchored("^(?:" + c.text + ")$");
  ASSERT_TRUE(anchored.ok());
  const std::string input = std::string(100000, 'a') + "!";
  EXPECT_FALSE(RE2::FullMatch(input, anchored));
  // The line filter is unanchored: a substring search over the same input.
  const std::string& line_pattern = std::get<LineFilter>(q.stages[1]).value;
  ASSERT_EQ(line_pattern, "(a+)+$");
  EXPECT_FALSE(RE2::PartialMatch(input, RE2(line_pattern)));
}

TEST(LogQueryParserTest, DocumentedExamplesParse) {
  constexpr std::string_view kExamples[] = {
      R"({service.name="checkout", severity>="WARN"} |= "timeout" | json | http.status_code >= 500)",
      R"({severity>="warn"})",
      R"({severity>17})",
      R"({a="b"} | json user.id, level)",
      R"({a="b"} | a = "x" and b > 1 or c = "y")",
      R"({a="b"} |~ `\d{3}`)",
      R"(count_over_time({service.name="checkout"} |= "error" [5m]))",
      R"(rate({severity>="ERROR"} [1m]))",
      R"(bytes_over_time({k8s.namespace.name="prod"} [1h]))",
      R"(bytes_rate({service.name="checkout"} [5m]))",
      R"(sum by (service.name) (rate({severity>="ERROR"} [5m])))",
      R"(topk(5, sum without (k8s.pod.name) (count_over_time({a="b"} | json | status >= 500 [10m]))))",
  };
  for (std::string_view q : kExamples) {
    Result<Expr> e = parse(q);
    EXPECT_TRUE(e.isOk()) << q << ": " << e.status().message();
  }
}

TEST(LogQueryParserTest, DeepNestingIsAnErrorNotACrash) {
  std::string q;
  for (int i = 0; i < 200; ++i) q += "sum(";
  EXPECT_EQ(errorOf(q), "1:261: parse error: query nested too deeply");
}

}  // namespace
}  // namespace periscope::query::logs
