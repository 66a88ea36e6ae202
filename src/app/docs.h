// Reference text generated from the component registry and the config schemas, so the docs
// (docs/components.md) and `periscope components` can never disagree with the code.
#pragma once

#include <string>

#include "component/registry.h"

namespace periscope::app {

std::string componentsList(const component::Registry& registry);
std::string componentsMarkdown(const component::Registry& registry);

}  // namespace periscope::app
