#include "components/processors/resourcedetection/detectors/ec2_detector.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "detect_test_util.h"
#include "fake_metadata_server.h"

namespace periscope::components::resourcedetection {
namespace {

using testing::asStrings;
using testing::Attrs;
using testing::FakeMetadataServer;

// As documented for /latest/dynamic/instance-identity/document.
constexpr const char* kIdentityDocument = R"({
  "accountId" : "123456789012",
  "architecture" : "x86_64",
  "availabilityZone" : "us-west-2b",
  "billingProducts" : null,
  "devpayProductCodes" : null,
  "marketplaceProductCodes" : null,
  "imageId" : "ami-5fb8c835",
  "instanceId" : "i-1234567890abcdef0",
  "instanceType" : "t2.micro",
  "kernelId" : null,
  "pendingTime" : "2016-11-19T16:32:11Z",
  "privateIp" : "10.158.112.84",
  "ramdiskId" : null,
  "region" : "us-west-2",
  "version" : "2017-09-30"
})";

const Attrs kExpected = {
    {"cloud.provider", "aws"},
    {"cloud.platform", "aws_ec2"},
    {"cloud.region", "us-west-2"},
    {"cloud.account.id", "123456789012"},
    {"cloud.availability_zone", "us-west-2b"},
    {"host.id", "i-1234567890abcdef0"},
    {"host.image.id", "ami-5fb8c835"},
    {"host.type", "t2.micro"},
    {"host.name", "ip-10-158-112-84.us-west-2.compute.internal"},
};

void serveInstance(FakeMetadataServer& s) {
  s.on("GET /latest/meta-data/instance-id", 200, "i-1234567890abcdef0");
  s.on("GET /latest/dynamic/instance-identity/document", 200, kIdentityDocument);
  s.on("GET /latest/meta-data/hostname", 200, "ip-10-158-112-84.us-west-2.compute.internal");
}

Ec2Config at(const FakeMetadataServer& s) {
  Ec2Config c;
  c.endpoint = s.url();
  return c;
}

TEST(Ec2Detector, ImdsV2TokenFlow) {
  FakeMetadataServer server;
  server.requireToken();
  serveInstance(server);
  Ec2Detector d(at(server));
  auto r = testing::runDetector(d, StaticEnvironment());
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(asStrings(*r), kExpected);

  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[0].path, "/latest/api/token");
  EXPECT_EQ(requests[0].header("x-aws-ec2-metadata-token-ttl-seconds"), "21600");
  EXPECT_EQ(requests[0].header("x-aws-ec2-metadata-token"), "");
  const char* paths[] = {"/latest/meta-data/instance-id",
                         "/latest/dynamic/instance-identity/document",
                         "/latest/meta-data/hostname"};
  for (size_t i = 1; i < requests.size(); ++i) {
    EXPECT_EQ(requests[i].method, "GET");
    EXPECT_EQ(requests[i].path, paths[i - 1]);
    EXPECT_EQ(requests[i].header("x-aws-ec2-metadata-token"), FakeMetadataServer::kToken);
  }
}

TEST(Ec2Detector, FakeServerRefusesGetsWithoutTheToken) {
  FakeMetadataServer server;
  server.requireToken();
  serveInstance(server);
  http::Client client;
  MetadataClient http(client, MetadataClient::Clock::now() + std::chrono::seconds(5));
  auto r = http.get(server.url() + "/latest/meta-data/instance-id");
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().message(),
            "GET " + server.url() + "/latest/meta-data/instance-id: HTTP 401");
}

TEST(Ec2Detector, FallsBackToImdsV1WhenTheTokenEndpointIsMissing) {
  FakeMetadataServer server;  // PUT /latest/api/token → 404
  serveInstance(server);
  Ec2Detector d(at(server));
  auto r = testing::runDetector(d, StaticEnvironment());
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(asStrings(*r), kExpected);
  for (const auto& req : server.requests())
    EXPECT_EQ(req.header("x-aws-ec2-metadata-token"), "") << req.path;
}

