// Synthetic but realistic OTLP logs: what the services of the span workload (workload.h) write —
// access lines, business events, warnings, errors with stack traces, ~1% of lines mentioning a
// timeout — under the same resources, 60% of records inside a trace (trace_id/span_id set),
// a few attributes each (code.*, http.*, user ids), ~10% of bodies structured (a kvlist).
// Severity mix: 15% DEBUG, 68% INFO, 12% WARN, 4.5% ERROR, 0.5% FATAL. About 300 B per record
// on the wire. Deterministic for a given seed and base time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/loadgen/workload.h"
#include "model/batch.h"

namespace periscope::app::loadgen {

// `records` log records with timestamps spread over [base, base + 1 s); base 0 = now − 60 s.
model::Logs makeLogs(int records, uint64_t seed, uint64_t base_time_unix_nano = 0);

// The logs the services of `traces` would write while serving them: for about a third of the
// spans, one or two records inside the span's time window, under the span's resource, with the
// span's trace and span ids (what the demo sends, so that traces and logs correlate). The
// records point into `traces`' memory: encode or clone the result while `traces` lives.
model::Logs makeLogsForTraces(const model::Traces& traces, uint64_t seed);

// A pool of distinct encoded ExportLogsServiceRequests (options.spans_per_request records
// each), like encodeRequests for spans.
std::vector<std::string> encodeLogRequests(const WorkloadOptions& options, Encoding encoding);

}  // namespace periscope::app::loadgen
