// The `storage:` and `query:` sections of the config: where the embedded store keeps its data,
// its durability, retention and compaction knobs, and where the query API listens.
// Decoded here (app knows every area) into storage::TraceStoreOptions.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/diagnostics.h"
#include "config/duration.h"
#include "config/schema.h"
#include "config/value.h"
#include "storage/signals/logs/logs_store_options.h"
#include "storage/signals/metrics/metrics_store_options.h"
#include "storage/signals/traces/trace_store_options.h"

namespace periscope::app {

struct RetentionPolicyConfig {
  std::string name;
  std::string service;
  std::string status = "any";  // any|error
  std::map<std::string, std::string> attributes;
  config::Duration retention{0};
  static const config::Schema<RetentionPolicyConfig>& schema();
};

struct WalConfig {
  std::string fsync = "always";  // always|interval|never
  config::Duration sync_interval = std::chrono::seconds(1);
  static const config::Schema<WalConfig>& schema();
};

struct TracesStorageConfig {
  config::Duration retention = std::chrono::hours(24 * 7);
  int64_t max_size_mb = 0;
  std::vector<RetentionPolicyConfig> retention_policies;
  int64_t head_max_spans = 250'000;
  config::Duration head_max_age = std::chrono::seconds(60);
  int64_t compaction_target_mb = 64;
  int64_t compaction_zstd_level = 15;
  int64_t attribute_cardinality_cap = 10'000;
  int64_t cache_mb = 1024;
  config::Duration maintenance_interval = std::chrono::seconds(10);
  static const config::Schema<TracesStorageConfig>& schema();
};

struct MetricsStorageConfig {
  config::Duration retention = std::chrono::hours(24 * 15);
  int64_t max_size_mb = 0;
  config::Duration block_duration = std::chrono::hours(2);
  int64_t max_series_per_metric = 100'000;
  int64_t max_series_per_query = 500'000;
  int64_t max_samples_per_query = 50'000'000;
  config::Duration query_timeout = std::chrono::minutes(2);
  config::Duration lookback_delta = std::chrono::minutes(5);
  config::Duration maintenance_interval = std::chrono::seconds(30);
  static const config::Schema<MetricsStorageConfig>& schema();
};

struct LogRetentionPolicyConfig {
  std::string name;
  std::string min_severity;  // TRACE|DEBUG|INFO|WARN|ERROR|FATAL (any case) or 1..24; "" = any
  std::string service;
  config::Duration retention{0};
  static const config::Schema<LogRetentionPolicyConfig>& schema();
};

struct LogsStorageConfig {
  config::Duration retention = std::chrono::hours(24 * 7);
  int64_t max_size_mb = 0;
  std::vector<LogRetentionPolicyConfig> retention_policies;
  int64_t head_max_records = 250'000;
  config::Duration head_max_age = std::chrono::seconds(60);
  config::Duration max_write_stall = std::chrono::seconds(10);
  int64_t row_group_records = 4096;
  int64_t zstd_level = 3;
  config::Duration maintenance_interval = std::chrono::seconds(10);
  static const config::Schema<LogsStorageConfig>& schema();
};

struct StorageConfig {
  std::string path = "./data";
  WalConfig wal;
  TracesStorageConfig traces;
  MetricsStorageConfig metrics;
  LogsStorageConfig logs;
  static const config::Schema<StorageConfig>& schema();
};

struct QueryConfig {
  std::string endpoint = "127.0.0.1:16686";
  int64_t max_limit = 1500;
  static const config::Schema<QueryConfig>& schema();
};

struct BackendConfig {
  StorageConfig storage;
  QueryConfig query;
  bool query_present = false;
};

// Decodes the two sections from the document root (missing sections keep the defaults).
void decodeBackendConfig(const config::Value& root, BackendConfig& out, config::Diagnostics& diags);

storage::TraceStoreOptions traceStoreOptions(const StorageConfig& c);
storage::metrics::MetricsStoreOptions metricsStoreOptions(const StorageConfig& c);
storage::logs::LogStoreOptions logStoreOptions(const StorageConfig& c);

}  // namespace periscope::app
