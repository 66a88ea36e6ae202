#include <gtest/gtest.h>

#include "components/processors/resourcedetection/detectors/eks_detector.h"
#include "components/processors/resourcedetection/detectors/lambda_detector.h"
#include "detect_test_util.h"
#include "fake_metadata_server.h"

namespace periscope::components::resourcedetection {
namespace {

using testing::asStrings;
using testing::Attrs;
using testing::FakeMetadataServer;

TEST(EksDetector, OnlyOnKubernetes) {
  EksDetector d{EksConfig{}};
  auto off = testing::runDetector(d, StaticEnvironment());
  ASSERT_TRUE(off.isOk());
  EXPECT_TRUE(off->empty());

  StaticEnvironment env;
  env.variables = {{"KUBERNETES_SERVICE_HOST", "10.100.0.1"}};
  auto on = testing::runDetector(d, env);
  ASSERT_TRUE(on.isOk());
  EXPECT_EQ(asStrings(*on), (Attrs{{"cloud.provider", "aws"}, {"cloud.platform", "aws_eks"}}));
}

TEST(EksDetector, ConfiguredClusterName) {
  StaticEnvironment env;
  env.variables = {{"KUBERNETES_SERVICE_HOST", "10.100.0.1"}};
  EksConfig c;
  c.cluster_name = "prod-eu";
  c.resource_attributes.configured = {{"k8s.cluster.name", true}};
  EksDetector d(c);
  auto r = testing::runDetector(d, env);  // no metadata request needed
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(asStrings(*r), (Attrs{{"cloud.provider", "aws"},
                                  {"cloud.platform", "aws_eks"},
                                  {"k8s.cluster.name", "prod-eu"}}));
}

TEST(EksDetector, HostAttributesAndClusterNameFromInstanceMetadata) {
  struct Case {
    std::string tag_keys;
    std::map<std::string, std::string> tags;
    std::string cluster;
  };
  const Case cases[] = {
      {"eks:cluster-name\nName", {{"eks:cluster-name", "prod-us"}, {"Name", "node"}}, "prod-us"},
      {"kubernetes.io/cluster/staging", {{"kubernetes.io/cluster/staging", "owned"}}, "staging"},
  };
  for (const auto& c : cases) {
    FakeMetadataServer server;
    server.requireToken();
    server.on("GET /latest/meta-data/instance-id", 200, "i-0abc");
    server.on("GET /latest/dynamic/instance-identity/document", 200,
              R"({"accountId":"111122223333","availabilityZone":"us-east-1a","imageId":"ami-1",)"
              R"("instanceId":"i-0abc","instanceType":"m5.large","region":"us-east-1"})");
    server.on("GET /latest/meta-data/hostname", 200, "ip-10-0-0-1.ec2.internal");
    server.on("GET /latest/meta-data/tags/instance", 200, c.tag_keys);
    for (const auto& [k, v] : c.tags) server.on("GET /latest/meta-data/tags/instance/" + k, 200, v);
    StaticEnvironment env;
    env.variables = {{"KUBERNETES_SERVICE_HOST", "10.100.0.1"}};
    EksConfig cfg;
    cfg.endpoint = server.url();
    for (const char* a : {"cloud.account.id", "cloud.availability_zone", "cloud.region", "host.id",
                          "host.image.id", "host.name", "host.type", "k8s.cluster.name"})
      cfg.resource_attributes.configured[a] = true;
    EksDetector d(cfg);
    auto r = testing::runDetector(d, env);
    ASSERT_TRUE(r.isOk()) << r.status().message();
    EXPECT_EQ(asStrings(*r), (Attrs{{"cloud.provider", "aws"},
                                    {"cloud.platform", "aws_eks"},
                                    {"cloud.account.id", "111122223333"},
                                    {"cloud.availability_zone", "us-east-1a"},
                                    {"cloud.region", "us-east-1"},
                                    {"host.id", "i-0abc"},
                                    {"host.image.id", "ami-1"},
                                    {"host.name", "ip-10-0-0-1.ec2.internal"},
                                    {"host.type", "m5.large"},
                                    {"k8s.cluster.name", c.cluster}}));
  }
}

TEST(EksDetector, MissingClusterTagIsAnError) {
  FakeMetadataServer server;
  server.on("GET /latest/meta-data/instance-id", 200, "i-0abc");
  server.on("GET /latest/dynamic/instance-identity/document", 200, R"({"instanceId":"i-0abc"})");
  server.on("GET /latest/meta-data/tags/instance", 200, "Name");
  server.on("GET /latest/meta-data/tags/instance/Name", 200, "node");
  StaticEnvironment env;
  env.variables = {{"KUBERNETES_SERVICE_HOST", "10.100.0.1"}};
  EksConfig cfg;
  cfg.endpoint = server.url();
  cfg.resource_attributes.configured = {{"k8s.cluster.name", true}};
  EksDetector d(cfg);
  auto r = testing::runDetector(d, env);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().message(),
            "eks: no eks:cluster-name or kubernetes.io/cluster/<name> instance tag; set "
            "eks.cluster_name");
}

TEST(LambdaDetector, RuntimeVariables) {
  struct Case {
    std::map<std::string, std::string, std::less<>> vars;
    Attrs expected;
  };
  const Case cases[] = {
      {{}, {}},
      {{{"AWS_LAMBDA_FUNCTION_NAME", ""}}, {}},
      {{{"AWS_LAMBDA_FUNCTION_NAME", "checkout"}},
       {{"cloud.provider", "aws"}, {"cloud.platform", "aws_lambda"}, {"faas.name", "checkout"}}},
      {{{"AWS_LAMBDA_FUNCTION_NAME", "checkout"},
        {"AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"},
        {"AWS_REGION", "eu-west-1"},
        {"AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"},
        {"AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/checkout"},
        {"AWS_LAMBDA_LOG_STREAM_NAME", "2026/11/24/[$LATEST]8f3c"}},
       {{"cloud.provider", "aws"},
        {"cloud.platform", "aws_lambda"},
        {"cloud.region", "eu-west-1"},
        {"faas.name", "checkout"},
        {"faas.version", "$LATEST"},
        {"faas.instance", "2026/11/24/[$LATEST]8f3c"},
        {"faas.max_memory", "134217728"},
        {"aws.log.group.names", "[/aws/lambda/checkout]"},
        {"aws.log.stream.names", "[2026/11/24/[$LATEST]8f3c]"}}},
  };
  for (const auto& c : cases) {
    StaticEnvironment env;
    env.variables = c.vars;
    LambdaDetector d{LambdaConfig{}};
    auto r = testing::runDetector(d, env);
    ASSERT_TRUE(r.isOk()) << r.status().message();
    EXPECT_EQ(asStrings(*r), c.expected);
  }
}

TEST(LambdaDetector, MaxMemoryIsAnInteger) {
  StaticEnvironment env;
  env.variables = {{"AWS_LAMBDA_FUNCTION_NAME", "f"}, {"AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024"}};
  LambdaDetector d{LambdaConfig{}};
  auto r = testing::runDetector(d, env);
  ASSERT_TRUE(r.isOk());
  ASSERT_NE(r->find("faas.max_memory"), nullptr);
  EXPECT_EQ(std::get<int64_t>(*r->find("faas.max_memory")), int64_t{1024} << 20);

  env.variables["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "lots";
  auto bad = testing::runDetector(d, env);
  ASSERT_FALSE(bad.isOk());
  EXPECT_EQ(bad.status().message(),
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE: not a number of MB: \"lots\"");
}

}  // namespace
}  // namespace periscope::components::resourcedetection
