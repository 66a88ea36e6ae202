// The `storage:` and `query:` sections: defaults, every key reaching TraceStoreOptions, and
// errors that name the file, line and key.
#include "app/storage_config.h"

#include <gtest/gtest.h>

#include "config/loader.h"

namespace periscope::app {
namespace {

BackendConfig decode(const std::string& yaml, config::Diagnostics& diags) {
  config::Value root = config::loadYamlString(yaml, "test.yaml", diags);
  BackendConfig out;
  decodeBackendConfig(root, out, diags);
  return out;
}

TEST(StorageConfig, DefaultsWhenTheSectionsAreAbsent) {
  config::Diagnostics d;
  BackendConfig c = decode("service: {}\n", d);
  EXPECT_TRUE(d.ok()) << d.format();
  EXPECT_FALSE(c.query_present);
  storage::TraceStoreOptions o = traceStoreOptions(c.storage);
  EXPECT_EQ(o.dir, "./data/traces");
  EXPECT_EQ(o.fsync, storage::WalSyncPolicy::kAlways);
  EXPECT_EQ(o.retention, std::chrono::hours(24 * 7));
  EXPECT_EQ(o.max_bytes, 0u);
  EXPECT_EQ(c.query.endpoint, "127.0.0.1:16686");
}

TEST(StorageConfig, EveryKeyReachesTheStoreOptions) {
  config::Diagnostics d;
  BackendConfig c = decode(R"(
storage:
  path: /var/lib/p
  wal: {fsync: interval, sync_interval: 250ms}
  traces:
    retention: 3d
    max_size_mb: 100
    head_max_spans: 1000
    head_max_age: 5s
    compaction_target_mb: 8
    compaction_zstd_level: 5
    attribute_cardinality_cap: 7
    cache_mb: 64
    maintenance_interval: 2s
    retention_policies:
      - {name: errors, status: error, retention: 30d}
      - {name: vip, service: checkout, attributes: {tier: gold}, retention: 10d}
query: {endpoint: "127.0.0.1:0", max_limit: 50}
)",
                           d);
  ASSERT_TRUE(d.ok()) << d.format();
  storage::TraceStoreOptions o = traceStoreOptions(c.storage);
  EXPECT_EQ(o.dir, "/var/lib/p/traces");
  EXPECT_EQ(o.fsync, storage::WalSyncPolicy::kInterval);
  EXPECT_EQ(o.sync_interval, std::chrono::milliseconds(250));
  EXPECT_EQ(o.retention, std::chrono::hours(72));
  EXPECT_EQ(o.max_bytes, 100u << 20);
  EXPECT_EQ(o.head_max_spans, 1000u);
  EXPECT_EQ(o.head_max_age, std::chrono::seconds(5));
  EXPECT_EQ(o.compaction_target_bytes, 8u << 20);
  EXPECT_EQ(o.compaction_zstd_level, 5);
  EXPECT_EQ(o.attribute_cardinality_cap, 7u);
  EXPECT_EQ(o.segment_cache_bytes, 64u << 20);
  EXPECT_EQ(o.maintenance_interval, std::chrono::seconds(2));
  ASSERT_EQ(o.retention_rules.size(), 2u);
  EXPECT_TRUE(o.retention_rules[0].errors_only);
  EXPECT_EQ(o.retention_rules[0].retention, std::chrono::hours(24 * 30));
  EXPECT_EQ(o.retention_rules[1].service, "checkout");
  EXPECT_FALSE(o.retention_rules[1].errors_only);
  ASSERT_EQ(o.retention_rules[1].attributes.size(), 1u);
  EXPECT_EQ(o.retention_rules[1].attributes[0].first, "tier");
  EXPECT_TRUE(c.query_present);
  EXPECT_EQ(c.query.max_limit, 50);
}

TEST(StorageConfig, ErrorsNameTheKeyAndLine) {
  config::Diagnostics d;
  decode("storage:\n  wal:\n    fsync: sometimes\n  traces:\n    retension: 3d\n", d);
  std::string all = d.format();
  EXPECT_EQ(d.size(), 2u) << all;
  EXPECT_NE(all.find("test.yaml:3"), std::string::npos) << all;
  EXPECT_NE(all.find("sometimes"), std::string::npos) << all;
  EXPECT_NE(all.find("test.yaml:5"), std::string::npos) << all;
  EXPECT_NE(all.find("retension"), std::string::npos) << all;

  config::Diagnostics bad;
  decode("storage:\n  traces:\n    compaction_zstd_level: 40\n    retention: 0s\n", bad);
  std::string msgs = bad.format();
  EXPECT_NE(msgs.find("compaction_zstd_level must be between 1 and 19"), std::string::npos) << msgs;
  EXPECT_NE(msgs.find("retention must be positive"), std::string::npos) << msgs;
}

TEST(StorageConfig, LogsKeysReachTheLogStoreOptions) {
  config::Diagnostics d;
  BackendConfig c = decode(R"(
storage:
  path: /var/lib/p
  wal: {fsync: never}
  logs:
    retention: 2d
    max_size_mb: 50
    head_max_records: 5000
    head_max_age: 7s
    row_group_records: 1024
    zstd_level: 6
    maintenance_interval: 3s
    retention_policies:
      - {name: errors, min_severity: error, retention: 30d}
      - {name: cart warnings, min_severity: "14", service: cart, retention: 3d}
      - {name: all of checkout, service: checkout, retention: 10d}
)",
                           d);
  ASSERT_TRUE(d.ok()) << d.format();
  storage::logs::LogStoreOptions o = logStoreOptions(c.storage);
  EXPECT_EQ(o.dir, "/var/lib/p/logs");
  EXPECT_EQ(o.fsync, storage::WalSyncPolicy::kNever);
  EXPECT_EQ(o.retention, std::chrono::hours(48));
  EXPECT_EQ(o.max_bytes, 50u << 20);
  EXPECT_EQ(o.head_max_records, 5000u);
  EXPECT_EQ(o.head_max_age, std::chrono::seconds(7));
  EXPECT_EQ(o.row_group_rows, 1024u);
  EXPECT_EQ(o.zstd_level, 6);
  EXPECT_EQ(o.maintenance_interval, std::chrono::seconds(3));
  ASSERT_EQ(o.retention_rules.size(), 3u);
  EXPECT_EQ(o.retention_rules[0].min_severity, 17);
  EXPECT_EQ(o.retention_rules[0].retention, std::chrono::hours(24 * 30));
  EXPECT_EQ(o.retention_rules[1].min_severity, 14);
  EXPECT_EQ(o.retention_rules[1].service, "cart");
  EXPECT_EQ(o.retention_rules[2].min_severity, 0);
  // Defaults.
  config::Diagnostics none;
  storage::logs::LogStoreOptions def = logStoreOptions(decode("service: {}\n", none).storage);
  EXPECT_EQ(def.dir, "./data/logs");
  EXPECT_EQ(def.retention, std::chrono::hours(24 * 7));
  EXPECT_EQ(def.fsync, storage::WalSyncPolicy::kAlways);
}

TEST(StorageConfig, LogsErrorsNameTheField) {
  config::Diagnostics bad;
  decode(R"(storage:
  logs:
    head_max_records: 0
    zstd_level: 30
    retention_policies:
      - {name: x, min_severity: loud, retention: 1d}
      - {name: y, retention: 0s}
)",
         bad);
  std::string msgs = bad.format();
  EXPECT_EQ(bad.size(), 4u) << msgs;
  EXPECT_NE(msgs.find("storage.logs.head_max_records must be positive"), std::string::npos) << msgs;
  EXPECT_NE(msgs.find("storage.logs.zstd_level must be between 1 and 19"), std::string::npos)
      << msgs;
  EXPECT_NE(msgs.find("storage.logs.retention_policies[0].min_severity \"loud\""),
            std::string::npos)
      << msgs;
  EXPECT_NE(msgs.find("storage.logs.retention_policies[1].retention must be positive"),
            std::string::npos)
      << msgs;
}

}  // namespace
}  // namespace periscope::app
