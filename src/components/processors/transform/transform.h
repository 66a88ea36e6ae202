// Transform<T>: runs the configured OTTL statement groups on every item of each group's context
// (collector `transform` processor). Groups run in order; inside a group, an item is edited only
// if it matches one of the group's conditions (when there are any), then every statement runs
// in order, each guarded by its own `where` clause. Nothing is dropped.
#pragma once

#include <string>

#include "components/processors/transform/config.h"
#include "pipeline/helpers/batch_processor.h"

namespace periscope::components::transform {

template <typename T>
class Transform final : public pipeline::BatchProcessor<T> {
 public:
  Transform(const component::Settings& settings, const Config& config, pipeline::Consumer<T>* next);

 protected:
  Status process(T& batch) override;

 private:
  Config config_;
  ottl::ErrorMode mode_;
  std::string id_;
};

extern template class Transform<model::Traces>;
extern template class Transform<model::Metrics>;
extern template class Transform<model::Logs>;

}  // namespace periscope::components::transform
