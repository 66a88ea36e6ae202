// libFuzzer target: arbitrary text as a config file: the loader and the service-config builder
// must report errors, never crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "components/builtin_components.h"
#include "config/loader.h"
#include "pipeline/service_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static periscope::component::Registry* registry = [] {
    static periscope::component::Registry r;
    periscope::components::registerBuiltins(r);
    return &r;
  }();
  periscope::config::Diagnostics diags;
  auto env = [](const std::string&) -> std::optional<std::string> { return std::string("x"); };
  periscope::config::Value root = periscope::config::loadYamlString(
      std::string(reinterpret_cast<const char*>(data), size), "fuzz.yaml", diags, env);
  periscope::pipeline::ServiceConfig config;
  (void)periscope::pipeline::buildServiceConfig(root, *registry, config, diags);
  (void)diags.format();
  return 0;
}
