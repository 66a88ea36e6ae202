#include "components/processors/redaction/factory.h"

#include "components/processors/redaction/redaction_processor.h"

namespace periscope::components::redaction {
namespace {

class Factory final : public component::FactoryWithConfig<Config, pipeline::ProcessorFactory> {
 public:
  std::string_view type() const override { return "redaction"; }
  std::string_view description() const override {
    return "Removes attributes not on an allow list and masks secrets and PII in attribute values "
           "and log bodies (blocked_values, built-in detectors, URL and SQL sanitisers).";
  }
  bool supports(pipeline::Signal) const override { return true; }
  Result<std::unique_ptr<pipeline::ConsumerComponent>> create(
      pipeline::Signal signal, const component::Settings& settings, const component::Config& config,
      const pipeline::Consumers& next) const override {
    auto redactor = Redactor::create(static_cast<const Config&>(config));
    if (!redactor.isOk()) return redactor.status();
    std::shared_ptr<const Redactor> shared = std::move(redactor).value();
    return pipeline::withBatchType(
        signal, [&]<typename T>() -> Result<std::unique_ptr<pipeline::ConsumerComponent>> {
          return std::unique_ptr<pipeline::ConsumerComponent>(
              std::make_unique<RedactionProcessor<T>>(settings, shared, next.get<T>()));
        });
  }
};

}  // namespace

std::unique_ptr<pipeline::ProcessorFactory> makeFactory() {
  return std::make_unique<Factory>();
}

}  // namespace periscope::components::redaction
