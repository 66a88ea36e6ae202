#include "components/processors/internal/attraction/action_config.h"

namespace periscope::components::attraction {

const config::Schema<ActionConfig>& ActionConfig::schema() {
  static const auto s =
      config::Schema<ActionConfig>()
          .field("key", &ActionConfig::key,
                 "Attribute to act upon (required except for delete/hash with a pattern).")
          .field("action", &ActionConfig::action,
                 "insert, update, upsert, delete, hash, extract or convert (any case).")
          .field("value", &ActionConfig::value,
                 "Value to set; typed from the YAML: true/false bool, 12 int, 1.5 double, "
                 "anything else (or quoted) string.")
          .field("pattern", &ActionConfig::pattern,
                 "RE2 regex: keys to delete/hash, or the named groups to extract.")
          .field("from_attribute", &ActionConfig::from_attribute,
                 "Copy the value of this attribute (no action if it is absent).")
          .field("from_context", &ActionConfig::from_context,
                 "Not supported: Periscope does not pass request metadata to processors.")
          .field("default_value", &ActionConfig::default_value,
                 "Value for insert/update/upsert when from_attribute finds nothing.")
          .field("converted_type", &ActionConfig::converted_type,
                 "Target type of convert: int, double or string.");
  return s;
}

}  // namespace periscope::components::attraction
