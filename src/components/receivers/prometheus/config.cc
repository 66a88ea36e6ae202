#include "components/receivers/prometheus/config.h"

#include <set>

#include "common/http/server.h"
#include "components/receivers/prometheus/relabel.h"

namespace periscope::components::prometheus_receiver {

const config::Schema<RelabelConfig>& RelabelConfig::schema() {
  static const auto s =
      config::Schema<RelabelConfig>()
          .field("source_labels", &RelabelConfig::source_labels,
                 "Labels whose values, joined by separator, are matched against regex.")
          .field("separator", &RelabelConfig::separator, "Joins the source label values.")
          .field("regex", &RelabelConfig::regex, "RE2 regex, anchored at both ends.")
          .field("target_label", &RelabelConfig::target_label,
                 "Label written by replace ($1 and ${name} expand).")
          .field("replacement", &RelabelConfig::replacement,
                 "Value written by replace and labelmap ($1 and ${name} expand).")
          .choice("action", &RelabelConfig::action,
                  {"replace", "keep", "drop", "labelmap", "labeldrop", "labelkeep"},
                  "What to do when regex matches.");
  return s;
}

const config::Schema<StaticConfig>& StaticConfig::schema() {
  static const auto s =
      config::Schema<StaticConfig>()
          .field("targets", &StaticConfig::targets, "host:port of each target.")
          .field("labels", &StaticConfig::labels, "Labels added to every target of the group.");
  return s;
}

const config::Schema<ScrapeConfig>& ScrapeConfig::schema() {
  static const auto s =
      config::Schema<ScrapeConfig>()
          .field("job_name", &ScrapeConfig::job_name,
                 "The job label (and service.name) of the targets; unique, required.")
          .field("scrape_interval", &ScrapeConfig::scrape_interval,
                 "Time between scrapes of a target (0s = global.scrape_interval).")
          .field("scrape_timeout", &ScrapeConfig::scrape_timeout,
                 "Time a scrape may take (0s = global.scrape_timeout, at most the interval).")
          .field("metrics_path", &ScrapeConfig::metrics_path, "HTTP path scraped.")
          .choice("scheme", &ScrapeConfig::scheme, {"http"}, "URL scheme (https: not yet).")
          .field("honor_labels", &ScrapeConfig::honor_labels,
                 "On a clash, keep the scraped label instead of renaming it exported_<name>.")
          .field("honor_timestamps", &ScrapeConfig::honor_timestamps,
                 "Use timestamps present in the scraped data instead of the scrape time.")
          .field("params", &ScrapeConfig::params, "URL query parameters of the scrape.")
          .field("static_configs", &ScrapeConfig::static_configs, "Fixed target groups.")
          .field("relabel_configs", &ScrapeConfig::relabel_configs,
                 "Relabelling of targets before scraping.")
          .field("metric_relabel_configs", &ScrapeConfig::metric_relabel_configs,
                 "Relabelling of scraped samples.");
  return s;
}

const config::Schema<GlobalConfig>& GlobalConfig::schema() {
  static const auto s = config::Schema<GlobalConfig>()
                            .field("scrape_interval", &GlobalConfig::scrape_interval,
                                   "Default scrape interval of the scrape configs.")
                            .field("scrape_timeout", &GlobalConfig::scrape_timeout,
                                   "Default scrape timeout of the scrape configs.")
                            .field("external_labels", &GlobalConfig::external_labels,
                                   "Accepted for compatibility; not applied to scraped series.");
  return s;
}

const config::Schema<PrometheusConfig>& PrometheusConfig::schema() {
  static const auto s = config::Schema<PrometheusConfig>()
                            .field("global", &PrometheusConfig::global, "Defaults.")
                            .field("scrape_configs", &PrometheusConfig::scrape_configs,
                                   "One entry per job, in Prometheus's shape.");
  return s;
}

const config::Schema<Config>& Config::schema() {
  static const auto s = config::Schema<Config>().field(
      "config", &Config::config, "Prometheus configuration (the subset listed here).");
  return s;
}

config::Duration effectiveInterval(const PrometheusConfig& c, const ScrapeConfig& s) {
  return s.scrape_interval.count() > 0 ? s.scrape_interval : c.global.scrape_interval;
}

config::Duration effectiveTimeout(const PrometheusConfig& c, const ScrapeConfig& s) {
  if (s.scrape_timeout.count() > 0) return s.scrape_timeout;
  // As Prometheus: the global timeout, but never longer than this job's interval.
  return std::min(c.global.scrape_timeout, effectiveInterval(c, s));
}

Status Config::validate() const {
  if (config.scrape_configs.empty())
    return invalidArgument("config.scrape_configs must not be empty");
  if (config.global.scrape_interval.count() <= 0)
    return invalidArgument("config.global.scrape_interval must be positive");
  std::set<std::string> jobs;
  for (size_t i = 0; i < config.scrape_configs.size(); ++i) {
    const ScrapeConfig& s = config.scrape_configs[i];
    std::string where = "config.scrape_configs[" + std::to_string(i) + "]";
    if (s.job_name.empty()) return invalidArgument(where + ".job_name must be set");
    if (!jobs.insert(s.job_name).second)
      return invalidArgument(where + ".job_name \"" + s.job_name + "\" is used twice");
    if (s.metrics_path.empty() || s.metrics_path.front() != '/')
      return invalidArgument(where + ".metrics_path must start with /");
    if (effectiveTimeout(config, s) > effectiveInterval(config, s))
      return invalidArgument(where + ".scrape_timeout must not be longer than scrape_interval");
    for (size_t g = 0; g < s.static_configs.size(); ++g) {
      for (const std::string& t : s.static_configs[g].targets) {
        std::string host;
        uint16_t port = 0;
        Status st = http::splitHostPort(t, host, port);
        if (!st.isOk() || port == 0 || t.find('/') != std::string::npos)
          return invalidArgument(where + ".static_configs[" + std::to_string(g) + "].targets: \"" +
                                 t + "\" is not host:port");
      }
    }
    auto relabel = Relabeler::compile(s.relabel_configs, where + ".relabel_configs");
    if (!relabel.isOk()) return relabel.status();
    auto metric_relabel =
        Relabeler::compile(s.metric_relabel_configs, where + ".metric_relabel_configs");
    if (!metric_relabel.isOk()) return metric_relabel.status();
  }
  return Status::ok();
}

}  // namespace periscope::components::prometheus_receiver
