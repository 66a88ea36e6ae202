#include "components/processors/filter/factory.h"

#include "components/processors/filter/filter.h"

namespace periscope::components::filter {
namespace {

class Factory final : public component::FactoryWithConfig<Config, pipeline::ProcessorFactory> {
 public:
  std::string_view type() const override { return "filter"; }
  std::string_view description() const override {
    return "Drops spans, span events, metrics, data points and log records matching OTTL "
           "conditions.";
  }
  bool supports(pipeline::Signal) const override { return true; }
  Result<std::unique_ptr<pipeline::ConsumerComponent>> create(
      pipeline::Signal signal, const component::Settings& settings, const component::Config& config,
      const pipeline::Consumers& next) const override {
    const auto& cfg = static_cast<const Config&>(config);
    return pipeline::withBatchType(
        signal, [&]<typename T>() -> Result<std::unique_ptr<pipeline::ConsumerComponent>> {
          return std::unique_ptr<pipeline::ConsumerComponent>(
              std::make_unique<Filter<T>>(settings, cfg, next.get<T>()));
        });
  }
};

}  // namespace

std::unique_ptr<pipeline::ProcessorFactory> makeFactory() {
  return std::make_unique<Factory>();
}

}  // namespace periscope::components::filter
