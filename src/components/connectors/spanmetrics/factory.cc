#include "components/connectors/spanmetrics/factory.h"

#include "components/connectors/spanmetrics/span_metrics_connector.h"
#include "components/connectors/traces_to_metrics_factory.h"

namespace periscope::components::spanmetrics {

std::unique_ptr<pipeline::ConnectorFactory> makeFactory(
    std::shared_ptr<const connectors::Clock> clock) {
  return std::make_unique<connectors::TracesToMetricsFactory<Config, SpanMetricsConnector>>(
      "spanmetrics",
      "Aggregates request, error and duration (RED) metrics from spans: calls counter and "
      "duration histogram per service, span name, kind and status (traces → metrics).",
      std::move(clock));
}

}  // namespace periscope::components::spanmetrics
