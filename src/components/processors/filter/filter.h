// Filter<T>: drops the resources, scopes, spans, span events, metrics, data points and log
// records that match any of the configured OTTL conditions (collector `filter` processor).
// Higher levels go first (resource → scope → span → span event, ... → metric → data point): what
// a dropped parent held is not evaluated. Counts what it
// drops in otelcol_processor_filter_{spans,datapoints,logs}_filtered{filter="<id>"}.
#pragma once

#include <string>

#include "common/telemetry/metrics.h"
#include "components/processors/filter/config.h"
#include "pipeline/helpers/batch_processor.h"

namespace periscope::components::filter {

template <typename T>
class Filter final : public pipeline::BatchProcessor<T> {
 public:
  Filter(const component::Settings& settings, const Config& config, pipeline::Consumer<T>* next,
         telemetry::Registry& registry = telemetry::globalRegistry());

 protected:
  Status process(T& batch) override;

 private:
  Config config_;              // owns the compiled conditions
  ConditionsByContext lists_;  // this signal's conditions, legacy and inferred, by context
  ottl::ErrorMode mode_;
  std::string id_;
  telemetry::Counter* filtered_;
};

template <>
Status Filter<model::Traces>::process(model::Traces& batch);
template <>
Status Filter<model::Metrics>::process(model::Metrics& batch);
template <>
Status Filter<model::Logs>::process(model::Logs& batch);

extern template class Filter<model::Traces>;
extern template class Filter<model::Metrics>;
extern template class Filter<model::Logs>;

}  // namespace periscope::components::filter
