// Config of the `resource` processor (collector keys): the attributes processor's action list,
// under `attributes:`, applied to resource attributes.
#pragma once

#include <vector>

#include "component/component.h"
#include "components/processors/internal/attraction/action_config.h"
#include "config/schema.h"

namespace periscope::components::resource {

struct Config : component::Config {
  std::vector<attraction::ActionConfig> attributes;
  static const config::Schema<Config>& schema();
  Status validate() const override;
};

}  // namespace periscope::components::resource
