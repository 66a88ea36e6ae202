// The credentials providers and chain against an injected environment (variables, files,
// clock) and fake endpoints on 127.0.0.1: nothing reads the real ~/.aws or leaves the host.
#include "common/aws/credentials.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "common/aws/sigv4.h"
#include "common/http/server.h"
#include "sigv4_verifier.h"

namespace periscope::aws {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

struct FakeWorld {
  std::map<std::string, std::string> vars;
  std::map<std::string, std::string> files;
  Clock::time_point now = *parseAmzDate("20240101T000000Z");

  Environment env() {
    Environment e;
    e.getenv = [this](const std::string& n) -> std::optional<std::string> {
      auto it = vars.find(n);
      if (it == vars.end()) return std::nullopt;
      return it->second;
    };
    e.read_file = [this](const std::string& p) -> Result<std::string> {
      auto it = files.find(p);
      if (it == files.end()) return notFound("no file " + p);
      return it->second;
    };
    e.now = [this] { return now; };
    return e;
  }
};

// A fake endpoint that records requests and answers through `answer`.
class FakeEndpoint {
 public:
  explicit FakeEndpoint(std::function<http::Response(const http::Request&)> answer)
      : answer_(std::move(answer)) {
    auto server = http::Server::start({}, [this](http::Request&& request, http::Respond respond) {
      http::Response response = answer_(request);
      {
        std::lock_guard lock(mu_);
        requests_.push_back(std::move(request));
      }
      respond(std::move(response));
    });
    EXPECT_TRUE(server.isOk());
    server_ = std::move(server.value());
  }
  ~FakeEndpoint() { server_->stop(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }
  std::vector<http::Request> requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  std::function<http::Response(const http::Request&)> answer_;
  std::unique_ptr<http::Server> server_;
  std::mutex mu_;
  std::vector<http::Request> requests_;
};

const char kCredentialsJson[] =
    R"({"AccessKeyId":"ASIAJSON","SecretAccessKey":"json-secret","Token":"json-token",)"
    R"("Expiration":"2024-01-01T06:00:00Z","Code":"Success"})";

std::string stsAnswer(std::string_view action, std::string_view key) {
  return "<" + std::string(action) +
         "Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
         "<" +
         std::string(action) +
         "Result><Credentials>"
         "<AccessKeyId>" +
         std::string(key) +
         "</AccessKeyId>"
         "<SecretAccessKey>sts-secret</SecretAccessKey>"
         "<SessionToken>sts-token</SessionToken>"
         "<Expiration>2024-01-01T01:00:00Z</Expiration>"
         "</Credentials></" +
         std::string(action) + "Result></" + std::string(action) + "Response>";
}

std::map<std::string, std::string> formFields(const std::string& body) {
  std::map<std::string, std::string> out;
  for (size_t start = 0, end; start < body.size(); start = end + 1) {
    end = body.find('&', start);
    if (end == std::string::npos) end = body.size();
    std::string part = body.substr(start, end - start);
    auto eq = part.find('=');
    out[part.substr(0, eq)] = eq == std::string::npos ? "" : part.substr(eq + 1);
  }
  return out;
}

TEST(EnvironmentProvider, ReadsKeysAndSessionToken) {
  FakeWorld w;
  w.vars = {{"AWS_ACCESS_KEY_ID", "AKID"},
            {"AWS_SECRET_ACCESS_KEY", "secret"},
            {"AWS_SESSION_TOKEN", "tok"}};
  auto c = environmentProvider(w.env())->fetch();
  ASSERT_TRUE(c.isOk());
  EXPECT_EQ(c->access_key_id, "AKID");
  EXPECT_EQ(c->secret_access_key, "secret");
  EXPECT_EQ(c->session_token, "tok");
  EXPECT_FALSE(c->expiration.has_value());
}

TEST(EnvironmentProvider, AbsentIsNotFoundHalfSetIsAnError) {
  FakeWorld w;
  EXPECT_EQ(environmentProvider(w.env())->fetch().status().code(), StatusCode::kNotFound);
  w.vars = {{"AWS_ACCESS_KEY_ID", "AKID"}};
  EXPECT_EQ(environmentProvider(w.env())->fetch().status().code(), StatusCode::kInvalidArgument);
}

TEST(ProfileProvider, DefaultProfileFromHomeAwsCredentials) {
  FakeWorld w;
  w.vars = {{"HOME", "/home/u"}};
  w.files["/home/u/.aws/credentials"] =
      "# comment\n[default]\naws_access_key_id = AKDEFAULT\naws_secret_access_key=s1\n"
      "[other]\naws_access_key_id=AKOTHER\naws_secret_access_key=s2\n";
  auto c = profileProvider(w.env(), {})->fetch();
  ASSERT_TRUE(c.isOk()) << c.status().toString();
  EXPECT_EQ(c->access_key_id, "AKDEFAULT");
  EXPECT_EQ(c->secret_access_key, "s1");
  EXPECT_EQ(c->provider, "profile:default");
}

TEST(ProfileProvider, AwsProfileAndFileOverridesAndConfigProfileSections) {
  FakeWorld w;
  w.vars = {{"AWS_PROFILE", "dev"},
            {"AWS_SHARED_CREDENTIALS_FILE", "/c/creds"},
            {"AWS_CONFIG_FILE", "/c/config"}};
  w.files["/c/config"] =
      "[default]\nregion=eu-west-1\n[profile dev]\nregion = us-west-2\n"
      "aws_access_key_id=AKCONFIG\naws_secret_access_key=from-config\n"
      "s3 =\n  max_concurrent_requests = 10\n[sso-session x]\naws_access_key_id=WRONG\n";
  w.files["/c/creds"] = "[dev]\naws_secret_access_key = from-credentials\naws_session_token=t\n";
  auto c = profileProvider(w.env(), {})->fetch();
  ASSERT_TRUE(c.isOk()) << c.status().toString();
  EXPECT_EQ(c->access_key_id, "AKCONFIG");
  EXPECT_EQ(c->secret_access_key, "from-credentials");  // the credentials file wins
  EXPECT_EQ(c->session_token, "t");
  EXPECT_EQ(resolveRegion(w.env(), {}), "us-west-2");
  w.vars["AWS_REGION"] = "ap-south-1";
  EXPECT_EQ(resolveRegion(w.env(), {}), "ap-south-1");
}

TEST(ProfileProvider, MissingNamedProfileIsAnErrorMissingDefaultIsNotFound) {
  FakeWorld w;
  w.vars = {{"HOME", "/h"}};
  EXPECT_EQ(profileProvider(w.env(), {})->fetch().status().code(), StatusCode::kNotFound);
  w.vars["AWS_PROFILE"] = "nope";
  EXPECT_EQ(profileProvider(w.env(), {})->fetch().status().code(), StatusCode::kFailedPrecondition);
}

TEST(EcsProvider, FullUriWithAuthorizationToken) {
  FakeEndpoint agent([](const http::Request&) {
    return http::Response::text(200, kCredentialsJson, "application/json");
  });
  FakeWorld w;
  w.vars = {{"AWS_CONTAINER_CREDENTIALS_FULL_URI", agent.url() + "/v2/creds"},
            {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "Basic abc"}};
  auto c = ecsProvider(w.env(), {})->fetch();
  ASSERT_TRUE(c.isOk()) << c.status().toString();
  EXPECT_EQ(c->access_key_id, "ASIAJSON");
  EXPECT_EQ(c->session_token, "json-token");
  EXPECT_EQ(*c->expiration, *parseIso8601("2024-01-01T06:00:00Z"));
  auto requests = agent.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].target, "/v2/creds");
  EXPECT_EQ(requests[0].header("authorization"), "Basic abc");
}

