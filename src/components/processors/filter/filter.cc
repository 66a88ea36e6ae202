#include "components/processors/filter/filter.h"

#include "model/batch_filter.h"

namespace periscope::components::filter {
namespace {

// Evaluates conditions ORed, applying error_mode; remembers the first propagated error.
class Matcher {
 public:
  Matcher(ottl::ErrorMode mode, const std::string& id, Arena& arena) : mode_(mode), id_(id) {
    ctx.arena = &arena;
  }
  template <typename List>
  bool any(const List& conditions) {
    if (!status_.isOk()) return false;  // stopped: keep the rest, the batch fails anyway
    for (const auto& c : conditions.items) {
      bool matched = false;
      if (!c->eval(ctx, matched)) {
        if (!ottl::onError(mode_, id_, c->text(), ctx.error, status_)) return false;
        continue;
      }
      if (matched) return true;
    }
    return false;
  }
  Status status() const { return status_; }

  ottl::EvalContext ctx;

 private:
  ottl::ErrorMode mode_;
  const std::string& id_;
  Status status_;
};

// The removal helpers hand out const references to data this processor owns exclusively
// (mutatesData()); OTTL contexts take mutable pointers because transform shares them.
template <typename X>
X* mut(const X& x) {
  return const_cast<X*>(&x);
}

const char* counterName(component::Signal signal) {
  switch (signal) {
    case component::Signal::kTraces:
      return "otelcol_processor_filter_spans_filtered";
    case component::Signal::kMetrics:
      return "otelcol_processor_filter_datapoints_filtered";
    default:
      return "otelcol_processor_filter_logs_filtered";
  }
}

}  // namespace

template <typename T>
Filter<T>::Filter(const component::Settings& settings, const Config& config,
                  pipeline::Consumer<T>* next, telemetry::Registry& registry)
    : pipeline::BatchProcessor<T>(settings, next),
      config_(config),
      mode_(ottl::parseErrorMode(config.error_mode)),
      id_(settings.id.toString()) {
  component::Signal signal = pipeline::signalOf<T>();
  filtered_ = &registry.counter(counterName(signal),
                                std::string("Number of ") +
                                    (signal == component::Signal::kTraces    ? "spans"
                                     : signal == component::Signal::kMetrics ? "data points"
                                                                             : "log records") +
                                    " dropped by the filter processor",
                                {{"filter", id_}});
}

template <>
Status Filter<model::Traces>::process(model::Traces& batch) {
  Matcher m(mode_, id_, batch.arena());
  const TracesConditions& c = config_.traces;
  size_t removed = 0;
  if (!c.span.empty()) {
    removed = model::removeSpansIf(batch, [&](const model::ResourceSpans& rs,
                                              const model::ScopeSpans& ss, const model::Span& s) {
      m.ctx.resource = mut(rs.resource);
      m.ctx.scope = mut(ss.scope);
      m.ctx.span = mut(s);
      return m.any(c.span);
    });
  }
  if (!c.spanevent.empty()) {
    for (model::ResourceSpans& rs : batch.resources()) {
      for (model::ScopeSpans& ss : rs.scope_spans) {
        for (model::Span& s : ss.spans) {
          m.ctx.resource = &rs.resource;
          m.ctx.scope = &ss.scope;
          m.ctx.span = &s;
          size_t w = 0;
          for (model::SpanEvent& e : s.events) {
            m.ctx.event = &e;
            if (!m.any(c.spanevent)) s.events[w++] = e;
          }
          s.events = s.events.first(w);
        }
      }
    }
  }
  if (!m.status().isOk()) return m.status();
  if (removed > 0) filtered_->add(static_cast<double>(removed));
  return Status::ok();
}

template <>
Status Filter<model::Metrics>::process(model::Metrics& batch) {
  Matcher m(mode_, id_, batch.arena());
  const MetricsConditions& c = config_.metrics;
  size_t removed = 0;
  if (!c.metric.empty()) {
    removed += model::removeMetricsIf(
        batch, [&](const model::ResourceMetrics& rm, const model::ScopeMetrics& sm,
                   const model::Metric& metric) {
          m.ctx.resource = mut(rm.resource);
          m.ctx.scope = mut(sm.scope);
          m.ctx.metric = mut(metric);
          return m.any(c.metric);
        });
  }
  if (!c.datapoint.empty()) {
    removed += model::removeDataPointsIf(
        batch, [&](const model::ResourceMetrics& rm, const model::ScopeMetrics& sm,
                   const model::Metric& metric, const auto& point) {
          m.ctx.resource = mut(rm.resource);
          m.ctx.scope = mut(sm.scope);
          m.ctx.metric = mut(metric);
          m.ctx.point = ottl::dataPointRef(*mut(point));
          return m.any(c.datapoint);
        });
  }
  if (!m.status().isOk()) return m.status();
  if (removed > 0) filtered_->add(static_cast<double>(removed));
  return Status::ok();
}

template <>
Status Filter<model::Logs>::process(model::Logs& batch) {
  Matcher m(mode_, id_, batch.arena());
  size_t removed = 0;
  if (!config_.logs.log_record.empty()) {
    removed = model::removeLogRecordsIf(
        batch,
        [&](const model::ResourceLogs& rl, const model::ScopeLogs& sl, const model::LogRecord& l) {
          m.ctx.resource = mut(rl.resource);
          m.ctx.scope = mut(sl.scope);
          m.ctx.log = mut(l);
          return m.any(config_.logs.log_record);
        });
  }
  if (!m.status().isOk()) return m.status();
  if (removed > 0) filtered_->add(static_cast<double>(removed));
  return Status::ok();
}

template class Filter<model::Traces>;
template class Filter<model::Metrics>;
template class Filter<model::Logs>;

}  // namespace periscope::components::filter
