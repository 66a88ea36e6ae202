// One entry of the attributes processor's `actions:` list (also the resource processor's
// `attributes:` list), with the collector's keys (internal/coreinternal/attraction).
#pragma once

#include <string>

#include "components/processors/internal/attraction/literal_value.h"
#include "config/schema.h"

namespace periscope::components::attraction {

struct ActionConfig {
  std::string key;
  std::string action;
  LiteralValue value;
  std::string pattern;
  std::string from_attribute;
  std::string from_context;
  LiteralValue default_value;
  std::string converted_type;
  static const config::Schema<ActionConfig>& schema();
};

}  // namespace periscope::components::attraction
