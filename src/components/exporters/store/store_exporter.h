// `store` exporter: writes spans, metrics and logs into Periscope's embedded stores (the backend
// behind the query API on :16686). Success means the data is in the store's WAL as durably as
// `storage.wal.fsync` promises, so a receiver's success answer survives a crash.
// The stores are configured in the top-level `storage:` section and opened by the server;
// this component only hands batches to them.
#pragma once

#include <functional>
#include <memory>

#include "common/status.h"
#include "pipeline/factories.h"
#include "storage/signals/logs/log_writer.h"
#include "storage/signals/metrics/metrics_writer.h"
#include "storage/signals/traces/trace_writer.h"

namespace periscope::components::store_exporter {

// How the exporter reaches the running stores, one per signal; a provider returns an error when
// the process has no such store (e.g. `validate`), and an empty one means the same.
struct StoreProviders {
  std::function<Result<storage::TraceWriter*>()> traces;
  std::function<Result<storage::metrics::MetricsWriter*>()> metrics;
  std::function<Result<storage::logs::LogWriter*>()> logs;
};

std::unique_ptr<pipeline::ExporterFactory> makeFactory(StoreProviders providers);

}  // namespace periscope::components::store_exporter
