#include "components/connectors/servicegraph/config.h"

namespace periscope::components::servicegraph {

const config::Schema<StoreConfig>& StoreConfig::schema() {
  static const auto s =
      config::Schema<StoreConfig>()
          .field("ttl", &StoreConfig::ttl,
                 "How long a span waits for its other half before its edge expires.")
          .field("max_items", &StoreConfig::max_items,
                 "Most edges waiting at once; spans beyond it are dropped and counted.");
  return s;
}

const config::Schema<Config>& Config::schema() {
  static const auto s =
      config::Schema<Config>()
          .field("latency_histogram_buckets", &Config::latency_histogram_buckets,
                 "Bucket bounds of the latency histograms (empty = 2ms, 4ms, 6ms, 8ms, 10ms, "
                 "50ms, 100ms, 200ms, 400ms, 800ms, 1s, 1400ms, 2s, 5s, 10s, 15s).")
          .field("dimensions", &Config::dimensions,
                 "Span or resource attributes added as labels client_<name> and server_<name>.")
          .field("store", &Config::store, "The in-memory store of unpaired spans.")
          .field("store_expiration_loop", &Config::store_expiration_loop,
                 "How often expired edges are removed from the store.")
          .field("virtual_node_peer_attributes", &Config::virtual_node_peer_attributes,
                 "Client-span attributes naming an uninstrumented server (first found wins); "
                 "empty = no virtual nodes.")
          .field("virtual_node_extra_label", &Config::virtual_node_extra_label,
                 "Add the virtual_node label (client or server) to virtual-node edges.")
          .field("metrics_flush_interval", &Config::metrics_flush_interval,
                 "How often the metrics are emitted (0 = after every batch of spans).")
          .field("database_name_attributes", &Config::database_name_attributes,
                 "Client-span attributes naming a database: such a span is a complete edge of "
                 "connection_type database at once.")
          .field("cache_loop", &Config::cache_loop,
                 "Accepted for collector configs; no effect (stale series are removed at each "
                 "flush).");
  return s;
}

Status Config::validate() const {
  for (size_t i = 1; i < latency_histogram_buckets.size(); ++i) {
    if (latency_histogram_buckets[i] <= latency_histogram_buckets[i - 1]) {
      return invalidArgument("latency_histogram_buckets must be strictly increasing");
    }
  }
  if (store.ttl.count() <= 0) return invalidArgument("store.ttl must be positive");
  if (store.max_items == 0) return invalidArgument("store.max_items must be positive");
  if (store_expiration_loop.count() <= 0) {
    return invalidArgument("store_expiration_loop must be positive");
  }
  if (metrics_flush_interval.count() < 0) {
    return invalidArgument("metrics_flush_interval must not be negative");
  }
  if (dimensions.size() > kMaxDimensions) {
    return invalidArgument("dimensions: at most " + std::to_string(kMaxDimensions) + " allowed");
  }
  for (const auto& d : dimensions) {
    if (d.empty()) return invalidArgument("dimensions: an empty attribute name");
  }
  return Status::ok();
}

std::vector<double> Config::bounds() const {
  std::vector<double> out;
  if (!latency_histogram_buckets.empty()) {
    for (auto d : latency_histogram_buckets) out.push_back(static_cast<double>(d.count()) / 1e9);
    return out;
  }
  return {0.002, 0.004, 0.006, 0.008, 0.01, 0.05, 0.1, 0.2, 0.4, 0.8, 1, 1.4, 2, 5, 10, 15};
}

}  // namespace periscope::components::servicegraph
