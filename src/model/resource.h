// Resource and instrumentation scope: who produced a batch of telemetry.
#pragma once

#include <string_view>

#include "model/any_value.h"

namespace periscope::model {

struct Resource {
  Attributes attributes;
  uint32_t dropped_attributes_count = 0;
};

struct InstrumentationScope {
  std::string_view name;
  std::string_view version;
  Attributes attributes;
  uint32_t dropped_attributes_count = 0;
};

}  // namespace periscope::model
