// Factory of the `probabilistic_sampler` processor (traces and logs).
#pragma once

#include <memory>

#include "pipeline/factories.h"

namespace periscope::components::probabilistic_sampler {

std::unique_ptr<pipeline::ProcessorFactory> makeFactory();

}  // namespace periscope::components::probabilistic_sampler
