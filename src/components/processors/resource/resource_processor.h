// The `resource` processor: applies the action list to the resource attributes of every
// resource in a batch.
#pragma once

#include <memory>

#include "components/processors/internal/attraction/attr_proc.h"
#include "pipeline/helpers/batch_processor.h"

namespace periscope::components::resource {

template <typename T>
class ResourceProcessor final : public pipeline::BatchProcessor<T> {
 public:
  ResourceProcessor(const component::Settings& settings, pipeline::Consumer<T>* next,
                    std::shared_ptr<const attraction::AttrProc> proc)
      : pipeline::BatchProcessor<T>(settings, next), proc_(std::move(proc)) {}

 protected:
  Status process(T& batch) override {
    Arena& arena = batch.arena();
    for (auto& r : batch.resources()) {
      proc_->process(arena, r.resource.attributes);
      // A group sent without a resource gets one once it has attributes.
      if (!r.resource.attributes.empty()) r.has_resource = true;
    }
    return Status::ok();
  }

 private:
  std::shared_ptr<const attraction::AttrProc> proc_;
};

}  // namespace periscope::components::resource
