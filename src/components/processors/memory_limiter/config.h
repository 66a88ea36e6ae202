// Config of the `memory_limiter` processor (collector keys). Limits are on the process RSS.
#pragma once

#include "component/component.h"
#include "config/schema.h"

namespace periscope::components::memory_limiter {

struct Config : component::Config {
  config::Duration check_interval{0};
  uint32_t limit_mib = 0;
  uint32_t spike_limit_mib = 0;  // default: 20% of limit_mib
  uint32_t limit_percentage = 0;
  uint32_t spike_limit_percentage = 0;
  static const config::Schema<Config>& schema();
  Status validate() const override;
};

}  // namespace periscope::components::memory_limiter
