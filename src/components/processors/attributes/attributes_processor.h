// The `attributes` processor: applies the action list to the attributes of every span, log
// record or metric data point that include/exclude select (metrics are selected per metric).
#pragma once

#include <memory>

#include "components/processors/internal/attraction/attr_proc.h"
#include "components/processors/internal/filterconfig/matcher.h"
#include "pipeline/helpers/batch_processor.h"

namespace periscope::components::attributes {

template <typename T>
class AttributesProcessor final : public pipeline::BatchProcessor<T> {
 public:
  AttributesProcessor(const component::Settings& settings, pipeline::Consumer<T>* next,
                      std::shared_ptr<const attraction::AttrProc> proc,
                      filterconfig::SkipMatcher matcher)
      : pipeline::BatchProcessor<T>(settings, next),
        proc_(std::move(proc)),
        matcher_(std::move(matcher)) {}

 protected:
  Status process(T& batch) override;

 private:
  std::shared_ptr<const attraction::AttrProc> proc_;
  filterconfig::SkipMatcher matcher_;
};

// One walk per signal, defined in attributes_processor.cc.
template <>
Status AttributesProcessor<model::Traces>::process(model::Traces& batch);
template <>
Status AttributesProcessor<model::Logs>::process(model::Logs& batch);
template <>
Status AttributesProcessor<model::Metrics>::process(model::Metrics& batch);

}  // namespace periscope::components::attributes
