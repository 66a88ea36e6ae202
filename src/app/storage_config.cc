#include "app/storage_config.h"

#include <cctype>

#include "query/logs/ast.h"

namespace periscope::app {

const config::Schema<RetentionPolicyConfig>& RetentionPolicyConfig::schema() {
  static const auto s = config::Schema<RetentionPolicyConfig>()
                            .field("name", &RetentionPolicyConfig::name, "Label for logs and docs.")
                            .field("service", &RetentionPolicyConfig::service,
                                   "Match spans of this service only (empty = any).")
                            .choice("status", &RetentionPolicyConfig::status, {"any", "error"},
                                    "error: match only spans with status ERROR.")
                            .field("attributes", &RetentionPolicyConfig::attributes,
                                   "Span or resource attributes that must all equal these values.")
                            .field("retention", &RetentionPolicyConfig::retention,
                                   "How long traces matching this rule are kept (e.g. 30d).");
  return s;
}

const config::Schema<WalConfig>& WalConfig::schema() {
  static const auto s =
      config::Schema<WalConfig>()
          .choice("fsync", &WalConfig::fsync, {"always", "interval", "never"},
                  "always: answer senders after fsync (group commit within 10 ms); interval: "
                  "after write, fsync every sync_interval (survives a process crash, not power "
                  "loss); never: leave flushing to the OS.")
          .field("sync_interval", &WalConfig::sync_interval, "fsync period for fsync: interval.");
  return s;
}

const config::Schema<TracesStorageConfig>& TracesStorageConfig::schema() {
  static const auto s =
      config::Schema<TracesStorageConfig>()
          .field("retention", &TracesStorageConfig::retention,
                 "Default age after which traces are deleted.")
          .field("max_size_mb", &TracesStorageConfig::max_size_mb,
                 "Size limit of trace segments on disk; the oldest hour partitions are deleted "
                 "first (0 = none).")
          .field("retention_policies", &TracesStorageConfig::retention_policies,
                 "Per-trace rules: a trace is kept for the longest retention among the rules "
                 "its spans match (first match per span), else the default.")
          .field("head_max_spans", &TracesStorageConfig::head_max_spans,
                 "Spans kept in memory before they are written to a segment.")
          .field("head_max_age", &TracesStorageConfig::head_max_age,
                 "Longest time spans stay only in memory (and the WAL).")
          .field("compaction_target_mb", &TracesStorageConfig::compaction_target_mb,
                 "Small segments of one hour are merged up to this size.")
          .field("compaction_zstd_level", &TracesStorageConfig::compaction_zstd_level,
                 "zstd level of compacted segments (1-19): 15 ≈ 5% smaller than 9 for about twice "
                 "the background CPU; lower it for very high ingest rates.")
          .field("attribute_cardinality_cap", &TracesStorageConfig::attribute_cardinality_cap,
                 "Distinct values per attribute key indexed per segment; keys over it are "
                 "still stored and searchable by scan.")
          .field("cache_mb", &TracesStorageConfig::cache_mb,
                 "Memory for decoded segments kept for queries.")
          .field("maintenance_interval", &TracesStorageConfig::maintenance_interval,
                 "How often compaction and retention run.");
  return s;
}

const config::Schema<MetricsStorageConfig>& MetricsStorageConfig::schema() {
  static const auto s =
      config::Schema<MetricsStorageConfig>()
          .field("retention", &MetricsStorageConfig::retention,
                 "Age after which samples are deleted (whole blocks at a time).")
          .field("max_size_mb", &MetricsStorageConfig::max_size_mb,
                 "Size limit of metric blocks on disk; the oldest blocks go first (0 = none).")
          .field("block_duration", &MetricsStorageConfig::block_duration,
                 "Sample time the in-memory head spans before it is written to a block.")
          .field("max_series_per_metric", &MetricsStorageConfig::max_series_per_metric,
                 "Series one metric name may have; samples of new series past it are rejected "
                 "and counted in periscope_metrics_store_rejected_samples_total.")
          .field("max_series_per_query", &MetricsStorageConfig::max_series_per_query,
                 "Series one selector may load; past it the query fails (HTTP 422).")
          .field("max_samples_per_query", &MetricsStorageConfig::max_samples_per_query,
                 "Samples one PromQL query may hold in memory (Prometheus's "
                 "--query.max-samples).")
          .field("query_timeout", &MetricsStorageConfig::query_timeout,
                 "Longest a PromQL query may run (Prometheus's --query.timeout).")
          .field("lookback_delta", &MetricsStorageConfig::lookback_delta,
                 "How far back an instant selector looks for a sample (Prometheus's "
                 "--query.lookback-delta).")
          .field("maintenance_interval", &MetricsStorageConfig::maintenance_interval,
                 "How often head flushes and retention are checked.");
  return s;
}

const config::Schema<LogRetentionPolicyConfig>& LogRetentionPolicyConfig::schema() {
  static const auto s =
      config::Schema<LogRetentionPolicyConfig>()
          .field("name", &LogRetentionPolicyConfig::name, "Label for logs and docs.")
          .field("min_severity", &LogRetentionPolicyConfig::min_severity,
                 "Match records at or above this severity: TRACE, DEBUG, INFO, WARN, ERROR, "
                 "FATAL or an OTLP severity number 1-24 (empty = any).")
          .field("service", &LogRetentionPolicyConfig::service,
                 "Match records of this service.name only (empty = any).")
          .field("retention", &LogRetentionPolicyConfig::retention,
                 "How long matching records are kept (e.g. 30d).");
  return s;
}

const config::Schema<LogsStorageConfig>& LogsStorageConfig::schema() {
  static const auto s =
      config::Schema<LogsStorageConfig>()
          .field("retention", &LogsStorageConfig::retention,
                 "Default age after which log records are deleted.")
          .field("max_size_mb", &LogsStorageConfig::max_size_mb,
                 "Size limit of log segments on disk; the oldest hour partitions are deleted "
                 "first (0 = none).")
          .field("retention_policies", &LogsStorageConfig::retention_policies,
                 "Per-record rules: a record is kept for the longest retention among the rules "
                 "it matches, else the default.")
          .field("head_max_records", &LogsStorageConfig::head_max_records,
                 "Records kept in memory before they are written to segments.")
          .field("head_max_age", &LogsStorageConfig::head_max_age,
                 "Longest time records stay only in memory (and the WAL).")
          .field("max_write_stall", &LogsStorageConfig::max_write_stall,
                 "Backpressure: with twice head_max_records not yet in segments, a write waits "
                 "this long for a flush, then is refused as retryable.")
          .field("row_group_records", &LogsStorageConfig::row_group_records,
                 "Records per row group (the unit a query skips or decodes).")
          .field("zstd_level", &LogsStorageConfig::zstd_level,
                 "zstd level of segment column blocks (1-19).")
          .field("maintenance_interval", &LogsStorageConfig::maintenance_interval,
                 "How often retention runs.");
  return s;
}

const config::Schema<StorageConfig>& StorageConfig::schema() {
  static const auto s =
      config::Schema<StorageConfig>()
          .field("path", &StorageConfig::path,
                 "Data directory (overridden by `periscope serve --data`).")
          .field("wal", &StorageConfig::wal, "Write-ahead log durability.")
          .field("traces", &StorageConfig::traces, "Trace store: retention, compaction, index.")
          .field("metrics", &StorageConfig::metrics,
                 "Metrics store and PromQL: retention, limits, lookback.")
          .field("logs", &StorageConfig::logs, "Log store: retention, policies, head limits.");
  return s;
}

const config::Schema<QueryConfig>& QueryConfig::schema() {
  static const auto s = config::Schema<QueryConfig>()
                            .field("endpoint", &QueryConfig::endpoint,
                                   "Listen address of the query API (Jaeger v1/v3) and UI.")
                            .field("max_limit", &QueryConfig::max_limit,
                                   "Largest number of traces one search may return.");
  return s;
}

namespace {

// An OTLP severity number from a name (any case) or a number 1..24; 0 for "", -1 if invalid.
int severityNumber(const std::string& text) {
  if (text.empty()) return 0;
  std::string upper;
  for (char c : text)
    upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  for (const auto& s : query::logs::kSeverityNames)
    if (upper == s.name) return s.number;
  int n = 0;
  for (char c : text) {
    if (c < '0' || c > '9' || n > 24) return -1;
    n = n * 10 + (c - '0');
  }
  return n >= 1 && n <= 24 ? n : -1;
}

void validateLogsConfig(const config::Value& at, const LogsStorageConfig& l,
                        config::Diagnostics& diags) {
  if (l.retention.count() < 0) diags.error(at, "storage.logs.retention must not be negative");
  if (l.max_size_mb < 0) diags.error(at, "storage.logs.max_size_mb must not be negative");
  if (l.head_max_records <= 0) diags.error(at, "storage.logs.head_max_records must be positive");
  if (l.head_max_age.count() <= 0) diags.error(at, "storage.logs.head_max_age must be positive");
  if (l.max_write_stall.count() < 0)
    diags.error(at, "storage.logs.max_write_stall must not be negative");
  if (l.row_group_records < 16 || l.row_group_records > 1'000'000)
    diags.error(at, "storage.logs.row_group_records must be between 16 and 1000000");
  if (l.zstd_level < 1 || l.zstd_level > 19)
    diags.error(at, "storage.logs.zstd_level must be between 1 and 19");
  if (l.maintenance_interval.count() <= 0)
    diags.error(at, "storage.logs.maintenance_interval must be positive");
  for (size_t i = 0; i < l.retention_policies.size(); ++i) {
    const auto& p = l.retention_policies[i];
    std::string field = "storage.logs.retention_policies[" + std::to_string(i) + "]";
    if (p.retention.count() <= 0) diags.error(at, field + ".retention must be positive");
    if (severityNumber(p.min_severity) < 0)
      diags.error(at, field + ".min_severity \"" + p.min_severity +
                          "\" is not TRACE, DEBUG, INFO, WARN, ERROR, FATAL or 1-24");
  }
}

}  // namespace

void decodeBackendConfig(const config::Value& root, BackendConfig& out,
                         config::Diagnostics& diags) {
  if (const config::Value* s = root.find("storage"); s != nullptr && !s->isNull()) {
    StorageConfig::schema().decode(*s, out.storage, diags);
    const auto& t = out.storage.traces;
    if (t.head_max_spans <= 0) diags.error(*s, "storage.traces.head_max_spans must be positive");
    if (t.retention.count() <= 0) diags.error(*s, "storage.traces.retention must be positive");
    if (t.compaction_zstd_level < 1 || t.compaction_zstd_level > 19)
      diags.error(*s, "storage.traces.compaction_zstd_level must be between 1 and 19");
    for (const auto& p : t.retention_policies)
      if (p.retention.count() <= 0)
        diags.error(*s,
                    "storage.traces.retention_policies[" + p.name + "].retention must be positive");
    const auto& m = out.storage.metrics;
    if (m.block_duration.count() <= 0)
      diags.error(*s, "storage.metrics.block_duration must be positive");
    for (auto [name, v] :
         {std::pair<const char*, int64_t>{"max_series_per_metric", m.max_series_per_metric},
          {"max_series_per_query", m.max_series_per_query},
          {"max_samples_per_query", m.max_samples_per_query}})
      if (v <= 0) diags.error(*s, std::string("storage.metrics.") + name + " must be positive");
    if (m.query_timeout.count() <= 0 || m.lookback_delta.count() <= 0)
      diags.error(*s, "storage.metrics.query_timeout and lookback_delta must be positive");
    validateLogsConfig(*s, out.storage.logs, diags);
  }
  if (const config::Value* q = root.find("query"); q != nullptr && !q->isNull()) {
    QueryConfig::schema().decode(*q, out.query, diags);
    out.query_present = true;
  }
}

namespace {

storage::WalSyncPolicy syncPolicy(const WalConfig& wal) {
  return wal.fsync == "never"      ? storage::WalSyncPolicy::kNever
         : wal.fsync == "interval" ? storage::WalSyncPolicy::kInterval
                                   : storage::WalSyncPolicy::kAlways;
}

template <typename D>
std::chrono::milliseconds ms(D d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d);
}

}  // namespace

