// Config of the `attributes` processor (collector keys): an action list applied to span, log
// record and metric data point attributes, optionally limited by include/exclude.
#pragma once

#include <optional>
#include <vector>

#include "component/component.h"
#include "components/processors/internal/attraction/action_config.h"
#include "components/processors/internal/filterconfig/matcher.h"
#include "config/schema.h"

namespace periscope::components::attributes {

struct Config : component::Config {
  std::vector<attraction::ActionConfig> actions;
  std::optional<filterconfig::MatchProperties> include;
  std::optional<filterconfig::MatchProperties> exclude;
  static const config::Schema<Config>& schema();
  // Actions, match_type and every regex; keys that do not apply to a signal are checked when
  // the processor is created for that signal.
  Status validate() const override;
  filterconfig::MatchConfig matchConfig() const { return {include, exclude}; }
};

}  // namespace periscope::components::attributes