TEST(Ec2Detector, EndpointFromTheSdkVariable) {
  FakeMetadataServer server;
  server.requireToken();
  serveInstance(server);
  StaticEnvironment env;
  env.variables = {{"AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url() + "/"}};
  Ec2Detector d(Ec2Config{});
  auto r = testing::runDetector(d, env);
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(asStrings(*r), kExpected);
}

TEST(Ec2Detector, MetadataRequestsBypassProxies) {
  FakeMetadataServer server;
  serveInstance(server);
  const char* saved = std::getenv("http_proxy");
  std::string previous = saved ? saved : "";
  setenv("http_proxy", "http://127.0.0.1:1", 1);  // a proxy that refuses everything
  Ec2Detector d(at(server));
  auto r = testing::runDetector(d, StaticEnvironment());
  if (saved) {
    setenv("http_proxy", previous.c_str(), 1);
  } else {
    unsetenv("http_proxy");
  }
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(asStrings(*r), kExpected);
}

TEST(Ec2Detector, DisabledAttributesAreLeftOut) {
  FakeMetadataServer server;
  serveInstance(server);
  Ec2Config c = at(server);
  c.resource_attributes.configured = {{"host.name", false}, {"host.image.id", false}};
  Ec2Detector d(c);
  auto r = testing::runDetector(d, StaticEnvironment());
  ASSERT_TRUE(r.isOk());
  Attrs expected = kExpected;
  expected.erase("host.name");
  expected.erase("host.image.id");
  EXPECT_EQ(asStrings(*r), expected);
}

TEST(Ec2Detector, TagsFromInstanceMetadata) {
  FakeMetadataServer server;
  server.requireToken();
  serveInstance(server);
  server.on("GET /latest/meta-data/tags/instance", 200, "Name\nteam\nenvironment\ncost-center");
  server.on("GET /latest/meta-data/tags/instance/Name", 200, "web-1");
  server.on("GET /latest/meta-data/tags/instance/team", 200, "payments");
  server.on("GET /latest/meta-data/tags/instance/environment", 200, "prod");
  server.on("GET /latest/meta-data/tags/instance/cost-center", 200, "42");
  Ec2Config c = at(server);
  c.tags = {"^team$", "^env"};
  c.tags_from_imds = true;
  Ec2Detector d(c);
  auto r = testing::runDetector(d, StaticEnvironment());
  ASSERT_TRUE(r.isOk()) << r.status().message();
  Attrs expected = kExpected;
  expected["ec2.tag.team"] = "payments";
  expected["ec2.tag.environment"] = "prod";
  EXPECT_EQ(asStrings(*r), expected);
}

TEST(Ec2Detector, TagsNotEnabledOnTheInstanceIsAnError) {
  FakeMetadataServer server;
  serveInstance(server);  // no tags category: 404
  Ec2Config c = at(server);
  c.tags = {".*"};
  c.tags_from_imds = true;
  Ec2Detector d(c);
  auto r = testing::runDetector(d, StaticEnvironment());
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().message(), "failed fetching ec2 instance tags: GET " + server.url() +
                                      "/latest/meta-data/tags/instance: HTTP 404: Not Found");
}

TEST(Ec2Detector, BrokenIdentityDocumentIsAnError) {
  struct Case {
    int status;
    std::string body;
    std::string error;
  };
  const Case cases[] = {
      {500, "boom",
       "failed getting identity document: GET {url}/latest/dynamic/instance-identity/document: "
       "HTTP 500: boom"},
      {200, "not json",
       "failed getting identity document: GET {url}/latest/dynamic/instance-identity/document: not "
       "a JSON object"},
  };
  for (const auto& c : cases) {
    FakeMetadataServer server;
    serveInstance(server);
    server.on("GET /latest/dynamic/instance-identity/document", c.status, c.body);
    Ec2Detector d(at(server));
    auto r = testing::runDetector(d, StaticEnvironment());
    ASSERT_FALSE(r.isOk());
    std::string expected = c.error;
    expected.replace(expected.find("{url}"), 5, server.url());
    EXPECT_EQ(r.status().message(), expected);
  }
}

TEST(Ec2Detector, NotOnEc2IsEmptyUnlessMetadataIsRequired) {
  std::string url;
  {
    FakeMetadataServer gone;  // a port that was just free: nothing listens there any more
    url = gone.url();
  }
  Ec2Config c;
  c.endpoint = url;
  Ec2Detector d(c);
  auto r = testing::runDetector(d, StaticEnvironment());
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_TRUE(r->empty());

  auto strict = testing::runDetector(d, StaticEnvironment(), {.fail_on_missing_metadata = true});
  ASSERT_FALSE(strict.isOk());
  EXPECT_EQ(strict.status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(strict.status().message().starts_with("ec2 metadata unavailable: PUT " + url +
                                                    "/latest/api/token: "))
      << strict.status().message();
}

TEST(Ec2Detector, ServerThatNeverAnswersIsBoundedByTheTimeout) {
  FakeMetadataServer server;
  server.hang();
  Ec2Detector d(at(server));
  auto r = testing::runDetector(
      d, StaticEnvironment(),
      {.fail_on_missing_metadata = true, .timeout = std::chrono::milliseconds(300)});
  ASSERT_FALSE(r.isOk());  // detection returned, with the timeout as the reason
  EXPECT_TRUE(r.status().message().starts_with("ec2 metadata unavailable: PUT " + server.url() +
                                               "/latest/api/token: Timeout was reached"))
      << r.status().message();
  EXPECT_EQ(server.requests().size(), 1u);
}

}  // namespace
}  // namespace periscope::components::resourcedetection
