// Factory of the `servicegraph` connector (traces → metrics).
#pragma once

#include <memory>

#include "components/connectors/connector_clock.h"
#include "pipeline/factories.h"

namespace periscope::components::servicegraph {

// `clock`: the time source of the connectors it creates (tests pass a ManualClock).
std::unique_ptr<pipeline::ConnectorFactory> makeFactory(
    std::shared_ptr<const connectors::Clock> clock = connectors::systemClock());

}  // namespace periscope::components::servicegraph
