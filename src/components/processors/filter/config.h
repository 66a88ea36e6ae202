// Config of the `filter` processor (collector keys): OTTL conditions per context; an item that
// matches any condition of its context is dropped.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "component/component.h"
#include "components/processors/internal/ottl/config_codec.h"
#include "components/processors/internal/ottl/error_mode.h"
#include "config/schema.h"

namespace periscope::components::filter {

using ottl::ContextKind;

struct TracesConditions {
  ottl::ConditionList<ContextKind::kSpan> span;
  ottl::ConditionList<ContextKind::kSpanEvent> spanevent;
  static const config::Schema<TracesConditions>& schema();
};

struct MetricsConditions {
  ottl::ConditionList<ContextKind::kMetric> metric;
  ottl::ConditionList<ContextKind::kDataPoint> datapoint;
  static const config::Schema<MetricsConditions>& schema();
};

struct LogsConditions {
  ottl::ConditionList<ContextKind::kLog> log_record;
  static const config::Schema<LogsConditions>& schema();
};

// Conditions by OTTL context (indexed by ContextKind).
using ConditionsByContext = std::array<std::vector<std::shared_ptr<const ottl::Condition>>, 7>;

// `<signal>_conditions` (collector >= 0.146): plain strings whose context is inferred from
// their path prefixes, or groups {context, conditions}.
template <component::Signal S>
struct InferredConditions {
  ConditionsByContext by_context;
};
void decodeInferred(const config::Value& v, component::Signal signal, ConditionsByContext& out,
                    config::Diagnostics& d);

struct Config : component::Config {
  std::string error_mode = "propagate";
  InferredConditions<component::Signal::kTraces> trace_conditions;
  InferredConditions<component::Signal::kMetrics> metric_conditions;
  InferredConditions<component::Signal::kLogs> log_conditions;
  TracesConditions traces;
  MetricsConditions metrics;
  LogsConditions logs;
  static const config::Schema<Config>& schema();
};

}  // namespace periscope::components::filter

namespace periscope::config {

template <component::Signal S>
struct FieldCodec<components::filter::InferredConditions<S>> {
  static std::string typeName() { return "list of OTTL condition or condition group"; }
  static std::string show(const components::filter::InferredConditions<S>&) { return "[]"; }
  static std::vector<FieldDoc> children() { return {}; }
  static void decode(const Value& v, components::filter::InferredConditions<S>& out,
                     Diagnostics& d) {
    components::filter::decodeInferred(v, S, out.by_context, d);
  }
};

}  // namespace periscope::config
