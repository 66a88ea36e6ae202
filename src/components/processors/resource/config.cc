#include "components/processors/resource/config.h"

#include "components/processors/internal/attraction/attr_proc.h"

namespace periscope::components::resource {

const config::Schema<Config>& Config::schema() {
  static const auto s = config::Schema<Config>().field(
      "attributes", &Config::attributes,
      "Actions applied in order to resource attributes (required; same keys as the attributes "
      "processor's actions).");
  return s;
}

Status Config::validate() const {
  if (attributes.empty()) return invalidArgument("missing required field \"attributes\"");
  auto proc = attraction::AttrProc::create(attributes);
  if (!proc.isOk()) return proc.status();
  return Status::ok();
}

}  // namespace periscope::components::resource
