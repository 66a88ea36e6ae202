// Golden tests of the span → X-Ray document translation: segment vs subsegment, names,
// namespace, origin, user, LOCAL_ROOT pairs.
#include <gtest/gtest.h>

#include "components/exporters/awsxray/translator/names.h"
#include "unit/components/exporters/awsxray/xray_test_util.h"

namespace periscope::components::awsxray_exporter {
namespace {

using namespace testing;  // NOLINT: test-local helpers
using json = nlohmann::json;
using model::SpanKind;

TEST(AwsXraySegment, RootServerSpanIsSegmentWithResourceMetadata) {
  auto doc = translateOne({{"service.name", str("checkout")}},
                          {.kind = SpanKind::kServer, .name = "GET /cart"});
  EXPECT_EQ(doc, json::parse(R"({
    "name": "checkout", "id": "53995c3f42cd8ad8", "trace_id": "1-6553f100-77b34da6a3ce929d0e0e4736",
    "start_time": 1700000000.5, "end_time": 1700000001.25,
    "metadata": {"default": {"otel.resource.service.name": "checkout"}}
  })"));
}

TEST(AwsXraySegment, ClientSpanWithParentIsSubsegmentWithoutResourceMetadata) {
  auto doc = translateOne({{"service.name", str("checkout")}},
                          {.kind = SpanKind::kClient,
                           .name = "charge",
                           .has_parent = true,
                           .attrs = {{"peer.service", str("billing")}}});
  EXPECT_EQ(doc, json::parse(R"({
    "name": "billing", "id": "53995c3f42cd8ad8", "trace_id": "1-6553f100-77b34da6a3ce929d0e0e4736",
    "parent_id": "0102030405060708", "type": "subsegment", "namespace": "remote",
    "start_time": 1700000000.5, "end_time": 1700000001.25,
    "metadata": {"default": {"peer.service": "billing"}}
  })"));
}

TEST(AwsXraySegment, ServerSpanWithParentStaysSegment) {
  auto doc = translateOne({}, {.kind = SpanKind::kServer, .name = "op", .has_parent = true});
  EXPECT_EQ(doc, json::parse(R"({
    "name": "op", "id": "53995c3f42cd8ad8", "trace_id": "1-6553f100-77b34da6a3ce929d0e0e4736",
    "parent_id": "0102030405060708", "start_time": 1700000000.5, "end_time": 1700000001.25
  })"));
}

TEST(AwsXraySegment, InternalSpanWithParentIsSubsegmentAndRootInternalIsSegment) {
  auto child = translateOne({}, {.kind = SpanKind::kInternal, .has_parent = true});
  EXPECT_EQ(child["type"], "subsegment");
  EXPECT_FALSE(child.contains("namespace"));
  auto root = translateOne({{"service.name", str("svc")}}, {.kind = SpanKind::kInternal});
  EXPECT_FALSE(root.contains("type"));
  EXPECT_EQ(root["metadata"], json::parse(R"({"default":{"otel.resource.service.name":"svc"}})"));
}

std::string nameOf(SpanKind kind, const AttrSpec& attrs, const AttrSpec& resource = {},
                   std::string span_name = "span-name") {
  return translateOne(
      resource, {.kind = kind, .name = span_name, .has_parent = true, .attrs = attrs})["name"];
}

TEST(AwsXrayNames, PrecedenceStepByStep) {
  const AttrSpec res = {{"service.name", str("res-svc")}};
  EXPECT_EQ(
      nameOf(SpanKind::kServer, {{"aws.local.service", str("local")}, {"peer.service", str("p")}}),
      "local");
  EXPECT_EQ(nameOf(SpanKind::kClient,
                   {{"aws.remote.service", str("remote")}, {"peer.service", str("p")}}),
            "remote");
  EXPECT_EQ(nameOf(SpanKind::kProducer, {{"aws.remote.service", str("q")}}), "q");
  EXPECT_EQ(nameOf(SpanKind::kClient, {{"aws.remote.service", str("AWS.SDK.DynamoDb")},
                                       {"rpc.system", str("aws-api")}}),
            "DynamoDb");
  EXPECT_EQ(nameOf(SpanKind::kClient,
                   {{"aws.remote.service", str("AWS::S3")}, {"rpc.system", str("aws-api")}}),
            "S3");
  // aws.local.service is only for servers, aws.remote.service only for outgoing spans
  EXPECT_EQ(nameOf(SpanKind::kClient, {{"aws.local.service", str("local")}}), "span-name");
  EXPECT_EQ(nameOf(SpanKind::kServer, {{"aws.remote.service", str("remote")}}, res), "res-svc");
  EXPECT_EQ(nameOf(SpanKind::kClient, {{"peer.service", str("p")}, {"aws.service", str("s3")}}),
            "p");
  EXPECT_EQ(nameOf(SpanKind::kClient, {{"aws.service", str("s3")}, {"db.name", str("db")}}), "s3");
  EXPECT_EQ(nameOf(SpanKind::kClient,
                   {{"db.name", str("orders")},
                    {"db.connection_string", str("jdbc:mysql://db.example.com:3306/orders")}}),
            "orders@db.example.com");
  EXPECT_EQ(nameOf(SpanKind::kClient, {{"db.name", str("orders")}, {"rpc.service", str("r")}}),
            "orders");
  EXPECT_EQ(nameOf(SpanKind::kServer, {{"rpc.service", str("r")}}, res), "res-svc");
  EXPECT_EQ(nameOf(SpanKind::kClient, {{"rpc.service", str("r")}}, res), "r");  // not for clients
  EXPECT_EQ(nameOf(SpanKind::kClient, {{"rpc.service", str("r")}, {"http.host", str("h")}}), "r");
  EXPECT_EQ(nameOf(SpanKind::kClient, {{"http.host", str("h")}, {"net.peer.name", str("n")}}), "h");
  EXPECT_EQ(nameOf(SpanKind::kClient, {{"net.peer.name", str("n")}}), "n");
  EXPECT_EQ(nameOf(SpanKind::kClient, {}), "span-name");
}

TEST(AwsXrayNames, SanitisedAndCapped) {
  EXPECT_EQ(translator::sanitizeSegmentName("GET /a?b=c|d<e>"), "GET /ab=cde");
  EXPECT_EQ(translator::sanitizeSegmentName("svc_1.a:b/%&#=+-@"), "svc_1.a:b/%&#=+-@");
  EXPECT_EQ(translator::sanitizeSegmentName("ünïcødé"), "ünïcødé");
  EXPECT_EQ(translator::sanitizeSegmentName("???"), "span");
  EXPECT_EQ(translator::sanitizeSegmentName(std::string(250, 'a')), std::string(200, 'a'));
  EXPECT_EQ(nameOf(SpanKind::kClient, {}, {}, "!!!"), "span");
}

std::string namespaceOf(SpanKind kind, bool parent, const AttrSpec& attrs) {
  auto doc = translateOne({}, {.kind = kind, .has_parent = parent, .attrs = attrs});
  return doc.contains("namespace") ? doc["namespace"].get<std::string>() : "";
}

TEST(AwsXrayNamespace, AwsRemoteOrNone) {
  EXPECT_EQ(namespaceOf(SpanKind::kClient, true, {{"rpc.system", str("aws-api")}}), "aws");
  EXPECT_EQ(namespaceOf(SpanKind::kInternal, true, {{"aws.service", str("s3")}}), "aws");
  EXPECT_EQ(namespaceOf(SpanKind::kClient, true, {}), "remote");
  EXPECT_EQ(namespaceOf(SpanKind::kClient, false, {}), "remote");
  EXPECT_EQ(namespaceOf(SpanKind::kProducer, true, {{"aws.remote.service", str("q")}}), "remote");
  EXPECT_EQ(namespaceOf(SpanKind::kConsumer, true, {{"aws.remote.service", str("q")}}), "remote");
  EXPECT_EQ(namespaceOf(SpanKind::kProducer, true, {}), "");
  EXPECT_EQ(namespaceOf(SpanKind::kServer, false, {}), "");
}

std::string originOf(const AttrSpec& resource) {
  auto doc = translateOne(resource, {.kind = SpanKind::kServer});
  return doc.contains("origin") ? doc["origin"].get<std::string>() : "";
}

TEST(AwsXrayOrigin, PerPlatformOnlyForAws) {
  auto aws = [](const char* platform) {
    return AttrSpec{{"cloud.provider", str("aws")}, {"cloud.platform", str(platform)}};
  };
  EXPECT_EQ(originOf(aws("aws_ec2")), "AWS::EC2::Instance");
  EXPECT_EQ(originOf(aws("aws_ecs")), "AWS::ECS::Container");
  auto ecs_ec2 = aws("aws_ecs");
  ecs_ec2.push_back({"aws.ecs.launchtype", str("ec2")});
  EXPECT_EQ(originOf(ecs_ec2), "AWS::ECS::EC2");
  auto fargate = aws("aws_ecs");
  fargate.push_back({"aws.ecs.launchtype", str("fargate")});
  EXPECT_EQ(originOf(fargate), "AWS::ECS::Fargate");
  EXPECT_EQ(originOf(aws("aws_elastic_beanstalk")), "AWS::ElasticBeanstalk::Environment");
  EXPECT_EQ(originOf(aws("aws_eks")), "AWS::EKS::Container");
  EXPECT_EQ(originOf(aws("aws_app_runner")), "AWS::AppRunner::Service");
  EXPECT_EQ(originOf(aws("aws_lambda")), "");
  EXPECT_EQ(originOf({{"cloud.provider", str("gcp")}, {"cloud.platform", str("aws_ec2")}}), "");
}

TEST(AwsXraySegment, EndUserIdBecomesUser) {
  auto doc = translateOne({}, {.kind = SpanKind::kServer, .attrs = {{"enduser.id", str("u-42")}}});
  EXPECT_EQ(doc["user"], "u-42");
  EXPECT_FALSE(doc.contains("metadata"));
}

TEST(AwsXrayLocalRoot, ClientSpanBecomesServiceSegmentPlusDependencySubsegment) {
  auto docs = translate({{"service.name", str("frontend")}},
                        {{.kind = SpanKind::kClient,
                          .name = "GET",
                          .has_parent = true,
                          .attrs = {{"aws.span.kind", str("LOCAL_ROOT")},
                                    {"aws.local.service", str("frontend-svc")},
                                    {"aws.remote.service", str("inventory")},
                                    {"http.method", str("GET")},
                                    {"http.url", str("http://inventory/items")},
                                    {"http.status_code", i64(200)}}}});
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[0], json::parse(R"({
    "name": "frontend-svc", "id": "0000000000000001",
    "trace_id": "1-6553f100-77b34da6a3ce929d0e0e4736", "parent_id": "0102030405060708",
    "start_time": 1700000000.5, "end_time": 1700000001.25,
    "metadata": {"default": {"otel.resource.service.name": "frontend"}}
  })"));
  EXPECT_EQ(docs[1], json::parse(R"({
    "name": "inventory", "id": "53995c3f42cd8ad8", "trace_id": "1-6553f100-77b34da6a3ce929d0e0e4736",
    "parent_id": "0000000000000001", "type": "subsegment", "namespace": "remote",
    "start_time": 1700000000.5, "end_time": 1700000001.25,
    "http": {"request": {"method": "GET", "url": "http://inventory/items"},
             "response": {"status": 200}},
    "metadata": {"default": {"aws.local.service": "frontend-svc",
                             "aws.remote.service": "inventory"}}
  })"));
}

TEST(AwsXrayLocalRoot, OnlyForOutgoingKinds) {
  auto docs =
      translate({}, {{.kind = SpanKind::kServer, .attrs = {{"aws.span.kind", str("LOCAL_ROOT")}}}});
  EXPECT_EQ(docs.size(), 1u);
}

}  // namespace
}  // namespace periscope::components::awsxray_exporter
