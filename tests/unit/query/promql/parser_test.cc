// PromQL parser: canonical printing of valid queries, precedence, the AST fields evaluation
// will rely on, and the exact message (with line:column) of invalid ones.
#include "query/promql/parser.h"

#include <gtest/gtest.h>

#include <string>

#include "query/promql/printer.h"

namespace periscope::query::promql {
namespace {

struct Valid {
  std::string_view query;
  std::string_view canonical;
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

TEST(PromqlParser, ValidQueriesPrintCanonically) {
  const Valid cases[] = {
      // Selectors.
      {"foo", "foo"},
      {"foo{}", "foo"},
      {"{__name__=\"foo\"}", "{__name__=\"foo\"}"},
      {"foo{a=\"b\", c!='d' , e=~\"f.*\",g!~`h`}", "foo{a=\"b\",c!=\"d\",e=~\"f.*\",g!~\"h\"}"},
      {"{job=~\".+\"}", "{job=~\".+\"}"},
      {"{job=~\".*\", env=\"prod\"}", "{job=~\".*\",env=\"prod\"}"},
      {"{a!=\"\"}", "{a!=\"\"}"},
      {"foo{a=\"b\",}", "foo{a=\"b\"}"},
      {"foo:bar:rate5m", "foo:bar:rate5m"},
      {":foo", ":foo"},
      {"sum_total + on_call + inf_x", "sum_total + on_call + inf_x"},
      {"foo{offset=\"1\", by=\"2\"}", "foo{offset=\"1\",by=\"2\"}"},
      // Ranges, offset, @.
      {"foo[5m]", "foo[5m]"},
      {"foo[1h30m]", "foo[1h30m]"},
      {"foo[90m]", "foo[1h30m]"},
      {"foo[7d]", "foo[1w]"},
      {"foo[1y]", "foo[1y]"},
      {"foo[1500ms]", "foo[1s500ms]"},
      {"foo[ 2h ]", "foo[2h]"},
      {"foo[5m x]", "foo[5m:]"},  // Prometheus lexes any letter in brackets as the colon
      {"foo offset 5m", "foo offset 5m"},
      {"foo OFFSET -5m", "foo offset -5m"},
      {"foo[5m] offset 1h", "foo[5m] offset 1h"},
      {"foo @ 1609746000", "foo @ 1609746000"},
      {"foo @ 1609746000.5 offset 1m", "foo @ 1609746000.5 offset 1m"},
      {"foo offset 1m @ -100", "foo @ -100 offset 1m"},
      {"foo @ 0x10", "foo @ 16"},
      {"foo[5m] @ start()", "foo[5m] @ start()"},
      {"foo @ end()", "foo @ end()"},
      // Subqueries.
      {"rate(foo[5m])[30m:1m]", "rate(foo[5m])[30m:1m]"},
      {"rate(foo[5m])[30m:]", "rate(foo[5m])[30m:]"},
      {"(foo + bar)[1h:5m] offset 10m", "(foo + bar)[1h:5m] offset 10m"},
      {"foo offset 5m[10m:]", "foo offset 5m[10m:]"},
      {"max_over_time(deriv(rate(foo[1m])[5m:1m])[10m:])",
       "max_over_time(deriv(rate(foo[1m])[5m:1m])[10m:])"},
      {"sum(foo)[5m:] @ end()", "sum(foo)[5m:] @ end()"},
      // Aggregations.
      {"sum(foo)", "sum(foo)"},
      {"sum by (job) (rate(http_requests_total{code=~\"5..\"}[5m]))",
       "sum by (job) (rate(http_requests_total{code=~\"5..\"}[5m]))"},
      {"sum(rate(x[5m])) by (job, instance)", "sum by (job, instance) (rate(x[5m]))"},
      {"SUM WITHOUT(instance)(x)", "sum without (instance) (x)"},
      {"avg without () (x)", "avg without () (x)"},
      {"count by () (x)", "count(x)"},
      {"min(x) / max(x)", "min(x) / max(x)"},
      {"stddev(x) + stdvar(x)", "stddev(x) + stdvar(x)"},
      {"topk(5, x)", "topk(5, x)"},
      {"bottomk by (job) (3, x)", "bottomk by (job) (3, x)"},
      {"quantile(0.9, x)", "quantile(0.9, x)"},
      {"count_values(\"value\", x)", "count_values(\"value\", x)"},
      {"group by (a,b,) (x)", "group by (a, b) (x)"},
      {"sum by (offset, bool, on) (x)", "sum by (offset, bool, on) (x)"},
      // Functions.
      {"rate(foo[5m])", "rate(foo[5m])"},
      {"irate(foo[1m])", "irate(foo[1m])"},
      {"increase(foo[1h])", "increase(foo[1h])"},
      {"delta(g[5m]) + idelta(g[5m])", "delta(g[5m]) + idelta(g[5m])"},
      {"histogram_quantile(0.99, sum by (le) (rate(h_bucket[5m])))",
       "histogram_quantile(0.99, sum by (le) (rate(h_bucket[5m])))"},
      {"abs(-foo)", "abs(-foo)"},
      {"ceil(foo) + floor(foo) + round(foo) + round(foo, 0.5)",
       "ceil(foo) + floor(foo) + round(foo) + round(foo, 0.5)"},
      {"clamp(foo, 0, 1)", "clamp(foo, 0, 1)"},
      {"clamp_min(foo, 0) - clamp_max(foo, 1)", "clamp_min(foo, 0) - clamp_max(foo, 1)"},
      {"absent(nonexistent{job=\"x\"})", "absent(nonexistent{job=\"x\"})"},
      {"absent_over_time(foo[5m])", "absent_over_time(foo[5m])"},
      {"label_replace(up, \"foo\", \"$1\", \"service\", \"(.*):.*\")",
       "label_replace(up, \"foo\", \"$1\", \"service\", \"(.*):.*\")"},
      {"label_join(up, \"foo\", \",\", \"a\", \"b\")",
       "label_join(up, \"foo\", \",\", \"a\", \"b\")"},
      {"label_join(up, \"foo\", \",\")", "label_join(up, \"foo\", \",\")"},
      {"time() - timestamp(foo)", "time() - timestamp(foo)"},
      {"vector(1) + scalar(foo)", "vector(1) + scalar(foo)"},
      {"sort(foo)", "sort(foo)"},
      {"sort_desc(foo)", "sort_desc(foo)"},
      {"quantile_over_time(0.5, foo[5m])", "quantile_over_time(0.5, foo[5m])"},
      {"avg_over_time(foo[5m]) / count_over_time(foo[5m])",
       "avg_over_time(foo[5m]) / count_over_time(foo[5m])"},
      {"present_over_time(foo[5m]) * last_over_time(foo[5m])",
       "present_over_time(foo[5m]) * last_over_time(foo[5m])"},
      {"day_of_month() + day_of_week(foo)", "day_of_month() + day_of_week(foo)"},
      {"predict_linear(foo[1h], 3600)", "predict_linear(foo[1h], 3600)"},
      {"exp(ln(foo)) * sqrt(foo) + pi()", "exp(ln(foo)) * sqrt(foo) + pi()"},
      {"rate((foo[5m]))", "rate((foo[5m]))"},
      // Binary operators and modifiers.
      {"foo + on(a, b) group_left(c) bar", "foo + on (a, b) group_left (c) bar"},
      {"foo * ignoring(a) group_right bar", "foo * ignoring (a) group_right () bar"},
      {"foo / ignoring() group_left bar", "foo / ignoring () group_left () bar"},
      {"foo + ON(a) GROUP_LEFT(b) bar", "foo + on (a) group_left (b) bar"},
      {"foo > bool bar", "foo > bool bar"},
      {"1 > bool 2", "1 > bool 2"},
      {"foo == 1", "foo == 1"},
      {"foo and on() bar", "foo and on () bar"},
      {"foo or ignoring(x) bar", "foo or ignoring (x) bar"},
      {"foo unless bar", "foo unless bar"},
      {"foo + on() 1", "foo + 1"},
      {"foo atan2 bar", "foo atan2 bar"},
      {"foo%2!=0", "foo % 2 != 0"},
      {"(foo)", "(foo)"},
      {"((1))", "((1))"},
      {"-(1)", "-(1)"},
      {"+foo", "+foo"},
      // Literals.
      {"1", "1"},
      {"1.5", "1.5"},
      {".5", "0.5"},
      {"5.", "5"},
      {"1e3", "1000"},
      {"1E-3", "0.001"},
      {"0x1F", "31"},
      {"0X10", "16"},
      {"017", "15"},  // Go's ParseInt(s, 0, 64), as Prometheus
      {"09", "9"},
      {"1e100", "1e+100"},
      {"123456789012", "123456789012"},
      {"Inf", "Inf"},
      {"-inf", "-Inf"},
      {"NaN", "NaN"},
      {"+5", "5"},
      {"-5", "-5"},
      {"- -5", "5"},
      {"\"foo\"", "\"foo\""},
      {"'a\"b'", "\"a\\\"b\""},
      {"`a\\nb`", "\"a\\\\nb\""},
      {"\"\\x41\\u00e9\\101\\U0001F600\"",
       "\"A\xC3\xA9"
       "A\xF0\x9F\x98\x80\""},
      {"\"tab\\there\\a\\b\\f\\r\\v\\\\\"", "\"tab\\there\\a\\b\\f\\r\\v\\\\\""},
      {"'it\\'s'", "\"it's\""},
      {"\"\\xff\\x01\"", "\"\\xff\\x01\""},
      // Whitespace and comments.
      {"sum(foo) # the total\n", "sum(foo)"},
      {"# leading comment\nsum by (job)\n  (\n    foo\n  )", "sum by (job) (foo)"},
  };
  for (const Valid& c : cases) EXPECT_EQ(canonical(c.query), c.canonical) << c.query;
}

// Binary and unary nodes in explicit parentheses, the rest in canonical form.
std::string tree(const Expr& e, NodeId id) {
  const Node& n = e.node(id);
  if (n.kind() == NodeKind::kBinary) {
    const Binary& b = n.as<Binary>();
    return "(" + tree(e, b.lhs) + " " + std::string(binaryOpText(b.op)) +
           (b.return_bool ? " bool " : " ") + tree(e, b.rhs) + ")";
  }
  if (n.kind() == NodeKind::kUnary) {
    const Unary& u = n.as<Unary>();
    return std::string("(") + (u.op == UnaryOp::kMinus ? "-" : "+") + tree(e, u.expr) + ")";
  }
  return toString(e, id);
}

TEST(PromqlParser, Precedence) {
  const Valid cases[] = {
      {"1 + 2 * 3 ^ 2 ^ 2", "(1 + (2 * (3 ^ (2 ^ 2))))"},
      {"-2 ^ 2", "(-(2 ^ 2))"},
      {"2 ^ -1", "(2 ^ -1)"},
      {"-a * b", "((-a) * b)"},
      {"-a ^ b", "(-(a ^ b))"},
      {"a ^ -b ^ c", "(a ^ (-(b ^ c)))"},
      {"a - b - c", "((a - b) - c)"},
      {"a / b * c % d", "(((a / b) * c) % d)"},
      {"a atan2 b * c", "((a atan2 b) * c)"},
      {"a + b * c", "(a + (b * c))"},
      {"a == b + c", "(a == (b + c))"},
      {"a + b > bool c or d", "(((a + b) > bool c) or d)"},
      {"a or b and c", "(a or (b and c))"},
      {"a and b unless c", "((a and b) unless c)"},
      {"a or b or c", "((a or b) or c)"},
      {"a < b == c", "((a < b) == c)"},
      {"1 - -1", "(1 - -1)"},
      {"1 + 2 * -3 + 4", "((1 + (2 * -3)) + 4)"},
      {"-foo offset 5m", "(-foo offset 5m)"},
      {"(a + b) * c", "((a + b) * c)"},
  };
  for (const Valid& c : cases) {
    Result<Expr> e = parse(c.query);
    ASSERT_TRUE(e.isOk()) << c.query << ": " << e.status().message();
    EXPECT_EQ(tree(*e, e->root()), c.canonical) << c.query;
  }
}

TEST(PromqlParser, AstFields) {
  Result<Expr> e = parse("sum by (job) (rate(foo{a=~\"b.*\"}[5m] offset -1m @ 100.25))");
  ASSERT_TRUE(e.isOk()) << e.status().message();
  EXPECT_EQ(e->type(), ValueType::kVector);
  const auto& agg = e->rootNode().as<Aggregate>();
  EXPECT_EQ(agg.op, AggregateOp::kSum);
  EXPECT_FALSE(agg.without);
  EXPECT_EQ(agg.grouping, std::vector<std::string>{"job"});
  EXPECT_EQ(agg.param, kNoNode);
  const Node& call = e->node(agg.expr);
  ASSERT_EQ(call.kind(), NodeKind::kCall);
  EXPECT_EQ(call.pos, 14u);
  ASSERT_EQ(call.as<Call>().args.size(), 1u);
  const Node& matrix = e->node(call.as<Call>().args[0]);
  ASSERT_EQ(matrix.kind(), NodeKind::kMatrixSelector);
  EXPECT_EQ(matrix.type, ValueType::kMatrix);
  EXPECT_EQ(matrix.as<MatrixSelector>().range_ms, 300'000);
  const auto& vs = e->node(matrix.as<MatrixSelector>().selector).as<VectorSelector>();
  EXPECT_EQ(vs.name, "foo");
  ASSERT_EQ(vs.matchers.size(), 1u);
  EXPECT_EQ(vs.matchers[0].name, "a");
  EXPECT_EQ(vs.matchers[0].op, MatchOp::kRegexMatch);
  EXPECT_EQ(vs.matchers[0].value, "b.*");
  EXPECT_EQ(vs.offset_ms, -60'000);
  EXPECT_EQ(vs.at.kind, AtModifier::Kind::kTimestamp);
  EXPECT_EQ(vs.at.timestamp_ms, 100'250);

  Result<Expr> b = parse("a / on(x) group_left(y) b");
  ASSERT_TRUE(b.isOk());
  const auto& bin = b->rootNode().as<Binary>();
  EXPECT_EQ(bin.card, Cardinality::kManyToOne);
  EXPECT_TRUE(bin.on);
  EXPECT_EQ(bin.labels, std::vector<std::string>{"x"});
  EXPECT_EQ(bin.include, std::vector<std::string>{"y"});
  EXPECT_EQ(bin.op_pos, 2u);

  Result<Expr> set = parse("a and b");
  ASSERT_TRUE(set.isOk());
  EXPECT_EQ(set->rootNode().as<Binary>().card, Cardinality::kManyToMany);

  Result<Expr> sub = parse("rate(foo[5m])[1h:30s] offset 5m");
  ASSERT_TRUE(sub.isOk());
  const auto& sq = sub->rootNode().as<Subquery>();
  EXPECT_EQ(sq.range_ms, 3'600'000);
  EXPECT_EQ(sq.step_ms, 30'000);
  EXPECT_EQ(sq.offset_ms, 300'000);

  struct TypeCase {
    std::string_view query;
    ValueType type;
  };
  const TypeCase types[] = {
      {"1", ValueType::kScalar},           {"\"s\"", ValueType::kString},
      {"foo", ValueType::kVector},         {"foo[1m]", ValueType::kMatrix},
      {"foo[1m:]", ValueType::kMatrix},    {"time() * 2", ValueType::kScalar},
      {"scalar(foo)", ValueType::kScalar}, {"foo * 2", ValueType::kVector},
      {"-(1 + 2)", ValueType::kScalar},    {"(foo[5m])", ValueType::kMatrix},
  };
  for (const TypeCase& c : types) {
    Result<Expr> t = parse(c.query);
    ASSERT_TRUE(t.isOk()) << c.query;
    EXPECT_EQ(t->type(), c.type) << c.query;
  }
}

struct Invalid {
  std::string_view query;
  std::string_view message;
};

TEST(PromqlParser, InvalidQueriesNameTheColumn) {
  const Invalid cases[] = {
      // Selectors.
      {"rate(foo[])", "1:10: parse error: missing unit character in duration"},
      {"foo[5]", "1:5: parse error: missing unit character in duration"},
      {"foo[5m", "1:7: parse error: unclosed left bracket"},
      {"foo{a=\"b\"", "1:10: parse error: unexpected end of input inside braces"},
      {"foo{a}",
       "1:6: parse error: unexpected \"}\" in label matching, expected label matching operator"},
      {"foo{a=\"b\" c=\"d\"}",
       "1:11: parse error: unexpected identifier \"c\" in label matching, expected \",\" or \"}\""},
      {"foo{a=1}", "1:7: parse error: unexpected character inside braces: '1'"},
      {"foo{a=b}",
       "1:7: parse error: unexpected identifier \"b\" in label matching, expected string"},
      {"{}", "1:1: parse error: vector selector must contain at least one non-empty matcher"},
      {"{a=\"\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher"},
      {"{a=~\".*\"}",
       "1:1: parse error: vector selector must contain at least one non-empty matcher"},
      {"{a!~\".+\"}",
       "1:1: parse error: vector selector must contain at least one non-empty matcher"},
      {"foo{__name__=\"bar\"}",
       "1:1: parse error: metric name must not be set twice: \"foo\" or \"bar\""},
      {"foo{a=~\"(\"}", "1:5: parse error: error parsing regexp: missing closing ): `^(?:()$`"},
      {"foo{a=\"b\"}{c=\"d\"}", "1:11: parse error: unexpected \"{\""},
      // Functions.
      {"rate(foo)",
       "1:6: parse error: expected type range vector in call to function \"rate\", got instant "
       "vector"},
      {"abs(foo[5m])",
       "1:5: parse error: expected type instant vector in call to function \"abs\", got range "
       "vector"},
      {"rate(foo[5m], 1)", "1:1: parse error: expected 1 argument(s) in call to \"rate\", got 2"},
      {"time(1)", "1:1: parse error: expected 0 argument(s) in call to \"time\", got 1"},
      {"round()", "1:1: parse error: expected at least 1 argument(s) in call to \"round\", got 0"},
      {"round(foo, 1, 2)",
       "1:1: parse error: expected at most 2 argument(s) in call to \"round\", got 3"},
      {"label_join(up, \"a\")",
       "1:1: parse error: expected at least 3 argument(s) in call to \"label_join\", got 2"},
      {"label_replace(up, \"a\", \"b\", \"c\", 1)",
       "1:34: parse error: expected type string in call to function \"label_replace\", got scalar"},
      {"histogram_quantile(foo, bar)",
       "1:20: parse error: expected type scalar in call to function \"histogram_quantile\", got "
       "instant vector"},
      {"foo_bar(1)", "1:1: parse error: unknown function with name \"foo_bar\""},
      {"Rate(foo[5m])", "1:1: parse error: unknown function with name \"Rate\""},
      {"rate(foo[5m],)", "1:13: parse error: trailing commas not allowed in function call args"},
      // Aggregations.
      {"sum()", "1:1: parse error: no arguments for aggregate expression provided"},
      {"topk(foo)",
       "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, "
       "got 1"},
      {"sum(1, foo)",
       "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 1, "
       "got 2"},
      {"topk(\"a\", foo)",
       "1:6: parse error: expected type scalar in aggregation parameter, got string"},
      {"count_values(1, foo)",
       "1:14: parse error: expected type string in aggregation parameter, got scalar"},
      {"sum(foo[5m])",
       "1:5: parse error: expected type instant vector in aggregation expression, got range "
       "vector"},
      {"sum by (job) (foo) by (x)", "1:20: parse error: unexpected <by>"},
      {"sum foo", "1:5: parse error: unexpected identifier \"foo\""},
      {"sum by job (foo)",
       "1:8: parse error: unexpected identifier \"job\" in grouping opts, expected \"(\""},
      {"sum by (a:b) (foo)",
       "1:9: parse error: unexpected metric identifier \"a:b\" in grouping opts, expected label"},
      // Binary operators.
      {"1 > 2", "1:3: parse error: comparisons between scalars must use BOOL modifier"},
      {"foo + bool bar",
       "1:5: parse error: bool modifier can only be used on comparison operators"},
      {"foo and 1",
       "1:1: parse error: set operator \"and\" not allowed in binary scalar expression"},
      {"1 or foo", "1:1: parse error: set operator \"or\" not allowed in binary scalar expression"},
      {"foo and on(a) group_left bar",
       "1:1: parse error: no grouping allowed for \"and\" operation"},
      {"foo + on(a) group_left(a) bar",
       "1:5: parse error: label \"a\" must not occur in ON and GROUP clause at once"},
      {"1 + on(a) foo", "1:1: parse error: vector matching only allowed between instant vectors"},
      {"foo[5m] + 1",
       "1:1: parse error: binary expression must contain only scalar and instant vector types"},
      {"1 + \"a\"",
       "1:5: parse error: binary expression must contain only scalar and instant vector types"},
      {"foo + group_left bar", "1:7: parse error: unexpected <group_left>"},
      {"foo + on bar",
       "1:10: parse error: unexpected identifier \"bar\" in grouping opts, expected \"(\""},
      {"-foo[5m]",
       "1:1: parse error: unary expression only allowed on expressions of type scalar or instant "
       "vector, got \"range vector\""},
      {"-\"a\"",
       "1:1: parse error: unary expression only allowed on expressions of type scalar or instant "
       "vector, got \"string\""},
      {"1 +", "1:4: parse error: unexpected end of input"},
      {"foo and", "1:8: parse error: unexpected end of input"},
      {"and foo", "1:5: parse error: unexpected identifier \"foo\""},
      {"(foo", "1:5: parse error: unclosed left parenthesis"},
      {"foo)", "1:5: parse error: unexpected right parenthesis ')'"},
      // Ranges, subqueries, offset, @.
      {"(foo)[5m]", "1:6: parse error: ranges only allowed for vector selectors"},
      {"rate(foo[5m])[5m]", "1:14: parse error: ranges only allowed for vector selectors"},
      {"foo offset 5m[5m]", "1:14: parse error: no offset modifiers allowed before range"},
      {"foo @ 1 [5m]", "1:9: parse error: no @ modifiers allowed before range"},
      {"foo[5m][5m:]",
       "1:1: parse error: subquery is only allowed on instant vector, got matrix instead"},
      {"1[5m:]",
       "1:1: parse error: subquery is only allowed on instant vector, got scalar instead"},
      {"foo[5m:1m:]", "1:10: parse error: unexpected colon ':'"},
      {"foo[5m:0s]", "1:8: parse error: duration must be greater than 0"},
      {"sum(foo) offset 5m",
       "1:1: parse error: offset modifier must be preceded by an instant vector selector or range "
       "vector selector or a subquery"},
      {"foo offset 5m offset 1m", "1:1: parse error: offset may not be set multiple times"},
      {"foo offset 5", "1:12: parse error: unexpected number \"5\" in offset, expected duration"},
      {"foo offset 0s", "1:12: parse error: duration must be greater than 0"},
      {"foo @ 1 @ 2", "1:1: parse error: @ <timestamp> may not be set multiple times"},
      {"(foo) @ 1",
       "1:1: parse error: @ modifier must be preceded by an instant vector selector or range "
       "vector selector or a subquery"},
      {"foo @ bar", "1:7: parse error: unexpected identifier \"bar\" in @, expected timestamp"},
      {"foo @ Inf", "1:1: parse error: timestamp out of bounds for @ modifier: +Inf"},
      // Lexing.
      {"foo[1h1y]", "1:5: parse error: bad duration syntax: \"1h1\""},
      {"foo[1.5m]", "1:5: parse error: not a valid duration string: \"1.5m\""},
      {"5m", "1:1: parse error: unexpected duration \"5m\""},
      {"0x",
       "1:1: parse error: error parsing number: strconv.ParseFloat: parsing \"0x\": invalid "
       "syntax"},
      {"1e",
       "1:1: parse error: error parsing number: strconv.ParseFloat: parsing \"1e\": invalid "
       "syntax"},
      {"\"abc", "1:1: parse error: unterminated quoted string"},
      {"`abc", "1:1: parse error: unterminated raw string"},
      {"\"\\q\"", "1:1: parse error: unknown escape sequence U+0071 'q'"},
      {"'a\\\"'", "1:1: parse error: unknown escape sequence U+0022 '\"'"},
      {"\"\\xZ1\"", "1:1: parse error: illegal character U+005A 'Z' in escape sequence"},
      {"\"\\uD800\"", "1:1: parse error: escape sequence is an invalid Unicode code point"},
      {"\"\377\"", "1:1: parse error: invalid UTF-8 rune"},
      {"foo $ bar", "1:5: parse error: unexpected character: '$'"},
      {"foo ! bar", "1:5: parse error: unexpected character after '!': ' '"},
      {"foo[5m:x]", "1:8: parse error: unexpected colon 'x'"},
      // Lines and columns.
      {"sum(\n  rate(foo)\n)",
       "2:8: parse error: expected type range vector in call to function \"rate\", got instant "
       "vector"},
      {"foo +\n\n   bar[5m]",
       "3:4: parse error: binary expression must contain only scalar and instant vector types"},
  };
  for (const Invalid& c : cases) {
    Result<Expr> e = parse(c.query);
    if (e.isOk()) {
      ADD_FAILURE() << c.query << " parsed as " << toString(*e);
      continue;
    }
    EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument) << c.query;
    EXPECT_EQ(e.status().message(), c.message) << c.query;
  }
}

TEST(PromqlParser, NestingIsBounded) {
  std::string deep = std::string(300, '(') + "1" + std::string(300, ')');
  Result<Expr> e = parse(deep);
  ASSERT_FALSE(e.isOk());
  EXPECT_EQ(e.status().message(), "1:201: parse error: expression nested too deeply");

  std::string wide = "1";
  for (int i = 0; i < 2000; ++i) wide += " + 1";
  e = parse(wide);
  ASSERT_FALSE(e.isOk());
  EXPECT_EQ(e.status().message(), "1:1: parse error: expression nested too deeply");

  std::string ok = std::string(100, '(') + "foo" + std::string(100, ')');
  EXPECT_TRUE(parse(ok).isOk());
  std::string chain = "a";
  for (int i = 0; i < 500; ++i) chain += " or a";
  EXPECT_TRUE(parse(chain).isOk());
}

}  // namespace
}  // namespace periscope::query::promql
