// The SQL literal and URL sanitisers on their own: exact outputs, and the dialect and URL-part
// cases where a secret used to pass through.
#include <gtest/gtest.h>

#include "components/processors/redaction/sql_literal_sanitizer.h"
#include "components/processors/redaction/url_query_sanitizer.h"

namespace periscope::components::redaction {
namespace {

struct SanitizerCase {
  std::string name;
  std::string input;
  std::string expected;  // == input: unchanged (the sanitiser must report no change)
};

std::string sql(std::string_view input, SqlSanitizerOptions options = {}) {
  std::string out = "prefix:";  // appended to, never overwritten
  bool changed = sanitizeSqlLiterals(input, options, out);
  EXPECT_EQ(out.substr(0, 7), "prefix:");
  if (!changed) {
    EXPECT_EQ(out, "prefix:") << "nothing may be appended when nothing changes";
    return std::string(input);
  }
  EXPECT_NE(out.substr(7), input) << "reported a change that is none";
  return out.substr(7);
}

class SqlSanitizer : public ::testing::TestWithParam<SanitizerCase> {};

TEST_P(SqlSanitizer, MasksLiteralsUnderEveryDialect) {
  EXPECT_EQ(sql(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SqlSanitizer,
    ::testing::Values(
        SanitizerCase{"NoLiterals", "SELECT id FROM t WHERE id = ?",
                      "SELECT id FROM t WHERE id = ?"},
        SanitizerCase{"PositionalParameters", "SELECT a FROM t WHERE id = $1 AND b = $2",
                      "SELECT a FROM t WHERE id = $1 AND b = $2"},
        SanitizerCase{"StringsAndNumbers", "SELECT * FROM t1 WHERE a = 'x''y' AND b > 4.5e3",
                      "SELECT * FROM t1 WHERE a = ? AND b > ?"},
        // Standard SQL: 'C:\' ends at its second quote; MySQL: \' is an escaped quote.
        SanitizerCase{"BackslashBeforeQuote", "INSERT INTO f VALUES ('C:\\', 'hunter2')",
                      "INSERT INTO f VALUES (?"},
        SanitizerCase{"BackslashEscapedQuote",
                      "SELECT * FROM t WHERE a = 'x\\' OR b = ' AND pw = 'hunter2'",
                      "SELECT * FROM t WHERE a = ?"},
        SanitizerCase{"BackslashesInBothReadings", "SELECT 'a\\\\b', 'c' FROM t",
                      "SELECT ?, ? FROM t"},
        SanitizerCase{"DoubleQuotedStrings",
                      "SELECT * FROM u WHERE n = \"bob\" AND pw = \"hunter2\"",
                      "SELECT * FROM u WHERE n = ? AND pw = ?"},
        SanitizerCase{"DoubleQuotedBackslash",
                      "SELECT * FROM t WHERE a = \"x\\\" AND b = \"hunter2\"",
                      "SELECT * FROM t WHERE a = ?"},
        SanitizerCase{"BacktickIdentifiersKept", "SELECT `col 1` FROM `t` WHERE x = 1",
                      "SELECT `col 1` FROM `t` WHERE x = ?"},
        SanitizerCase{"StrayBacktickHidesNothing", "SELECT ` FROM t WHERE pw = 'hunter2'",
                      "SELECT ` FROM t WHERE pw = ?"},
        SanitizerCase{"LineComment", "SELECT a FROM t -- login with hunter2\nWHERE b = c",
                      "SELECT a FROM t -- ?\nWHERE b = c"},
        SanitizerCase{"BlockComment", "SELECT /* pw hunter2 */ a FROM t /**/",
                      "SELECT /* ? */ a FROM t /**/"},
        SanitizerCase{"NestedBlockComment", "SELECT a /* x /* y */ hunter2 */ FROM t",
                      "SELECT a /* ? */ FROM t"},
        SanitizerCase{"UnterminatedBlockComment", "SELECT a /* hunter2", "SELECT a /* ?"},
        SanitizerCase{"MySqlHashComment", "SELECT a FROM t # hunter2\nWHERE b = c",
                      "SELECT a FROM t # ?\nWHERE b = c"},
        SanitizerCase{"DollarQuoted", "SELECT $$hunter2$$, $1", "SELECT ?, $1"},
        SanitizerCase{"TaggedDollarQuoted", "DO $fn$ SELECT 'x' $$ y $fn$ LANGUAGE plpgsql",
                      "DO ? LANGUAGE plpgsql"},
        SanitizerCase{"UnterminatedDollarQuoted", "SELECT $t$hunter2", "SELECT ?"},
        // A quote inside a dollar-quoted string opens a MySQL string to the end: both masked.
        SanitizerCase{"ReadingsDisagreeMaskMore", "SELECT $$it's$$, a FROM t", "SELECT ?"},
        SanitizerCase{"CommentThatIsOnlyAQuestionMark", "SELECT a -- ?", "SELECT a -- ?"}),
    [](const auto& info) { return info.param.name; });

TEST(SqlSanitizer, DoubleQuotedIdentifiersOption) {
  SqlSanitizerOptions identifiers;
  identifiers.double_quoted_identifiers = true;
  EXPECT_EQ(sql("SELECT \"Col\" FROM \"T\" WHERE a = 'x'", identifiers),
            "SELECT \"Col\" FROM \"T\" WHERE a = ?");
  // No backslash escapes in identifiers: the string after one is still found.
  EXPECT_EQ(sql("SELECT \"a\\\" FROM t WHERE p = 'hunter2'", identifiers),
            "SELECT \"a\\\" FROM t WHERE p = ?");
  EXPECT_EQ(sql("SELECT \"Col\" FROM t"), "SELECT ? FROM t");
}

std::string url(std::string_view input) {
  std::string out;
  if (!sanitizeUrl(input, Masker(), out)) {
    EXPECT_EQ(out, "");
    return std::string(input);
  }
  return out;
}

class UrlSanitizer : public ::testing::TestWithParam<SanitizerCase> {};

TEST_P(UrlSanitizer, MasksQueryFragmentAndUserInfo) {
  EXPECT_EQ(url(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, UrlSanitizer,
    ::testing::Values(
        SanitizerCase{"Plain", "https://h.example/p/a", "https://h.example/p/a"},
        SanitizerCase{"Query", "https://h/p?token=abc&x=1&flag",
                      "https://h/p?token=****&x=****&flag"},
        SanitizerCase{"UserAndPassword", "https://u:pw@h/p", "https://****:****@h/p"},
        SanitizerCase{"UserOnly", "https://ghp_abc123@github.com/o/r.git",
                      "https://****@github.com/o/r.git"},
        SanitizerCase{"UserEmptyPassword", "https://tok:@h/", "https://****:@h/"},
        SanitizerCase{"TokenAsUserWithFixedPassword", "https://tok:x-oauth-basic@github.com/o",
                      "https://****:****@github.com/o"},
        SanitizerCase{"EmptyUserInfo", "https://@h/", "https://@h/"},
        SanitizerCase{"AtInPathIsNotUserInfo", "https://h/@user?q", "https://h/@user?q"},
        SanitizerCase{"FragmentParameters",
                      "https://app/cb#access_token=ya29.x&token_type=Bearer&expires_in=3599",
                      "https://app/cb#access_token=****&token_type=****&expires_in=****"},
        SanitizerCase{"QueryAndFragment", "https://h/p?a=1#id_token=eyJ",
                      "https://h/p?a=****#id_token=****"},
        SanitizerCase{"FragmentRoute", "https://app/#/cb?code=abc", "https://app/#/cb?code=****"},
        SanitizerCase{"QuestionMarkOnlyInFragment", "https://h/p#frag?x=1",
                      "https://h/p#frag?x=****"},
        SanitizerCase{"PlainFragmentKept", "https://h/p#section-2", "https://h/p#section-2"}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace periscope::components::redaction
