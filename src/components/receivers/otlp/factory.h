// Factory of the `otlp` receiver (traces, metrics, logs over gRPC and HTTP).
#pragma once

#include <memory>

#include "pipeline/factories.h"

namespace periscope::components::otlp_receiver {

std::unique_ptr<pipeline::ReceiverFactory> makeFactory();

}  // namespace periscope::components::otlp_receiver
