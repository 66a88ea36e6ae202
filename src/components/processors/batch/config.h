// Config of the `batch` processor (collector keys and defaults).
#pragma once

#include "component/component.h"
#include "config/schema.h"

namespace periscope::components::batch {

struct Config : component::Config {
  config::Duration timeout = std::chrono::milliseconds(200);
  uint32_t send_batch_size = 8192;
  uint32_t send_batch_max_size = 0;  // 0 = no upper bound
  static const config::Schema<Config>& schema();
  Status validate() const override;
};

}  // namespace periscope::components::batch
