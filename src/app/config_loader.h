// Loads a config file (or the built-in all-in-one) and validates it against the registry.
#pragma once

#include <string>

#include "app/storage_config.h"
#include "component/registry.h"
#include "config/diagnostics.h"
#include "pipeline/service_config.h"

namespace periscope::app {

// `path` empty = the built-in all-in-one config. Returns false if any error was reported.
// Also decodes the `storage:` and `query:` sections into `backend` when given.
bool loadServiceConfig(const std::string& path, const component::Registry& registry,
                       pipeline::ServiceConfig& out, config::Diagnostics& diags,
                       BackendConfig* backend = nullptr);

}  // namespace periscope::app
