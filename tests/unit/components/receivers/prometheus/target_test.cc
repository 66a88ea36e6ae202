#include "components/receivers/prometheus/target.h"

#include <gtest/gtest.h>

namespace periscope::components::prometheus_receiver {
namespace {

namespace prom = model::prom;

TEST(Targets, LabelsAndUrlAfterRelabelling) {
  PrometheusConfig cfg;
  ScrapeConfig sc;
  sc.job_name = "blackbox";
  sc.metrics_path = "/probe";
  sc.params = {{"module", {"http_2xx", "second"}}};
  sc.static_configs.push_back({{"example.com:80", "drop.me:1", "b:2"}, {{"team", "web"}}});
  RelabelConfig to_param;  // the blackbox exporter pattern: target → ?target=, instance
  to_param.source_labels = {"__address__"};
  to_param.target_label = "__param_target";
  RelabelConfig to_instance;
  to_instance.source_labels = {"__param_target"};
  to_instance.target_label = "instance";
  RelabelConfig to_address;
  to_address.target_label = "__address__";
  to_address.replacement = "127.0.0.1:9115";
  RelabelConfig drop;
  drop.source_labels = {"instance"};
  drop.regex = "drop\\..*";
  drop.action = "drop";
  auto relabel = Relabeler::compile({to_param, to_instance, to_address, drop}, "relabel_configs");
  ASSERT_TRUE(relabel.isOk());
  auto targets = buildTargets(cfg, sc, *relabel);
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_EQ(targets[0].url,
            "http://127.0.0.1:9115/probe?module=http_2xx&module=second&target=example.com%3A80");
  EXPECT_EQ(targets[0].labels,
            (prom::Labels{{"instance", "example.com:80"}, {"job", "blackbox"}, {"team", "web"}}));
  EXPECT_EQ(targets[0].job, "blackbox");
  EXPECT_EQ(targets[0].instance, "example.com:80");
  EXPECT_EQ(targets[1].instance, "b:2");
}

TEST(Targets, DefaultsWithoutRelabelling) {
  PrometheusConfig cfg;
  ScrapeConfig sc;
  sc.job_name = "node";
  sc.static_configs.push_back({{"127.0.0.1:9100"}, {}});
  auto targets = buildTargets(cfg, sc, Relabeler());
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_EQ(targets[0].url, "http://127.0.0.1:9100/metrics");
  EXPECT_EQ(targets[0].labels, (prom::Labels{{"instance", "127.0.0.1:9100"}, {"job", "node"}}));
}

TEST(ReceiverConfig, ValidateNamesTheField) {
  auto check = [](const Config& c) { return std::string(c.validate().message()); };
  Config c;
  EXPECT_EQ(check(c), "config.scrape_configs must not be empty");
  ScrapeConfig sc;
  sc.job_name = "a";
  sc.static_configs.push_back({{"127.0.0.1:9100"}, {}});
  c.config.scrape_configs = {sc};
  EXPECT_EQ(check(c), "");
  c.config.scrape_configs.push_back(sc);
  EXPECT_EQ(check(c), "config.scrape_configs[1].job_name \"a\" is used twice");
  c.config.scrape_configs.pop_back();
  c.config.scrape_configs[0].scrape_interval = std::chrono::seconds(5);
  c.config.scrape_configs[0].scrape_timeout = std::chrono::seconds(6);
  EXPECT_EQ(check(c),
            "config.scrape_configs[0].scrape_timeout must not be longer than scrape_interval");
  c.config.scrape_configs[0].scrape_timeout = std::chrono::seconds(0);
  EXPECT_EQ(effectiveTimeout(c.config, c.config.scrape_configs[0]), std::chrono::seconds(5));
  c.config.scrape_configs[0].static_configs[0].targets = {"http://x:1/metrics"};
  EXPECT_EQ(check(c),
            "config.scrape_configs[0].static_configs[0].targets: \"http://x:1/metrics\" is not "
            "host:port");
  c.config.scrape_configs[0].static_configs[0].targets = {"x:1"};
  c.config.scrape_configs[0].relabel_configs.push_back({});
  c.config.scrape_configs[0].relabel_configs[0].regex = "[";
  c.config.scrape_configs[0].relabel_configs[0].target_label = "t";
  EXPECT_EQ(check(c), "config.scrape_configs[0].relabel_configs[0].regex: missing ]: [");
}

}  // namespace
}  // namespace periscope::components::prometheus_receiver
