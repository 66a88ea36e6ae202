#include "components/processors/transform/factory.h"

#include "components/processors/transform/transform.h"

namespace periscope::components::transform {
namespace {

class Factory final : public component::FactoryWithConfig<Config, pipeline::ProcessorFactory> {
 public:
  std::string_view type() const override { return "transform"; }
  std::string_view description() const override {
    return "Edits spans, span events, metrics, data points, log records, resources and scopes "
           "with OTTL statements.";
  }
  bool supports(pipeline::Signal) const override { return true; }
  Result<std::unique_ptr<pipeline::ConsumerComponent>> create(
      pipeline::Signal signal, const component::Settings& settings, const component::Config& config,
      const pipeline::Consumers& next) const override {
    const auto& cfg = static_cast<const Config&>(config);
    return pipeline::withBatchType(
        signal, [&]<typename T>() -> Result<std::unique_ptr<pipeline::ConsumerComponent>> {
          return std::unique_ptr<pipeline::ConsumerComponent>(
              std::make_unique<Transform<T>>(settings, cfg, next.get<T>()));
        });
  }
};

}  // namespace

std::unique_ptr<pipeline::ProcessorFactory> makeFactory() {
  return std::make_unique<Factory>();
}

}  // namespace periscope::components::transform
