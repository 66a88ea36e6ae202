// The connectors' configs as users write them: YAML decoded through the factories.
#include <gtest/gtest.h>

#include "components/connectors/servicegraph/config.h"
#include "components/connectors/servicegraph/factory.h"
#include "components/connectors/spanmetrics/config.h"
#include "components/connectors/spanmetrics/factory.h"
#include "config/loader.h"

namespace periscope::components {
namespace {

template <typename ConfigT>
std::unique_ptr<ConfigT> decode(const pipeline::ConnectorFactory& factory, const std::string& yaml,
                                std::string* errors = nullptr) {
  config::Diagnostics diags;
  config::Value v = config::loadYamlString(yaml, "test.yaml", diags);
  auto cfg = factory.createDefaultConfig();
  factory.decodeConfig(v, *cfg, diags);
  if (errors != nullptr) *errors = diags.format();
  EXPECT_TRUE(errors != nullptr || diags.size() == 0) << diags.format();
  return std::unique_ptr<ConfigT>(static_cast<ConfigT*>(cfg.release()));
}

TEST(ConnectorConfig, SpanMetricsDecodesTheCollectorsKeys) {
  auto c = decode<spanmetrics::Config>(*spanmetrics::makeFactory(), R"(
namespace: span.metrics
histogram:
  unit: s
  explicit:
    buckets: [100us, 1ms, 250ms]
dimensions:
  - name: http.method
    default: GET
  - name: http.status_code
exclude_dimensions: ['status.code']
dimensions_cache_size: 1000
aggregation_temporality: AGGREGATION_TEMPORALITY_DELTA
metrics_flush_interval: 15s
metrics_expiration: 5m
exemplars:
  enabled: true
  max_per_data_point: 3
events:
  enabled: true
  dimensions:
    - name: exception.type
resource_metrics_key_attributes: [service.name, telemetry.sdk.language]
aggregation_cardinality_limit: 2000
)");
  EXPECT_EQ(c->namespace_, "span.metrics");
  EXPECT_EQ(c->histogram.unit, "s");
  ASSERT_TRUE(c->histogram.explicit_buckets.has_value());
  EXPECT_EQ(c->explicitBounds(), (std::vector<double>{0.0001, 0.001, 0.25}));
  ASSERT_EQ(c->dimensions.size(), 2u);
  EXPECT_EQ(c->dimensions[0].default_value, std::optional<std::string>("GET"));
  EXPECT_EQ(c->dimensions[1].default_value, std::nullopt);
  EXPECT_TRUE(c->delta());
  EXPECT_EQ(c->metrics_flush_interval, std::chrono::seconds(15));
  EXPECT_EQ(c->metrics_expiration, std::chrono::minutes(5));
  EXPECT_EQ(c->exemplars.max_per_data_point, 3u);
  EXPECT_TRUE(c->events.enabled);
  EXPECT_EQ(c->resource_metrics_key_attributes.size(), 2u);
  EXPECT_EQ(c->aggregation_cardinality_limit, 2000u);
  EXPECT_TRUE(c->validate().isOk());
}

TEST(ConnectorConfig, SpanMetricsDefaultsFollowTheCurrentCollector) {
  spanmetrics::Config c;
  EXPECT_EQ(c.namespace_, "traces.span.metrics");
  EXPECT_EQ(c.metrics_flush_interval, std::chrono::seconds(60));
  EXPECT_FALSE(c.delta());
  EXPECT_EQ(c.explicitBounds().size(), 16u);
  EXPECT_DOUBLE_EQ(c.explicitBounds().back(), 15000);
}

TEST(ConnectorConfig, UnknownKeysAndBadValuesAreReported) {
  std::string errors;
  decode<spanmetrics::Config>(*spanmetrics::makeFactory(), R"(
histogram:
  unit: us
aggregation_temporality: DELTA
dimension: []
)",
                              &errors);
  EXPECT_NE(errors.find("invalid value \"us\"; expected one of ms, s"), std::string::npos)
      << errors;
  EXPECT_NE(errors.find("AGGREGATION_TEMPORALITY_DELTA"), std::string::npos) << errors;
  EXPECT_NE(errors.find("dimension"), std::string::npos) << errors;
}

TEST(ConnectorConfig, ServiceGraphDecodesTheCollectorsKeys) {
  auto c = decode<servicegraph::Config>(*servicegraph::makeFactory(), R"(
latency_histogram_buckets: [1ms, 10ms, 1s]
dimensions: [dimension-1, dimension-2]
store:
  ttl: 1s
  max_items: 10
virtual_node_peer_attributes: [peer.service]
metrics_flush_interval: 0s
)");
  EXPECT_EQ(c->bounds(), (std::vector<double>{0.001, 0.01, 1}));
  EXPECT_EQ(c->dimensions, (std::vector<std::string>{"dimension-1", "dimension-2"}));
  EXPECT_EQ(c->store.ttl, std::chrono::seconds(1));
  EXPECT_EQ(c->store.max_items, 10u);
  EXPECT_EQ(c->virtual_node_peer_attributes, (std::vector<std::string>{"peer.service"}));
  EXPECT_EQ(c->metrics_flush_interval.count(), 0);
  EXPECT_TRUE(c->validate().isOk());
}

}  // namespace
}  // namespace periscope::components
