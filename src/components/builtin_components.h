// The explicit list of components compiled into this binary.
#pragma once

#include "component/registry.h"

namespace periscope::components {

void registerBuiltins(component::Registry& registry);

}  // namespace periscope::components
