// SigV4 against the published AWS vectors (aws-sig-v4-test-suite: key AKIDEXAMPLE, 2015-08-30
// 12:36:00Z, us-east-1, service "service"; the S3 documentation's GET Object example; the
// signing-key derivation example). Expected canonical requests are written out by hand from
// the suite's .creq files; string-to-sign hashes are SHA-256 of those texts.
#include "common/aws/sigv4.h"

#include <gtest/gtest.h>

#include "common/hex.h"

namespace periscope::aws {
namespace {

constexpr std::string_view kEmptyHash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr std::string_view kSuiteToken =
    "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPf"
    "IeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7"
    "WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8"
    "FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

Credentials suiteCredentials(std::string token = "") {
  return {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", std::move(token), {}, ""};
}

SigningParams suiteParams() {
  return {"us-east-1", "service", *parseAmzDate("20150830T123600Z")};
}

std::string authz(std::string_view signed_headers, std::string_view signature) {
  return "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
         "SignedHeaders=" +
         std::string(signed_headers) + ", Signature=" + std::string(signature);
}

std::string sts(std::string_view canonical_hash) {
  return "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n" +
         std::string(canonical_hash);
}

struct Vector {
  std::string name;
  SigningRequest request;
  std::string canonical_request;
  std::string canonical_hash;
  std::string authorization;
};

class SuiteVector : public testing::TestWithParam<Vector> {};

TEST_P(SuiteVector, CanonicalRequestStringToSignAndAuthorization) {
  const Vector& v = GetParam();
  auto signed_request = signRequest(v.request, suiteCredentials(), suiteParams());
  ASSERT_TRUE(signed_request.isOk()) << signed_request.status().toString();
  EXPECT_EQ(signed_request->canonical_request, v.canonical_request);
  EXPECT_EQ(signed_request->string_to_sign, sts(v.canonical_hash));
  EXPECT_EQ(signed_request->authorization, v.authorization);
  EXPECT_EQ(signed_request->url, v.request.url);
}

const std::string kVanillaCreq =
    "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
    "host;x-amz-date\n" +
    std::string(kEmptyHash);
const std::string kVanillaAuthz =
    authz("host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
const std::string kVanillaHash = "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63";

INSTANTIATE_TEST_SUITE_P(
    AwsSigV4TestSuite, SuiteVector,
    testing::Values(
        Vector{"get_vanilla",
               {"GET", "https://example.amazonaws.com/", {}, ""},
               kVanillaCreq,
               kVanillaHash,
               kVanillaAuthz},
        Vector{"get_vanilla_query_order_key_case",
               {"GET", "https://example.amazonaws.com/?Param2=value2&Param1=value1", {}, ""},
               "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\n"
               "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" +
                   std::string(kEmptyHash),
               "816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0",
               authz("host;x-amz-date",
                     "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")},
        Vector{"get_header_value_trim",
               {"GET",
                "https://example.amazonaws.com/",
                {{"My-Header1", " value1"}, {"My-Header2", "\"a   b   c\""}},
                ""},
               "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nmy-header2:\"a b c\"\n"
               "x-amz-date:20150830T123600Z\n\nhost;my-header1;my-header2;x-amz-date\n" +
                   std::string(kEmptyHash),
               "a726db9b0df21c14f559d0a978e563112acb1b9e05476f0a6a1c7d68f28605c7",
               authz("host;my-header1;my-header2;x-amz-date",
                     "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736")},
        Vector{"post_x_www_form_urlencoded",
               {"POST",
                "https://example.amazonaws.com/",
                {{"Content-Type", "application/x-www-form-urlencoded"}},
                "Param1=value1"},
               "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\n"
               "host:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
               "content-type;host;x-amz-date\n"
               "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
               "42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281",
               authz("content-type;host;x-amz-date",
                     "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a")},
        Vector{"post_vanilla_query",
               {"POST", "https://example.amazonaws.com/?Param1=value1", {}, ""},
               "POST\n/\nParam1=value1\nhost:example.amazonaws.com\n"
               "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" +
                   std::string(kEmptyHash),
               "9d659678c1756bb3113e2ce898845a0a79dbbc57b740555917687f1b3340fbbd",
               authz("host;x-amz-date",
                     "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11")},
        Vector{"get_utf8",
               {"GET", "https://example.amazonaws.com/\xe1\x88\xb4", {}, ""},
               "GET\n/%E1%88%B4\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
               "host;x-amz-date\n" +
                   std::string(kEmptyHash),
               "2a0a97d02205e45ce2e994789806b19270cfbbb0921b278ccf58f5249ac42102",
               authz("host;x-amz-date",
                     "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85")},
        Vector{"normalize_path_get_space",
               {"GET", "https://example.amazonaws.com/example space/", {}, ""},
               "GET\n/example%20space/\n\nhost:example.amazonaws.com\n"
               "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" +
                   std::string(kEmptyHash),
               "63ee75631ed7234ae61b5f736dfc7754cdccfedbff4b5128a915706ee9390d86",
               authz("host;x-amz-date",
                     "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741")},
        // normalize-path cases whose canonical URI is "/": they sign exactly as get-vanilla.
        Vector{"normalize_path_get_relative_relative",
               {"GET", "https://example.amazonaws.com/example1/example2/../..", {}, ""},
               kVanillaCreq,
               kVanillaHash,
               kVanillaAuthz},
        Vector{"normalize_path_get_slash",
               {"GET", "https://example.amazonaws.com//", {}, ""},
               kVanillaCreq,
               kVanillaHash,
               kVanillaAuthz},
        Vector{"normalize_path_get_slash_dot_slash",
               {"GET", "https://example.amazonaws.com/./", {}, ""},
               kVanillaCreq,
               kVanillaHash,
               kVanillaAuthz}),
    [](const testing::TestParamInfo<Vector>& info) { return info.param.name; });

TEST(SigV4, PostVanillaSignsTheMethod) {
  auto s = signRequest({"POST", "https://example.amazonaws.com/", {}, ""}, suiteCredentials(),
                       suiteParams());
  ASSERT_TRUE(s.isOk());
  EXPECT_EQ(
      s->authorization,
      authz("host;x-amz-date", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"));
}

TEST(SigV4, PostStsHeaderBeforeSignsTheSessionToken) {
  auto s = signRequest({"POST", "https://example.amazonaws.com/", {}, ""},
                       suiteCredentials(std::string(kSuiteToken)), suiteParams());
  ASSERT_TRUE(s.isOk());
  EXPECT_EQ(s->string_to_sign,
            sts("c237e1b440d4c63c32ca95b5b99481081cb7b13c7e40434868e71567c1a882f6"));
  EXPECT_EQ(s->authorization,
            authz("host;x-amz-date;x-amz-security-token",
                  "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"));
  const HeaderList expected = {{"X-Amz-Date", "20150830T123600Z"},
                               {"X-Amz-Security-Token", std::string(kSuiteToken)},
                               {"Authorization", s->authorization}};
  EXPECT_EQ(s->headers_to_add, expected);
}

TEST(SigV4, PostStsHeaderAfterAddsTheTokenUnsigned) {
  SigningParams params = suiteParams();
  params.sign_session_token = false;
  auto s = signRequest({"POST", "https://example.amazonaws.com/", {}, ""},
                       suiteCredentials(std::string(kSuiteToken)), params);
  ASSERT_TRUE(s.isOk());
  EXPECT_EQ(
      s->authorization,
      authz("host;x-amz-date", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"));
  EXPECT_EQ(s->headers_to_add[1], (std::pair<std::string, std::string>{"X-Amz-Security-Token",
                                                                       std::string(kSuiteToken)}));
}

// aws-c-auth's v4 suite: get-vanilla-with-session-token.
TEST(SigV4, GetVanillaWithSessionToken) {
  auto s = signRequest(
      {"GET", "https://example.amazonaws.com/", {}, ""},
      suiteCredentials("6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"),
      suiteParams());
  ASSERT_TRUE(s.isOk());
  EXPECT_EQ(s->authorization,
            authz("host;x-amz-date;x-amz-security-token",
                  "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8"));
}

// aws-c-auth's v4 suite, query variant of get-vanilla-query-order-key-case.
TEST(SigV4, PresignedGetVanillaQueryOrderKeyCase) {
  SigningRequest request{"GET",
                         "https://example.amazonaws.com/?Param2=value2&Param1=value1",
                         {{"X-Amz-Date", "20150830T123600Z"}},
                         ""};
  auto s = presignRequest(request, suiteCredentials(), suiteParams(), std::chrono::seconds(3600));
  ASSERT_TRUE(s.isOk()) << s.status().toString();
  EXPECT_EQ(s->canonical_request,
            "GET\n/\nParam1=value1&Param2=value2&X-Amz-Algorithm=AWS4-HMAC-SHA256&"
            "X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&"
            "X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host\n"
            "host:example.amazonaws.com\n\nhost\n" +
                std::string(kEmptyHash));
  EXPECT_EQ(s->url,
            "https://example.amazonaws.com/?Param2=value2&Param1=value1&"
            "X-Amz-Algorithm=AWS4-HMAC-SHA256&"
            "X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&"
            "X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&"
            "X-Amz-Signature=" +
                s->signature);
  EXPECT_EQ(s->signature, "86012e2c9ad4d77369f5d81c11f75158aae4f895a085212cc6d3f923d300bed5");
  EXPECT_TRUE(s->headers_to_add.empty());
  EXPECT_TRUE(s->authorization.empty());
}

TEST(SigV4, PresignRejectsExpiryBeyondSevenDays) {
  auto s = presignRequest({"GET", "https://example.amazonaws.com/", {}, ""}, suiteCredentials(),
                          suiteParams(), std::chrono::seconds(7 * 24 * 3600 + 1));
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
}

// Amazon S3 API reference, "Example: GET Object" (header-based auth): S3 signs the path as
// sent and requires X-Amz-Content-Sha256.
TEST(SigV4, S3GetObjectDocumentationExample) {
  Credentials creds{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "", {}, ""};
  SigningParams params{"us-east-1", "s3", *parseAmzDate("20130524T000000Z")};
  params.add_content_sha256_header = true;
  auto s = signRequest(
      {"GET", "https://examplebucket.s3.amazonaws.com/test.txt", {{"Range", "bytes=0-9"}}, ""},
      creds, params);
  ASSERT_TRUE(s.isOk());
  EXPECT_EQ(s->authorization,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SigV4, NonS3PathsAreEncodedTwiceS3PathsOnce) {
  auto other = signRequest({"GET", "https://example.amazonaws.com/model/a%3Ab/invoke", {}, ""},
                           suiteCredentials(), suiteParams());
  ASSERT_TRUE(other.isOk());
  EXPECT_EQ(other->canonical_request.substr(0, 26), "GET\n/model/a%253Ab/invoke\n");
  SigningParams s3 = suiteParams();
  s3.service = "s3";
  auto bucket =
      signRequest({"GET", "https://b.s3.amazonaws.com/a%3Ab//./c", {}, ""}, suiteCredentials(), s3);
  ASSERT_TRUE(bucket.isOk());
  EXPECT_EQ(bucket->canonical_request.substr(0, bucket->canonical_request.find("\nhost:")),
            "GET\n/a%3Ab//./c\n");
}

TEST(SigV4, UnsignedPayload) {
  SigningParams params = suiteParams();
  params.unsigned_payload = true;
  params.add_content_sha256_header = true;
  auto s = signRequest({"PUT", "https://example.amazonaws.com/k", {}, "body"}, suiteCredentials(),
                       params);
  ASSERT_TRUE(s.isOk());
  EXPECT_EQ(s->canonical_request,
            "PUT\n/k\n\nhost:example.amazonaws.com\nx-amz-content-sha256:UNSIGNED-PAYLOAD\n"
            "x-amz-date:20150830T123600Z\n\nhost;x-amz-content-sha256;x-amz-date\n"
            "UNSIGNED-PAYLOAD");
  EXPECT_EQ(s->headers_to_add[1],
            (std::pair<std::string, std::string>{"X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD"}));
}

TEST(SigV4, QueryValuesAreReencodedAndEmptyValuesKept) {
  auto s = signRequest({"GET", "https://h.example/?b=a%20b+c&a&c=%7e", {}, ""}, suiteCredentials(),
                       suiteParams());
  ASSERT_TRUE(s.isOk());
  EXPECT_EQ(s->canonical_request.substr(0, s->canonical_request.find("\nhost:")),
            "GET\n/\na=&b=a%20b%2Bc&c=~");
}

TEST(SigV4, HostKeepsANonDefaultPortAndDropsTheDefaultOne) {
  auto custom =
      signRequest({"GET", "http://127.0.0.1:4566/", {}, ""}, suiteCredentials(), suiteParams());
  auto standard = signRequest({"GET", "https://example.amazonaws.com:443/", {}, ""},
                              suiteCredentials(), suiteParams());
  ASSERT_TRUE(custom.isOk() && standard.isOk());
  EXPECT_NE(custom->canonical_request.find("\nhost:127.0.0.1:4566\n"), std::string::npos);
  EXPECT_EQ(standard->authorization, kVanillaAuthz);
}

TEST(SigV4, SigningKeyDerivationDocumentationExample) {
  EXPECT_EQ(hexEncode(deriveSigningKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830",
                                       "us-east-1", "iam")),
            "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
}

TEST(SigV4, RefusesMissingKeysAndBadUrls) {
  EXPECT_EQ(
      signRequest({"GET", "https://h/", {}, ""}, Credentials{}, suiteParams()).status().code(),
      StatusCode::kInvalidArgument);
  EXPECT_EQ(
      signRequest({"GET", "no-scheme", {}, ""}, suiteCredentials(), suiteParams()).status().code(),
      StatusCode::kInvalidArgument);
}

TEST(SigV4, DatesRoundTrip) {
  auto t = parseAmzDate("20150830T123600Z");
  ASSERT_TRUE(t.isOk());
  EXPECT_EQ(formatAmzDate(*t), "20150830T123600Z");
  EXPECT_EQ(*parseIso8601("2015-08-30T12:36:00Z"), *t);
  EXPECT_EQ(*parseIso8601("2015-08-30T12:36:00.000Z"), *t);
  EXPECT_FALSE(parseIso8601("2015-08-30T12:36:00+02:00").isOk());
  EXPECT_FALSE(parseAmzDate("2015-08-30").isOk());
}

}  // namespace
}  // namespace periscope::aws
