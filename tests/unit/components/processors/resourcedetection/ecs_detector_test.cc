#include "components/processors/resourcedetection/detectors/ecs_detector.h"

#include <gtest/gtest.h>

#include "detect_test_util.h"
#include "fake_metadata_server.h"

namespace periscope::components::resourcedetection {
namespace {

using testing::asStrings;
using testing::Attrs;
using testing::FakeMetadataServer;

// Shaped like the task metadata endpoint v4 examples: the collector runs as the "otel" sidecar
// next to the "app" container; a pause container and a stopped init container are skipped.
constexpr const char* kTask = R"({
  "Cluster": "default",
  "TaskARN": "arn:aws:ecs:us-west-2:111122223333:task/default/158d1c8083dd49d6b527399fd6414f5c",
  "Family": "curltest",
  "ServiceName": "MyService",
  "Revision": "26",
  "DesiredStatus": "RUNNING",
  "KnownStatus": "RUNNING",
  "AvailabilityZone": "us-west-2d",
  "LaunchType": "EC2",
  "Containers": [
    {"DockerId": "pause0", "Name": "~internal~ecs~pause", "Type": "CNI_PAUSE",
     "KnownStatus": "RESOURCES_PROVISIONED"},
    {"DockerId": "otel1", "Name": "otel", "Type": "NORMAL", "KnownStatus": "RUNNING",
     "LogDriver": "awslogs",
     "LogOptions": {"awslogs-group": "/ecs/otel", "awslogs-region": "us-west-2",
                    "awslogs-stream": "ecs/otel/158d"},
     "ContainerARN": "arn:aws:ecs:us-west-2:111122223333:container/0206b271-b33f-47ab-86c6-a0ba208a70a9"},
    {"DockerId": "app2", "Name": "app", "Type": "NORMAL", "KnownStatus": "RUNNING",
     "LogDriver": "awslogs",
     "LogOptions": {"awslogs-create-group": "true", "awslogs-group": "/ecs/metadata",
                    "awslogs-region": "us-west-2", "awslogs-stream": "ecs/curl/8f03e412"},
     "ContainerARN": "arn:aws:ecs:us-west-2:111122223333:container/1111"},
    {"DockerId": "init3", "Name": "init", "Type": "NORMAL", "KnownStatus": "STOPPED",
     "LogDriver": "awslogs",
     "LogOptions": {"awslogs-group": "/ecs/init", "awslogs-region": "us-west-2",
                    "awslogs-stream": "ecs/init/1"}}
  ]
})";

constexpr const char* kSelf = R"({
  "DockerId": "otel1", "Name": "otel", "DockerName": "ecs-curltest-26-otel-c2e5f6e0cf91b0bead01",
  "Type": "NORMAL", "KnownStatus": "RUNNING",
  "ContainerARN": "arn:aws:ecs:us-west-2:111122223333:container/0206b271-b33f-47ab-86c6-a0ba208a70a9"
})";

const Attrs kExpected = {
    {"cloud.provider", "aws"},
    {"cloud.platform", "aws_ecs"},
    {"cloud.account.id", "111122223333"},
    {"cloud.region", "us-west-2"},
    {"cloud.availability_zone", "us-west-2d"},
    {"aws.ecs.cluster.arn", "arn:aws:ecs:us-west-2:111122223333:cluster/default"},
    {"aws.ecs.task.arn",
     "arn:aws:ecs:us-west-2:111122223333:task/default/158d1c8083dd49d6b527399fd6414f5c"},
    {"aws.ecs.task.family", "curltest"},
    {"aws.ecs.task.id", "158d1c8083dd49d6b527399fd6414f5c"},
    {"aws.ecs.task.revision", "26"},
    {"aws.ecs.launchtype", "ec2"},
    {"aws.log.group.names", "[/ecs/metadata]"},
    {"aws.log.group.arns", "[arn:aws:logs:us-west-2:111122223333:log-group:/ecs/metadata]"},
    {"aws.log.stream.names", "[ecs/curl/8f03e412]"},
    {"aws.log.stream.arns",
     "[arn:aws:logs:us-west-2:111122223333:log-group:/ecs/metadata:log-stream:ecs/curl/8f03e412]"},
};

