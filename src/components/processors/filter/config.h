// Config of the `filter` processor (collector keys): OTTL conditions per context; an item that
// matches any condition of its context is dropped.
#pragma once

#include <string>

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

struct Config : component::Config {
  std::string error_mode = "propagate";
  TracesConditions traces;
  MetricsConditions metrics;
  LogsConditions logs;
  static const config::Schema<Config>& schema();
};

}  // namespace periscope::components::filter
