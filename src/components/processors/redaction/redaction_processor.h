// The `redaction` processor for traces, logs and metrics: applies one Redactor to every attribute
// list of a batch (resource, scope, span, span event, span link, log record, data point) and to
// log bodies.
#pragma once

#include <memory>

#include "components/processors/redaction/redactor.h"
#include "model/batch.h"
#include "pipeline/helpers/batch_processor.h"

namespace periscope::components::redaction {

void redactBatch(const Redactor& redactor, model::Traces& batch);
void redactBatch(const Redactor& redactor, model::Logs& batch);
void redactBatch(const Redactor& redactor, model::Metrics& batch);

template <typename T>
class RedactionProcessor final : public pipeline::BatchProcessor<T> {
 public:
  RedactionProcessor(const component::Settings& settings, std::shared_ptr<const Redactor> redactor,
                     pipeline::Consumer<T>* next)
      : pipeline::BatchProcessor<T>(settings, next), redactor_(std::move(redactor)) {}

 protected:
  Status process(T& batch) override {
    redactBatch(*redactor_, batch);
    return Status::ok();
  }

 private:
  std::shared_ptr<const Redactor> redactor_;
};

}  // namespace periscope::components::redaction
