#include "config/loader.h"

#include <gtest/gtest.h>

#include <map>

#include "config/duration.h"
#include "config/schema.h"
#include "config/suggest.h"

namespace periscope::config {
namespace {

EnvLookup fakeEnv(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(Loader, RecordsPathsAndPositions) {
  Diagnostics d;
  Value v = loadYamlString("a:\n  b:\n    - x\n    - y: 1\n", "f.yaml", d, fakeEnv({}));
  ASSERT_TRUE(d.ok()) << d.format();
  const Value* b = v.find("a")->find("b");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->path, "a.b");
  ASSERT_EQ(b->items.size(), 2u);
  EXPECT_EQ(b->items[1].find("y")->path, "a.b[1].y");
  EXPECT_EQ(b->items[1].find("y")->mark.line, 4);
  EXPECT_EQ(b->items[1].find("y")->mark.column, 10);
  EXPECT_EQ(b->items[0].scalar, "x");
}

TEST(Loader, RemembersQuotedScalars) {
  Diagnostics d;
  Value v = loadYamlString("a: 42\nb: \"42\"\nc: 'x'\nd: |\n  text\ne: ${env:N}\nf: \"${env:N}\"\n",
                           "f.yaml", d, fakeEnv({{"N", "7"}}));
  ASSERT_TRUE(d.ok()) << d.format();
  EXPECT_FALSE(v.find("a")->quoted);
  EXPECT_TRUE(v.find("b")->quoted);
  EXPECT_TRUE(v.find("c")->quoted);
  EXPECT_EQ(v.find("c")->mark.column, 4);  // the quote: OTTL errors add the text offset
  EXPECT_TRUE(v.find("d")->quoted);        // block scalars are text too
  EXPECT_FALSE(v.find("e")->quoted);
  EXPECT_EQ(v.find("e")->scalar, "7");
  EXPECT_TRUE(v.find("f")->quoted);
}

TEST(Loader, ExpandsEnvironmentVariables) {
  Diagnostics d;
  Value v = loadYamlString(
      "a: ${env:HOST}:${PORT}\nb: ${env:MISSING:-fallback}\nc: $${env:HOST}\nd: x${EMPTY}y\n",
      "f.yaml", d, fakeEnv({{"HOST", "10.0.0.1"}, {"PORT", "4317"}, {"EMPTY", ""}}));
  ASSERT_TRUE(d.ok()) << d.format();
  EXPECT_EQ(v.find("a")->scalar, "10.0.0.1:4317");
  EXPECT_EQ(v.find("b")->scalar, "fallback");
  EXPECT_EQ(v.find("c")->scalar, "${env:HOST}");
  EXPECT_EQ(v.find("d")->scalar, "xy");
}

TEST(Loader, ReportsUnsetVariableAtItsLine) {
  Diagnostics d;
  loadYamlString("a: 1\nb: ${env:NOPE}\n", "f.yaml", d, fakeEnv({}));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d.all()[0].toString(),
            "f.yaml:2:4: b: environment variable NOPE is not set (use ${env:NOPE:-default} for a "
            "default)");
}

TEST(Loader, ReportsSyntaxErrorWithPosition) {
  Diagnostics d;
  loadYamlString("a: [1, 2\nb: 3\n", "bad.yaml", d, fakeEnv({}));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d.all()[0].file, "bad.yaml");
  EXPECT_GT(d.all()[0].mark.line, 0);
  EXPECT_NE(d.all()[0].message.find("YAML syntax error"), std::string::npos);
}

TEST(Loader, ReportsDuplicateKeys) {
  Diagnostics d;
  loadYamlString("a: 1\na: 2\n", "f.yaml", d, fakeEnv({}));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d.all()[0].toString(), "f.yaml:2:1: a: duplicate key");
}

