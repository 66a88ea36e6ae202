// Metric metadata remembered across requests. Prometheus (remote write 1.0) sends metadata in
// requests of their own, every metadata_config.send_interval (1 m by default), never beside the
// series; so the receiver keeps the latest type/help/unit per family and applies it to later
// series. Bounded (kMaxFamilies); families past the bound are not remembered. Thread-safe: one
// lock per request update and per metric name looked up, never per sample.
#pragma once

#include <mutex>
#include <span>
#include <string>
#include <unordered_map>

#include "model/prometheus/remote_write.h"

namespace periscope::components::prometheusremotewrite_receiver {

class MetadataCache {
 public:
  static constexpr size_t kMaxFamilies = 100'000;

  void update(std::span<const model::prom::RemoteMetadata> metadata);
  // A copy of the family's metadata in `arena` (the request's), or nullptr if unknown.
  const model::prom::RemoteMetadata* find(std::string_view family, Arena& arena) const;
  size_t size() const;

 private:
  struct Entry {
    model::prom::RemoteMetricType type;
    std::string help, unit;
  };
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> families_;
};

}  // namespace periscope::components::prometheusremotewrite_receiver