storage::metrics::MetricsStoreOptions metricsStoreOptions(const StorageConfig& c) {
  storage::metrics::MetricsStoreOptions o;
  o.dir = c.path + "/metrics";
  o.fsync = syncPolicy(c.wal);
  o.sync_interval = ms(c.wal.sync_interval);
  const auto& m = c.metrics;
  o.retention = ms(m.retention);
  o.max_bytes = static_cast<uint64_t>(std::max<int64_t>(0, m.max_size_mb)) << 20;
  o.block_duration = ms(m.block_duration);
  o.max_series_per_metric = static_cast<size_t>(m.max_series_per_metric);
  o.max_series_per_query = static_cast<size_t>(m.max_series_per_query);
  o.maintenance_interval = ms(m.maintenance_interval);
  return o;
}

storage::logs::LogStoreOptions logStoreOptions(const StorageConfig& c) {
  storage::logs::LogStoreOptions o;
  o.dir = c.path + "/logs";
  o.fsync = syncPolicy(c.wal);
  o.sync_interval = ms(c.wal.sync_interval);
  const auto& l = c.logs;
  o.retention = l.retention;
  o.max_bytes = static_cast<uint64_t>(std::max<int64_t>(0, l.max_size_mb)) << 20;
  o.head_max_records = static_cast<uint64_t>(std::max<int64_t>(1, l.head_max_records));
  o.head_max_age = ms(l.head_max_age);
  o.max_write_stall = ms(l.max_write_stall);
  o.row_group_rows = static_cast<size_t>(std::max<int64_t>(16, l.row_group_records));
  o.zstd_level = static_cast<int>(l.zstd_level);
  o.maintenance_interval = ms(l.maintenance_interval);
  for (const auto& p : l.retention_policies) {
    storage::logs::LogRetentionRule r;
    r.name = p.name;
    r.min_severity = std::max(0, severityNumber(p.min_severity));
    r.service = p.service;
    r.retention = p.retention;
    o.retention_rules.push_back(std::move(r));
  }
  return o;
}

