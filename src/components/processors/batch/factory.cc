#include "components/processors/batch/factory.h"

#include "components/processors/batch/batcher.h"

namespace periscope::components::batch {
namespace {

class Factory final : public component::FactoryWithConfig<Config, pipeline::ProcessorFactory> {
 public:
  std::string_view type() const override { return "batch"; }
  std::string_view description() const override {
    return "Groups items into larger batches by size or time before they move on.";
  }
  bool supports(pipeline::Signal) const override { return true; }
  Result<std::unique_ptr<pipeline::ConsumerComponent>> create(
      pipeline::Signal signal, const component::Settings& settings, const component::Config& config,
      const pipeline::Consumers& next) const override {
    const auto& c = static_cast<const Config&>(config);
    return pipeline::withBatchType(
        signal, [&]<typename T>() -> Result<std::unique_ptr<pipeline::ConsumerComponent>> {
          return std::unique_ptr<pipeline::ConsumerComponent>(
              std::make_unique<Batcher<T>>(settings, c, next.get<T>()));
        });
  }
};

}  // namespace

std::unique_ptr<pipeline::ProcessorFactory> makeFactory() {
  return std::make_unique<Factory>();
}

}  // namespace periscope::components::batch
