#include "components/connectors/servicegraph/factory.h"

#include "components/connectors/servicegraph/service_graph_connector.h"
#include "components/connectors/traces_to_metrics_factory.h"

namespace periscope::components::servicegraph {

std::unique_ptr<pipeline::ConnectorFactory> makeFactory(
    std::shared_ptr<const connectors::Clock> clock) {
  return std::make_unique<connectors::TracesToMetricsFactory<Config, ServiceGraphConnector>>(
      "servicegraph",
      "Pairs client and server spans into service-to-service edges: request, failure and "
      "latency metrics per edge, with virtual nodes for uninstrumented peers (traces → metrics).",
      std::move(clock));
}

}  // namespace periscope::components::servicegraph
