#include "components/processors/probabilistic_sampler/factory.h"

#include "components/processors/probabilistic_sampler/config.h"
#include "components/processors/probabilistic_sampler/probabilistic_sampler.h"

namespace periscope::components::probabilistic_sampler {
namespace {

class Factory final : public component::FactoryWithConfig<Config, pipeline::ProcessorFactory> {
 public:
  std::string_view type() const override { return "probabilistic_sampler"; }
  std::string_view description() const override {
    return "Keeps a consistent percentage of spans and log records (by trace id hash, or by W3C "
           "tracestate randomness and thresholds).";
  }
  bool supports(pipeline::Signal signal) const override {
    return signal == pipeline::Signal::kTraces || signal == pipeline::Signal::kLogs;
  }
  Result<std::unique_ptr<pipeline::ConsumerComponent>> create(
      pipeline::Signal signal, const component::Settings& settings, const component::Config& config,
      const pipeline::Consumers& next) const override {
    const auto& cfg = static_cast<const Config&>(config);
    if (signal == pipeline::Signal::kTraces) {
      return std::unique_ptr<pipeline::ConsumerComponent>(
          std::make_unique<ProbabilisticSampler<model::Traces>>(settings, cfg,
                                                                next.get<model::Traces>()));
    }
    return std::unique_ptr<pipeline::ConsumerComponent>(
        std::make_unique<ProbabilisticSampler<model::Logs>>(settings, cfg,
                                                            next.get<model::Logs>()));
  }
};

}  // namespace

std::unique_ptr<pipeline::ProcessorFactory> makeFactory() {
  return std::make_unique<Factory>();
}

}  // namespace periscope::components::probabilistic_sampler
