#include "components/processors/attributes/factory.h"

#include "components/processors/attributes/attributes_processor.h"
#include "components/processors/attributes/config.h"

namespace periscope::components::attributes {
namespace {

class Factory final : public component::FactoryWithConfig<Config, pipeline::ProcessorFactory> {
 public:
  std::string_view type() const override { return "attributes"; }
  std::string_view description() const override {
    return "Inserts, updates, deletes, hashes, extracts or converts span, log record and data "
           "point attributes.";
  }
  bool supports(pipeline::Signal) const override { return true; }
  Result<std::unique_ptr<pipeline::ConsumerComponent>> create(
      pipeline::Signal signal, const component::Settings& settings, const component::Config& config,
      const pipeline::Consumers& next) const override {
    const auto& cfg = static_cast<const Config&>(config);
    auto proc = attraction::AttrProc::create(cfg.actions);
    if (!proc.isOk()) return proc.status();
    auto matcher = filterconfig::SkipMatcher::create(cfg.matchConfig(), signal);
    if (!matcher.isOk()) return matcher.status();
    return pipeline::withBatchType(
        signal, [&]<typename T>() -> Result<std::unique_ptr<pipeline::ConsumerComponent>> {
          return std::unique_ptr<pipeline::ConsumerComponent>(
              std::make_unique<AttributesProcessor<T>>(settings, next.get<T>(), *proc,
                                                       std::move(*matcher)));
        });
  }
};

}  // namespace

std::unique_ptr<pipeline::ProcessorFactory> makeFactory() {
  return std::make_unique<Factory>();
}

}  // namespace periscope::components::attributes
