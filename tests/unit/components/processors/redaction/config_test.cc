// Config errors: exact messages for bad regexes (RE2's own error), unknown detectors and hash
// functions; the defaults match the collector's.
#include "components/processors/redaction/config.h"

#include <gtest/gtest.h>

namespace periscope::components::redaction {
namespace {

struct ErrorCase {
  std::string name;
  std::function<void(Config&)> configure;
  std::string message;
};

class RedactionConfigErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(RedactionConfigErrors, ExactMessage) {
  Config c;
  GetParam().configure(c);
  Status st = c.validate();
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    All, RedactionConfigErrors,
    ::testing::Values(
        ErrorCase{"BlockedValue",
                  [](Config& c) {
                    c.blocked_values = {"ok", "(unclosed"};
                  },
                  "blocked_values[1]: invalid regular expression \"(unclosed\": missing ): "
                  "(unclosed"},
        ErrorCase{"AllowedValue", [](Config& c) { c.allowed_values = {"a**"}; },
                  "allowed_values[0]: invalid regular expression \"a**\": bad repetition "
                  "operator: **"},
        ErrorCase{"BlockedKeyPattern", [](Config& c) { c.blocked_key_patterns = {"[z-a]"}; },
                  "blocked_key_patterns[0]: invalid regular expression \"[z-a]\": invalid "
                  "character class range: z-a"},
        ErrorCase{"IgnoredKeyPattern", [](Config& c) { c.ignored_key_patterns = {"(?<=x)y"}; },
                  "ignored_key_patterns[0]: invalid regular expression \"(?<=x)y\": invalid "
                  "perl operator: (?<"},
        ErrorCase{"UnknownDetector",
                  [](Config& c) {
                    c.detectors = {"email", "ssn"};
                  },
                  "detectors[1]: unknown detector \"ssn\"; expected one of credit_card, email, "
                  "aws_access_key_id, aws_secret_access_key, jwt, bearer_token, ipv4, ipv6"},
        ErrorCase{"UnknownHashFunction", [](Config& c) { c.hash_function = "sha512"; },
                  "hash_function: unknown hash function \"sha512\"; expected one of md5, sha1, "
                  "sha3"}),
    [](const auto& info) { return info.param.name; });

TEST(RedactionConfig, DefaultsMatchTheCollector) {
  Config c;
  EXPECT_FALSE(c.allow_all_keys);
  EXPECT_TRUE(c.allowed_keys.empty());
  EXPECT_EQ(c.summary, "silent");
  EXPECT_EQ(c.hash_function, "");
  EXPECT_FALSE(c.redact_all_types);
  EXPECT_FALSE(c.url_sanitizer.enabled);
  EXPECT_FALSE(c.db_sanitizer.sql.enabled);
  EXPECT_EQ(c.url_sanitizer.attributes, (std::vector<std::string>{"url.full", "http.url"}));
  EXPECT_EQ(c.db_sanitizer.sql.attributes,
            (std::vector<std::string>{"db.statement", "db.query.text"}));
  EXPECT_TRUE(c.validate().isOk());
}

}  // namespace
}  // namespace periscope::components::redaction
