// Factory of the `batch` processor.
#pragma once

#include <memory>

#include "pipeline/factories.h"

namespace periscope::components::batch {

std::unique_ptr<pipeline::ProcessorFactory> makeFactory();

}  // namespace periscope::components::batch
