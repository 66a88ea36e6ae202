#include "app/config_loader.h"

#include "app/builtin_config.h"
#include "config/loader.h"

namespace periscope::app {

bool loadServiceConfig(const std::string& path, const component::Registry& registry,
                       pipeline::ServiceConfig& out, config::Diagnostics& diags) {
  config::Value root = path.empty()
                           ? config::loadYamlString(std::string(builtinConfigYaml()), "<built-in all-in-one.yaml>", diags)
                           : config::loadYamlFile(path, diags);
  if (!diags.ok()) return false;
  return pipeline::buildServiceConfig(root, registry, out, diags);
}

}  // namespace periscope::app
