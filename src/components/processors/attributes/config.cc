#include "components/processors/attributes/config.h"

#include "components/processors/internal/attraction/attr_proc.h"

namespace periscope::components::attributes {

const config::Schema<Config>& Config::schema() {
  static const auto s =
      config::Schema<Config>()
          .field("actions", &Config::actions, "Actions applied in order (required).")
          .field("include", &Config::include, "Only items matching these properties are processed.")
          .field("exclude", &Config::exclude, "Items matching these properties are skipped.");
  return s;
}

Status Config::validate() const {
  if (actions.empty()) {
    return invalidArgument("missing required field \"actions\"");
  }
  auto proc = attraction::AttrProc::create(actions);
  if (!proc.isOk()) return proc.status();
  auto matcher = filterconfig::SkipMatcher::create(matchConfig(), std::nullopt);
  if (!matcher.isOk()) return matcher.status();
  return Status::ok();
}

}  // namespace periscope::components::attributes
