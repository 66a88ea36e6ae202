// `health_check` extension: an HTTP endpoint (default 127.0.0.1:13133, path "/") answering
// 200 once every pipeline is running and 503 while starting or shutting down, so load
// balancers and orchestrators route traffic only to a ready Periscope.
#pragma once

#include <memory>

#include "component/component.h"
#include "config/schema.h"
#include "pipeline/factories.h"

namespace periscope::components::health_check {

struct Config : component::Config {
  std::string endpoint = "127.0.0.1:13133";
  std::string path = "/";
  static const config::Schema<Config>& schema();
  Status validate() const override;
};

std::unique_ptr<pipeline::ExtensionFactory> makeFactory();

}  // namespace periscope::components::health_check
