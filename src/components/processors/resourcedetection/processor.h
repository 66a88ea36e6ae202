// The `resourcedetection` processor for one signal: detection runs at start (shared with the
// other pipelines naming the same processor); every batch's resources then get the detected
// attributes (`override` decides who wins on a conflict).
#pragma once

#include <memory>

#include "components/processors/resourcedetection/merge.h"
#include "components/processors/resourcedetection/resource_provider.h"
#include "model/any_value_copy.h"
#include "pipeline/helpers/batch_processor.h"

namespace periscope::components::resourcedetection {

template <typename T>
class ResourceDetectionProcessor final : public pipeline::BatchProcessor<T> {
 public:
  ResourceDetectionProcessor(const component::Settings& settings,
                             std::shared_ptr<ResourceProvider> provider, bool override_existing,
                             pipeline::Consumer<T>* next)
      : pipeline::BatchProcessor<T>(settings, next),
        provider_(std::move(provider)),
        override_(override_existing) {}

  Status start(component::Host&) override {
    Status st = provider_->detect();
    if (st.isOk()) detected_ = provider_->attributes();
    return st;
  }

 protected:
  Status process(T& data) override {
    if (detected_.empty() || data.resources().empty()) return Status::ok();
    // One copy per batch into its arena, shared by all its resources.
    model::Attributes copied = model::copyAttributes(data.arena(), detected_);
    for (auto& group : data.resources()) {
      group.has_resource = true;
      mergeAttributes(data.arena(), group.resource.attributes, copied, override_);
    }
    return Status::ok();
  }

 private:
  std::shared_ptr<ResourceProvider> provider_;
  bool override_;
  model::Attributes detected_;
};

}  // namespace periscope::components::resourcedetection
