// The resource processor: the shared action list on resource attributes, for every signal.
#include <gtest/gtest.h>

#include "components/processors/resource/config.h"
#include "components/processors/resource/factory.h"
#include "unit/components/processors/attributes/attr_test_util.h"

namespace periscope::components::resource {
namespace {

using testing::str;

// One item under resource `r`, so that the batch is forwarded (the helper answers batches
// without items itself).
void addItem(Arena& a, model::ResourceSpans& r) {
  auto scopes = a.allocArray<model::ScopeSpans>(1);
  scopes[0].spans = a.allocArray<model::Span>(1);
  r.scope_spans = scopes;
}
void addItem(Arena& a, model::ResourceLogs& r) {
  auto scopes = a.allocArray<model::ScopeLogs>(1);
  scopes[0].log_records = a.allocArray<model::LogRecord>(1);
  r.scope_logs = scopes;
}
void addItem(Arena& a, model::ResourceMetrics& r) {
  auto scopes = a.allocArray<model::ScopeMetrics>(1);
  scopes[0].metrics = a.allocArray<model::Metric>(1);
  scopes[0].metrics[0].type = model::MetricType::kGauge;
  scopes[0].metrics[0].number_points = a.allocArray<model::NumberDataPoint>(1);
  r.scope_metrics = scopes;
}

template <typename T>
T batchWithResources(const std::vector<testing::AttrSpec>& resources) {
  T batch;
  for (const auto& spec : resources) {
    typename std::remove_reference_t<decltype(batch.resources())>::value_type r;
    r.has_resource = !spec.empty();
    r.resource.attributes = testing::makeAttrs(batch.arena(), spec);
    addItem(batch.arena(), r);
    batch.resources().push_back(r);
  }
  return batch;
}

const std::string kConfig =
    "attributes:\n"
    "  - {key: cloud.zone, action: upsert, value: zone-1}\n"
    "  - {key: k8s.cluster.name, from_attribute: k8s-cluster, action: insert}\n"
    "  - {key: redundant-attribute, action: delete}\n"
    "  - {key: host.id, action: hash}\n";

template <typename T>
std::vector<std::string> runConfig(const std::string& yaml,
                                   const std::vector<testing::AttrSpec>& resources) {
  Config cfg;
  EXPECT_EQ(testing::decodeConfig(yaml, cfg), "");
  testing::KeepLast<T> sink;
  pipeline::Consumers next;
  next.set(pipeline::signalOf<T>(), static_cast<pipeline::Consumer<T>*>(&sink));
  auto p = makeFactory()->create(pipeline::signalOf<T>(),
                                 {{"resource", ""}, component::Kind::kProcessor, "p"}, cfg, next);
  EXPECT_TRUE(p.isOk());
  if (!p.isOk()) return {};
  T batch = batchWithResources<T>(resources);
  EXPECT_TRUE(
      pipeline::consumeAndWait<T>(*(*p)->input().template get<T>(), std::move(batch)).isOk());
  std::vector<std::string> out;
  for (const auto& r : sink.last.resources()) {
    out.push_back(testing::render(r.resource.attributes) + (r.has_resource ? "" : " (none)"));
  }
  return out;
}

TEST(ResourceProcessor, AppliesActionsToEveryResourceOfEverySignal) {
  const std::vector<testing::AttrSpec> resources = {
      {{"k8s-cluster", str("c1")}, {"redundant-attribute", str("x")}, {"host.id", str("foo")}},
      {{"cloud.zone", str("old")}},
      {},
  };
  const std::vector<std::string> expected = {
      "k8s-cluster=str:c1 "
      "host.id=str:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae "
      "cloud.zone=str:zone-1 k8s.cluster.name=str:c1",
      "cloud.zone=str:zone-1",
      "cloud.zone=str:zone-1",  // a group without a resource gets one
  };
  EXPECT_EQ(runConfig<model::Traces>(kConfig, resources), expected);
  EXPECT_EQ(runConfig<model::Metrics>(kConfig, resources), expected);
  EXPECT_EQ(runConfig<model::Logs>(kConfig, resources), expected);
}

TEST(ResourceProcessor, BatchesSplitFromOneRequestDoNotSeeEachOthersEdits) {
  Config cfg;
  ASSERT_EQ(testing::decodeConfig("attributes:\n  - {key: b, action: delete}\n"
                                  "  - {key: c, action: upsert, value: 3}\n",
                                  cfg),
            "");
  testing::KeepLast<model::Traces> sink;
  pipeline::Consumers next;
  next.traces = &sink;
  auto p = makeFactory()->create(component::Signal::kTraces,
                                 {{"resource", ""}, component::Kind::kProcessor, "p"}, cfg, next);
  ASSERT_TRUE(p.isOk());
  model::Traces whole =
      batchWithResources<model::Traces>({{{"a", str("1")}, {"b", str("2")}, {"c", str("x")}}});
  auto scopes = whole.arena().allocArray<model::ScopeSpans>(1);
  scopes[0].spans = whole.arena().allocArray<model::Span>(2);
  whole.resources()[0].scope_spans = scopes;
  model::Traces head = whole.splitFront(1);  // both halves share the resource header
  auto* in = (*p)->input().get<model::Traces>();
  ASSERT_TRUE(pipeline::consumeAndWait<model::Traces>(*in, std::move(head)).isOk());
  EXPECT_EQ(testing::render(sink.last.resources()[0].resource.attributes), "a=str:1 c=int:3");
  ASSERT_TRUE(pipeline::consumeAndWait<model::Traces>(*in, std::move(whole)).isOk());
  EXPECT_EQ(testing::render(sink.last.resources()[0].resource.attributes), "a=str:1 c=int:3");
}

TEST(ResourceProcessor, ConfigErrors) {
  struct Row {
    std::string yaml;
    std::string error;
  };
  const std::vector<Row> rows = {
      {"{}\n", "missing required field \"attributes\""},
      {"attributes:\n  - {key: a, action: insert}\n",
       "error creating AttrProc. Either field \"value\", \"from_attribute\" or \"from_context\" "
       "setting must be specified for 0-th action"},
      {"attributes:\n  - {key: a, action: extract, pattern: '[a'}\n",
       "error creating AttrProc. Field \"pattern\" has invalid pattern: \"[a\" to be set at the "
       "0-th actions: missing ]: [a"},
      {"actions:\n  - {key: a, action: delete}\n",
       "test.yaml:1:1: actions: unknown key \"actions\"\n"},
  };
  for (const Row& r : rows) {
    Config cfg;
    EXPECT_EQ(testing::decodeConfig(r.yaml, cfg), r.error) << r.yaml;
  }
}

}  // namespace
}  // namespace periscope::components::resource
