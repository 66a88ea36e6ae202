// The built-in all-in-one configuration (config/all-in-one.yaml, compiled into the binary).
#pragma once

#include <string_view>

namespace periscope::app {

std::string_view builtinConfigYaml();

}  // namespace periscope::app
