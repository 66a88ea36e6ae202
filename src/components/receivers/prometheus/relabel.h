// Prometheus relabelling (`relabel_configs` on targets, `metric_relabel_configs` on samples):
// the actions replace, keep, drop, labelmap, labeldrop and labelkeep, with fully anchored RE2
// regexes and Go's `$1` / `${name}` expansion. Compiled once per scrape config; apply() is const
// and safe to call from several scrapers at once.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "components/receivers/prometheus/config.h"
#include "model/prometheus/labels.h"

namespace re2 {
class RE2;
}

namespace periscope::components::prometheus_receiver {

class Relabeler {
 public:
  // Errors name the rule, e.g. "relabel_configs[1].regex: missing ): (a".
  static Result<Relabeler> compile(const std::vector<RelabelConfig>& rules, std::string_view what);

  Relabeler();
  ~Relabeler();
  Relabeler(Relabeler&&) noexcept;
  Relabeler& operator=(Relabeler&&) noexcept;

  bool empty() const { return rules_.empty(); }
  // Applies every rule in order to `labels` (sorted by name, as model::prom::Labels are).
  // Returns false if a keep or drop rule dropped the whole set.
  bool apply(model::prom::Labels& labels) const;

 private:
  struct Rule;
  std::vector<Rule> rules_;
};

// Go's regexp.Expand: `$1`, `${1}`, `$name`, `${name}` and `$$` in `tmpl`, from the groups of a
// match (groups[0] is the whole match). Exposed for tests.
std::string expandTemplate(std::string_view tmpl, const re2::RE2& re,
                           const std::vector<std::string_view>& groups);

// Sets (or, with an empty value, removes) a label, keeping the set sorted.
void setLabel(model::prom::Labels& labels, std::string_view name, std::string_view value);

}  // namespace periscope::components::prometheus_receiver
