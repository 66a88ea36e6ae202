#include "components/exporters/awsemf/awsemf_exporter.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "components/exporters/awsemf/config.h"
#include "config/loader.h"
#include "support/fake_consumer.h"
#include "support/metrics_builder.h"
#include "support/null_host.h"
#include "support/temp_dir.h"
#include "unit/components/exporters/awsemf/emf_validator.h"

namespace periscope::components::awsemf_exporter {
namespace {

TEST(AwsEmfConfig, DefaultsMatchTheCollector) {
  Config c;
  EXPECT_EQ(c.log_group_name, "/metrics/default");
  EXPECT_EQ(c.log_stream_name, "otel-stream");
  EXPECT_EQ(c.dimension_rollup_option, "ZeroAndSingleDimensionRollup");
  EXPECT_EQ(c.output_destination, "cloudwatch");
  EXPECT_EQ(c.version, "1");
  EXPECT_TRUE(c.validate().isOk());
}

TEST(AwsEmfConfig, DecodesTheCollectorsKeys) {
  config::Diagnostics diags;
  config::Value v = config::loadYamlString(R"(
namespace: Shop
log_group_name: /aws/shop
log_stream_name: s1
region: eu-west-1
dimension_rollup_option: NoDimensionRollup
metric_declarations:
  - dimensions: [[svc], [svc, route]]
    metric_name_selectors: ["^latency$", "^errors"]
    label_matchers:
      - label_names: [svc, route]
        separator: "|"
        regex: "^shop\\|/a$"
metric_descriptors:
  - metric_name: latency
    unit: Milliseconds
    overwrite: true
resource_to_telemetry_conversion:
  enabled: true
output_destination: stdout
detailed_metrics: true
retain_initial_value_of_delta_metric: true
parse_json_encoded_attr_values: [meta]
version: "1"
eks_fargate_container_insights_enabled: false
)",
                                           "test.yaml", diags);
  auto factory = makeFactory();
  auto cfg = factory->createDefaultConfig();
  factory->decodeConfig(v, *cfg, diags);
  ASSERT_EQ(diags.size(), 0u) << diags.format();
  const auto& c = static_cast<const Config&>(*cfg);
  EXPECT_EQ(c.namespace_, "Shop");
  EXPECT_EQ(c.log_group_name, "/aws/shop");
  EXPECT_EQ(c.dimension_rollup_option, "NoDimensionRollup");
  ASSERT_EQ(c.metric_declarations.size(), 1u);
  EXPECT_EQ(c.metric_declarations[0].dimensions,
            (std::vector<std::vector<std::string>>{{"svc"}, {"svc", "route"}}));
  ASSERT_EQ(c.metric_declarations[0].label_matchers.size(), 1u);
  EXPECT_EQ(c.metric_declarations[0].label_matchers[0].separator, "|");
  EXPECT_EQ(c.metric_declarations[0].label_matchers[0].regex, "^shop\\|/a$");
  ASSERT_EQ(c.metric_descriptors.size(), 1u);
  EXPECT_TRUE(c.metric_descriptors[0].overwrite);
  EXPECT_TRUE(c.resource_to_telemetry_conversion.enabled);
  EXPECT_TRUE(c.detailed_metrics);
  EXPECT_TRUE(c.retain_initial_value_of_delta_metric);
  EXPECT_EQ(c.parse_json_encoded_attr_values, std::vector<std::string>{"meta"});
  EXPECT_EQ(c.sending_queue.num_consumers, 1u);
  EXPECT_TRUE(c.validate().isOk());

