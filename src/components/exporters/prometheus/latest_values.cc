#include "components/exporters/prometheus/latest_values.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "model/prometheus/text_format_writer.h"

namespace periscope::components::prometheus_exporter {

namespace prom = model::prom;

namespace {

double parseBound(std::string_view s) {
  if (s == "+Inf") return INFINITY;
  if (s == "-Inf") return -INFINITY;
  double v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

}  // namespace

LatestValues::LatestValues(LatestValuesOptions options) : options_(std::move(options)) {
  if (!options_.metric_namespace.empty())
    prefix_ = prom::sanitizeMetricName(options_.metric_namespace) + "_";
}

void LatestValues::metadata(const prom::MetricMetadata& md) {
  current_ = prefix_ + md.family;
  Family& f = families_[current_];
  if (f.kind != md.kind) f.series.clear();  // a family cannot change type mid-exposition
  f.kind = md.kind;
  f.help = md.help;
}

void LatestValues::sample(std::span<const prom::LabelRef> labels, int64_t t_ms, double v) {
  std::string_view name;
  Series s;
  for (const prom::LabelRef& l : labels) {
    if (l.name == prom::kMetricNameLabel) {
      name = l.value;
    } else if (!l.value.empty()) {
      s.labels.push_back({std::string(l.name), std::string(l.value)});
    }
  }
  for (const prom::Label& c : options_.const_labels) {
    auto it = std::lower_bound(s.labels.begin(), s.labels.end(), c);
    if (it != s.labels.end() && it->name == c.name) {
      it->value = c.value;
    } else {
      s.labels.insert(it, c);
    }
  }
  s.name = prefix_ + std::string(name);
  // The translator announces each family before its samples; a sample that is not one of the
  // current family's (target_info comes after each resource) belongs to the family of its name.
  auto belongs = [this](std::string_view n) {
    auto it = families_.find(current_);
    if (it == families_.end() || n.rfind(current_, 0) != 0) return false;
    std::string_view suffix = n.substr(current_.size());
    bool hist = it->second.kind == prom::MetricKind::kHistogram;
    bool summary = it->second.kind == prom::MetricKind::kSummary;
    return suffix.empty() || ((hist || summary) && (suffix == "_sum" || suffix == "_count")) ||
           (hist && suffix == "_bucket");
  };
  if (!belongs(s.name)) current_ = s.name;
  Family& f = families_[current_];
  std::string_view suffix = std::string_view(s.name).substr(current_.size());
  Key key;
  std::string_view bound_label;
  if (suffix == "_sum") {
    key.rank = 1;
  } else if (suffix == "_count") {
    key.rank = 2;
  } else if (suffix == "_bucket") {
    bound_label = "le";
  } else if (f.kind == prom::MetricKind::kSummary) {
    bound_label = "quantile";
  }
  for (const prom::Label& l : s.labels) {
    if (!bound_label.empty() && l.name == bound_label) {
      key.bound = parseBound(l.value);
    } else {
      key.group.push_back(l);
    }
  }
  if (prom::isStaleNaN(v)) {
    f.series.erase(key);
    return;
  }
  s.value = v;
  s.t_ms = t_ms;
  s.updated = now_;
  f.series.insert_or_assign(std::move(key), std::move(s));
}

std::string LatestValues::render(Clock::time_point now) {
  std::string out;
  std::vector<prom::LabelRef> refs;
  for (auto fit = families_.begin(); fit != families_.end();) {
    Family& f = fit->second;
    std::erase_if(f.series,
                  [&](const auto& kv) { return now - kv.second.updated > options_.expiration; });
    if (f.series.empty()) {
      fit = families_.erase(fit);
      continue;
    }
    // promtool flags a family without help text; its name is better than nothing.
    prom::appendFamilyHeader(out, fit->first, f.kind, f.help.empty() ? fit->first : f.help);
    for (const auto& [key, s] : f.series) {
      refs.clear();
      for (const prom::Label& l : s.labels) refs.push_back({l.name, l.value});
      prom::appendSample(out, s.name, refs, s.value,
                         options_.send_timestamps ? std::optional<int64_t>(s.t_ms) : std::nullopt);
    }
    ++fit;
  }
  return out;
}

size_t LatestValues::seriesCount() const {
  size_t n = 0;
  for (const auto& [name, f] : families_) n += f.series.size();
  return n;
}

}  // namespace periscope::components::prometheus_exporter
