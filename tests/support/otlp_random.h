// Test support: OTLP requests built with libprotobuf (the reference implementation).
// random*: seeded generators that set every field with random presence (all metric types, nested
// AnyValues, zero values, unicode, unknown enum values) for codec cross-checks.
// makeRealistic*: deterministic corpora shaped like real SDK traffic, for benchmarks and tests.
#pragma once

#include <cstdint>
#include <random>

#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace periscope::testing {

using PbTraces = opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;
using PbMetrics = opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest;
using PbLogs = opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest;

// Random messages; `max_depth` bounds AnyValue nesting (kept low so libprotobuf's recursion
// limit of 100 is never reached).
PbTraces randomTraces(std::mt19937_64& rng, int max_depth = 3);
PbMetrics randomMetrics(std::mt19937_64& rng, int max_depth = 3);
PbLogs randomLogs(std::mt19937_64& rng, int max_depth = 3);

// ~470 bytes per span, ~8-9 semantic-convention attributes per span, 10% of spans carry an
// exception event.
PbTraces makeRealisticTraces(int resources, int spans_per_resource, uint64_t seed);
// Log records with a string body, severity, trace context and a few attributes.
PbLogs makeRealisticLogs(int resources, int records_per_resource, uint64_t seed);
// A mix of sums, gauges and histograms with a few points each.
PbMetrics makeRealisticMetrics(int resources, int metrics_per_resource, uint64_t seed);

}  // namespace periscope::testing