  config::Diagnostics bad;
  auto v0 = config::loadYamlString("version: \"0\"\n", "test.yaml", bad);
  auto cfg0 = factory->createDefaultConfig();
  factory->decodeConfig(v0, *cfg0, bad);
  EXPECT_NE(bad.format().find("version"), std::string::npos);
}

TEST(AwsEmfConfig, ValidateNamesTheField) {
  Config file;
  file.output_destination = "file";
  EXPECT_NE(file.validate().message().find("path"), std::string_view::npos);

  Config regex;
  MetricDeclarationConfig d;
  d.metric_name_selectors = {"("};
  regex.metric_declarations = {d};
  EXPECT_NE(regex.validate().message().find("metric_declarations[0].metric_name_selectors"),
            std::string_view::npos);

  Config unit;
  unit.metric_descriptors = {MetricDescriptor{"m", "ms", false}};
  EXPECT_NE(unit.validate().message().find("metric_descriptors[0].unit"), std::string_view::npos);
}

TEST(AwsEmfSinks, FileSinkAppendsOneLinePerEvent) {
  periscope::testing::TempDir dir;
  auto path = dir.file("events.jsonl");
  Config c;
  c.output_destination = "file";
  c.path = path;
  {
    auto sink = makeSink(c);
    ASSERT_TRUE(sink.isOk());
    ASSERT_TRUE((*sink)->put({{1, R"({"a":1})"}, {2, R"({"b":2})"}}).isOk());
    ASSERT_TRUE((*sink)->put({{3, R"({"c":3})"}}).isOk());
  }
  std::ifstream in(path);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(all, "{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n");
}

TEST(AwsEmfExporter, WritesValidEmfEventsToAFile) {
  periscope::testing::TempDir dir;
  Config c;
  c.output_destination = "file";
  c.path = dir.file("emf.jsonl");
  c.namespace_ = "Shop";
  c.sending_queue.enabled = false;  // written before consumeAndWait returns
  auto created = makeFactory()->create({{"awsemf", ""}, component::Kind::kExporter, ""}, c,
                                       {pipeline::Signal::kMetrics});
  ASSERT_TRUE(created.isOk());
  auto e = std::move(created).value();
  periscope::testing::NullHost host;
  ASSERT_TRUE(e->start(host).isOk());
  model::Metrics batch;
  Arena& a = batch.arena();
  auto points = periscope::testing::arenaArray(
      a, {periscope::testing::numberPoint(a, {periscope::testing::kv("queue", "q1")}, 1700000000000,
                                          5),
          periscope::testing::numberPoint(a, {periscope::testing::kv("queue", "q2")}, 1700000000000,
                                          6)});
  periscope::testing::addResource(batch, {}, "", "",
                                  {periscope::testing::gauge("depth", "", points)});
  ASSERT_TRUE(pipeline::consumeAndWait(*e->input().metrics, std::move(batch)).isOk());
  ASSERT_TRUE(e->shutdown(std::chrono::steady_clock::now()).isOk());
  std::ifstream in(c.path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 2u);
  for (const auto& line : lines) {
    EXPECT_TRUE(testing::emfViolations(line).empty()) << line;
    EXPECT_NE(line.find(R"("Namespace":"Shop")"), std::string::npos);
  }
}

TEST(AwsEmfExporter, StartFailsForCloudWatchUntilTheClientIsWired) {
  Config c;
  auto created = makeFactory()->create({{"awsemf", ""}, component::Kind::kExporter, ""}, c,
                                       {pipeline::Signal::kMetrics});
  ASSERT_TRUE(created.isOk());
  periscope::testing::NullHost host;
  Status st = (*created)->start(host);
  EXPECT_FALSE(st.isOk());
  EXPECT_NE(st.message().find("output_destination"), std::string_view::npos);
}

TEST(AwsEmfSinks, CloudWatchIsNotAvailableYet) {
  Config c;
  auto sink = makeSink(c);
  ASSERT_FALSE(sink.isOk());
  EXPECT_NE(sink.status().message().find("output_destination"), std::string_view::npos);
}

TEST(AwsEmfFactory, IsAMetricsExporterNamedAwsemf) {
  auto f = makeFactory();
  EXPECT_EQ(f->type(), "awsemf");
  EXPECT_TRUE(f->supports(pipeline::Signal::kMetrics));
  EXPECT_FALSE(f->supports(pipeline::Signal::kTraces));
}

}  // namespace
}  // namespace periscope::components::awsemf_exporter
