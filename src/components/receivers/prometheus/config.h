// Config of the `prometheus` receiver, with the collector's shape: the Prometheus server's own
// configuration (the subset Periscope implements) under `config:`, e.g.
//   receivers: { prometheus: { config: { scrape_configs: [ { job_name, scrape_interval,
//                 static_configs: [ { targets: [host:port], labels } ], relabel_configs } ] } } }
// Keys Periscope does not implement (service discovery, TLS, auth) are unknown-key errors.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "component/component.h"
#include "config/schema.h"

namespace periscope::components::prometheus_receiver {

struct RelabelConfig {
  std::vector<std::string> source_labels;
  std::string separator = ";";
  std::string regex = "(.*)";
  std::string target_label;
  std::string replacement = "$1";
  std::string action = "replace";
  static const config::Schema<RelabelConfig>& schema();
};

struct StaticConfig {
  std::vector<std::string> targets;
  std::map<std::string, std::string> labels;
  static const config::Schema<StaticConfig>& schema();
};

struct ScrapeConfig {
  std::string job_name;
  config::Duration scrape_interval{0};  // 0 = global.scrape_interval
  config::Duration scrape_timeout{0};   // 0 = global.scrape_timeout (capped at the interval)
  std::string metrics_path = "/metrics";
  std::string scheme = "http";
  bool honor_labels = false;
  bool honor_timestamps = true;
  std::map<std::string, std::vector<std::string>> params;
  std::vector<StaticConfig> static_configs;
  std::vector<RelabelConfig> relabel_configs;
  std::vector<RelabelConfig> metric_relabel_configs;
  static const config::Schema<ScrapeConfig>& schema();
};

struct GlobalConfig {
  config::Duration scrape_interval = std::chrono::minutes(1);
  config::Duration scrape_timeout = std::chrono::seconds(10);
  std::map<std::string, std::string> external_labels;
  static const config::Schema<GlobalConfig>& schema();
};

struct PrometheusConfig {
  GlobalConfig global;
  std::vector<ScrapeConfig> scrape_configs;
  static const config::Schema<PrometheusConfig>& schema();
};

struct Config : component::Config {
  PrometheusConfig config;
  static const config::Schema<Config>& schema();
  Status validate() const override;
};

// The interval and timeout a scrape config runs with, after applying the global defaults.
config::Duration effectiveInterval(const PrometheusConfig& c, const ScrapeConfig& s);
config::Duration effectiveTimeout(const PrometheusConfig& c, const ScrapeConfig& s);

}  // namespace periscope::components::prometheus_receiver
