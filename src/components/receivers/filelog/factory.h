// Factory of the `filelog` receiver (logs read from files; see README.md).
#pragma once

#include <memory>

#include "pipeline/factories.h"

namespace periscope::components::filelog {

std::unique_ptr<pipeline::ReceiverFactory> makeFactory();

}  // namespace periscope::components::filelog
