#include "components/processors/redaction/redaction_processor.h"

namespace periscope::components::redaction {
namespace {

template <typename Points>
void redactPoints(const Redactor& r, Arena& arena, Points points) {
  for (auto& point : points) r.redactAttributes(arena, point.attributes);
}

}  // namespace

void redactBatch(const Redactor& r, model::Traces& batch) {
  Arena& arena = batch.arena();
  for (model::ResourceSpans& rs : batch.resources()) {
    r.redactAttributes(arena, rs.resource.attributes);
    for (model::ScopeSpans& ss : rs.scope_spans) {
      r.redactAttributes(arena, ss.scope.attributes);
      for (model::Span& span : ss.spans) {
        r.redactAttributes(arena, span.attributes);
        for (model::SpanEvent& event : span.events) r.redactAttributes(arena, event.attributes);
        for (model::SpanLink& link : span.links) r.redactAttributes(arena, link.attributes);
      }
    }
  }
}

void redactBatch(const Redactor& r, model::Logs& batch) {
  Arena& arena = batch.arena();
  for (model::ResourceLogs& rl : batch.resources()) {
    r.redactAttributes(arena, rl.resource.attributes);
    for (model::ScopeLogs& sl : rl.scope_logs) {
      r.redactAttributes(arena, sl.scope.attributes);
      for (model::LogRecord& record : sl.log_records) {
        r.redactAttributes(arena, record.attributes);
        r.redactBody(arena, record.body, record.attributes);
      }
    }
  }
}

void redactBatch(const Redactor& r, model::Metrics& batch) {
  Arena& arena = batch.arena();
  for (model::ResourceMetrics& rm : batch.resources()) {
    r.redactAttributes(arena, rm.resource.attributes);
    for (model::ScopeMetrics& sm : rm.scope_metrics) {
      r.redactAttributes(arena, sm.scope.attributes);
      for (model::Metric& metric : sm.metrics) {
        redactPoints(r, arena, metric.number_points);
        redactPoints(r, arena, metric.histogram_points);
        redactPoints(r, arena, metric.exponential_points);
        redactPoints(r, arena, metric.summary_points);
      }
    }
  }
}

}  // namespace periscope::components::redaction
