#include "components/processors/memory_limiter/factory.h"

#include <map>
#include <mutex>

#include "components/processors/memory_limiter/memory_limiter.h"

namespace periscope::components::memory_limiter {
namespace {

class Factory final : public component::FactoryWithConfig<Config, pipeline::ProcessorFactory> {
 public:
  std::string_view type() const override { return "memory_limiter"; }
  std::string_view description() const override {
    return "Refuses data with a retryable error while memory use is above the configured limit.";
  }
  bool supports(pipeline::Signal) const override { return true; }
  Result<std::unique_ptr<pipeline::ConsumerComponent>> create(
      pipeline::Signal signal, const component::Settings& settings, const component::Config& config,
      const pipeline::Consumers& next) const override {
    std::shared_ptr<Limiter> limiter = shared(settings.id, static_cast<const Config&>(config));
    return pipeline::withBatchType(
        signal, [&]<typename T>() -> Result<std::unique_ptr<pipeline::ConsumerComponent>> {
          return std::unique_ptr<pipeline::ConsumerComponent>(
              std::make_unique<MemoryLimiter<T>>(settings, limiter, next.get<T>()));
        });
  }

 private:
  // Pipelines naming the same memory_limiter id share one measurement (as in the collector).
  std::shared_ptr<Limiter> shared(const component::ComponentId& id, const Config& config) const {
    std::lock_guard lock(mu_);
    auto& weak = limiters_[id.toString()];
    auto limiter = weak.lock();
    if (!limiter) {
      limiter = std::make_shared<Limiter>(config, totalMemoryBytes());
      weak = limiter;
    }
    return limiter;
  }
  mutable std::mutex mu_;
  mutable std::map<std::string, std::weak_ptr<Limiter>> limiters_;
};

}  // namespace

std::unique_ptr<pipeline::ProcessorFactory> makeFactory() {
  return std::make_unique<Factory>();
}

}  // namespace periscope::components::memory_limiter
