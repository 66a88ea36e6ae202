#include "components/receivers/prometheus/target.h"

#include <cctype>
#include <cstdio>

namespace periscope::components::prometheus_receiver {

namespace prom = model::prom;

namespace {

// RFC 3986 unreserved characters stay; everything else is %XX (as Go's url.QueryEscape, except
// that spaces become %20 rather than '+', which servers read the same).
std::string queryEscape(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

constexpr std::string_view kParamPrefix = "__param_";

}  // namespace

std::vector<Target> buildTargets(const PrometheusConfig& config, const ScrapeConfig& scrape,
                                 const Relabeler& relabel) {
  std::vector<Target> out;
  for (const StaticConfig& group : scrape.static_configs) {
    for (const std::string& address : group.targets) {
      // Prometheus's target labels before relabelling.
      prom::Labels labels;
      for (const auto& [k, v] : group.labels) setLabel(labels, k, v);
      setLabel(labels, "__address__", address);
      setLabel(labels, "__scheme__", scrape.scheme);
      setLabel(labels, "__metrics_path__", scrape.metrics_path);
      setLabel(labels, "__scrape_interval__",
               config::formatDuration(effectiveInterval(config, scrape)));
      setLabel(labels, "__scrape_timeout__",
               config::formatDuration(effectiveTimeout(config, scrape)));
      setLabel(labels, "job", scrape.job_name);
      for (const auto& [k, values] : scrape.params) {
        if (!values.empty()) setLabel(labels, std::string(kParamPrefix) + k, values.front());
      }
      if (!relabel.apply(labels)) continue;
      std::string addr(prom::labelValue(labels, "__address__"));
      if (addr.empty()) continue;
      if (prom::labelValue(labels, "instance").empty()) setLabel(labels, "instance", addr);

      Target t;
      t.scheme = std::string(prom::labelValue(labels, "__scheme__"));
      std::string query;
      // Params: the configured lists, with the first value of each replaced by its
      // __param_<name> label (which relabelling may have changed or added).
      auto addParam = [&query](std::string_view k, std::string_view v) {
        query += query.empty() ? '?' : '&';
        query += queryEscape(k) + "=" + queryEscape(v);
      };
      for (const prom::Label& l : labels) {
        if (l.name.rfind(kParamPrefix, 0) != 0) continue;
        std::string name = l.name.substr(kParamPrefix.size());
        addParam(name, l.value);
        auto it = scrape.params.find(name);
        if (it == scrape.params.end()) continue;
        for (size_t i = 1; i < it->second.size(); ++i) addParam(name, it->second[i]);
      }
      t.url = t.scheme + "://" + addr + std::string(prom::labelValue(labels, "__metrics_path__")) +
              query;
      std::erase_if(labels, [](const prom::Label& l) { return l.name.rfind("__", 0) == 0; });
      t.labels = std::move(labels);
      t.job = std::string(prom::labelValue(t.labels, "job"));
      t.instance = std::string(prom::labelValue(t.labels, "instance"));
      out.push_back(std::move(t));
    }
  }
  return out;
}

}  // namespace periscope::components::prometheus_receiver