struct EcsFixture {
  FakeMetadataServer server;
  StaticEnvironment env;
  EcsFixture(const std::string& task = kTask) {
    server.on("GET /v4/abc/task", 200, task);
    server.on("GET /v4/abc", 200, kSelf);
    env.variables = {{"ECS_CONTAINER_METADATA_URI_V4", server.url() + "/v4/abc"}};
  }
};

TEST(EcsDetector, TaskMetadataV4) {
  EcsFixture f;
  EcsDetector d{EcsConfig{}};
  auto r = testing::runDetector(d, f.env);
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(asStrings(*r), kExpected);
  auto requests = f.server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].path, "/v4/abc/task");
  EXPECT_EQ(requests[1].path, "/v4/abc");
}

TEST(EcsDetector, OptInContainerAttributes) {
  EcsFixture f;
  EcsConfig c;
  c.resource_attributes.configured = {
      {"aws.ecs.container.arn", true}, {"container.name", true}, {"container.id", true}};
  EcsDetector d(c);
  auto r = testing::runDetector(d, f.env);
  ASSERT_TRUE(r.isOk());
  Attrs got = asStrings(*r);
  EXPECT_EQ(got.at("aws.ecs.container.arn"),
            "arn:aws:ecs:us-west-2:111122223333:container/0206b271-b33f-47ab-86c6-a0ba208a70a9");
  EXPECT_EQ(got.at("container.name"), "otel");
  EXPECT_EQ(got.at("container.id"), "otel1");
  EXPECT_EQ(got.size(), kExpected.size() + 3);
}

TEST(EcsDetector, ClusterArnAndFargateAsGiven) {
  std::string task = kTask;
  task.replace(task.find("\"default\""), 9, "\"arn:aws:ecs:us-west-2:111122223333:cluster/prod\"");
  task.replace(task.find("\"EC2\""), 5, "\"FARGATE\"");
  EcsFixture f(task);
  EcsDetector d{EcsConfig{}};
  auto r = testing::runDetector(d, f.env);
  ASSERT_TRUE(r.isOk());
  Attrs got = asStrings(*r);
  EXPECT_EQ(got.at("aws.ecs.cluster.arn"), "arn:aws:ecs:us-west-2:111122223333:cluster/prod");
  EXPECT_EQ(got.at("aws.ecs.launchtype"), "fargate");
}

TEST(EcsDetector, ConfiguredEndpointWinsOverTheVariable) {
  EcsFixture f;
  EcsConfig c;
  c.endpoint = f.server.url() + "/v4/abc/";
  StaticEnvironment env;
  env.variables = {{"ECS_CONTAINER_METADATA_URI_V4", "http://127.0.0.1:1/nowhere"}};
  EcsDetector d(c);
  auto r = testing::runDetector(d, env);
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(asStrings(*r), kExpected);
}

TEST(EcsDetector, NotOnEcs) {
  EcsDetector d{EcsConfig{}};
  auto r = testing::runDetector(d, StaticEnvironment());
  ASSERT_TRUE(r.isOk());
  EXPECT_TRUE(r->empty());
  auto strict = testing::runDetector(d, StaticEnvironment(), {.fail_on_missing_metadata = true});
  ASSERT_FALSE(strict.isOk());
  EXPECT_EQ(strict.status().message(),
            "ecs metadata unavailable: neither ECS_CONTAINER_METADATA_URI_V4 nor "
            "ECS_CONTAINER_METADATA_URI is set");
}

TEST(EcsDetector, FailingEndpointIsAnError) {
  FakeMetadataServer server;
  server.on("GET /v4/abc/task", 500, "internal error");
  StaticEnvironment env;
  env.variables = {{"ECS_CONTAINER_METADATA_URI", server.url() + "/v4/abc"}};  // v3 variable
  EcsDetector d{EcsConfig{}};
  auto r = testing::runDetector(d, env);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().message(), "unable to fetch task metadata: GET " + server.url() +
                                      "/v4/abc/task: HTTP 500: internal error");
}

}  // namespace
}  // namespace periscope::components::resourcedetection
