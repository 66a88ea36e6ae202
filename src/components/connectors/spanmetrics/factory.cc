#include "components/connectors/spanmetrics/factory.h"

#include "components/connectors/spanmetrics/span_metrics_connector.h"

namespace periscope::components::spanmetrics {
namespace {

class Factory final : public component::FactoryWithConfig<Config, pipeline::ConnectorFactory> {
 public:
  explicit Factory(std::shared_ptr<const connectors::Clock> clock) : clock_(std::move(clock)) {}
  std::string_view type() const override { return "spanmetrics"; }
  std::string_view description() const override {
    return "Aggregates request, error and duration (RED) metrics from spans: calls counter and "
           "duration histogram per service, span name, kind and status (traces → metrics).";
  }
  bool supports(pipeline::Signal from, pipeline::Signal to) const override {
    return from == pipeline::Signal::kTraces && to == pipeline::Signal::kMetrics;
  }
  Result<std::unique_ptr<pipeline::ConsumerComponent>> create(
      const component::Settings& settings, const component::Config& config,
      const std::vector<pipeline::Signal>& from, const pipeline::Consumers& next) const override {
    for (auto s : from) {
      if (s != pipeline::Signal::kTraces) {
        return invalidArgument("spanmetrics connector: only traces pipelines can export to it");
      }
    }
    if (next.metrics == nullptr) {
      return invalidArgument("spanmetrics connector: no metrics pipeline receives from it");
    }
    return std::unique_ptr<pipeline::ConsumerComponent>(std::make_unique<SpanMetricsConnector>(
        settings, static_cast<const Config&>(config), next.metrics, clock_));
  }

 private:
  std::shared_ptr<const connectors::Clock> clock_;
};

}  // namespace

std::unique_ptr<pipeline::ConnectorFactory> makeFactory(
    std::shared_ptr<const connectors::Clock> clock) {
  return std::make_unique<Factory>(std::move(clock));
}

}  // namespace periscope::components::spanmetrics
