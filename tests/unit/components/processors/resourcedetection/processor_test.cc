#include "components/processors/resourcedetection/processor.h"

#include <gtest/gtest.h>

#include "components/processors/resourcedetection/detectors/env_detector.h"
#include "components/processors/resourcedetection/detectors/lambda_detector.h"
#include "components/processors/resourcedetection/factory.h"
#include "detect_test_util.h"
#include "fake_metadata_server.h"
#include "support/null_host.h"

namespace periscope::components::resourcedetection {
namespace {

using testing::asStrings;
using testing::Attrs;

template <typename T>
class Capture : public pipeline::Consumer<T> {
 public:
  void consume(T&& data, pipeline::Done done) override {
    batches.push_back(std::move(data));
    done(Status::ok());
  }
  std::vector<T> batches;
};

std::shared_ptr<StaticEnvironment> envWith(std::string resource_attributes) {
  auto env = std::make_shared<StaticEnvironment>();
  env->variables = {{"OTEL_RESOURCE_ATTRIBUTES", std::move(resource_attributes)}};
  return env;
}

std::shared_ptr<ResourceProvider> provider(std::vector<std::unique_ptr<Detector>> detectors,
                                           std::shared_ptr<const Environment> env) {
  return std::make_shared<ResourceProvider>(std::move(detectors), std::chrono::seconds(5), false,
                                            std::move(env));
}

std::vector<std::unique_ptr<Detector>> detectors(const std::vector<std::string>& names) {
  Config c;
  c.detectors.clear();
  for (const auto& n : names) c.detectors.push_back({n});
  return makeDetectors(c);
}

TEST(ResourceProvider, EarlierDetectorWins) {
  auto env = std::make_shared<StaticEnvironment>();
  env->variables = {{"OTEL_RESOURCE_ATTRIBUTES", "cloud.region=from-env,team=core"},
                    {"AWS_LAMBDA_FUNCTION_NAME", "f"},
                    {"AWS_REGION", "eu-west-1"}};
  struct Case {
    std::vector<std::string> order;
    std::string region;
  };
  for (const Case& c :
       {Case{{"env", "lambda"}, "from-env"}, Case{{"lambda", "env"}, "eu-west-1"}}) {
    auto p = provider(detectors(c.order), env);
    ASSERT_TRUE(p->detect().isOk());
    Attrs got = asStrings(p->resource());
    EXPECT_EQ(got.at("cloud.region"), c.region);
    EXPECT_EQ(got.at("team"), "core");
    EXPECT_EQ(got.at("faas.name"), "f");
    EXPECT_EQ(got.size(),
              5u);  // team, cloud.region (once), cloud.provider, cloud.platform, faas.name
  }
}

TEST(ResourceProvider, CountsOutcomesPerDetector) {
  telemetry::Registry registry;
  auto env = envWith("a=1,b=2");
  env->variables["AWS_LAMBDA_FUNCTION_NAME"] = "f";
  ResourceProvider ok(detectors({"env", "lambda", "eks"}), std::chrono::seconds(5), false, env,
                      "resourcedetection/ok", registry);
  ASSERT_TRUE(ok.detect().isOk());
  for (const char* d : {"env", "lambda", "eks"}) {
    EXPECT_EQ(registry.value(
                  "otelcol_resourcedetection_detector_results",
                  {{"processor", "resourcedetection/ok"}, {"detector", d}, {"outcome", "success"}}),
              1)
        << d;
  }
  EXPECT_EQ(registry.value("otelcol_resourcedetection_attributes_detected",
                           {{"processor", "resourcedetection/ok"}}),
            5);  // a, b, cloud.provider, cloud.platform, faas.name

  ResourceProvider bad(detectors({"env"}), std::chrono::seconds(5), false, envWith("x"),
                       "resourcedetection/bad", registry);
  ASSERT_FALSE(bad.detect().isOk());
  EXPECT_EQ(registry.value("otelcol_resourcedetection_detector_results",
                           {{"processor", "resourcedetection/bad"},
                            {"detector", "env"},
                            {"outcome", "failure"},
                            {"error_type", "INVALID_ARGUMENT"}}),
            1);
}

TEST(ResourceProvider, FailingDetectorFailsDetectionAndNamesIt) {
  auto p = provider(detectors({"env", "lambda"}), envWith("broken"));
  Status st = p->detect();
  ASSERT_FALSE(st.isOk());
  EXPECT_EQ(st.message(),
            "resource detection failed: detector \"env\": OTEL_RESOURCE_ATTRIBUTES: invalid pair "
            "\"broken\" (expected key=value)");
  EXPECT_EQ(p->detect().message(), st.message());  // runs once; later calls see the outcome
}

// On an ECS task the EC2 metadata address silently drops packets: ec2 listed first must not use
// up the time ecs needs (detectors run concurrently, each with the whole timeout).
TEST(ResourceProvider, DetectorThatNeverAnswersDoesNotStarveTheOthers) {
  testing::FakeMetadataServer imds;
  imds.hang();
  testing::FakeMetadataServer ecs;
  ecs.on("GET /v4/abc/task", 200,
         R"({"Cluster": "default", "TaskARN": "arn:aws:ecs:us-west-2:111122223333:task/default/t1",
             "Family": "curltest", "Revision": "26", "AvailabilityZone": "us-west-2d",
             "LaunchType": "FARGATE", "Containers": []})");
  ecs.on("GET /v4/abc", 200, R"({"DockerId": "otel1", "Name": "otel"})");
  Config c;
  c.detectors = {{"ec2"}, {"ecs"}};
  c.ec2.endpoint = imds.url();
  c.ecs.endpoint = ecs.url() + "/v4/abc/";
  ResourceProvider p(makeDetectors(c), std::chrono::milliseconds(1000), false,
                     std::make_shared<StaticEnvironment>());
  Status st = p.detect();
  ASSERT_TRUE(st.isOk()) << st.message();
  Attrs got = asStrings(p.resource());
  EXPECT_EQ(got.at("cloud.platform"), "aws_ecs");
  EXPECT_EQ(got.at("aws.ecs.task.family"), "curltest");
  EXPECT_EQ(got.count("host.id"), 0u);    // nothing from ec2
  EXPECT_FALSE(imds.requests().empty());  // ec2 did probe, and was given up on
}

// Existing resource attributes {host.name: existing, keep: me}; detected {host.name: detected,
// os.type: linux}.
struct OverrideCase {
  bool override_existing;
  Attrs expected;
};
const OverrideCase kOverrideCases[] = {
    {true, {{"host.name", "detected"}, {"keep", "me"}, {"os.type", "linux"}}},
    {false, {{"host.name", "existing"}, {"keep", "me"}, {"os.type", "linux"}}},
};

Attrs resourceAttrs(const model::Attributes& attrs) {
  Attrs out;
  for (const auto& kv : attrs) out[std::string(kv.key)] = std::string(kv.value.str());
  return out;
}

template <typename T>
void addGroup(T& batch);

template <>
void addGroup(model::Traces& batch) {
  Arena& a = batch.arena();
  model::ResourceSpans rs;
  auto scopes = a.allocArray<model::ScopeSpans>(1);
  scopes[0].spans = a.allocArray<model::Span>(1);
  rs.scope_spans = scopes;
  batch.resources().push_back(rs);
}
template <>
void addGroup(model::Logs& batch) {
  Arena& a = batch.arena();
  model::ResourceLogs rl;
  auto scopes = a.allocArray<model::ScopeLogs>(1);
  scopes[0].log_records = a.allocArray<model::LogRecord>(1);
  rl.scope_logs = scopes;
  batch.resources().push_back(rl);
}
template <>
void addGroup(model::Metrics& batch) {
  Arena& a = batch.arena();
  model::ResourceMetrics rm;
  auto scopes = a.allocArray<model::ScopeMetrics>(1);
  auto metrics = a.allocArray<model::Metric>(1);
  metrics[0].name = "m";
  metrics[0].type = model::MetricType::kGauge;
  metrics[0].number_points = a.allocArray<model::NumberDataPoint>(1);
  scopes[0].metrics = metrics;
  rm.scope_metrics = scopes;
  batch.resources().push_back(rm);
}

template <typename T>
class ProcessorTest : public ::testing::Test {};
using Signals = ::testing::Types<model::Traces, model::Metrics, model::Logs>;
TYPED_TEST_SUITE(ProcessorTest, Signals);

TYPED_TEST(ProcessorTest, MergesDetectedResourceIntoEveryGroup) {
  for (const auto& c : kOverrideCases) {
    auto p = provider(detectors({"env"}), envWith("host.name=detected,os.type=linux"));
    Capture<TypeParam> sink;
    ResourceDetectionProcessor<TypeParam> proc(
        {{"resourcedetection", ""}, component::Kind::kProcessor, "x"}, p, c.override_existing,
        &sink);
    periscope::testing::NullHost host;
    ASSERT_TRUE(proc.start(host).isOk());

    TypeParam batch;
    addGroup(batch);  // with attributes
    addGroup(batch);  // without a resource at all
    Arena& a = batch.arena();
    auto attrs = a.allocArray<model::KeyValue>(2);
    attrs[0] = {"host.name", model::AnyValue::string("existing")};
    attrs[1] = {"keep", model::AnyValue::string("me")};
    batch.resources()[0].has_resource = true;
    batch.resources()[0].resource.attributes = attrs;

    ASSERT_TRUE(pipeline::consumeAndWait<TypeParam>(proc, std::move(batch)).isOk());
    ASSERT_EQ(sink.batches.size(), 1u);
    const auto& groups = sink.batches[0].resources();
    ASSERT_EQ(groups.size(), 2u);
    EXPECT_EQ(resourceAttrs(groups[0].resource.attributes), c.expected);
    EXPECT_TRUE(groups[1].has_resource);
    EXPECT_EQ(resourceAttrs(groups[1].resource.attributes),
              (Attrs{{"host.name", "detected"}, {"os.type", "linux"}}));
    // Detected keys and values live in the batch's own arena, not the processor's.
    const auto& added = groups[1].resource.attributes[0];
    EXPECT_NE(added.key.data(), p->attributes()[0].key.data());
  }
}

TEST(ResourceDetectionFactory, PipelinesShareOneDetectionAndStartFailsOnError) {
  auto env = envWith("a=1");
  auto factory = makeFactory(env);
  auto config = factory->createDefaultConfig();  // detectors: [env]
  Capture<model::Traces> traces;
  Capture<model::Logs> logs;
  pipeline::Consumers to_traces, to_logs;
  to_traces.set(component::Signal::kTraces,
                static_cast<pipeline::Consumer<model::Traces>*>(&traces));
  to_logs.set(component::Signal::kLogs, static_cast<pipeline::Consumer<model::Logs>*>(&logs));
  component::Settings settings{{"resourcedetection", ""}, component::Kind::kProcessor, "traces"};
  auto t = factory->create(component::Signal::kTraces, settings, *config, to_traces);
  auto l = factory->create(component::Signal::kLogs, settings, *config, to_logs);
  ASSERT_TRUE(t.isOk() && l.isOk());
  periscope::testing::NullHost host;
  ASSERT_TRUE(t.value()->start(host).isOk());
  env->variables["OTEL_RESOURCE_ATTRIBUTES"] = "a=2";  // not read again: detection ran once
  ASSERT_TRUE(l.value()->start(host).isOk());
  model::Logs batch;
  addGroup(batch);
  auto* consumer = l.value()->input().template get<model::Logs>();
  ASSERT_TRUE(pipeline::consumeAndWait<model::Logs>(*consumer, std::move(batch)).isOk());
  EXPECT_EQ(resourceAttrs(logs.batches.at(0).resources()[0].resource.attributes),
            (Attrs{{"a", "1"}}));

  auto broken = makeFactory(envWith("nope"));
  auto bad = broken->create(component::Signal::kTraces, settings, *broken->createDefaultConfig(),
                            to_traces);
  ASSERT_TRUE(bad.isOk());
  Status st = bad.value()->start(host);
  EXPECT_EQ(st.message(),
            "resource detection failed: detector \"env\": OTEL_RESOURCE_ATTRIBUTES: invalid pair "
            "\"nope\" (expected key=value)");
}

}  // namespace
}  // namespace periscope::components::resourcedetection
