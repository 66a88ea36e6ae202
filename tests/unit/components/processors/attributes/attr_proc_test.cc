// The shared action engine (internal/attraction), table-driven per action: configs come from
// YAML so that value typing (bool/int/double/string, quoted or not) is covered too.
#include "components/processors/internal/attraction/attr_proc.h"

#include <gtest/gtest.h>

#include "components/processors/attributes/config.h"
#include "unit/components/processors/attributes/attr_test_util.h"

namespace periscope::components::attraction {
namespace {

using testing::AttrSpec;
using testing::boolean;
using testing::f64;
using testing::i64;
using testing::str;

std::shared_ptr<const AttrProc> procFor(const std::string& actions_yaml) {
  attributes::Config cfg;
  std::string err = testing::decodeConfig("actions:\n" + actions_yaml, cfg);
  EXPECT_EQ(err, "") << actions_yaml;
  auto proc = AttrProc::create(cfg.actions);
  EXPECT_TRUE(proc.isOk()) << proc.status().message();
  return proc.isOk() ? *proc : nullptr;
}

struct Case {
  std::string name;
  AttrSpec before;
  std::string actions;  // YAML list items
  std::string after;    // rendered
};

void runCases(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    Arena arena;
    model::Attributes attrs = testing::makeAttrs(arena, c.before);
    auto proc = procFor(c.actions);
    ASSERT_NE(proc, nullptr) << c.name;
    proc->process(arena, attrs);
    EXPECT_EQ(testing::render(attrs), c.after) << c.name;
  }
}

TEST(AttrProc, LiteralValuesAreTypedLikeTheCollectorsYaml) {
  runCases({
      {"bool", {}, "  - {key: v, action: insert, value: true}\n", "v=bool:true"},
      {"bool caps", {}, "  - {key: v, action: insert, value: FALSE}\n", "v=bool:false"},
      {"yes is a string", {}, "  - {key: v, action: insert, value: yes}\n", "v=str:yes"},
      {"int", {}, "  - {key: v, action: insert, value: 2245}\n", "v=int:2245"},
      {"negative int", {}, "  - {key: v, action: insert, value: -7}\n", "v=int:-7"},
      {"hex int", {}, "  - {key: v, action: insert, value: 0x1F}\n", "v=int:31"},
      {"underscored int", {}, "  - {key: v, action: insert, value: 1_000}\n", "v=int:1000"},
      {"double", {}, "  - {key: v, action: insert, value: 1.5}\n", "v=double:1.5"},
      {"exponent", {}, "  - {key: v, action: insert, value: 1e3}\n", "v=double:1000"},
      {"inf",
       {},
       "  - {key: v, action: insert, value: .inf}\n",
       "v=double:json: unsupported value: +Inf"},
      {"quoted int", {}, "  - {key: v, action: insert, value: \"2245\"}\n", "v=str:2245"},
      {"single-quoted bool", {}, "  - {key: v, action: insert, value: 'true'}\n", "v=str:true"},
      {"string", {}, "  - {key: v, action: insert, value: hello world}\n", "v=str:hello world"},
      {"version-like is a string",
       {},
       "  - {key: v, action: insert, value: 1.2.3}\n",
       "v=str:1.2.3"},
  });
}

TEST(AttrProc, InsertUpdateUpsert) {
  const AttrSpec base = {{"a", str("x")}, {"n", i64(1)}};
  runCases({
      {"insert absent", base, "  - {key: b, action: insert, value: y}\n",
       "a=str:x n=int:1 b=str:y"},
      {"insert present keeps", base, "  - {key: a, action: insert, value: y}\n", "a=str:x n=int:1"},
      {"update present", base, "  - {key: a, action: update, value: 3}\n", "a=int:3 n=int:1"},
      {"update absent does nothing", base, "  - {key: b, action: update, value: y}\n",
       "a=str:x n=int:1"},
      {"upsert present", base, "  - {key: n, action: upsert, value: false}\n",
       "a=str:x n=bool:false"},
      {"upsert absent", base, "  - {key: b, action: UPSERT, value: 0.25}\n",
       "a=str:x n=int:1 b=double:0.25"},
      {"from_attribute copies type", base, "  - {key: c, action: insert, from_attribute: n}\n",
       "a=str:x n=int:1 c=int:1"},
      {"from_attribute absent does nothing", base,
       "  - {key: c, action: upsert, from_attribute: missing}\n", "a=str:x n=int:1"},
      {"default_value when from_attribute is absent", base,
       "  - {key: c, action: upsert, from_attribute: missing, default_value: dflt}\n",
       "a=str:x n=int:1 c=str:dflt"},
      {"default_value unused when source exists", base,
       "  - {key: c, action: upsert, from_attribute: a, default_value: dflt}\n",
       "a=str:x n=int:1 c=str:x"},
      {"default_value alone", base, "  - {key: a, action: update, default_value: 7}\n",
       "a=int:7 n=int:1"},
      {"actions run in order", base,
       "  - {key: b, action: insert, value: one}\n"
       "  - {key: b, action: update, from_attribute: a}\n"
       "  - {key: a, action: delete}\n",
       "n=int:1 b=str:x"},
  });
}

TEST(AttrProc, DeleteByKeyAndPattern) {
  const AttrSpec base = {{"user.id", str("1")},
                         {"user.email", str("e")},
                         {"http.method", str("GET")},
                         {"db.user", str("u")}};
  runCases({
      {"key", base, "  - {key: http.method, action: delete}\n",
       "user.id=str:1 user.email=str:e db.user=str:u"},
      {"absent key", base, "  - {key: nope, action: delete}\n",
       "user.id=str:1 user.email=str:e http.method=str:GET db.user=str:u"},
      {"pattern is unanchored", base, "  - {pattern: user, action: delete}\n",
       "http.method=str:GET"},
      {"anchored pattern", base, "  - {pattern: ^user\\., action: delete}\n",
       "http.method=str:GET db.user=str:u"},
      {"key and pattern", base, "  - {key: http.method, pattern: email$, action: delete}\n",
       "user.id=str:1 db.user=str:u"},
  });
}

TEST(AttrProc, HashIsSha256OfTheCollectorsBytes) {
  runCases({
      {"string",
       {{"k", str("foo")}},
       "  - {key: k, action: hash}\n",
       "k=str:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"},
      {"int as 8 little-endian bytes",
       {{"k", i64(1)}},
       "  - {key: k, action: hash}\n",
       "k=str:7c9fa136d4413fa6173637e883b6998d32e1d675f88cddff9dcbcf331820f4b8"},
      {"double as its IEEE bits",
       {{"k", f64(1.5)}},
       "  - {key: k, action: hash}\n",
       "k=str:e163f8cb0f7067a7fc78ca859a77f849aea3214f38fb75b884e4a16be725c905"},
      {"bool true as one byte",
       {{"k", boolean(true)}},
       "  - {key: k, action: hash}\n",
       "k=str:4bf5122f344554c53bde2ebb8cd2b7e3d1600ad631c385a5d7cce23c7785459a"},
      {"bool false as one byte",
       {{"k", boolean(false)}},
       "  - {key: k, action: hash}\n",
       "k=str:6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"},
      {"empty string becomes empty", {{"k", str("")}}, "  - {key: k, action: hash}\n", "k=str:"},
      {"absent key", {{"k", str("foo")}}, "  - {key: other, action: hash}\n", "k=str:foo"},
      {"key that also matches the pattern is hashed twice, as in the collector",
       {{"k", str("foo")}},
       "  - {key: k, pattern: ^k$, action: hash}\n",
       "k=str:505221025f9701f8a05cc22cbafeec897598b2924a9d665cbc10f0073d66da20"},
      {"pattern",
       {{"a.secret", str("foo")}, {"b", str("foo")}, {"c.secret", i64(1)}},
       "  - {pattern: \\.secret$, action: hash}\n",
       "a.secret=str:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae b=str:foo "
       "c.secret=str:7c9fa136d4413fa6173637e883b6998d32e1d675f88cddff9dcbcf331820f4b8"},
  });
}

TEST(AttrProc, ExtractNamedGroupsUpsert) {
  runCases({
      {"groups become attributes",
       {{"http.url", str("http://example.com/path/v1/users/123")}, {"version", str("old")}},
       "  - key: http.url\n    action: extract\n"
       "    pattern: ^(?P<scheme>[a-z]+)://[^/]+/path/(?P<version>v\\d+)/users/(?P<id>\\d+)$\n",
       "http.url=str:http://example.com/path/v1/users/123 version=str:v1 scheme=str:http "
       "id=str:123"},
      {"no match does nothing",
       {{"u", str("abc")}},
       "  - {key: u, action: extract, pattern: '^(?P<d>\\d+)$'}\n",
       "u=str:abc"},
      {"unanchored, first match",
       {{"u", str("a1b22")}},
       "  - {key: u, action: extract, pattern: '(?P<d>\\d+)'}\n",
       "u=str:a1b22 d=str:1"},
      {"unmatched optional group is empty",
       {{"u", str("ab")}},
       "  - {key: u, action: extract, pattern: '(?P<a>a)(?P<x>x)?'}\n",
       "u=str:ab a=str:a x=str:"},
      {"non-string source is ignored",
       {{"u", i64(12)}},
       "  - {key: u, action: extract, pattern: '(?P<d>\\d+)'}\n",
       "u=int:12"},
      {"group may overwrite the source",
       {{"u", str("id=42")}},
       "  - {key: u, action: extract, pattern: 'id=(?P<u>\\d+)'}\n",
       "u=str:42"},
  });
}

TEST(AttrProc, ConvertFollowsTheCollectorsRules) {
  auto convert = [](model::AnyValue v, const std::string& to) -> Case {
    return {to, {{"k", v}}, "  - {key: k, action: convert, converted_type: " + to + "}\n", ""};
  };
  struct Row {
    model::AnyValue before;
    std::string to;
    std::string after;
  };
  const std::vector<Row> rows = {
      {str("123"), "int", "k=int:123"},
      {str("-42"), "int", "k=int:-42"},
      {str("+7"), "int", "k=int:7"},
      {str("12.5"), "int", "k=str:12.5"},  // not an integer: left as is
      {str(" 1"), "int", "k=str: 1"},
      {str("abc"), "int", "k=str:abc"},
      {str("9223372036854775808"), "int", "k=str:9223372036854775808"},
      {f64(12.9), "int", "k=int:12"},
      {f64(-12.9), "int", "k=int:-12"},
      {f64(1e300), "int", "k=int:-9223372036854775808"},
      {boolean(true), "int", "k=int:1"},
      {boolean(false), "int", "k=int:0"},
      {i64(5), "int", "k=int:5"},
      {str("1.5"), "double", "k=double:1.5"},
      {str("1e3"), "double", "k=double:1000"},
      {str("+2"), "double", "k=double:2"},
      {str("x1"), "double", "k=str:x1"},
      {i64(3), "double", "k=double:3"},
      {boolean(true), "double", "k=double:1"},
      {f64(0.5), "double", "k=double:0.5"},
      {i64(-3), "string", "k=str:-3"},
      {f64(0.1), "string", "k=str:0.1"},
      {f64(1e21), "string", "k=str:1e+21"},
      {f64(1e-7), "string", "k=str:1e-7"},
      {f64(123456789.0), "string", "k=str:123456789"},
      {boolean(false), "string", "k=str:false"},
      {str("s"), "string", "k=str:s"},
  };
  for (const Row& r : rows) {
    Case c = convert(r.before, r.to);
    c.after = r.after;
    c.name = r.to + " <- " + r.after;
    runCases({c});
  }
  runCases({{"absent key",
             {{"a", str("1")}},
             "  - {key: k, action: convert, converted_type: int}\n",
             "a=str:1"}});
}

TEST(AttrProc, ConfigErrorsUseTheCollectorsMessages) {
  struct Row {
    std::string actions;
    std::string error;
  };
  const std::vector<Row> rows = {
      {"  - {action: insert, value: 1}\n",
       "error creating AttrProc due to missing required field \"key\" at the 0-th actions"},
      {"  - {key: a, action: delete}\n  - {action: hash}\n",
       "error creating AttrProc due to missing required field (at least one of \"key\" and "
       "\"pattern\" have to be used) at the 1-th actions"},
      {"  - {key: a, action: rename}\n",
       "error creating AttrProc due to unsupported action \"rename\" at the 0-th actions"},
      {"  - {key: a, action: upsert}\n",
       "error creating AttrProc. Either field \"value\", \"from_attribute\" or \"from_context\" "
       "setting must be specified for 0-th action"},
      {"  - {key: a, action: insert, value: 1, from_attribute: b}\n",
       "error creating AttrProc due to multiple value sources being set at the 0-th actions"},
      {"  - {key: a, action: insert, value: 1, pattern: x}\n",
       "error creating AttrProc. Action \"insert\" does not use the \"pattern\" field. This must "
       "not be specified for 0-th action"},
      {"  - {key: a, action: update, value: 1, converted_type: int}\n",
       "error creating AttrProc. Action \"update\" does not use the \"converted_type\" field. "
       "This must not be specified for 0-th action"},
      {"  - {key: a, action: delete, value: 1}\n",
       "error creating AttrProc. Action \"delete\" does not use \"value\" or \"from_attribute\" "
       "field. These must not be specified for 0-th action"},
      {"  - {key: a, action: hash, pattern: '('}\n",
       "error creating AttrProc. Field \"pattern\" has invalid pattern: \"(\" to be set at the "
       "0-th actions: missing ): ("},
      {"  - {key: a, action: extract}\n",
       "error creating AttrProc due to missing required field \"pattern\" for action "
       "\"extract\" at the 0-th action"},
      {"  - {key: a, action: extract, pattern: 'a+'}\n",
       "error creating AttrProc. Field \"pattern\" contains no named matcher groups at the "
       "0-th actions"},
      {"  - {key: a, action: extract, pattern: '(?P<x>a)(b)'}\n",
       "error creating AttrProc. Field \"pattern\" contains at least one unnamed matcher group "
       "at the 0-th actions"},
      {"  - {key: a, action: extract, pattern: '(?P<x>a)', from_attribute: b}\n",
       "error creating AttrProc. Action \"extract\" does not use a value source field. These "
       "must not be specified for 0-th action"},
      {"  - {key: a, action: convert}\n",
       "error creating AttrProc due to missing required field \"converted_type\" for action "
       "\"convert\" at the 0-th action"},
      {"  - {key: a, action: convert, converted_type: bool}\n",
       "error creating AttrProc due to invalid value \"bool\" in field \"converted_type\" for "
       "action \"convert\" at the 0-th action"},
      {"  - {key: a, action: convert, converted_type: int, value: 1}\n",
       "error creating AttrProc. Action \"convert\" does not use value sources or \"pattern\" "
       "field. These must not be specified for 0-th action"},
      {"  - {key: a, action: insert, from_context: metadata.tenant}\n",
       "error creating AttrProc. Field \"from_context\" is not supported: Periscope does not "
       "pass request metadata to processors, at the 0-th actions"},
      {"  - {key: a, action: insert, value: [1, 2]}\n",
       "test.yaml:2:37: actions[0].value: expected a string, number or bool, got a list\n"},
      {"  - {key: a, action: insert, valeu: 1}\n",
       "test.yaml:2:30: actions[0].valeu: unknown key \"valeu\"; did you mean \"value\"?\n"},
  };
  for (const Row& r : rows) {
    attributes::Config cfg;
    EXPECT_EQ(testing::decodeConfig("actions:\n" + r.actions, cfg), r.error) << r.actions;
  }
}

}  // namespace
}  // namespace periscope::components::attraction