TEST(Duration, ParsesGoStyle) {
  EXPECT_EQ(parseDuration("200ms")->count(), 200'000'000);
  EXPECT_EQ(parseDuration("1m30s")->count(), 90'000'000'000);
  EXPECT_EQ(parseDuration("1.5s")->count(), 1'500'000'000);
  EXPECT_EQ(parseDuration("0")->count(), 0);
  EXPECT_FALSE(parseDuration("5 seconds"));
  EXPECT_FALSE(parseDuration("5"));
  EXPECT_FALSE(parseDuration(""));
  EXPECT_EQ(formatDuration(std::chrono::milliseconds(200)), "200ms");
  EXPECT_EQ(formatDuration(std::chrono::minutes(2)), "2m");
}

TEST(Suggest, FindsCloseMatches) {
  EXPECT_EQ(editDistance("endpiont", "endpoint"), 1u);
  EXPECT_EQ(closestMatch("endpiont", {"endpoint", "headers"}), "endpoint");
  EXPECT_EQ(closestMatch("zzzzzz", {"endpoint", "headers"}), "");
  EXPECT_EQ(unknownMessage("key", "timout", {"timeout"}),
            "unknown key \"timout\"; did you mean \"timeout\"?");
}

struct Inner {
  int n = 3;
  static const Schema<Inner>& schema() {
    static const auto s = Schema<Inner>().field("n", &Inner::n, "a number");
    return s;
  }
};

struct Sample {
  bool flag = false;
  uint32_t count = 7;
  double ratio = 0.5;
  std::string mode = "a";
  Duration wait = std::chrono::seconds(1);
  std::vector<std::string> names;
  std::map<std::string, std::string> headers;
  Inner inner;
  std::optional<Inner> maybe;
  static const Schema<Sample>& schema() {
    static const auto s = Schema<Sample>()
                              .field("flag", &Sample::flag, "")
                              .field("count", &Sample::count, "")
                              .field("ratio", &Sample::ratio, "")
                              .choice("mode", &Sample::mode, {"a", "b"}, "")
                              .field("wait", &Sample::wait, "")
                              .field("names", &Sample::names, "")
                              .field("headers", &Sample::headers, "")
                              .field("inner", &Sample::inner, "")
                              .field("maybe", &Sample::maybe, "");
    return s;
  }
};

TEST(Schema, DecodesEveryFieldType) {
  Diagnostics d;
  Value v = loadYamlString(
      "flag: true\ncount: 12\nratio: 0.25\nmode: b\nwait: 250ms\nnames: [x, y]\nheaders: {a: "
      "b}\ninner: {n: 9}\nmaybe:\n",
      "s.yaml", d, fakeEnv({}));
  Sample s;
  Sample::schema().decode(v, s, d);
  ASSERT_TRUE(d.ok()) << d.format();
  EXPECT_TRUE(s.flag);
  EXPECT_EQ(s.count, 12u);
  EXPECT_DOUBLE_EQ(s.ratio, 0.25);
  EXPECT_EQ(s.mode, "b");
  EXPECT_EQ(s.wait, std::chrono::milliseconds(250));
  EXPECT_EQ(s.names, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(s.headers.at("a"), "b");
  EXPECT_EQ(s.inner.n, 9);
  ASSERT_TRUE(s.maybe.has_value());
  EXPECT_EQ(s.maybe->n, 3);  // present but empty → defaults
}

TEST(Schema, ReportsEveryErrorWithPosition) {
  Diagnostics d;
  Value v = loadYamlString(
      "flag: maybe\ncount: -1\nmode: c\nwait: 5 seconds\ncuont: 3\ninner: {n: x}\nnames: 5\n",
      "s.yaml", d, fakeEnv({}));
  Sample s;
  Sample::schema().decode(v, s, d);
  EXPECT_EQ(d.format(),
            "s.yaml:1:7: flag: expected true or false, got \"maybe\"\n"
            "s.yaml:2:8: count: value -1 out of range [0, 4294967295]\n"
            "s.yaml:3:7: mode: invalid value \"c\"; expected one of a, b\n"
            "s.yaml:4:7: wait: expected a duration such as 200ms, 5s or 1m30s, got \"5 seconds\"\n"
            "s.yaml:5:1: cuont: unknown key \"cuont\"; did you mean \"count\"?\n"
            "s.yaml:6:12: inner.n: expected an integer, got \"x\"\n"
            "s.yaml:7:8: names: expected a list, got a scalar\n");
  EXPECT_EQ(s.count, 7u);  // bad values leave defaults in place
}

TEST(Schema, DocsListFieldsWithDefaults) {
  auto docs = Sample::schema().docs();
  ASSERT_EQ(docs.size(), 9u);
  EXPECT_EQ(docs[1].name, "count");
  EXPECT_EQ(docs[1].default_value, "7");
  EXPECT_EQ(docs[4].type, "duration");
  EXPECT_EQ(docs[4].default_value, "1s");
  ASSERT_EQ(docs[7].children.size(), 1u);
  EXPECT_EQ(docs[7].children[0].name, "n");
}

}  // namespace
}  // namespace periscope::config
