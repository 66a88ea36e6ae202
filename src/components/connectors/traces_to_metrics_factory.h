// TracesToMetricsFactory: the factory shape shared by connectors that consume traces and emit
// metrics (spanmetrics, servicegraph). ConnectorT is constructed from (settings, config, next
// metrics consumer, clock).
#pragma once

#include <memory>
#include <string>

#include "components/connectors/connector_clock.h"
#include "pipeline/factories.h"

namespace periscope::components::connectors {

template <typename ConfigT, typename ConnectorT>
class TracesToMetricsFactory final
    : public component::FactoryWithConfig<ConfigT, pipeline::ConnectorFactory> {
 public:
  TracesToMetricsFactory(std::string type, std::string description,
                         std::shared_ptr<const Clock> clock)
      : type_(std::move(type)), description_(std::move(description)), clock_(std::move(clock)) {}

  std::string_view type() const override { return type_; }
  std::string_view description() const override { return description_; }
  bool supports(pipeline::Signal from, pipeline::Signal to) const override {
    return from == pipeline::Signal::kTraces && to == pipeline::Signal::kMetrics;
  }
  Result<std::unique_ptr<pipeline::ConsumerComponent>> create(
      const component::Settings& settings, const component::Config& config,
      const std::vector<pipeline::Signal>& from, const pipeline::Consumers& next) const override {
    for (auto s : from) {
      if (s != pipeline::Signal::kTraces) {
        return invalidArgument(type_ + " connector: only traces pipelines can export to it");
      }
    }
    if (next.metrics == nullptr) {
      return invalidArgument(type_ + " connector: no metrics pipeline receives from it");
    }
    return std::unique_ptr<pipeline::ConsumerComponent>(std::make_unique<ConnectorT>(
        settings, static_cast<const ConfigT&>(config), next.metrics, clock_));
  }

 private:
  std::string type_;
  std::string description_;
  std::shared_ptr<const Clock> clock_;
};

}  // namespace periscope::components::connectors
