#include "app/serve.h"

#include <signal.h>

#include <cstdio>
#include <thread>

#include "api/api_server.h"
#include "app/config_loader.h"
#include "app/demo.h"
#include "app/self_metrics.h"
#include "common/logging.h"
#include "common/telemetry/metrics.h"
#include "components/builtin_components.h"
#include "pipeline/service.h"
#include "query/logs/logs_service.h"
#include "query/metrics/metrics_service.h"
#include "query/traces/trace_service.h"
#include "storage/catalog/data_dir.h"
#include "storage/io/posix_file_system.h"
#include "storage/signals/logs/log_store.h"
#include "storage/signals/metrics/metrics_store.h"
#include "storage/signals/traces/trace_store.h"

namespace periscope::app {
namespace {

// The embedded store, opened on first use: by the `store` exporter while the service is built,
// or for the query API.
struct Backend {
  StorageConfig config;
  storage::PosixFileSystem fs;
  std::unique_ptr<storage::TraceStore> traces;
  std::unique_ptr<storage::metrics::MetricsStore> metrics;
  std::unique_ptr<storage::logs::LogStore> logs;
  Status open_error;
  Status metrics_open_error;
  Status logs_open_error;

  Result<storage::logs::LogStore*> logsStore() {
    if (logs) return logs.get();
    if (!logs_open_error.isOk()) return logs_open_error;
    Status st = storage::claimDataDir(fs, config.path);
    if (st.isOk()) {
      auto store = storage::logs::LogStore::open(fs, logStoreOptions(config));
      if (store.isOk()) {
        logs = std::move(*store);
        registerLogsStoreMetrics();
        const auto& s = logs->stats();
        log::info("store", "log store open",
                  {{"dir", logs->dir()},
                   {"segments", std::to_string(s.segments.load())},
                   {"wal_records_replayed", std::to_string(s.wal_log_records_replayed.load())},
                   {"wal_truncated_bytes", std::to_string(s.wal_truncated_bytes.load())},
                   {"segments_quarantined", std::to_string(s.segments_quarantined.load())}});
        return logs.get();
      }
      st = store.status();
    }
    logs_open_error =
        Status(st.code(), "storage.path " + config.path + ": " + std::string(st.message()));
    return logs_open_error;
  }

  void registerLogsStoreMetrics() {
    auto& reg = telemetry::globalRegistry();
    const auto* s = &logs->stats();
    auto counter = [&](const char* name, const char* help, const std::atomic<uint64_t>* v) {
      reg.callbackCounter(name, help, {}, [v] { return static_cast<double>(v->load()); });
    };
    auto gauge = [&](const char* name, const char* help, const std::atomic<uint64_t>* v) {
      reg.callbackGauge(name, help, {}, [v] { return static_cast<double>(v->load()); });
    };
    counter("periscope_logs_store_records_written", "Log records written to the log store.",
            &s->records_written);
    counter("periscope_logs_store_write_failures", "Batches the log store could not take.",
            &s->write_failures);
    counter("periscope_logs_store_write_stalls",
            "Writes that waited because twice head_max_records were not yet in segments.",
            &s->write_stalls);
    counter("periscope_logs_store_wal_records_replayed",
            "Log records recovered from the log WAL at start.", &s->wal_log_records_replayed);
    counter("periscope_logs_store_wal_truncated_bytes", "Torn log WAL tail bytes cut at start.",
            &s->wal_truncated_bytes);
    counter("periscope_logs_store_head_flushes", "Log head flushes to segments.", &s->head_flushes);
    counter("periscope_logs_store_flush_failures", "Failed log head flushes (retried).",
            &s->flush_failures);
    counter("periscope_logs_store_retention_deleted_records", "Log records deleted by retention.",
            &s->retention_deleted_records);
    counter("periscope_logs_store_retention_deleted_segments",
            "Log segment files deleted whole by retention.", &s->retention_deleted_segments);
    counter("periscope_logs_store_retention_rewrites",
            "Log segments rewritten without their expired records.", &s->retention_rewrites);
    counter("periscope_logs_store_compactions", "Merges of small log segments of past hours.",
            &s->compactions);
    counter("periscope_logs_store_segments_quarantined", "Damaged log segments moved aside.",
            &s->segments_quarantined);
    counter("periscope_logs_store_row_groups_read", "Log row groups decoded by queries.",
            &s->row_groups_read);
    counter("periscope_logs_store_row_groups_skipped",
            "Log row groups skipped by their filters (time, severity, trace, resource, text).",
            &s->row_groups_skipped);
    gauge("periscope_logs_store_head_records", "Log records in the in-memory head.",
          &s->head_records);
    gauge("periscope_logs_store_segments", "Live log segment files.", &s->segments);
    gauge("periscope_logs_store_segment_bytes", "Bytes in live log segment files.",
          &s->segment_bytes);
    gauge("periscope_logs_store_segment_records", "Log records in live segment files.",
          &s->segment_records);
    gauge("periscope_logs_store_wal_bytes", "Bytes in the log WAL (about).", &s->wal_bytes);
  }

