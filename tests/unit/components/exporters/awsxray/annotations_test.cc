// Golden tests of annotations vs metadata: indexed_attributes, index_all_attributes,
// aws.xray.annotations, key sanitising, aws.xray.metadata.<ns>, resource metadata.
#include "components/exporters/awsxray/translator/annotations.h"

#include <gtest/gtest.h>

#include "unit/components/exporters/awsxray/xray_test_util.h"

namespace periscope::components::awsxray_exporter {
namespace {

using namespace testing;  // NOLINT: test-local helpers
using json = nlohmann::json;
using model::SpanKind;

const AttrSpec kAttrs = {{"user-id", str("u1")},
                         {"cart.size", i64(3)},
                         {"ratio", f64(0.5)},
                         {"vip", boolean(true)},
                         {"tags", strArray({"a", "b"})}};

json docWith(const translator::BatchOptions& options, AttrSpec attrs = kAttrs) {
  return translateOne({}, {.kind = SpanKind::kInternal, .has_parent = true, .attrs = attrs},
                      options);
}

TEST(AwsXrayAnnotations, DefaultEverythingIsMetadata) {
  auto doc = docWith({});
  EXPECT_FALSE(doc.contains("annotations"));
  EXPECT_EQ(doc["metadata"], json::parse(R"({"default": {
    "user-id": "u1", "cart.size": 3, "ratio": 0.5, "vip": true, "tags": ["a", "b"]}})"));
}

TEST(AwsXrayAnnotations, IndexedAttributesWithSanitisedKeys) {
  translator::BatchOptions options;
  options.translate.annotations.indexed_attributes = {"user-id", "cart.size"};
  auto doc = docWith(options);
  EXPECT_EQ(doc["annotations"], json::parse(R"({"user_id": "u1", "cart.size": 3})"));
  EXPECT_EQ(doc["metadata"],
            json::parse(R"({"default": {"ratio": 0.5, "vip": true, "tags": ["a", "b"]}})"));
}

TEST(AwsXrayAnnotations, IndexAllTakesOnlyScalarValues) {
  translator::BatchOptions options;
  options.translate.annotations.index_all_attributes = true;
  auto doc = docWith(options);
  EXPECT_EQ(doc["annotations"],
            json::parse(R"({"user_id": "u1", "cart.size": 3, "ratio": 0.5, "vip": true})"));
  EXPECT_EQ(doc["metadata"], json::parse(R"({"default": {"tags": ["a", "b"]}})"));
}

TEST(AwsXrayAnnotations, SpanListsItsOwnAnnotations) {
  AttrSpec attrs = kAttrs;
  attrs.push_back({"aws.xray.annotations", strArray({"vip", "ratio"})});
  auto doc = docWith({}, attrs);
  EXPECT_EQ(doc["annotations"], json::parse(R"({"vip": true, "ratio": 0.5})"));
  EXPECT_EQ(doc["metadata"], json::parse(R"({"default": {
    "user-id": "u1", "cart.size": 3, "tags": ["a", "b"]}})"));
}

TEST(AwsXrayAnnotations, KeySanitisingAndLimits) {
  EXPECT_EQ(translator::sanitizeAnnotationKey("a-b c.d/é"), "a_b_c.d___");
  EXPECT_EQ(translator::sanitizeAnnotationKey(std::string(600, 'k')), std::string(500, 'k'));
  translator::BatchOptions options;
  options.translate.annotations.index_all_attributes = true;
  std::string long_value(1500, 'v');
  auto doc = docWith(options, {{"long", str(long_value)}});
  EXPECT_EQ(doc["annotations"]["long"], std::string(1000, 'v'));
  AttrSpec many;
  std::vector<std::string> keys;
  for (int i = 0; i < 55; ++i) keys.push_back("k" + std::to_string(i));
  for (const auto& k : keys) many.push_back({k, i64(1)});
  auto capped = docWith(options, many);
  EXPECT_EQ(capped["annotations"].size(), 50u);
  EXPECT_EQ(capped["metadata"]["default"].size(), 5u);
  EXPECT_EQ(capped["metadata"]["default"]["k54"], 1);
}

TEST(AwsXrayMetadata, NamespacedJsonMetadata) {
  auto doc = docWith({}, {{"aws.xray.metadata.orders", str(R"({"items":[1,2],"total":9.5})")},
                          {"aws.xray.metadata.bad", str("{not json")},
                          {"plain", str("p")}});
  EXPECT_EQ(doc["metadata"], json::parse(R"({
    "orders": {"items": [1, 2], "total": 9.5},
    "default": {"aws.xray.metadata.bad": "{not json", "plain": "p"}})"));
}

TEST(AwsXrayMetadata, ExplicitDefaultNamespaceMergesWithPlainAttributes) {
  auto doc =
      docWith({}, {{"aws.xray.metadata.default", str(R"({"from_json":1})")}, {"plain", str("p")}});
  EXPECT_EQ(doc["metadata"], json::parse(R"({"default": {"from_json": 1, "plain": "p"}})"));
}

TEST(AwsXrayMetadata, ResourceAttributesOnlyOnSegments) {
  const AttrSpec resource = {{"service.name", str("svc")}, {"host.arch", str("arm64")}};
  auto segment = translateOne(resource, {.kind = SpanKind::kServer});
  EXPECT_EQ(segment["metadata"], json::parse(R"({"default": {
    "otel.resource.service.name": "svc", "otel.resource.host.arch": "arm64"}})"));
  auto subsegment = translateOne(resource, {.kind = SpanKind::kClient, .has_parent = true});
  EXPECT_FALSE(subsegment.contains("metadata"));
}

TEST(AwsXrayMetadata, BlockKeysAreNotRepeated) {
  auto doc = translateOne({}, {.kind = SpanKind::kServer,
                               .attrs = {{"http.method", str("GET")},
                                         {"http.status_code", i64(200)},
                                         {"enduser.id", str("u")},
                                         {"custom", str("c")}}});
  EXPECT_EQ(doc["metadata"], json::parse(R"({"default": {"custom": "c"}})"));
}

}  // namespace
}  // namespace periscope::components::awsxray_exporter
