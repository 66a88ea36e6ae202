#include "components/processors/tail_sampling/factory.h"

#include "components/processors/tail_sampling/tail_sampling_processor.h"

namespace periscope::components::tail_sampling {
namespace {

class Factory final : public component::FactoryWithConfig<Config, pipeline::ProcessorFactory> {
 public:
  std::string_view type() const override { return "tail_sampling"; }
  std::string_view description() const override {
    return "Samples whole traces by policies evaluated after decision_wait (errors, latency, "
           "attributes, rates).";
  }
  bool supports(pipeline::Signal s) const override { return s == pipeline::Signal::kTraces; }
  Result<std::unique_ptr<pipeline::ConsumerComponent>> create(
      pipeline::Signal, const component::Settings& settings, const component::Config& config,
      const pipeline::Consumers& next) const override {
    auto p = TailSamplingProcessor::create(settings, static_cast<const Config&>(config),
                                           next.traces, {});
    if (!p.isOk()) return p.status();
    return std::unique_ptr<pipeline::ConsumerComponent>(std::move(*p));
  }
};

}  // namespace

std::unique_ptr<pipeline::ProcessorFactory> makeFactory() {
  return std::make_unique<Factory>();
}

}  // namespace periscope::components::tail_sampling
