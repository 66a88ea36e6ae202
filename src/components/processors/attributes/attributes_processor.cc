#include "components/processors/attributes/attributes_processor.h"

namespace periscope::components::attributes {

using filterconfig::Matcher;

template <>
Status AttributesProcessor<model::Traces>::process(model::Traces& batch) {
  Arena& arena = batch.arena();
  for (auto& rs : batch.resources()) {
    for (auto& ss : rs.scope_spans) {
      for (auto& span : ss.spans) {
        if (matcher_.skip(
                [&](const Matcher& m) { return m.matchesSpan(rs.resource, ss.scope, span); })) {
          continue;
        }
        proc_->process(arena, span.attributes);
      }
    }
  }
  return Status::ok();
}

template <>
Status AttributesProcessor<model::Logs>::process(model::Logs& batch) {
  Arena& arena = batch.arena();
  for (auto& rl : batch.resources()) {
    for (auto& sl : rl.scope_logs) {
      for (auto& record : sl.log_records) {
        if (matcher_.skip(
                [&](const Matcher& m) { return m.matchesLog(rl.resource, sl.scope, record); })) {
          continue;
        }
        proc_->process(arena, record.attributes);
      }
    }
  }
  return Status::ok();
}

template <>
Status AttributesProcessor<model::Metrics>::process(model::Metrics& batch) {
  Arena& arena = batch.arena();
  for (auto& rm : batch.resources()) {
    for (auto& sm : rm.scope_metrics) {
      for (auto& metric : sm.metrics) {
        if (matcher_.skip([&](const Matcher& m) { return m.matchesMetric(rm.resource, metric); })) {
          continue;
        }
        for (auto& p : metric.number_points) proc_->process(arena, p.attributes);
        for (auto& p : metric.histogram_points) proc_->process(arena, p.attributes);
        for (auto& p : metric.exponential_points) proc_->process(arena, p.attributes);
        for (auto& p : metric.summary_points) proc_->process(arena, p.attributes);
      }
    }
  }
  return Status::ok();
}

}  // namespace periscope::components::attributes
