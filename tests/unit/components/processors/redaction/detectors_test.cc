// Every built-in detector: what it masks, and look-alikes it must leave alone.
#include "components/processors/redaction/detectors.h"

#include <gtest/gtest.h>

#include "redaction_test_support.h"

namespace periscope::components::redaction {
namespace {

struct DetectorCase {
  std::string detector;
  std::string input;
  std::string expected;  // == input: left alone
  std::string key = "message";
};

std::string caseName(const DetectorCase& c, size_t index) {
  return c.detector + "_" + std::to_string(index);
}

class BuiltinDetectors : public ::testing::TestWithParam<DetectorCase> {};

// With only this detector on, and with every detector on, the outcome is the same.
TEST_P(BuiltinDetectors, MaskExactlyTheSecret) {
  const DetectorCase& c = GetParam();
  for (bool all : {false, true}) {
    Config config;
    config.allow_all_keys = true;
    if (all) {
      for (const Detector& d : builtinDetectors()) config.detectors.emplace_back(d.name);
    } else {
      config.detectors = {c.detector};
    }
    auto r = test::make(config);
    std::string out = r->redactString(c.key, c.input).value_or(c.input);
    EXPECT_EQ(out, c.expected) << (all ? "all detectors" : "one detector");
  }
}

std::vector<DetectorCase> detectorCases() {
  return {
      {"credit_card", "pay 4111 1111 1111 1111 now", "pay **** now"},
      {"credit_card", "4111-1111-1111-1111", "****"},
      {"credit_card", "card=4111111111111111;", "card=****;"},
      {"credit_card", "amex 3782 822463 10005", "amex ****"},
      {"credit_card", "amex 378282246310005.", "amex ****."},
      {"credit_card", "mc 5555555555554444 and 2223003122003222", "mc **** and ****"},
      {"credit_card", "luhn fails 4111111111111112", "luhn fails 4111111111111112"},
      {"credit_card", "luhn fails 4242-4242-4242-4241", "luhn fails 4242-4242-4242-4241"},
      {"credit_card", "order 1234567890123452", "order 1234567890123452"},  // issuer 1: not a card
      {"credit_card", "ts 1700000000123456789", "ts 1700000000123456789"},
      {"credit_card", "id 41111111111111110000000", "id 41111111111111110000000"},  // 23 digits
      {"email", "contact bob.smith+tag@example.co.uk today", "contact **** today"},
      {"email", "<ALICE@Example.COM>", "<****>"},
      {"email", "user@localhost", "user@localhost"},
      {"email", "foo@bar and @handle", "foo@bar and @handle"},
      {"aws_access_key_id", "key AKIAIOSFODNN7EXAMPLE used", "key **** used"},
      {"aws_access_key_id", "ASIAY34FZKBOKMUTVV7A", "****"},
      {"aws_access_key_id", "AKIA123 and XAKIAIOSFODNN7EXAMPLE",
       "AKIA123 and XAKIAIOSFODNN7EXAMPLE"},
      {"aws_secret_access_key", "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
       "aws_secret_access_key=****"},
      {"aws_secret_access_key",
       R"({"SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"})",
       R"({"SecretAccessKey": "****"})"},
      {"aws_secret_access_key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "****",
       "aws_secret_access_key"},
      {"aws_secret_access_key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
       "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},  // no secret context
      {"aws_secret_access_key", "commit 3f786850e387550fdab836ed7e6dc881de23001b",
       "commit 3f786850e387550fdab836ed7e6dc881de23001b"},
      {"jwt",
       "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk "
       "end",
       "token **** end"},
      {"jwt", "eyJ is a prefix, a.b.c is not", "eyJ is a prefix, a.b.c is not"},
      {"bearer_token", "Authorization: Bearer abc123XYZ.def-456", "Authorization: Bearer ****"},
      {"bearer_token", "authorization: bearer mF_9.B5f-4.1JqM==", "authorization: bearer ****"},
      {"bearer_token", "the bearer of this letter", "the bearer of this letter"},
      {"bearer_token", "Bearer authentication", "Bearer authentication"},
      {"ipv4", "from 192.168.1.20:8080", "from ****:8080"},
      {"ipv4", "a 0.0.0.0 b 255.255.255.255", "a **** b ****"},
      {"ipv4", "version 1.2.3.4.5", "version 1.2.3.4.5"},
      {"ipv4", "10.0.0.256 and v1.2.3.4", "10.0.0.256 and v1.2.3.4"},
      {"ipv6", "peer 2001:db8::8a2e:370:7334 connected", "peer **** connected"},
      {"ipv6", "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "****"},
      {"ipv6", "[fe80::1]:443 and ::1", "[****]:443 and ****"},
      {"ipv6", "mapped ::ffff:192.0.2.128", "mapped ****"},
      {"ipv6", "std::vector<int> a::b", "std::vector<int> a::b"},
      {"ipv6", "at 12:30:45, ratio 3:4:5", "at 12:30:45, ratio 3:4:5"},
      {"ipv6", "id 123e4567-e89b-12d3-a456-426614174000",
       "id 123e4567-e89b-12d3-a456-426614174000"},
  };
}

INSTANTIATE_TEST_SUITE_P(All, BuiltinDetectors, ::testing::ValuesIn(detectorCases()),
                         [](const auto& info) { return caseName(info.param, info.index); });

TEST(BuiltinDetectors, OnlyEnabledDetectorsRun) {
  Config config;
  config.allow_all_keys = true;
  config.detectors = {"email"};
  auto r = test::make(config);
  EXPECT_EQ(r->redactString("m", "4111111111111111 a@b.io 10.0.0.1"),
            "4111111111111111 **** 10.0.0.1");
}

TEST(BuiltinDetectors, Luhn) {
  EXPECT_TRUE(luhnValid("4111111111111111"));
  EXPECT_TRUE(luhnValid("4111 1111-1111 1111"));
  EXPECT_TRUE(luhnValid("378282246310005"));
  EXPECT_FALSE(luhnValid("4111111111111112"));
  EXPECT_FALSE(luhnValid(""));
}

TEST(BuiltinDetectors, NamesAndLookup) {
  EXPECT_EQ(detectorNames(),
            "credit_card, email, aws_access_key_id, aws_secret_access_key, jwt, bearer_token, "
            "ipv4, ipv6");
  EXPECT_NE(findDetector("jwt"), nullptr);
  EXPECT_EQ(findDetector("ssn"), nullptr);
}

}  // namespace
}  // namespace periscope::components::redaction
