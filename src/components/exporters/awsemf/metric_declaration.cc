#include "components/exporters/awsemf/metric_declaration.h"

#include <algorithm>

namespace periscope::components::awsemf_exporter {

const std::string* findLabel(const Labels& labels, std::string_view name) {
  auto it = std::lower_bound(labels.begin(), labels.end(), name,
                             [](const auto& l, std::string_view n) { return l.first < n; });
  return it != labels.end() && it->first == name ? &it->second : nullptr;
}

MetricDeclaration::MetricDeclaration(const MetricDeclarationConfig& config) {
  for (auto set : config.dimensions) {
    std::sort(set.begin(), set.end());
    set.erase(std::unique(set.begin(), set.end()), set.end());
    if (std::find(dimensions_.begin(), dimensions_.end(), set) == dimensions_.end()) {
      dimensions_.push_back(std::move(set));
    }
  }
  for (const auto& s : config.metric_name_selectors) {
    selectors_.push_back(std::make_unique<RE2>(s, RE2::Quiet));
  }
  for (const auto& m : config.label_matchers) {
    matchers_.push_back({m.label_names, m.separator, std::make_unique<RE2>(m.regex, RE2::Quiet)});
  }
}

bool MetricDeclaration::matchesName(std::string_view metric_name) const {
  return std::any_of(selectors_.begin(), selectors_.end(),
                     [&](const auto& re) { return RE2::PartialMatch(metric_name, *re); });
}

bool MetricDeclaration::matchesLabels(const Labels& labels) const {
  std::string joined;
  for (const auto& m : matchers_) {
    joined.clear();
    for (size_t i = 0; i < m.label_names.size(); ++i) {
      if (i > 0) joined += m.separator;
      if (const std::string* v = findLabel(labels, m.label_names[i])) joined += *v;
    }
    if (!RE2::PartialMatch(joined, *m.regex)) return false;
  }
  return true;
}

std::vector<std::vector<std::string>> MetricDeclaration::dimensionsFor(const Labels& labels) const {
  std::vector<std::vector<std::string>> out;
  for (const auto& set : dimensions_) {
    bool all = std::all_of(set.begin(), set.end(),
                           [&](const std::string& n) { return findLabel(labels, n) != nullptr; });
    if (all) out.push_back(set);
  }
  return out;
}

}  // namespace periscope::components::awsemf_exporter