  Result<storage::metrics::MetricsStore*> metricsStore() {
    if (metrics) return metrics.get();
    if (!metrics_open_error.isOk()) return metrics_open_error;
    Status st = storage::claimDataDir(fs, config.path);
    if (st.isOk()) {
      auto store = storage::metrics::MetricsStore::open(fs, metricsStoreOptions(config));
      if (store.isOk()) {
        metrics = std::move(*store);
        registerMetricsStoreMetrics();
        const auto& s = metrics->stats();
        log::info("store", "metrics store open",
                  {{"dir", metrics->options().dir},
                   {"blocks", std::to_string(s.blocks.load())},
                   {"head_series", std::to_string(s.head_series.load())},
                   {"wal_samples_replayed", std::to_string(s.wal_samples_replayed.load())},
                   {"wal_truncated_bytes", std::to_string(s.wal_truncated_bytes.load())}});
        return metrics.get();
      }
      st = store.status();
    }
    metrics_open_error =
        Status(st.code(), "storage.path " + config.path + ": " + std::string(st.message()));
    return metrics_open_error;
  }

  void registerMetricsStoreMetrics() {
    auto& reg = telemetry::globalRegistry();
    const auto* s = &metrics->stats();
    auto counter = [&](const char* name, const char* help, const std::atomic<uint64_t>* v,
                       telemetry::Labels labels = {}) {
      reg.callbackCounter(name, help, std::move(labels),
                          [v] { return static_cast<double>(v->load()); });
    };
    auto gauge = [&](const char* name, const char* help, const std::atomic<uint64_t>* v) {
      reg.callbackGauge(name, help, {}, [v] { return static_cast<double>(v->load()); });
    };
    counter("periscope_metrics_store_samples_appended", "Samples written to the metrics store.",
            &s->samples_appended);
    counter("periscope_metrics_store_series_created", "Series created in the metrics store.",
            &s->series_created);
    const char* rejected_help = "Samples the metrics store refused, by reason.";
    counter("periscope_metrics_store_rejected_samples", rejected_help, &s->rejected_out_of_order,
            {{"reason", "out_of_order"}});
    counter("periscope_metrics_store_rejected_samples", rejected_help, &s->rejected_duplicate,
            {{"reason", "duplicate_timestamp"}});
    counter("periscope_metrics_store_rejected_samples", rejected_help, &s->rejected_cardinality,
            {{"reason", "series_limit"}});
    counter("periscope_metrics_store_rejected_samples", rejected_help, &s->translate_skipped,
            {{"reason", "untranslatable"}});
    counter("periscope_metrics_store_write_failures", "Batches the metrics store could not take.",
            &s->write_failures);
    counter("periscope_metrics_store_wal_samples_replayed",
            "Samples recovered from the metrics WAL at start.", &s->wal_samples_replayed);
    counter("periscope_metrics_store_head_flushes", "Metrics head flushes to blocks.",
            &s->head_flushes);
    counter("periscope_metrics_store_flush_failures", "Failed metrics head flushes (retried).",
            &s->flush_failures);
    counter("periscope_metrics_store_retention_deleted_blocks", "Blocks deleted by retention.",
            &s->retention_deleted_blocks);
    counter("periscope_metrics_store_blocks_quarantined", "Damaged blocks moved aside.",
            &s->blocks_quarantined);
    gauge("periscope_metrics_store_head_series", "Series in the in-memory head.", &s->head_series);
    gauge("periscope_metrics_store_head_samples", "Samples in the in-memory head.",
          &s->head_samples);
    gauge("periscope_metrics_store_blocks", "Live metric block files.", &s->blocks);
    gauge("periscope_metrics_store_block_bytes", "Bytes in live metric block files.",
          &s->block_bytes);
  }

