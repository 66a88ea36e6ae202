#include "components/exporters/awsemf/awsemf_exporter.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "components/exporters/awsemf/config.h"
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
