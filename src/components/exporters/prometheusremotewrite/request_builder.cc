#include "components/exporters/prometheusremotewrite/request_builder.h"

#include <algorithm>

namespace periscope::components::prometheusremotewrite_exporter {

using model::prom::LabelRef;

namespace {

bool sameLabels(const model::prom::Labels& owned, std::span<const LabelRef> refs) {
  if (owned.size() != refs.size()) return false;
  for (size_t i = 0; i < refs.size(); ++i) {
    if (owned[i].name != refs[i].name || owned[i].value != refs[i].value) return false;
  }
  return true;
}

}  // namespace

void RequestBuilder::metadata(const model::prom::MetricMetadata& md) {
  if (!options_.send_metadata) return;
  std::string family =
      options_.metric_namespace.empty() ? md.family : options_.metric_namespace + "_" + md.family;
  auto [it, added] = metadata_index_.try_emplace(family, static_cast<uint32_t>(metadata_.size()));
  if (!added) return;
  metadata_.push_back(md);
  metadata_.back().family = std::move(family);
}

void RequestBuilder::sample(std::span<const LabelRef> labels, int64_t t_ms, double v) {
  ++samples_;
  // The translator's labels identify the series (namespace and external labels are the same
  // for all), so they are hashed as given.
  uint64_t h = model::prom::hashLabels(labels);
  auto [first, last] = index_.equal_range(h);
  for (auto it = first; it != last; ++it) {
    if (sameLabels(translated_labels_[it->second], labels)) {
      series_[it->second].samples.push_back({v, t_ms});
      return;
    }
  }
  index_.emplace(h, static_cast<uint32_t>(series_.size()));
  model::prom::OwnedSeries s;
  s.labels = makeLabels(labels);
  s.samples.push_back({v, t_ms});
  series_.push_back(std::move(s));
  model::prom::Labels& raw = translated_labels_.emplace_back();
  raw.reserve(labels.size());
  for (const LabelRef& l : labels) raw.push_back({std::string(l.name), std::string(l.value)});
}

model::prom::Labels RequestBuilder::makeLabels(std::span<const LabelRef> labels) const {
  model::prom::Labels out;
  out.reserve(labels.size() + options_.external_labels.size());
  const auto& ext = options_.external_labels;
  size_t e = 0;
  for (const LabelRef& l : labels) {
    while (e < ext.size() && ext[e].name < l.name) out.push_back(ext[e++]);
    if (e < ext.size() && ext[e].name == l.name) ++e;  // the series' own label wins
    std::string value(l.value);
    if (l.name == model::prom::kMetricNameLabel && !options_.metric_namespace.empty()) {
      value = options_.metric_namespace + "_" + value;
    }
    out.push_back({std::string(l.name), std::move(value)});
  }
  while (e < ext.size()) out.push_back(ext[e++]);
  return out;
}

std::vector<std::string> RequestBuilder::build() {
  std::vector<std::string> bodies;
  std::vector<const model::prom::OwnedSeries*> batch;
  size_t size = 0;
  auto flush = [&](std::span<const model::prom::MetricMetadata> md) {
    if (batch.empty() && md.empty()) return;
    bodies.emplace_back();
    model::prom::encodeWriteRequest(batch, md, bodies.back());
    batch.clear();
    size = 0;
  };
  for (auto& s : series_) {
    std::stable_sort(s.samples.begin(), s.samples.end(),
                     [](const auto& a, const auto& b) { return a.timestamp_ms < b.timestamp_ms; });
    size_t n = model::prom::encodedSeriesSize(s);
    if (!batch.empty() && size + n > options_.max_batch_size_bytes) flush({});
    batch.push_back(&s);
    size += n;
  }
  flush({});
  size_t begin = 0;
  for (size_t i = 0; i < metadata_.size(); ++i) {
    size_t n = model::prom::encodedMetadataSize(metadata_[i]);
    if (i > begin && size + n > options_.max_batch_size_bytes) {
      flush(std::span(metadata_).subspan(begin, i - begin));
      begin = i;
    }
    size += n;
  }
  if (begin < metadata_.size()) flush(std::span(metadata_).subspan(begin));
  return bodies;
}

}  // namespace periscope::components::prometheusremotewrite_exporter