  Result<storage::TraceStore*> tracesStore() {
    if (traces) return traces.get();
    if (!open_error.isOk()) return open_error;
    Status st = storage::claimDataDir(fs, config.path);
    if (st.isOk()) {
      auto store = storage::TraceStore::open(fs, traceStoreOptions(config));
      if (store.isOk()) {
        traces = std::move(*store);
        registerMetrics();
        const auto& w = traces->walRecovery();
        const auto& s = traces->stats();
        log::info("store", "trace store open",
                  {{"dir", traces->dir()},
                   {"segments", std::to_string(s.segments.load())},
                   {"wal_records_replayed", std::to_string(s.wal_records_replayed.load())},
                   {"wal_spans_replayed", std::to_string(s.wal_spans_replayed.load())},
                   {"wal_truncated_bytes", std::to_string(w.truncated_bytes)},
                   {"segments_quarantined", std::to_string(s.segments_quarantined.load())}});
        return traces.get();
      }
      st = store.status();
    }
    open_error =
        Status(st.code(), "storage.path " + config.path + ": " + std::string(st.message()));
    return open_error;
  }

  void registerMetrics() {
    auto& reg = telemetry::globalRegistry();
    const auto* s = &traces->stats();
    auto counter = [&](const char* name, const char* help, const std::atomic<uint64_t>* v) {
      reg.callbackCounter(name, help, {}, [v] { return static_cast<double>(v->load()); });
    };
    auto gauge = [&](const char* name, const char* help, const std::atomic<uint64_t>* v) {
      reg.callbackGauge(name, help, {}, [v] { return static_cast<double>(v->load()); });
    };
    counter("periscope_store_spans_written", "Spans written to the trace store WAL.",
            &s->spans_written);
    counter("periscope_store_write_failures", "Batches the trace store could not take.",
            &s->write_failures);
    counter("periscope_store_wal_spans_replayed", "Spans recovered from the WAL at start.",
            &s->wal_spans_replayed);
    counter("periscope_store_wal_truncated_bytes", "Torn WAL tail bytes cut at start.",
            &s->wal_truncated_bytes);
    counter("periscope_store_head_flushes", "Head flushes to segments.", &s->head_flushes);
    counter("periscope_store_flush_failures", "Failed head flushes (retried).", &s->flush_failures);
    counter("periscope_store_compactions", "Segment compactions.", &s->compactions);
    counter("periscope_store_retention_deleted_spans", "Spans deleted by retention.",
            &s->retention_deleted_spans);
    counter("periscope_store_segments_quarantined",
            "Damaged segments moved aside (at start or when first read).",
            &s->segments_quarantined);
    counter("periscope_store_row_groups_decoded",
            "Segment row groups read and decoded (query cache misses, compaction, retention).",
            &s->row_groups_decoded);
    gauge("periscope_store_head_spans", "Spans in the in-memory head.", &s->head_spans);
    gauge("periscope_store_segments", "Live segment files.", &s->segments);
    gauge("periscope_store_segment_bytes", "Bytes in live segment files.", &s->segment_bytes);
    gauge("periscope_store_segment_spans", "Spans in live segment files.", &s->segment_spans);
  }
};

// The live tail's clients and what it sent or dropped (a slow client's buffer was full).
void registerLogsTailMetrics(const api::LogsTailCounters& c) {
  auto& reg = telemetry::globalRegistry();
  reg.callbackGauge("periscope_logs_tail_clients", "Live-tail clients connected.", {},
                    [&c] { return static_cast<double>(c.clients.load()); });
  reg.callbackCounter("periscope_logs_tail_records_sent",
                      "Log records written to live-tail clients.", {},
                      [&c] { return static_cast<double>(c.records_sent.load()); });
  reg.callbackCounter("periscope_logs_tail_records_dropped",
                      "Log records not sent to a live-tail client whose buffer was full.", {},
                      [&c] { return static_cast<double>(c.records_dropped.load()); });
}

}  // namespace

int runServe(const ServeOptions& options) {
  // Block termination signals before any thread starts so that only sigtimedwait sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  Backend backend;
  component::Registry registry;
  components::store_exporter::StoreProviders stores;
  stores.traces = [&backend]() -> Result<storage::TraceWriter*> {
    auto store = backend.tracesStore();
    if (!store.isOk()) return store.status();
    return static_cast<storage::TraceWriter*>(*store);
  };
  stores.metrics = [&backend]() -> Result<storage::metrics::MetricsWriter*> {
    auto store = backend.metricsStore();
    if (!store.isOk()) return store.status();
    return static_cast<storage::metrics::MetricsWriter*>(*store);
  };
  stores.logs = [&backend]() -> Result<storage::logs::LogWriter*> {
    auto store = backend.logsStore();
    if (!store.isOk()) return store.status();
    return static_cast<storage::logs::LogWriter*>(*store);
  };
  components::registerBuiltins(registry, std::move(stores));
  pipeline::ServiceConfig config;
  config::Diagnostics diags;
  BackendConfig backend_config;
  if (!loadServiceConfig(options.config_path, registry, config, diags, &backend_config)) {
    std::fprintf(stderr, "invalid configuration:\n%s", diags.format().c_str());
    return 1;
  }
  log::Level level = log::Level::kInfo;
  log::parseLevel(options.log_level.empty() ? config.telemetry.logs.level : options.log_level,
                  level);
  std::string format =
      options.log_format.empty() ? config.telemetry.logs.encoding : options.log_format;
  log::configure(level, format == "json" ? log::Format::kJson : log::Format::kConsole);

  backend.config = backend_config.storage;
  if (!options.data_dir.empty()) backend.config.path = options.data_dir;

  registerProcessMetrics();
  auto metrics_server = startSelfMetrics(config.telemetry.metrics);
  if (!metrics_server.isOk()) {
    log::error("periscope", "cannot start self-metrics",
               {{"error", metrics_server.status().toString()}});
    return 1;
  }
  if (*metrics_server) {
    log::info("periscope", "self-metrics listening",
              {{"endpoint", config.telemetry.metrics.address},
               {"port", std::to_string((*metrics_server)->port())}});
  }

  pipeline::Service service;
  Status st = service.build(config);
  if (st.isOk()) st = service.start();
  if (!st.isOk()) {
    log::error("periscope", "cannot start", {{"error", st.toString()}});
    (void)service.shutdown(std::chrono::steady_clock::now() + options.shutdown_timeout);
    return 1;
  }
  // The query API serves whenever there is a store: one the pipelines write, or a `query:`
  // section asking to read an existing data directory.
  std::unique_ptr<query::TraceService> trace_service;
  std::unique_ptr<query::MetricsService> metrics_service;
  std::unique_ptr<query::LogsService> logs_service;
  api::LogsTailCounters tail_counters;  // before api_server: its router counts into it
  std::unique_ptr<api::ApiServer> api_server;
  if (backend.traces || backend.metrics || backend.logs || backend_config.query_present) {
    auto store = backend.tracesStore();
    auto mstore = store.isOk() ? backend.metricsStore()
                               : Result<storage::metrics::MetricsStore*>(store.status());
    auto lstore =
        mstore.isOk() ? backend.logsStore() : Result<storage::logs::LogStore*>(mstore.status());
    if (!lstore.isOk()) {
      log::error("periscope", "cannot open the store", {{"error", lstore.status().toString()}});
      (void)service.shutdown(std::chrono::steady_clock::now() + options.shutdown_timeout);
      return 1;
    }
    query::TraceServiceOptions qo;
    qo.max_limit = static_cast<size_t>(std::max<int64_t>(1, backend_config.query.max_limit));
    trace_service = std::make_unique<query::TraceService>(**store, qo);
    const auto& mc = backend.config.metrics;
    query::MetricsServiceOptions mo;
    mo.engine.lookback_delta_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(mc.lookback_delta).count();
    mo.engine.max_samples = static_cast<size_t>(mc.max_samples_per_query);
    mo.engine.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(mc.query_timeout);
    metrics_service = std::make_unique<query::MetricsService>(**mstore, mo);
    logs_service = std::make_unique<query::LogsService>(**lstore);
    registerLogsTailMetrics(tail_counters);
    api::ApiOptions ao;
    ao.endpoint = backend_config.query.endpoint;
    ao.version = PERISCOPE_VERSION;
    ao.logs.tail_counters = &tail_counters;
    auto started =
        api::ApiServer::start(ao, *trace_service, metrics_service.get(), logs_service.get());
    if (!started.isOk()) {
      log::error("periscope", "cannot start the query API",
                 {{"endpoint", ao.endpoint}, {"error", started.status().toString()}});
      (void)service.shutdown(std::chrono::steady_clock::now() + options.shutdown_timeout);
      return 1;
    }
    api_server = std::move(*started);
    log::info("query", "query API listening",
              {{"endpoint", ao.endpoint}, {"port", std::to_string(api_server->port())}});
  }
  log::info(
      "periscope", "everything is ready; waiting for data",
      {{"config", options.config_path.empty() ? "built-in all-in-one" : options.config_path}});

  std::unique_ptr<Demo> demo;
  if (options.demo) demo = startDemo();

  int exit_code = 0;
  while (true) {
    timespec tick{0, 200'000'000};
    int sig = sigtimedwait(&signals, nullptr, &tick);
    if (sig == SIGINT || sig == SIGTERM) {
      log::info("periscope", "shutting down", {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}});
      break;
    }
    if (!service.fatalError().isOk()) {
      exit_code = 1;
      break;
    }
  }
  demo.reset();
  auto deadline = std::chrono::steady_clock::now() + options.shutdown_timeout;
  Status down = service.shutdown(deadline);
  if (api_server) api_server->stop();
  if (*metrics_server) (*metrics_server)->stop();
  if (backend.traces) {
    Status closed = backend.traces->close();
    if (!closed.isOk())
      log::warn("store", "closing the trace store", {{"error", closed.toString()}});
  }
  if (backend.metrics) {
    Status closed = backend.metrics->close();
    if (!closed.isOk())
      log::warn("store", "closing the metrics store", {{"error", closed.toString()}});
  }
  if (backend.logs) {
    Status closed = backend.logs->close();
    if (!closed.isOk()) log::warn("store", "closing the log store", {{"error", closed.toString()}});
  }
  if (!down.isOk())
    log::warn("periscope", "shutdown finished with errors", {{"error", down.toString()}});
  log::info("periscope", "stopped");
  return exit_code;
}

}  // namespace periscope::app