storage::TraceStoreOptions traceStoreOptions(const StorageConfig& c) {
  storage::TraceStoreOptions o;
  o.dir = c.path + "/traces";
  o.fsync = syncPolicy(c.wal);
  o.sync_interval = std::chrono::duration_cast<std::chrono::milliseconds>(c.wal.sync_interval);
  const auto& t = c.traces;
  o.retention = t.retention;
  o.max_bytes = static_cast<uint64_t>(std::max<int64_t>(0, t.max_size_mb)) << 20;
  o.head_max_spans = static_cast<uint64_t>(t.head_max_spans);
  o.head_max_age = std::chrono::duration_cast<std::chrono::milliseconds>(t.head_max_age);
  o.compaction_target_bytes = static_cast<uint64_t>(std::max<int64_t>(1, t.compaction_target_mb))
                              << 20;
  o.compaction_zstd_level = static_cast<int>(t.compaction_zstd_level);
  o.attribute_cardinality_cap =
      static_cast<size_t>(std::max<int64_t>(1, t.attribute_cardinality_cap));
  o.segment_cache_bytes = static_cast<uint64_t>(std::max<int64_t>(16, t.cache_mb)) << 20;
  o.maintenance_interval =
      std::chrono::duration_cast<std::chrono::milliseconds>(t.maintenance_interval);
  for (const auto& p : t.retention_policies) {
    storage::RetentionRule r;
    r.name = p.name;
    r.service = p.service;
    r.errors_only = p.status == "error";
    for (const auto& [k, v] : p.attributes) r.attributes.emplace_back(k, v);
    r.retention = p.retention;
    o.retention_rules.push_back(std::move(r));
  }
  return o;
}

}  // namespace periscope::app
