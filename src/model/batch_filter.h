// Removing items from a batch in place, for processors that drop data (filter, samplers).
// `drop` gets each item by non-const reference, so a processor may also edit the items it keeps
// (e.g. a sampler rewriting tracestate) in the same pass.
// Items are compacted inside their arena spans; scopes and resources left empty are removed
// too (as the collector does), so exporters never see empty groups.
// Only for batches the caller owns exclusively (a consumer with mutatesData()).
#pragma once

#include <cstddef>
#include <span>

#include "model/batch.h"

namespace periscope::model {

namespace detail {
template <typename T, typename Keep>
std::span<T> keepIf(std::span<T> items, Keep keep) {
  size_t w = 0;
  for (size_t r = 0; r < items.size(); ++r) {
    if (!keep(items[r])) continue;
    if (w != r) items[w] = items[r];
    ++w;
  }
  return items.first(w);
}
template <typename R, typename Keep>
void keepResourcesIf(std::vector<R>& resources, Keep keep) {
  size_t w = 0;
  for (size_t r = 0; r < resources.size(); ++r) {
    if (!keep(resources[r])) continue;
    if (w != r) resources[w] = resources[r];
    ++w;
  }
  resources.resize(w);
}
}  // namespace detail

// Removes every span `drop(const ResourceSpans&, const ScopeSpans&, const Span&)` accepts;
// returns how many were removed.
template <typename Drop>
size_t removeSpansIf(Traces& batch, Drop drop) {
  size_t removed = 0;
  for (ResourceSpans& rs : batch.resources()) {
    for (ScopeSpans& ss : rs.scope_spans) {
      size_t before = ss.spans.size();
      ss.spans = detail::keepIf(ss.spans, [&](Span& s) { return !drop(rs, ss, s); });
      removed += before - ss.spans.size();
    }
    rs.scope_spans =
        detail::keepIf(rs.scope_spans, [](const ScopeSpans& ss) { return !ss.spans.empty(); });
  }
  detail::keepResourcesIf(batch.resources(),
                          [](const ResourceSpans& rs) { return !rs.scope_spans.empty(); });
  return removed;
}

// Removes every log record `drop(const ResourceLogs&, const ScopeLogs&, const LogRecord&)`
// accepts; returns how many were removed.
template <typename Drop>
size_t removeLogRecordsIf(Logs& batch, Drop drop) {
  size_t removed = 0;
  for (ResourceLogs& rl : batch.resources()) {
    for (ScopeLogs& sl : rl.scope_logs) {
      size_t before = sl.log_records.size();
      sl.log_records =
          detail::keepIf(sl.log_records, [&](LogRecord& l) { return !drop(rl, sl, l); });
      removed += before - sl.log_records.size();
    }
    rl.scope_logs =
        detail::keepIf(rl.scope_logs, [](const ScopeLogs& sl) { return !sl.log_records.empty(); });
  }
  detail::keepResourcesIf(batch.resources(),
                          [](const ResourceLogs& rl) { return !rl.scope_logs.empty(); });
  return removed;
}

// Removes whole metrics `drop(const ResourceMetrics&, const ScopeMetrics&, const Metric&)`
// accepts; returns how many data points went with them. Metrics that arrived without points
// stay unless `drop` says so (as the collector's metric-level filter).
template <typename Drop>
size_t removeMetricsIf(Metrics& batch, Drop drop);

// Removes data points: `drop(const ResourceMetrics&, const ScopeMetrics&, const Metric&,
// const P&)` is called with P each point type (NumberDataPoint, HistogramDataPoint,
// ExponentialHistogramDataPoint, SummaryDataPoint) — a generic lambda fits. Metrics left without
// points are removed. Returns how many points were removed.
template <typename Drop>
size_t removeDataPointsIf(Metrics& batch, Drop drop);

// Drops scopes without metrics and resources without scopes.
inline void pruneEmptyGroups(Metrics& batch) {
  for (ResourceMetrics& rm : batch.resources()) {
    rm.scope_metrics = detail::keepIf(rm.scope_metrics,
                                      [](const ScopeMetrics& sm) { return !sm.metrics.empty(); });
  }
  detail::keepResourcesIf(batch.resources(),
                          [](const ResourceMetrics& rm) { return !rm.scope_metrics.empty(); });
}

// Drops metrics without points, then empty scopes and resources.
inline void pruneEmpty(Metrics& batch) {
  for (ResourceMetrics& rm : batch.resources()) {
    for (ScopeMetrics& sm : rm.scope_metrics) {
      sm.metrics = detail::keepIf(sm.metrics, [](const Metric& m) { return m.pointCount() > 0; });
    }
  }
  pruneEmptyGroups(batch);
}

template <typename Drop>
size_t removeMetricsIf(Metrics& batch, Drop drop) {
  size_t removed = 0;
  for (ResourceMetrics& rm : batch.resources()) {
    for (ScopeMetrics& sm : rm.scope_metrics) {
      sm.metrics = detail::keepIf(sm.metrics, [&](Metric& m) {
        if (!drop(rm, sm, m)) return true;
        removed += m.pointCount();
        return false;
      });
    }
  }
  pruneEmptyGroups(batch);
  return removed;
}

template <typename Drop>
size_t removeDataPointsIf(Metrics& batch, Drop drop) {
  size_t removed = 0;
  for (ResourceMetrics& rm : batch.resources()) {
    for (ScopeMetrics& sm : rm.scope_metrics) {
      for (Metric& m : sm.metrics) {
        auto filter = [&](auto& points) {
          size_t before = points.size();
          points = detail::keepIf(points, [&](auto& p) { return !drop(rm, sm, m, p); });
          removed += before - points.size();
        };
        filter(m.number_points);
        filter(m.histogram_points);
        filter(m.exponential_points);
        filter(m.summary_points);
      }
    }
  }
  pruneEmpty(batch);
  return removed;
}

}  // namespace periscope::model
