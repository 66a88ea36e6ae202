// The explicit list of components compiled into this binary.
#pragma once

#include "component/registry.h"
#include "components/exporters/store/store_exporter.h"

namespace periscope::components {

// `store`: how the `store` exporter reaches the embedded store; without it (validate,
// components) the exporter can be configured and validated but not created.
void registerBuiltins(component::Registry& registry, store_exporter::StoreProvider store = {});

}  // namespace periscope::components
