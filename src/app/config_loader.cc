#include "app/config_loader.h"

#include "app/builtin_config.h"
#include "config/loader.h"

namespace periscope::app {

bool loadServiceConfig(const std::string& path, const component::Registry& registry,
                       pipeline::ServiceConfig& out, config::Diagnostics& diags,
                       BackendConfig* backend) {
  config::Value root = path.empty() ? config::loadYamlString(std::string(builtinConfigYaml()),
                                                             "<built-in all-in-one.yaml>", diags)
                                    : config::loadYamlFile(path, diags);
  if (!root.isMap()) return false;  // unreadable, a syntax error, or empty: nothing more to check
  // Keep going after variable errors so that every problem in the file is reported at once.
  bool loaded_cleanly = diags.ok();
  bool valid = pipeline::buildServiceConfig(root, registry, out, diags);
  BackendConfig ignored;
  size_t before = diags.size();
  decodeBackendConfig(root, backend != nullptr ? *backend : ignored, diags);
  return loaded_cleanly && valid && diags.size() == before;
}

}  // namespace periscope::app
