// A compiled `metric_declarations` entry: which metrics (name selectors, label matchers) are
// published, and with which dimension sets. Patterns are RE2 and match anywhere in the text
// (like Go's regexp.MatchString in the collector); anchor them with ^…$ for whole matches.
#pragma once

#include <re2/re2.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "components/exporters/awsemf/config.h"

namespace periscope::components::awsemf_exporter {

// Sorted by name; one value per name.
using Labels = std::vector<std::pair<std::string, std::string>>;

const std::string* findLabel(const Labels& labels, std::string_view name);

class MetricDeclaration {
 public:
  // The config was validated (patterns compile).
  explicit MetricDeclaration(const MetricDeclarationConfig& config);

  bool matchesName(std::string_view metric_name) const;
  // Every label matcher matches: the values of its label_names (missing ones are empty)
  // joined by its separator.
  bool matchesLabels(const Labels& labels) const;
  // The declared dimension sets whose every name is a label of the point (each sorted).
  std::vector<std::vector<std::string>> dimensionsFor(const Labels& labels) const;

 private:
  struct Matcher {
    std::vector<std::string> label_names;
    std::string separator;
    std::unique_ptr<RE2> regex;
  };
  std::vector<std::vector<std::string>> dimensions_;
  std::vector<std::unique_ptr<RE2>> selectors_;
  std::vector<Matcher> matchers_;
};

}  // namespace periscope::components::awsemf_exporter
