// Factory of the `prometheus` receiver (metrics only): scrapes Prometheus text endpoints.
#pragma once

#include <memory>

#include "pipeline/factories.h"

namespace periscope::components::prometheus_receiver {

std::unique_ptr<pipeline::ReceiverFactory> makeFactory();

}  // namespace periscope::components::prometheus_receiver
