// Collects the Translator's samples into remote-write series and cuts them into WriteRequest
// bodies of at most max_batch_size_bytes (uncompressed protobuf). Adds the namespace prefix and
// external labels; sorts each series' samples by time (Prometheus refuses out-of-order samples).
// One builder per push; not thread-safe.
#pragma once

#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/prometheus/remote_write.h"
#include "model/prometheus/translate.h"

namespace periscope::components::prometheusremotewrite_exporter {

struct RequestOptions {
  std::string metric_namespace;         // "" = no prefix
  model::prom::Labels external_labels;  // sorted by name
  size_t max_batch_size_bytes = 3'000'000;
  bool send_metadata = false;
};

class RequestBuilder final : public model::prom::SampleSink {
 public:
  explicit RequestBuilder(const RequestOptions& options) : options_(options) {}

  void metadata(const model::prom::MetricMetadata& md) override;
  void sample(std::span<const model::prom::LabelRef> labels, int64_t t_ms, double v) override;

  size_t seriesCount() const { return series_.size(); }
  size_t sampleCount() const { return samples_; }
  // The request bodies (uncompressed): series first, then metadata if send_metadata. A single
  // series larger than the limit goes alone in its request.
  std::vector<std::string> build();

 private:
  model::prom::Labels makeLabels(std::span<const model::prom::LabelRef> labels) const;

  const RequestOptions& options_;
  std::vector<model::prom::OwnedSeries> series_;
  std::vector<model::prom::Labels> translated_labels_;  // as the translator gave them, per series
  std::unordered_multimap<uint64_t, uint32_t> index_;   // labels hash → series
  std::vector<model::prom::MetricMetadata> metadata_;
  std::unordered_map<std::string, uint32_t> metadata_index_;  // family → metadata_
  size_t samples_ = 0;
};

}  // namespace periscope::components::prometheusremotewrite_exporter
