#include "components/processors/resource/factory.h"

#include "components/processors/resource/config.h"
#include "components/processors/resource/resource_processor.h"

namespace periscope::components::resource {
namespace {

class Factory final : public component::FactoryWithConfig<Config, pipeline::ProcessorFactory> {
 public:
  std::string_view type() const override { return "resource"; }
  std::string_view description() const override {
    return "Inserts, updates, deletes, hashes, extracts or converts resource attributes.";
  }
  bool supports(pipeline::Signal) const override { return true; }
  Result<std::unique_ptr<pipeline::ConsumerComponent>> create(
      pipeline::Signal signal, const component::Settings& settings, const component::Config& config,
      const pipeline::Consumers& next) const override {
    auto proc = attraction::AttrProc::create(static_cast<const Config&>(config).attributes);
    if (!proc.isOk()) return proc.status();
    return pipeline::withBatchType(
        signal, [&]<typename T>() -> Result<std::unique_ptr<pipeline::ConsumerComponent>> {
          return std::unique_ptr<pipeline::ConsumerComponent>(
              std::make_unique<ResourceProcessor<T>>(settings, next.get<T>(), *proc));
        });
  }
};

}  // namespace

std::unique_ptr<pipeline::ProcessorFactory> makeFactory() {
  return std::make_unique<Factory>();
}

}  // namespace periscope::components::resource
