// Factory of the `tail_sampling` processor (traces only).
#pragma once

#include <memory>

#include "pipeline/factories.h"

namespace periscope::components::tail_sampling {

std::unique_ptr<pipeline::ProcessorFactory> makeFactory();

}  // namespace periscope::components::tail_sampling
