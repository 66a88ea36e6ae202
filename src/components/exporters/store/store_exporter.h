// `store` exporter: writes spans into Periscope's embedded trace store (the backend behind the
// query API on :16686). Success means the spans are in the store's WAL as durably as
// `storage.wal.fsync` promises, so a receiver's success answer survives a crash.
// The store itself is configured in the top-level `storage:` section and opened by the server;
// this component only hands batches to it.
#pragma once

#include <functional>
#include <memory>

#include "common/status.h"
#include "pipeline/factories.h"
#include "storage/signals/traces/trace_writer.h"

namespace periscope::components::store_exporter {

// Gives the exporter the running store; an error when the process has none (e.g. `validate`).
using StoreProvider = std::function<Result<storage::TraceWriter*>()>;

std::unique_ptr<pipeline::ExporterFactory> makeFactory(StoreProvider provider);

}  // namespace periscope::components::store_exporter
