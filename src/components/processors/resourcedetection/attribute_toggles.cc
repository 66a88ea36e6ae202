#include "components/processors/resourcedetection/attribute_toggles.h"

namespace periscope::components::resourcedetection {

const config::Schema<AttributeToggle>& AttributeToggle::schema() {
  static const auto s = config::Schema<AttributeToggle>().field(
      "enabled", &AttributeToggle::enabled, "Whether the detector sets this attribute.");
  return s;
}

std::string knownAttributesList(std::span<const AttributeSpec> attrs) {
  std::string out;
  for (const auto& a : attrs) out += (out.empty() ? "" : ", ") + std::string(a.name);
  return out;
}

}  // namespace periscope::components::resourcedetection
