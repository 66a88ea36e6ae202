// Factory of the `prometheusremotewrite` receiver (metrics only): Prometheus servers and agents
// remote-write into Periscope.
#pragma once

#include <memory>

#include "pipeline/factories.h"

namespace periscope::components::prometheusremotewrite_receiver {

std::unique_ptr<pipeline::ReceiverFactory> makeFactory();

}  // namespace periscope::components::prometheusremotewrite_receiver
