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
  bool any(const std::vector<std::shared_ptr<const ottl::Condition>>& conditions) {
    if (!status_.isOk()) return false;  // stopped: keep the rest, the batch fails anyway
    for (const auto& c : conditions) {
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

  // Resource and scope conditions are evaluated once per resource / scope, not per item.
  template <typename R, typename S>
  bool groupMatches(const R& r, const S& s, const ConditionsByContext& lists) {
    if (&r != last_resource_) {
      last_resource_ = &r;
      last_scope_ = nullptr;
      ctx.resource = const_cast<model::Resource*>(&r.resource);
      ctx.scope = nullptr;
      resource_matched_ = any(lists[static_cast<size_t>(ottl::ContextKind::kResource)]);
    }
    if (resource_matched_) return true;
    if (&s != last_scope_) {
      last_scope_ = &s;
      ctx.scope = const_cast<model::InstrumentationScope*>(&s.scope);
      scope_matched_ = any(lists[static_cast<size_t>(ottl::ContextKind::kScope)]);
    }
    return scope_matched_;
  }

  ottl::EvalContext ctx;

 private:
  ottl::ErrorMode mode_;
  const std::string& id_;
  Status status_;
  const void* last_resource_ = nullptr;
  const void* last_scope_ = nullptr;
  bool resource_matched_ = false;
  bool scope_matched_ = false;
};

const std::vector<std::shared_ptr<const ottl::Condition>>& of(const ConditionsByContext& lists,
                                                              ottl::ContextKind k) {
  return lists[static_cast<size_t>(k)];
}

bool anyIn(const ConditionsByContext& lists, std::initializer_list<ottl::ContextKind> kinds) {
  for (ottl::ContextKind k : kinds) {
    if (!of(lists, k).empty()) return true;
  }
  return false;
}

template <typename X>
void append(std::vector<X>& to, const std::vector<X>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

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
  using K = ottl::ContextKind;
  auto at = [&](K k) -> auto& {
    return lists_[static_cast<size_t>(k)];
  };
  if constexpr (std::is_same_v<T, model::Traces>) {
    lists_ = config.trace_conditions.by_context;
    append(at(K::kSpan), config.traces.span.items);
    append(at(K::kSpanEvent), config.traces.spanevent.items);
  } else if constexpr (std::is_same_v<T, model::Metrics>) {
    lists_ = config.metric_conditions.by_context;
    append(at(K::kMetric), config.metrics.metric.items);
    append(at(K::kDataPoint), config.metrics.datapoint.items);
  } else {
    lists_ = config.log_conditions.by_context;
    append(at(K::kLog), config.logs.log_record.items);
  }
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
  using K = ottl::ContextKind;
  Matcher m(mode_, id_, batch.arena());
  size_t removed = 0;
  if (anyIn(lists_, {K::kResource, K::kScope, K::kSpan})) {
    removed = model::removeSpansIf(batch, [&](const model::ResourceSpans& rs,
                                              const model::ScopeSpans& ss, const model::Span& s) {
      if (m.groupMatches(rs, ss, lists_)) return true;
      m.ctx.span = mut(s);
      return m.any(of(lists_, K::kSpan));
    });
  }
  if (!of(lists_, K::kSpanEvent).empty()) {
    for (model::ResourceSpans& rs : batch.resources()) {
      for (model::ScopeSpans& ss : rs.scope_spans) {
        for (model::Span& s : ss.spans) {
          m.ctx.resource = &rs.resource;
          m.ctx.scope = &ss.scope;
          m.ctx.span = &s;
          size_t w = 0;
          for (model::SpanEvent& e : s.events) {
            m.ctx.event = &e;
            if (!m.any(of(lists_, K::kSpanEvent))) s.events[w++] = e;
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
  using K = ottl::ContextKind;
  Matcher m(mode_, id_, batch.arena());
  size_t removed = 0;
  if (anyIn(lists_, {K::kResource, K::kScope, K::kMetric})) {
    removed += model::removeMetricsIf(
        batch, [&](const model::ResourceMetrics& rm, const model::ScopeMetrics& sm,
                   const model::Metric& metric) {
          if (m.groupMatches(rm, sm, lists_)) return true;
          m.ctx.metric = mut(metric);
          return m.any(of(lists_, K::kMetric));
        });
  }
  if (!of(lists_, K::kDataPoint).empty()) {
    removed += model::removeDataPointsIf(
        batch, [&](const model::ResourceMetrics& rm, const model::ScopeMetrics& sm,
                   const model::Metric& metric, const auto& point) {
          m.ctx.resource = mut(rm.resource);
          m.ctx.scope = mut(sm.scope);
          m.ctx.metric = mut(metric);
          m.ctx.point = ottl::dataPointRef(*mut(point));
          return m.any(of(lists_, K::kDataPoint));
        });
  }
  if (!m.status().isOk()) return m.status();
  if (removed > 0) filtered_->add(static_cast<double>(removed));
  return Status::ok();
}

template <>
Status Filter<model::Logs>::process(model::Logs& batch) {
  using K = ottl::ContextKind;
  Matcher m(mode_, id_, batch.arena());
  size_t removed = 0;
  if (anyIn(lists_, {K::kResource, K::kScope, K::kLog})) {
    removed = model::removeLogRecordsIf(
        batch,
        [&](const model::ResourceLogs& rl, const model::ScopeLogs& sl, const model::LogRecord& l) {
          if (m.groupMatches(rl, sl, lists_)) return true;
          m.ctx.log = mut(l);
          return m.any(of(lists_, K::kLog));
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
