#include "components/processors/transform/transform.h"

namespace periscope::components::transform {
namespace {

using ottl::ContextKind;

// Runs one group on the item `ctx` points at; false once a propagated error stops the batch.
class Runner {
 public:
  Runner(ottl::ErrorMode mode, const std::string& id, Arena& arena) : mode_(mode), id_(id) {
    ctx.arena = &arena;
  }

  bool run(const StatementGroup& g) {
    if (!g.conditions.empty() && !anyCondition(g)) return status_.isOk();
    for (const auto& s : g.statements) {
      if (!s->execute(ctx) && !ottl::onError(mode_, id_, s->text(), ctx.error, status_)) {
        return false;
      }
    }
    return true;
  }
  const Status& status() const { return status_; }

  ottl::EvalContext ctx;

 private:
  bool anyCondition(const StatementGroup& g) {
    for (const auto& c : g.conditions) {
      bool matched = false;
      if (!c->eval(ctx, matched)) {
        if (!ottl::onError(mode_, id_, c->text(), ctx.error, status_)) return false;
        continue;
      }
      if (matched) return true;
    }
    return false;
  }

  ottl::ErrorMode mode_;
  const std::string& id_;
  Status status_;
};

// Resources and scopes edited by statements must be exported even if they arrived empty.
template <typename R, typename Scopes>
void markPresent(R& r, Scopes& scopes) {
  if (!r.resource.attributes.empty()) r.has_resource = true;
  for (auto& s : scopes) {
    if (!s.scope.name.empty() || !s.scope.version.empty() || !s.scope.attributes.empty()) {
      s.has_scope = true;
    }
  }
}

// Calls `item(runner)` for every item of `context` in a batch whose resources hold scopes of
// items; the traversal is the same for the three signals except for the item levels.
template <typename Resources, typename ScopesOf, typename ItemsOf>
bool forEachScope(Resources& resources, Runner& r, const StatementGroup& g, ScopesOf scopes_of,
                  ItemsOf items_of) {
  for (auto& rs : resources) {
    Arena* arena = r.ctx.arena;
    r.ctx = ottl::EvalContext();
    r.ctx.arena = arena;
    r.ctx.resource = &rs.resource;
    if (g.context == ContextKind::kResource) {
      if (!r.run(g)) return false;
      continue;
    }
    for (auto& ss : scopes_of(rs)) {
      r.ctx.scope = &ss.scope;
      if (g.context == ContextKind::kScope) {
        if (!r.run(g)) return false;
        continue;
      }
      if (!items_of(ss)) return false;
    }
  }
  return true;
}

}  // namespace

template <typename T>
Transform<T>::Transform(const component::Settings& settings, const Config& config,
                        pipeline::Consumer<T>* next)
    : pipeline::BatchProcessor<T>(settings, next),
      config_(config),
      mode_(ottl::parseErrorMode(config.error_mode)),
      id_(settings.id.toString()) {}

template <typename T>
Status Transform<T>::process(T& batch) {
  Runner r(mode_, id_, batch.arena());
  const std::vector<StatementGroup>* groups = &config_.log_statements.groups;
  if constexpr (std::is_same_v<T, model::Traces>) groups = &config_.trace_statements.groups;
  if constexpr (std::is_same_v<T, model::Metrics>) groups = &config_.metric_statements.groups;
  for (const StatementGroup& g : *groups) {
    bool ok;
    if constexpr (std::is_same_v<T, model::Traces>) {
      ok = forEachScope(
          batch.resources(), r, g, [](model::ResourceSpans& rs) { return rs.scope_spans; },
          [&](model::ScopeSpans& ss) {
            for (model::Span& s : ss.spans) {
              r.ctx.span = &s;
              if (g.context == ContextKind::kSpan) {
                if (!r.run(g)) return false;
                continue;
              }
              for (model::SpanEvent& e : s.events) {
                r.ctx.event = &e;
                if (!r.run(g)) return false;
              }
            }
            return true;
          });
    } else if constexpr (std::is_same_v<T, model::Metrics>) {
      ok = forEachScope(
          batch.resources(), r, g, [](model::ResourceMetrics& rm) { return rm.scope_metrics; },
          [&](model::ScopeMetrics& sm) {
            for (model::Metric& m : sm.metrics) {
              r.ctx.metric = &m;
              if (g.context == ContextKind::kMetric) {
                if (!r.run(g)) return false;
                continue;
              }
              bool points_ok = true;
              auto each = [&](auto& points) {
                for (auto& p : points) {
                  if (!points_ok) return;
                  r.ctx.point = ottl::dataPointRef(p);
                  points_ok = r.run(g);
                }
              };
              each(m.number_points);
              each(m.histogram_points);
              each(m.exponential_points);
              each(m.summary_points);
              if (!points_ok) return false;
            }
            return true;
          });
    } else {
      ok = forEachScope(
          batch.resources(), r, g, [](model::ResourceLogs& rl) { return rl.scope_logs; },
          [&](model::ScopeLogs& sl) {
            for (model::LogRecord& l : sl.log_records) {
              r.ctx.log = &l;
              if (!r.run(g)) return false;
            }
            return true;
          });
    }
    if (!ok) return r.status();
  }
  for (auto& res : batch.resources()) {
    if constexpr (std::is_same_v<T, model::Traces>) {
      markPresent(res, res.scope_spans);
    } else if constexpr (std::is_same_v<T, model::Metrics>) {
      markPresent(res, res.scope_metrics);
    } else {
      markPresent(res, res.scope_logs);
    }
  }
  return Status::ok();
}

template class Transform<model::Traces>;
template class Transform<model::Metrics>;
template class Transform<model::Logs>;

}  // namespace periscope::components::transform
