// Config of the `servicegraph` connector (the collector's keys and defaults; see README.md).
#pragma once

#include <string>
#include <vector>

#include "component/component.h"
#include "config/schema.h"

namespace periscope::components::servicegraph {

struct StoreConfig {
  config::Duration ttl = std::chrono::seconds(2);
  uint32_t max_items = 1000;
  static const config::Schema<StoreConfig>& schema();
};

inline constexpr size_t kMaxDimensions = 32;

struct Config : component::Config {
  std::vector<config::Duration> latency_histogram_buckets;  // empty = 2ms … 15s
  std::vector<std::string> dimensions;
  StoreConfig store;
  config::Duration store_expiration_loop = std::chrono::seconds(2);
  std::vector<std::string> virtual_node_peer_attributes = {"peer.service", "db.name", "db.system",
                                                           "server.address"};
  bool virtual_node_extra_label = false;
  config::Duration metrics_flush_interval = std::chrono::seconds(60);
  std::vector<std::string> database_name_attributes = {"db.name", "db.system"};
  config::Duration cache_loop = std::chrono::minutes(1);  // accepted, no effect

  // Histogram bounds in seconds (the defaults unless configured).
  std::vector<double> bounds() const;
  static const config::Schema<Config>& schema();
  Status validate() const override;
};

}  // namespace periscope::components::servicegraph
