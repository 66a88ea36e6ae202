#include "model/validate.h"

#include <algorithm>

namespace periscope::model {
namespace {

bool allZero(std::string_view id) {
  return std::all_of(id.begin(), id.end(), [](char c) { return c == 0; });
}

// "" if valid, else the reason.
std::string checkId(std::string_view id, size_t want, bool optional, const char* field) {
  if (id.empty() && optional) return "";
  if (id.size() != want) {
    return std::string(field) + " must be " + std::to_string(want) + " bytes, got " +
           std::to_string(id.size());
  }
  if (allZero(id) && !optional) return std::string(field) + " must not be all zeros";
  return "";
}

// Keeps the items `keep` accepts, in order; returns the new length.
template <typename T, typename Pred>
std::span<T> compact(std::span<T> items, Pred keep) {
  size_t w = 0;
  for (size_t r = 0; r < items.size(); ++r) {
    if (keep(items[r], r)) {
      if (w != r) items[w] = items[r];
      ++w;
    }
  }
  return items.first(w);
}

void note(Rejection& rej, std::string where, const std::string& why) {
  if (rej.rejected++ == 0) rej.first_error = std::move(where) + ": " + why;
}

}  // namespace

Rejection removeInvalid(Traces& batch) {
  Rejection rej;
  auto& resources = batch.resources();
  for (size_t ri = 0; ri < resources.size(); ++ri) {
    for (size_t si = 0; si < resources[ri].scope_spans.size(); ++si) {
      ScopeSpans& ss = resources[ri].scope_spans[si];
      ss.spans = compact(ss.spans, [&](const Span& s, size_t i) {
        std::string why = checkId(s.trace_id, 16, false, "traceId");
        if (why.empty()) why = checkId(s.span_id, 8, false, "spanId");
        if (why.empty()) why = checkId(s.parent_span_id, 8, true, "parentSpanId");
        for (size_t li = 0; why.empty() && li < s.links.size(); ++li) {
          why = checkId(s.links[li].trace_id, 16, false, "links.traceId");
          if (why.empty()) why = checkId(s.links[li].span_id, 8, false, "links.spanId");
        }
        if (why.empty()) return true;
        note(rej,
             "resourceSpans[" + std::to_string(ri) + "].scopeSpans[" + std::to_string(si) +
                 "].spans[" + std::to_string(i) + "]",
             why);
        return false;
      });
    }
  }
  return rej;
}

Rejection removeInvalid(Logs& batch) {
  Rejection rej;
  auto& resources = batch.resources();
  for (size_t ri = 0; ri < resources.size(); ++ri) {
    for (size_t si = 0; si < resources[ri].scope_logs.size(); ++si) {
      ScopeLogs& sl = resources[ri].scope_logs[si];
      sl.log_records = compact(sl.log_records, [&](const LogRecord& l, size_t i) {
        std::string why = checkId(l.trace_id, 16, true, "traceId");
        if (why.empty()) why = checkId(l.span_id, 8, true, "spanId");
        if (why.empty()) return true;
        note(rej,
             "resourceLogs[" + std::to_string(ri) + "].scopeLogs[" + std::to_string(si) +
                 "].logRecords[" + std::to_string(i) + "]",
             why);
        return false;
      });
    }
  }
  return rej;
}

namespace {

std::string checkExemplars(std::span<Exemplar> exemplars) {
  for (const Exemplar& e : exemplars) {
    std::string why = checkId(e.trace_id, 16, true, "exemplars.traceId");
    if (why.empty()) why = checkId(e.span_id, 8, true, "exemplars.spanId");
    if (!why.empty()) return why;
  }
  return "";
}

template <typename Point>
std::span<Point> compactPoints(std::span<Point> points, Rejection& rej, const std::string& where) {
  return compact(points, [&](const Point& p, size_t i) {
    std::string why;
    if constexpr (requires { p.exemplars; }) why = checkExemplars(p.exemplars);
    if (why.empty()) return true;
    note(rej, where + ".dataPoints[" + std::to_string(i) + "]", why);
    return false;
  });
}

}  // namespace

Rejection removeInvalid(Metrics& batch) {
  Rejection rej;
  auto& resources = batch.resources();
  for (size_t ri = 0; ri < resources.size(); ++ri) {
    for (size_t si = 0; si < resources[ri].scope_metrics.size(); ++si) {
      ScopeMetrics& sm = resources[ri].scope_metrics[si];
      for (size_t mi = 0; mi < sm.metrics.size(); ++mi) {
        Metric& m = sm.metrics[mi];
        std::string where = "resourceMetrics[" + std::to_string(ri) + "].scopeMetrics[" +
                            std::to_string(si) + "].metrics[" + std::to_string(mi) + "]";
        m.number_points = compactPoints(m.number_points, rej, where);
        m.histogram_points = compactPoints(m.histogram_points, rej, where);
        m.exponential_points = compactPoints(m.exponential_points, rej, where);
      }
    }
  }
  return rej;
}

}  // namespace periscope::model
