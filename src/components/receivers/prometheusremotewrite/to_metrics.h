// Remote-write series → OTLP metrics, the way the OpenTelemetry Collector maps Prometheus data:
// `__name__` → metric name; `job`/`instance` → resource service.namespace/service.name
// (job "ns/name") and service.instance.id; `otel_scope_name`/`otel_scope_version` → scope;
// other labels → point attributes; metadata type → counter: monotonic cumulative sum,
// info/stateset: non-monotonic cumulative sum, everything else (gauge, unknown, absent, and the
// `_bucket`/`_sum`/`_count`/quantile series of histograms and summaries) → gauge, named and
// labelled exactly as sent (metadata from the request, else from earlier ones); stale NaN →
// FLAG_NO_RECORDED_VALUE. `target_info` series become resource attributes of their job/instance
// (same request only). Called by the receiver's request handler; the result holds views into the
// decoded request, which shares its arena.
#pragma once

#include <cstdint>
#include <limits>
#include <string>

#include "common/status.h"
#include "components/receivers/prometheusremotewrite/metadata_cache.h"
#include "model/batch.h"
#include "model/prometheus/remote_write.h"

namespace periscope::components::prometheusremotewrite_receiver {

struct ConversionOptions {
  // Samples older than this are dropped and counted (time_threshold); INT64_MIN keeps all.
  int64_t min_timestamp_ms = std::numeric_limits<int64_t>::min();
  // Metadata of earlier requests, consulted when the request has none for a family.
  const MetadataCache* cache = nullptr;
};

struct Conversion {
  size_t points = 0;       // data points in `metrics`
  size_t dropped = 0;      // samples not converted (too old, native histograms)
  std::string first_drop;  // why the first one was dropped, for logs
};

// Fills `out` (which owns the arena the request was decoded into). INVALID_ARGUMENT naming the
// series (index and labels) when one is malformed: no `__name__`, an empty or repeated name.
Result<Conversion> toMetrics(const model::prom::WriteRequestView& request,
                             const ConversionOptions& options, model::Metrics& out);

// FLAG_NO_RECORDED_VALUE of OTLP data points.
inline constexpr uint32_t kNoRecordedValueFlag = 1;

}  // namespace periscope::components::prometheusremotewrite_receiver
