// AwsJsonClient against a fake AWS endpoint that recomputes the SigV4 signature with the
// secret it knows, the way X-Ray and CloudWatch Logs would; and the error classification.
#include "common/aws/aws_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

#include "common/http/server.h"
#include "sigv4_verifier.h"

namespace periscope::aws {
namespace {

class FixedProvider final : public CredentialsProvider {
 public:
  Result<Credentials> fetch() override {
    ++fetches;
    return Credentials{"AKCLIENT", "client-secret", "client-token", std::nullopt, "fixed"};
  }
  std::string_view name() const override { return "fixed"; }
  std::atomic<int> fetches{0};
};

struct Fixture {
  std::mutex mu;
  std::vector<http::Request> requests;
  std::function<http::Response(const http::Request&)> answer;
  std::unique_ptr<http::Server> server;
  std::shared_ptr<FixedProvider> provider = std::make_shared<FixedProvider>();
  std::shared_ptr<CredentialsChain> chain = std::make_shared<CredentialsChain>(
      systemEnvironment(), std::vector<std::shared_ptr<CredentialsProvider>>{provider});

  Fixture() {
    server = std::move(http::Server::start({}, [this](http::Request&& r, http::Respond respond) {
                         auto response = answer(r);
                         std::lock_guard lock(mu);
                         requests.push_back(std::move(r));
                         respond(std::move(response));
                       }).value());
  }
  ~Fixture() { server->stop(); }
  AwsJsonClient client(std::string service) {
    return AwsJsonClient(
        {"us-west-2", std::move(service), "http://127.0.0.1:" + std::to_string(server->port()),
         std::chrono::seconds(10)},
        chain);
  }
};

TEST(AwsJsonClient, XRayPutTraceSegmentsIsSignedVerifiably) {
  Fixture f;
  f.answer = [](const http::Request& r) {
    auto v = testing::verifySigV4(r, "client-secret");
    if (!v.ok) return http::Response::text(403, R"({"message":"bad signature"})");
    return http::Response::text(200, R"({"UnprocessedTraceSegments":[]})", "application/json");
  };
  auto client = f.client("xray");
  auto response = client.post("/TraceSegments", R"({"TraceSegmentDocuments":["{}"]})");
  ASSERT_TRUE(response.isOk()) << response.status().toString();
  EXPECT_EQ(response->status, 200);
  EXPECT_TRUE(response->ok());
  EXPECT_EQ(response->body, R"({"UnprocessedTraceSegments":[]})");
  ASSERT_EQ(f.requests.size(), 1u);
  const auto& r = f.requests[0];
  EXPECT_EQ(r.target, "/TraceSegments");
  EXPECT_EQ(r.header("content-type"), "application/json");
  EXPECT_EQ(r.header("x-amz-security-token"), "client-token");
  auto v = testing::verifySigV4(r, "client-secret");
  EXPECT_TRUE(v.ok) << v.detail;
  EXPECT_EQ(v.service, "xray");
  EXPECT_EQ(v.region, "us-west-2");
  EXPECT_EQ(v.detail, "content-type;host;x-amz-date;x-amz-security-token");
  EXPECT_FALSE(testing::verifySigV4(r, "another-secret").ok);
}

TEST(AwsJsonClient, LogsPutLogEventsSignsTheTarget) {
  Fixture f;
  f.answer = [](const http::Request&) { return http::Response::text(200, "{}"); };
  auto client = f.client("logs");
  auto response = client.post("/", R"({"logGroupName":"g"})", "application/x-amz-json-1.1",
                              "Logs_20140328.PutLogEvents");
  ASSERT_TRUE(response.isOk());
  ASSERT_EQ(f.requests.size(), 1u);
  EXPECT_EQ(f.requests[0].header("x-amz-target"), "Logs_20140328.PutLogEvents");
  EXPECT_EQ(f.requests[0].header("content-type"), "application/x-amz-json-1.1");
  auto v = testing::verifySigV4(f.requests[0], "client-secret");
  EXPECT_TRUE(v.ok) << v.detail;
  EXPECT_EQ(v.detail, "content-type;host;x-amz-date;x-amz-security-token;x-amz-target");
}

TEST(AwsJsonClient, ClassifiesThrottlingServerErrorsAndClientErrors) {
  Fixture f;
  // The request body names the answer wanted, so the handler shares no state with the test.
  f.answer = [](const http::Request& r) {
    if (r.body == "throttle")
      return http::Response::text(
          400, R"({"__type":"com.amazonaws.logs#ThrottlingException","message":"Rate exceeded"})");
    if (r.body == "invalid")
      return http::Response::text(
          400, R"({"__type":"InvalidParameterException","message":"bad group"})");
    return http::Response::text(503, "");
  };
  auto client = f.client("logs");

  auto throttled = client.post("/", "throttle");
  ASSERT_TRUE(throttled.isOk());
  EXPECT_EQ(throttled->status, 400);
  EXPECT_EQ(throttled->error_type, "ThrottlingException");
  EXPECT_EQ(throttled->message, "Rate exceeded");
  EXPECT_TRUE(throttled->retryable());

  auto invalid = client.post("/", "invalid");
  ASSERT_TRUE(invalid.isOk());
  EXPECT_EQ(invalid->error_type, "InvalidParameterException");
  EXPECT_FALSE(invalid->retryable());

  auto unavailable = client.post("/", "other");
  ASSERT_TRUE(unavailable.isOk());
  EXPECT_EQ(unavailable->status, 503);
  EXPECT_TRUE(unavailable->retryable());
}

TEST(AwsJsonClient, ExpiredTokenDropsCachedCredentials) {
  Fixture f;
  f.answer = [](const http::Request&) {
    return http::Response::text(400, R"({"__type":"ExpiredTokenException","message":"expired"})");
  };
  auto client = f.client("xray");
  auto first = client.post("/TraceSegments", "{}");
  ASSERT_TRUE(first.isOk());
  EXPECT_TRUE(first->retryable());
  EXPECT_EQ(f.provider->fetches, 1);
  ASSERT_TRUE(client.post("/TraceSegments", "{}").isOk());
  EXPECT_EQ(f.provider->fetches, 2);  // fetched again after the invalidation
}

TEST(AwsJsonClient, NoAnswerIsUnavailable) {
  Fixture f;
  // Nothing listens on port 1: the connection is refused.
  AwsJsonClient client({"us-west-2", "xray", "http://127.0.0.1:1", std::chrono::seconds(5)},
                       f.chain);
  auto response = client.post("/TraceSegments", "{}");
  EXPECT_EQ(response.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(response.status().message().find("http://127.0.0.1:1/TraceSegments"),
            std::string_view::npos);
}

TEST(AwsJsonClient, DefaultEndpoints) {
  EXPECT_EQ(defaultEndpoint("xray", "us-east-1"), "https://xray.us-east-1.amazonaws.com");
  EXPECT_EQ(defaultEndpoint("logs", "cn-north-1"), "https://logs.cn-north-1.amazonaws.com.cn");
  AwsJsonClient client(
      {"eu-west-1", "logs", "", std::chrono::seconds(1)},
      std::make_shared<CredentialsChain>(systemEnvironment(),
                                         std::vector<std::shared_ptr<CredentialsProvider>>{}));
  EXPECT_EQ(client.endpoint(), "https://logs.eu-west-1.amazonaws.com");
}

}  // namespace
}  // namespace periscope::aws
