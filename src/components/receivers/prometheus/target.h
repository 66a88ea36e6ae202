// Scrape targets: a static target of a scrape config, its labels after `relabel_configs`
// (job, instance and the group's labels; `__`-prefixed ones removed) and the URL to scrape.
#pragma once

#include <string>
#include <vector>

#include "components/receivers/prometheus/config.h"
#include "components/receivers/prometheus/relabel.h"
#include "model/prometheus/labels.h"

namespace periscope::components::prometheus_receiver {

struct Target {
  model::prom::Labels labels;  // public labels, sorted: job, instance, static and relabelled ones
  std::string url;             // scheme://address/metrics_path?params
  std::string scheme;
  std::string job;
  std::string instance;
};

// The targets of one scrape config, in config order, without those a keep/drop rule removed or
// whose relabelled __address__ is empty.
std::vector<Target> buildTargets(const PrometheusConfig& config, const ScrapeConfig& scrape,
                                 const Relabeler& relabel);

}  // namespace periscope::components::prometheus_receiver
