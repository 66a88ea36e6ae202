// Table-driven tests of every redaction key, the summary attributes and log bodies.
#include "components/processors/redaction/redactor.h"

#include <gtest/gtest.h>

#include <functional>

#include "redaction_test_support.h"

namespace periscope::components::redaction {
namespace {

using test::attrs;
using test::show;
using test::str;

struct KeyCase {
  std::string name;
  std::function<void(Config&)> configure;
  std::vector<std::pair<std::string, std::string>> input;
  std::string expected;
};

class RedactionKeys : public ::testing::TestWithParam<KeyCase> {};

TEST_P(RedactionKeys, RedactsAttributes) {
  const KeyCase& c = GetParam();
  Config config;
  c.configure(config);
  auto redactor = test::make(config);
  ASSERT_NE(redactor, nullptr);
  Arena arena;
  auto list = arena.allocArray<model::KeyValue>(c.input.size());
  for (size_t i = 0; i < c.input.size(); ++i) {
    list[i] = {arena.copy(c.input[i].first), str(arena, c.input[i].second)};
  }
  model::Attributes a = list;
  redactor->redactAttributes(arena, a);
  EXPECT_EQ(show(a), c.expected);
}

std::vector<KeyCase> keyCases() {
  return {
      {"FailClosedWithoutAllowedKeys", [](Config&) {}, {{"a", "1"}, {"b", "2"}}, ""},
      {"AllowedKeysKeepsOnlyListed",
       [](Config& c) {
         c.allowed_keys = {"a", "c"};
       },
       {{"a", "1"}, {"b", "2"}, {"c", "3"}},
       "a=1; c=3"},
      {"AllowAllKeys",
       [](Config& c) { c.allow_all_keys = true; },
       {{"a", "1"}, {"b", "2"}},
       "a=1; b=2"},
      {"IgnoredKeysPassUntouched",
       [](Config& c) {
         c.ignored_keys = {"secret"};
         c.blocked_values = {"x+"};
       },
       {{"secret", "xxx"}, {"other", "xxx"}},
       "secret=xxx"},
      {"IgnoredKeyPatterns",
       [](Config& c) { c.ignored_key_patterns = {"^safe\\."}; },
       {{"safe.a", "1"}, {"unsafe.b", "2"}},
       "safe.a=1"},
      {"BlockedKeyPatternsMaskWholeValue",
       [](Config& c) {
         c.allow_all_keys = true;
         c.blocked_key_patterns = {".*token.*", ".*api_key.*"};
       },
       {{"api_token", "abc 123"}, {"my_api_key", "k"}, {"name", "bob"}},
       "api_token=****; my_api_key=****; name=bob"},
      {"BlockedValuesMaskMatchingParts",
       [](Config& c) {
         c.allow_all_keys = true;
         c.blocked_values = {"4[0-9]{12}(?:[0-9]{3})?", "a[0-9]"};
       },
       {{"note", "card 4111111111111111 ok"}, {"list", "a1 b2 a3"}, {"clean", "b4"}},
       "note=card **** ok; list=**** b2 ****; clean=b4"},
      {"OverlappingMatchesMaskedOnce",
       [](Config& c) {
         c.allow_all_keys = true;
         c.blocked_values = {"abc", "bcd"};
       },
       {{"v", "xabcdx"}},
       "v=x****x"},
      {"AllowedValuesWinOverBlocked",
       [](Config& c) {
         c.allow_all_keys = true;
         c.blocked_values = {"mycompany\\.com"};
         c.allowed_values = {"support\\.mycompany\\.com"};
       },
       {{"e1", "support.mycompany.com"}, {"e2", "sales.mycompany.com"}},
       "e1=support.mycompany.com; e2=sales.****"},
      {"AllowedValuesWinOverDetectors",
       [](Config& c) {
         c.allow_all_keys = true;
         c.detectors = {"email"};
         c.allowed_values = {"@mycompany\\.com$"};
       },
       {{"a", "ops@mycompany.com"}, {"b", "eve@other.org"}},
       "a=ops@mycompany.com; b=****"},
      {"HashMd5",
       [](Config& c) {
         c.allow_all_keys = true;
         c.blocked_values = {"secret"};
         c.hash_function = "md5";
       },
       {{"v", "my secret!"}},
       "v=my 5ebe2294ecd0e0f08eab7690d2a6ee69!"},
      {"HashSha1",
       [](Config& c) {
         c.allow_all_keys = true;
         c.blocked_values = {"secret"};
         c.hash_function = "sha1";
       },
       {{"v", "secret"}},
       "v=e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4"},
      {"HashSha3OfBlockedKey",
       [](Config& c) {
         c.allow_all_keys = true;
         c.blocked_key_patterns = {"password"};
         c.hash_function = "sha3";
       },
       {{"password", "secret"}},
       "password=f5a5207a8729b1f709cb710311751eb2fc8acad5a1fb8ac991b736e69b6529a3"},
      {"HashAppliesToDetectorsAndUrls",
       [](Config& c) {
         c.allow_all_keys = true;
         c.detectors = {"email"};
         c.url_sanitizer.enabled = true;
         c.hash_function = "md5";
       },
       {{"to", "mail a@b.io"}, {"url.full", "https://h/?t=abc"}},
       "to=mail b5830a1eaa118aa65dd344c6ae34649b; "
       "url.full=https://h/?t=900150983cd24fb0d6963f7d28e17f72"},
      {"UrlSanitizerDefaultAttributes",
       [](Config& c) {
         c.allow_all_keys = true;
         c.url_sanitizer.enabled = true;
       },
       {{"url.full", "https://u:pw@h.example/p/a?token=abc&x=1&flag&e=#frag"},
        {"http.url", "http://h/p?q=1;r=2"},
        {"link", "https://h/p?token=abc"}},
       "url.full=https://****:****@h.example/p/a?token=****&x=****&flag&e=#frag; "
       "http.url=http://h/p?q=****;r=****; link=https://h/p?token=abc"},
      {"UrlSanitizerConfiguredAttributes",
       [](Config& c) {
         c.allow_all_keys = true;
         c.url_sanitizer.enabled = true;
         c.url_sanitizer.attributes = {"my.url"};
       },
       {{"my.url", "/search?q=private"}, {"url.full", "https://h/?a=b"}},
       "my.url=/search?q=****; url.full=https://h/?a=b"},
      {"UrlSanitizerDisabledByDefault",
       [](Config& c) { c.allow_all_keys = true; },
       {{"url.full", "https://h/?a=b"}},
       "url.full=https://h/?a=b"},
      {"SqlSanitizerDefaultAttributes",
       [](Config& c) {
         c.allow_all_keys = true;
         c.db_sanitizer.sql.enabled = true;
       },
       {{"db.statement",
         "SELECT * FROM t1 WHERE name = 'O''Brien' AND age > 42 AND x = -1.5e3 AND h = 0x1F"},
        {"db.query.text", "select \"col1\" from `t2` where v in (1, 2) -- note 7"},
        {"other", "age > 42"}},
       "db.statement=SELECT * FROM t1 WHERE name = ? AND age > ? AND x = -? AND h = ?; "
       "db.query.text=select ? from `t2` where v in (?, ?) -- ?; other=age > 42"},
      {"SqlSanitizerDoubleQuotedIdentifiers",
       [](Config& c) {
         c.allow_all_keys = true;
         c.db_sanitizer.sql.enabled = true;
         c.db_sanitizer.sql.double_quoted_identifiers = true;
       },
       {{"db.statement", "select \"col1\" from \"T\" where v = 'x' -- note"}},
       "db.statement=select \"col1\" from \"T\" where v = ? -- ?"},
      {"SqlSanitizerConfiguredAttributes",
       [](Config& c) {
         c.allow_all_keys = true;
         c.db_sanitizer.sql.enabled = true;
         c.db_sanitizer.sql.attributes = {"query"};
       },
       {{"query", "DELETE FROM x WHERE id=7"}, {"db.statement", "id=7"}},
       "query=DELETE FROM x WHERE id=?; db.statement=id=7"},
      {"SanitizersBeforeValuePatterns",
       [](Config& c) {
         c.allow_all_keys = true;
         c.detectors = {"email"};
         c.blocked_values = {"password=\\S+"};
         c.url_sanitizer.enabled = true;
         c.db_sanitizer.sql.enabled = true;
       },
       // Value patterns first would mask `x-oauth-basic@github.com` (hiding the user-info) and
       // `password=abc',` (moving where the next literal starts): the token would be kept.
       {{"url.full", "https://tok3n:x-oauth-basic@github.com/o"},
        {"db.statement", "INSERT INTO t VALUES ('password=abc', 'secret2') -- by bob"},
        {"db.query.text", "SELECT 1 FROM t WHERE owner = bob@example.com"}},
       "url.full=https://****:****@github.com/o; db.statement=INSERT INTO t VALUES (?, ?) -- ?; "
       "db.query.text=SELECT ? FROM t WHERE owner = ****"},
  };
}

INSTANTIATE_TEST_SUITE_P(Keys, RedactionKeys, ::testing::ValuesIn(keyCases()),
                         [](const auto& info) { return info.param.name; });

TEST(Redaction, RedactAllTypesScansNonStrings) {
  Config c;
  c.allow_all_keys = true;
  c.detectors = {"credit_card"};
  Arena arena;
  auto input = [&] {
    return attrs(arena, {{"card", model::AnyValue::integer(4111111111111111)},
                         {"n", model::AnyValue::integer(42)},
                         {"ok", model::AnyValue::boolean(true)}});
  };
  model::Attributes a = input();
  test::make(c)->redactAttributes(arena, a);
  EXPECT_EQ(show(a), "card=i:4111111111111111; n=i:42; ok=true");
  c.redact_all_types = true;
  a = input();
  test::make(c)->redactAttributes(arena, a);
  EXPECT_EQ(show(a), "card=****; n=i:42; ok=true");
}

TEST(Redaction, StringsNestedInArrayAndMapAttributesAreScanned) {
  Config c;
  c.allow_all_keys = true;
  c.detectors = {"email"};
  Arena arena;
  model::Attributes a =
      attrs(arena,
            {{"list", test::array(arena, {str(arena, "a@b.io"), str(arena, "x")})},
             {"map", test::kvlist(arena, {{"to", str(arena, "c@d.io")}, {"n", str(arena, "y")}})}});
  test::make(c)->redactAttributes(arena, a);
  EXPECT_EQ(show(a), "list=[****,x]; map={to=****,n=y}");
}

struct SummaryCase {
  std::string level;
  std::string expected;
};

class RedactionSummary : public ::testing::TestWithParam<SummaryCase> {};

TEST_P(RedactionSummary, AddsTheCollectorsAttributes) {
  Config c;
  c.allowed_keys = {"a", "b", "c"};
  c.ignored_keys = {"ig"};
  c.blocked_values = {"x+"};
  c.allowed_values = {"^ok"};
  c.summary = GetParam().level;
  Arena arena;
  model::Attributes a = attrs(arena, {{"a", str(arena, "xx")},
                                      {"e", str(arena, "gone")},
                                      {"b", str(arena, "ok x")},
                                      {"c", str(arena, "plain")},
                                      {"d", str(arena, "gone")},
                                      {"ig", str(arena, "x")}});
  test::make(c)->redactAttributes(arena, a);
  EXPECT_EQ(show(a), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Levels, RedactionSummary,
    ::testing::Values(SummaryCase{"silent", "a=****; b=ok x; c=plain; ig=x"},
                      SummaryCase{"info",
                                  "a=****; b=ok x; c=plain; ig=x; redaction.redacted.count=i:2; "
                                  "redaction.masked.count=i:1; redaction.allowed.count=i:1; "
                                  "redaction.ignored.count=i:1"},
                      SummaryCase{"debug",
                                  "a=****; b=ok x; c=plain; ig=x; redaction.redacted.keys=d,e; "
                                  "redaction.redacted.count=i:2; redaction.masked.keys=a; "
                                  "redaction.masked.count=i:1; redaction.allowed.keys=b; "
                                  "redaction.allowed.count=i:1; redaction.ignored.count=i:1"}),
    [](const auto& info) { return info.param.level; });

TEST(Redaction, SummaryMergesWithAnEarlierRedactionProcessor) {
  Config c;
  c.allow_all_keys = true;
  c.blocked_values = {"x"};
  c.summary = "debug";
  Arena arena;
  model::Attributes a = attrs(arena, {{"redaction.masked.keys", str(arena, "z")},
                                      {"redaction.masked.count", model::AnyValue::integer(1)},
                                      {"a", str(arena, "x")}});
  test::make(c)->redactAttributes(arena, a);
  EXPECT_EQ(show(a), "redaction.masked.keys=a,z; redaction.masked.count=i:2; a=****");
}

TEST(Redaction, IncomingSummaryAttributesFollowTheAllowList) {
  Config c;  // fail-closed: a client's redaction.* attributes are removed like any other key
  c.allowed_keys = {"k"};
  c.summary = "info";
  Arena arena;
  model::Attributes a = attrs(arena, {{"redaction.masked.keys", str(arena, "hunter2")},
                                      {"redaction.redacted.count", model::AnyValue::integer(3)},
                                      {"k", str(arena, "v")},
                                      {"gone", str(arena, "x")}});
  test::make(c)->redactAttributes(arena, a);
  EXPECT_EQ(show(a), "k=v; redaction.redacted.count=i:3");
}

TEST(Redaction, ListedSummaryAttributesOfAnEarlierProcessorAreMerged) {
  Config c;  // to chain processors, list the earlier one's summary names (as in the collector)
  c.allowed_keys = {"k", "redaction.redacted.keys", "redaction.redacted.count"};
  c.summary = "debug";
  Arena arena;
  model::Attributes a = attrs(arena, {{"redaction.redacted.keys", str(arena, "x")},
                                      {"redaction.redacted.count", model::AnyValue::integer(1)},
                                      {"redaction.masked.keys", str(arena, "hunter2")},
                                      {"k", str(arena, "v")}});
  test::make(c)->redactAttributes(arena, a);
  EXPECT_EQ(show(a),
            "redaction.redacted.keys=redaction.masked.keys,x; redaction.redacted.count=i:2; k=v");
}

TEST(Redaction, BlockedKeyPatternsApplyToNestedMapKeys) {
  Config c;
  c.allowed_keys = {"request", "list"};
  c.blocked_key_patterns = {"^password$", "^pin$"};
  c.summary = "debug";
  Arena arena;
  model::Attributes a = attrs(
      arena,
      {{"request",
        test::kvlist(arena,
                     {{"user", str(arena, "bob")},
                      {"password", str(arena, "hunter2")},
                      {"inner", test::kvlist(arena, {{"pin", model::AnyValue::integer(4829)}})}})},
       {"list",
        test::array(
            arena, {test::kvlist(arena, {{"password", test::array(arena, {str(arena, "a"),
                                                                          str(arena, "b")})}})})}});
  test::make(c)->redactAttributes(arena, a);
  EXPECT_EQ(show(a),
            "request={user=bob,password=****,inner={pin=****}}; list=[{password=****}]; "
            "redaction.masked.keys=list,request; redaction.masked.count=i:2");
}

TEST(Redaction, EmptyMatchingAllowedValuesDoNotExemptNonStrings) {
  Config c;  // without redact_all_types a non-string has no text: allowed_values cannot match it
  c.allow_all_keys = true;
  c.blocked_key_patterns = {"pin|flag|ratio"};
  c.allowed_values = {"^[a-z]*$"};
  c.summary = "debug";
  Arena arena;
  model::Attributes a = attrs(arena, {{"pin", model::AnyValue::integer(4829)},
                                      {"flag", model::AnyValue::boolean(true)},
                                      {"ratio", model::AnyValue::dbl(0.5)},
                                      {"pin_word", str(arena, "public")},
                                      {"pin_empty", str(arena, "")}});
  test::make(c)->redactAttributes(arena, a);
  EXPECT_EQ(show(a),
            "pin=****; flag=****; ratio=****; pin_word=public; pin_empty=; "
            "redaction.masked.keys=flag,pin,ratio; redaction.masked.count=i:3; "
            "redaction.allowed.keys=pin_empty,pin_word; redaction.allowed.count=i:2");
}

TEST(RedactionBody, StringBodyIsMaskedAndSummarised) {
  Config c;
  c.allow_all_keys = true;
  c.detectors = {"email", "ipv4"};
  c.summary = "debug";
  auto r = test::make(c);
  model::Logs logs = test::oneLog([](Arena& a, model::LogRecord& rec) {
    rec.body = str(a, "login from 10.1.2.3 by eve@example.org");
  });
  auto& rec = logs.resources()[0].scope_logs[0].log_records[0];
  r->redactBody(logs.arena(), rec.body, rec.attributes);
  EXPECT_EQ(show(rec.body), "login from **** by ****");
  EXPECT_EQ(show(rec.attributes),
            "redaction.body.masked.keys=body; redaction.body.masked.count=i:1");
}

TEST(RedactionBody, MapBodyIsWalkedWithKeyPaths) {
  Config c;
  c.allow_all_keys = true;
  c.detectors = {"email"};
  c.blocked_key_patterns = {"^pass"};
  c.ignored_keys = {"raw"};
  c.allowed_values = {"^allowed"};
  c.summary = "debug";
  auto r = test::make(c);
  model::Logs logs = test::oneLog([](Arena& a, model::LogRecord& rec) {
    rec.body =
        test::kvlist(a, {{"msg", str(a, "mail bob@x.io")},
                         {"user", test::kvlist(a, {{"email", str(a, "a@b.co")},
                                                   {"pass", str(a, "hunter2")},
                                                   {"other", str(a, "z")}})},
                         {"list", test::array(a, {str(a, "c@d.io"), str(a, "allowed e@f.io")})},
                         {"raw", str(a, "g@h.io")},
                         {"n", model::AnyValue::integer(7)}});
  });
  auto& rec = logs.resources()[0].scope_logs[0].log_records[0];
  r->redactBody(logs.arena(), rec.body, rec.attributes);
  EXPECT_EQ(show(rec.body),
            "{msg=mail ****,user={email=****,pass=****,other=z},list=[****,allowed e@f.io],"
            "raw=g@h.io,n=i:7}");
  EXPECT_EQ(show(rec.attributes),
            "redaction.body.masked.keys=list.[0],msg,user.email,user.pass; "
            "redaction.body.masked.count=i:4; redaction.body.allowed.keys=list.[1]; "
            "redaction.body.allowed.count=i:1; redaction.body.ignored.count=i:1");
}

TEST(RedactionBody, MapBodyKeysFollowTheAllowList) {
  Config c;
  c.allowed_keys = {"a", "c"};
  c.summary = "debug";
  auto r = test::make(c);
  model::Logs logs = test::oneLog([](Arena& a, model::LogRecord& rec) {
    rec.body = test::kvlist(a, {{"a", str(a, "1")},
                                {"b", str(a, "2")},
                                {"c", test::kvlist(a, {{"a", str(a, "3")}, {"d", str(a, "4")}})}});
  });
  auto& rec = logs.resources()[0].scope_logs[0].log_records[0];
  r->redactBody(logs.arena(), rec.body, rec.attributes);
  EXPECT_EQ(show(rec.body), "{a=1,c={a=3}}");
  EXPECT_EQ(show(rec.attributes),
            "redaction.body.redacted.keys=b,c.d; redaction.body.redacted.count=i:2");
}

TEST(RedactionBody, UrlsInBodyTextAndSqlUnderConfiguredMapKeys) {
  Config c;
  c.allow_all_keys = true;
  c.url_sanitizer.enabled = true;
  c.db_sanitizer.sql.enabled = true;
  auto r = test::make(c);
  model::Logs logs = test::oneLog([](Arena& a, model::LogRecord& rec) {
    rec.body =
        test::kvlist(a, {{"msg", str(a, "GET https://h/p?token=abc&x=1 -> 200, see http://h/q")},
                         {"db.statement", str(a, "SELECT * FROM t WHERE k = 'v'")},
                         {"note", str(a, "k = 'v'")}});
  });
  auto& rec = logs.resources()[0].scope_logs[0].log_records[0];
  r->redactBody(logs.arena(), rec.body, rec.attributes);
  EXPECT_EQ(show(rec.body),
            "{msg=GET https://h/p?token=****&x=**** -> 200, see http://h/q,"
            "db.statement=SELECT * FROM t WHERE k = ?,note=k = 'v'}");
}

TEST(RedactionBody, AllowedStringBodyIsLeftAlone) {
  Config c;
  c.allow_all_keys = true;
  c.blocked_values = {"secret"};
  c.allowed_values = {"^public"};
  c.summary = "info";
  auto r = test::make(c);
  model::Logs logs =
      test::oneLog([](Arena& a, model::LogRecord& rec) { rec.body = str(a, "public secret"); });
  auto& rec = logs.resources()[0].scope_logs[0].log_records[0];
  r->redactBody(logs.arena(), rec.body, rec.attributes);
  EXPECT_EQ(show(rec.body), "public secret");
  EXPECT_EQ(show(rec.attributes), "");
}

}  // namespace
}  // namespace periscope::components::redaction
