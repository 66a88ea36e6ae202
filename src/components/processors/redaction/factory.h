// Factory of the `redaction` processor.
#pragma once

#include <memory>

#include "pipeline/factories.h"

namespace periscope::components::redaction {

std::unique_ptr<pipeline::ProcessorFactory> makeFactory();

}  // namespace periscope::components::redaction
