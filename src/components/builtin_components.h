// The explicit list of components compiled into this binary.
#pragma once

#include "component/registry.h"
#include "components/exporters/store/store_exporter.h"

namespace periscope::components {

// `stores`: how the `store` exporter reaches the embedded stores; without them (validate,
// components) the exporter can be configured and validated but not created.
void registerBuiltins(component::Registry& registry, store_exporter::StoreProviders stores = {});

}  // namespace periscope::components