TEST(EcsProvider, RelativeUriAgainstOverriddenEndpointWithTokenFile) {
  FakeEndpoint agent([](const http::Request&) {
    return http::Response::text(200, kCredentialsJson, "application/json");
  });
  FakeWorld w;
  w.vars = {{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc"},
            {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/var/run/token"},
            {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "ignored"}};
  w.files["/var/run/token"] = "from-file\n";
  ProviderOptions options;
  options.ecs_endpoint = agent.url();
  auto c = ecsProvider(w.env(), options)->fetch();
  ASSERT_TRUE(c.isOk()) << c.status().toString();
  auto requests = agent.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].target, "/v2/credentials/abc");
  EXPECT_EQ(requests[0].header("authorization"), "from-file");
}

TEST(EcsProvider, RefusesPlainHttpToOtherHosts) {
  FakeWorld w;
  w.vars = {{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://example.com/creds"}};
  EXPECT_EQ(ecsProvider(w.env(), {})->fetch().status().code(), StatusCode::kInvalidArgument);
  w.vars.clear();
  EXPECT_EQ(ecsProvider(w.env(), {})->fetch().status().code(), StatusCode::kNotFound);
}

TEST(ImdsProvider, V2TokenThenRoleThenCredentials) {
  FakeEndpoint imds([](const http::Request& r) {
    if (r.method == "PUT" && r.target == "/latest/api/token" &&
        r.header("x-aws-ec2-metadata-token-ttl-seconds") == "21600")
      return http::Response::text(200, "imds-token");
    if (r.header("x-aws-ec2-metadata-token") != "imds-token") return http::Response::text(401, "");
    if (r.target == "/latest/meta-data/iam/security-credentials/")
      return http::Response::text(200, "my-role\n");
    if (r.target == "/latest/meta-data/iam/security-credentials/my-role")
      return http::Response::text(200, kCredentialsJson);
    return http::Response::text(404, "");
  });
  FakeWorld w;
  w.vars = {{"AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url() + "/"}};
  auto c = imdsProvider(w.env(), {})->fetch();
  ASSERT_TRUE(c.isOk()) << c.status().toString();
  EXPECT_EQ(c->access_key_id, "ASIAJSON");
  EXPECT_EQ(c->provider, "imds");
  auto requests = imds.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[2].target, "/latest/meta-data/iam/security-credentials/my-role");
}

TEST(ImdsProvider, NoRoleIsNotFoundAndDisabledIsNotFound) {
  FakeEndpoint imds([](const http::Request& r) {
    if (r.method == "PUT") return http::Response::text(200, "t");
    return http::Response::text(404, "");
  });
  FakeWorld w;
  ProviderOptions options;
  options.imds_endpoint = imds.url();
  EXPECT_EQ(imdsProvider(w.env(), options)->fetch().status().code(), StatusCode::kNotFound);
  w.vars["AWS_EC2_METADATA_DISABLED"] = "true";
  EXPECT_EQ(imdsProvider(w.env(), options)->fetch().status().code(), StatusCode::kNotFound);
  EXPECT_EQ(imds.requests().size(), 2u);  // the disabled provider asked nothing
}

TEST(WebIdentityProvider, AssumeRoleWithWebIdentityAgainstStsOverride) {
  FakeEndpoint sts([](const http::Request&) {
    return http::Response::text(200, stsAnswer("AssumeRoleWithWebIdentity", "ASIAWEB"), "text/xml");
  });
  FakeWorld w;
  w.vars = {{"AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/secrets/token"},
            {"AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/web"},
            {"AWS_ROLE_SESSION_NAME", "sess"},
            {"AWS_ENDPOINT_URL_STS", sts.url()}};
  w.files["/var/run/secrets/token"] = "eyJ.jwt.sig\n";
  auto c = webIdentityProvider(w.env(), {})->fetch();
  ASSERT_TRUE(c.isOk()) << c.status().toString();
  EXPECT_EQ(c->access_key_id, "ASIAWEB");
  EXPECT_EQ(c->secret_access_key, "sts-secret");
  EXPECT_EQ(c->session_token, "sts-token");
  EXPECT_EQ(*c->expiration, *parseIso8601("2024-01-01T01:00:00Z"));
  auto requests = sts.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_TRUE(requests[0].header("authorization").empty());  // this call is not signed
  auto fields = formFields(requests[0].body);
  EXPECT_EQ(fields["Action"], "AssumeRoleWithWebIdentity");
  EXPECT_EQ(fields["Version"], "2011-06-15");
  EXPECT_EQ(fields["RoleArn"], "arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fweb");
  EXPECT_EQ(fields["RoleSessionName"], "sess");
  EXPECT_EQ(fields["WebIdentityToken"], "eyJ.jwt.sig");
}

TEST(WebIdentityProvider, StsErrorNamesCodeAndMessage) {
  FakeEndpoint sts([](const http::Request&) {
    return http::Response::text(
        403,
        "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>"
        "<Message>Not authorized to perform sts:AssumeRoleWithWebIdentity</Message></Error>"
        "</ErrorResponse>",
        "text/xml");
  });
  FakeWorld w;
  w.vars = {{"AWS_WEB_IDENTITY_TOKEN_FILE", "/t"}, {"AWS_ROLE_ARN", "arn:r"}};
  w.files["/t"] = "jwt";
  ProviderOptions options;
  options.sts_endpoint = sts.url();
  auto c = webIdentityProvider(w.env(), options)->fetch();
  EXPECT_EQ(c.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(c.status().message().find(
                "403: AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity"),
            std::string_view::npos)
      << c.status().toString();
}

TEST(ProfileProvider, RoleArnWithSourceProfileAssumesRoleSignedWithSourceKeys) {
  FakeEndpoint sts([](const http::Request& r) {
    auto v = testing::verifySigV4(r, "base-secret");
    if (!v.ok || v.service != "sts" || v.region != "eu-central-1")
      return http::Response::text(403,
                                  "<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code>"
                                  "<Message>" +
                                      v.detail + "</Message></Error></ErrorResponse>");
    return http::Response::text(200, stsAnswer("AssumeRole", "ASIAROLE"), "text/xml");
  });
  FakeWorld w;
  w.vars = {{"HOME", "/h"}, {"AWS_PROFILE", "app"}, {"AWS_REGION", "eu-central-1"}};
  w.files["/h/.aws/config"] =
      "[profile app]\nrole_arn = arn:aws:iam::1:role/app\n"
      "source_profile = base\nexternal_id = ext-1\n"
      "role_session_name = app-session\nsts_endpoint = " +
      sts.url() + "\n";
  w.files["/h/.aws/credentials"] =
      "[base]\naws_access_key_id=AKBASE\naws_secret_access_key=base-secret\n";
  auto c = profileProvider(w.env(), {})->fetch();
  ASSERT_TRUE(c.isOk()) << c.status().toString();
  EXPECT_EQ(c->access_key_id, "ASIAROLE");
  EXPECT_EQ(c->provider, "assume_role");
  auto requests = sts.requests();
  ASSERT_EQ(requests.size(), 1u);
  auto v = testing::verifySigV4(requests[0], "base-secret");
  EXPECT_TRUE(v.ok) << v.detail;
  EXPECT_EQ(v.access_key_id, "AKBASE");
  auto fields = formFields(requests[0].body);
  EXPECT_EQ(fields["Action"], "AssumeRole");
  EXPECT_EQ(fields["RoleArn"], "arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fapp");
  EXPECT_EQ(fields["RoleSessionName"], "app-session");
  EXPECT_EQ(fields["ExternalId"], "ext-1");
}

TEST(StsEndpoint, RegionalByDefaultLegacyGlobalOverridesFirst) {
  FakeWorld w;
  w.vars = {{"HOME", "/h"}};
  EXPECT_EQ(resolveStsEndpoint(w.env(), {}), "https://sts.amazonaws.com");  // no region known
  w.vars["AWS_DEFAULT_REGION"] = "eu-west-1";
  EXPECT_EQ(resolveStsEndpoint(w.env(), {}), "https://sts.eu-west-1.amazonaws.com");
  w.vars["AWS_REGION"] = "cn-north-1";
  EXPECT_EQ(resolveStsEndpoint(w.env(), {}), "https://sts.cn-north-1.amazonaws.com.cn");
  w.vars["AWS_STS_REGIONAL_ENDPOINTS"] = "legacy";
  EXPECT_EQ(resolveStsEndpoint(w.env(), {}), "https://sts.amazonaws.com");
  w.files["/h/.aws/config"] = "[default]\nsts_endpoint = https://sts.profile.example\n";
  EXPECT_EQ(resolveStsEndpoint(w.env(), {}), "https://sts.profile.example");
  w.vars["AWS_ENDPOINT_URL_STS"] = "https://sts.env.example";
  EXPECT_EQ(resolveStsEndpoint(w.env(), {}), "https://sts.env.example");
  ProviderOptions options;
  options.sts_endpoint = "http://127.0.0.1:1";
  EXPECT_EQ(resolveStsEndpoint(w.env(), options), "http://127.0.0.1:1");
}

TEST(ProfileProvider, CredentialSourceEnvironmentAssumesRoleWithEnvironmentKeys) {
  FakeEndpoint sts([](const http::Request& r) {
    auto v = testing::verifySigV4(r, "env-secret");
    if (!v.ok)
      return http::Response::text(403,
                                  "<ErrorResponse><Error><Code>Sig</Code></Error></ErrorResponse>");
    return http::Response::text(200, stsAnswer("AssumeRole", "ASIAFROMENV"), "text/xml");
  });
  FakeWorld w;
  w.vars = {
      {"HOME", "/h"}, {"AWS_ACCESS_KEY_ID", "AKENV"}, {"AWS_SECRET_ACCESS_KEY", "env-secret"}};
  w.files["/h/.aws/config"] =
      "[default]\nrole_arn = arn:aws:iam::1:role/r\ncredential_source = Environment\n";
  ProviderOptions options;
  options.sts_endpoint = sts.url();
  auto c = profileProvider(w.env(), options)->fetch();
  ASSERT_TRUE(c.isOk()) << c.status().toString();
  EXPECT_EQ(c->access_key_id, "ASIAFROMENV");
  ASSERT_EQ(sts.requests().size(), 1u);
  EXPECT_EQ(testing::verifySigV4(sts.requests()[0], "env-secret").access_key_id, "AKENV");
}

TEST(StsXml, DocumentsWithADtdAreRefused) {
  auto c = parseStsResponse(
      "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/hostname\">]>"
      "<R><Credentials><AccessKeyId>A&x;</AccessKeyId><SecretAccessKey>S</SecretAccessKey>"
      "</Credentials></R>");
  EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(c.status().message(), "STS answer has a DTD; refused");
  EXPECT_EQ(parseStsResponse("not xml").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(parseStsResponse("<R/>").status().code(), StatusCode::kInvalidArgument);
  auto plain = parseStsResponse(
      "<R><Credentials><AccessKeyId> A </AccessKeyId><SecretAccessKey>S</SecretAccessKey>"
      "</Credentials></R>");
  ASSERT_TRUE(plain.isOk());
  EXPECT_EQ(plain->access_key_id, "A");
  EXPECT_FALSE(plain->expiration.has_value());
}

// A provider that counts fetches and hands out credentials expiring `lifetime` after "now".
class CountingProvider final : public CredentialsProvider {
 public:
  CountingProvider(FakeWorld& world, std::chrono::minutes lifetime)
      : w_(world), lifetime_(lifetime) {}
  Result<Credentials> fetch() override {
    int n = ++fetches;
    if (fail) return unavailable("down");
    return Credentials{"AK" + std::to_string(n), "s", "t", w_.now + lifetime_, "counting"};
  }
  std::string_view name() const override { return "counting"; }
  std::atomic<int> fetches{0};
  std::atomic<bool> fail{false};

 private:
  FakeWorld& w_;
  std::chrono::minutes lifetime_;
};

TEST(CredentialsChain, CachesAndRefreshesFiveMinutesBeforeExpiry) {
  FakeWorld w;
  auto provider = std::make_shared<CountingProvider>(w, 60min);
  CredentialsChain chain(w.env(), {provider});
  const auto start = w.now;
  EXPECT_EQ(chain.get()->access_key_id, "AK1");
  w.now = start + 54min;
  EXPECT_EQ(chain.get()->access_key_id, "AK1");
  EXPECT_EQ(provider->fetches, 1);
  w.now = start + 55min;  // exactly 5 minutes before expiry: refresh
  EXPECT_EQ(chain.get()->access_key_id, "AK2");
  EXPECT_EQ(provider->fetches, 2);
  chain.invalidate();
  EXPECT_EQ(chain.get()->access_key_id, "AK3");
}

TEST(CredentialsChain, FailedRefreshKeepsCredentialsUntilTheyExpire) {
  FakeWorld w;
  auto provider = std::make_shared<CountingProvider>(w, 60min);
  CredentialsChain chain(w.env(), {provider});
  const auto start = w.now;
  ASSERT_TRUE(chain.get().isOk());
  provider->fail = true;
  w.now = start + 58min;
  EXPECT_EQ(chain.get()->access_key_id, "AK1");
  w.now = start + 60min;
  EXPECT_EQ(chain.get().status().code(), StatusCode::kUnavailable);
}

TEST(CredentialsChain, ConcurrentCallersShareOneFetch) {
  FakeWorld w;
  auto provider = std::make_shared<CountingProvider>(w, 60min);
  CredentialsChain chain(w.env(), {provider});
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      for (int j = 0; j < 100; ++j)
        if (chain.get().isOk()) ++ok;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 800);
  EXPECT_EQ(provider->fetches, 1);
}

TEST(CredentialsChain, DefaultOrderEnvironmentFirstThenProfile) {
  FakeWorld w;
  w.vars = {{"HOME", "/h"}, {"AWS_EC2_METADATA_DISABLED", "true"}};
  w.files["/h/.aws/credentials"] = "[default]\naws_access_key_id=AKFILE\naws_secret_access_key=f\n";
  {
    CredentialsChain chain(w.env(), ProviderOptions{});
    EXPECT_EQ(chain.get()->access_key_id, "AKFILE");
  }
  w.vars["AWS_ACCESS_KEY_ID"] = "AKENV";
  w.vars["AWS_SECRET_ACCESS_KEY"] = "e";
  CredentialsChain chain(w.env(), ProviderOptions{});
  EXPECT_EQ(chain.get()->access_key_id, "AKENV");
}

TEST(CredentialsChain, NothingConfiguredIsNotFoundNamingEveryProvider) {
  FakeWorld w;
  w.vars = {{"HOME", "/h"}, {"AWS_EC2_METADATA_DISABLED", "true"}};
  CredentialsChain chain(w.env(), ProviderOptions{});
  auto c = chain.get();
  EXPECT_EQ(c.status().code(), StatusCode::kNotFound);
  for (std::string_view name : {"environment:", "web_identity:", "profile:", "ecs:", "imds:"})
    EXPECT_NE(c.status().message().find(name), std::string_view::npos) << name;
}

TEST(CredentialsChain, AConfiguredButFailingProviderStopsTheChain) {
  FakeWorld w;
  w.vars = {{"AWS_ACCESS_KEY_ID", "only-half"}, {"HOME", "/h"}};
  w.files["/h/.aws/credentials"] = "[default]\naws_access_key_id=AKFILE\naws_secret_access_key=f\n";
  CredentialsChain chain(w.env(), ProviderOptions{});
  EXPECT_EQ(chain.get().status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace periscope::aws
