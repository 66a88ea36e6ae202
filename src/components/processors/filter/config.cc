#include "components/processors/filter/config.h"

#include "components/processors/internal/ottl/context_inference.h"

namespace periscope::components::filter {

const config::Schema<TracesConditions>& TracesConditions::schema() {
  static const auto s =
      config::Schema<TracesConditions>()
          .field("span", &TracesConditions::span, "Spans matching any condition are dropped.")
          .field("spanevent", &TracesConditions::spanevent,
                 "Span events matching any condition are dropped (the span stays).");
  return s;
}

const config::Schema<MetricsConditions>& MetricsConditions::schema() {
  static const auto s =
      config::Schema<MetricsConditions>()
          .field("metric", &MetricsConditions::metric,
                 "Metrics matching any condition are dropped with all their points.")
          .field("datapoint", &MetricsConditions::datapoint,
                 "Data points matching any condition are dropped; metrics left without points "
                 "are dropped too.");
  return s;
}

const config::Schema<LogsConditions>& LogsConditions::schema() {
  static const auto s = config::Schema<LogsConditions>().field(
      "log_record", &LogsConditions::log_record, "Log records matching any condition are dropped.");
  return s;
}

void decodeInferred(const config::Value& v, component::Signal signal, ConditionsByContext& out,
                    config::Diagnostics& d) {
  if (v.isNull()) return;
  if (!v.isSequence()) {
    d.error(v, "expected a list of OTTL conditions or condition groups, got " + v.kindName());
    return;
  }
  for (const config::Value& item : v.items) {
    if (item.isScalar()) {
      ContextKind context = ottl::inferConditionContext(item.scalar, signal);
      if (auto c = ottl::compileConditionAt(item, context, d)) {
        out[static_cast<size_t>(context)].push_back(std::move(c));
      }
    } else if (item.isMap()) {
      ContextKind context;
      if (!ottl::decodeGroupContext(item, signal, context, d)) continue;
      for (const auto& [key, child] : item.entries) {
        if (key == "conditions") {
          ottl::compileConditionList(child, context, out[static_cast<size_t>(context)], d);
        } else if (key != "context") {
          d.errorAtKey(child, "unknown key; expected context or conditions");
        }
      }
    } else {
      d.error(item, "expected an OTTL condition or a condition group, got " + item.kindName());
    }
  }
}

const config::Schema<Config>& Config::schema() {
  static const auto s =
      config::Schema<Config>()
          .choice("error_mode", &Config::error_mode, ottl::errorModeNames(),
                  "What a runtime error in a condition does: propagate fails the batch; ignore "
                  "logs it and treats the condition as false; silent does so without logging.")
          .field("trace_conditions", &Config::trace_conditions,
                 "Trace conditions; contexts resource, scope, span, spanevent inferred from path "
                 "prefixes, or groups {context, conditions}.")
          .field("metric_conditions", &Config::metric_conditions,
                 "Metric conditions; contexts resource, scope, metric, datapoint.")
          .field("log_conditions", &Config::log_conditions,
                 "Log conditions; contexts resource, scope, log.")
          .field("traces", &Config::traces, "Conditions on spans and span events.")
          .field("metrics", &Config::metrics, "Conditions on metrics and data points.")
          .field("logs", &Config::logs, "Conditions on log records.");
  return s;
}

}  // namespace periscope::components::filter
