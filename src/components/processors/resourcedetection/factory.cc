#include "components/processors/resourcedetection/factory.h"

#include <map>
#include <mutex>

#include "components/processors/resourcedetection/processor.h"

namespace periscope::components::resourcedetection {
namespace {

class Factory final : public component::FactoryWithConfig<Config, pipeline::ProcessorFactory> {
 public:
  explicit Factory(std::shared_ptr<const Environment> env) : env_(std::move(env)) {}
  std::string_view type() const override { return "resourcedetection"; }
  std::string_view description() const override {
    return "Detects the resource (environment, host, EC2, ECS, EKS, Lambda) once at start and "
           "adds it to every batch's resource attributes.";
  }
  bool supports(pipeline::Signal) const override { return true; }
  Result<std::unique_ptr<pipeline::ConsumerComponent>> create(
      pipeline::Signal signal, const component::Settings& settings, const component::Config& config,
      const pipeline::Consumers& next) const override {
    const auto& c = static_cast<const Config&>(config);
    std::shared_ptr<ResourceProvider> provider = shared(settings.id, c);
    return pipeline::withBatchType(
        signal, [&]<typename T>() -> Result<std::unique_ptr<pipeline::ConsumerComponent>> {
          return std::unique_ptr<pipeline::ConsumerComponent>(
              std::make_unique<ResourceDetectionProcessor<T>>(settings, provider,
                                                              c.override_existing, next.get<T>()));
        });
  }

 private:
  // Pipelines naming the same processor id share one detection.
  std::shared_ptr<ResourceProvider> shared(const component::ComponentId& id,
                                           const Config& config) const {
    std::lock_guard lock(mu_);
    auto& weak = providers_[id.toString()];
    auto provider = weak.lock();
    if (!provider) {
      provider = std::make_shared<ResourceProvider>(
          makeDetectors(config),
          std::chrono::duration_cast<std::chrono::milliseconds>(config.timeout),
          config.fail_on_missing_metadata, env_, id.toString());
      weak = provider;
    }
    return provider;
  }
  std::shared_ptr<const Environment> env_;
  mutable std::mutex mu_;
  mutable std::map<std::string, std::weak_ptr<ResourceProvider>> providers_;
};

}  // namespace

std::unique_ptr<pipeline::ProcessorFactory> makeFactory(std::shared_ptr<const Environment> env) {
  if (!env) env = std::make_shared<ProcessEnvironment>();
  return std::make_unique<Factory>(std::move(env));
}

}  // namespace periscope::components::resourcedetection
