#include "common/telemetry/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace periscope::telemetry {
namespace {

std::string formatValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

void appendLabelValue(std::string& out, const std::string& v) {
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
}

std::string labelText(const Labels& labels, const std::string& extra_key = "",
                      const std::string& extra_value = "") {
  if (labels.empty() && extra_key.empty()) return "";
  std::string out = "{";
  bool first = true;
  for (const auto& [k, v] : labels) {
    if (!first) out += ',';
    first = false;
    out += k + "=\"";
    appendLabelValue(out, v);
    out += '"';
  }
  if (!extra_key.empty()) {
    if (!first) out += ',';
    out += extra_key + "=\"" + extra_value + "\"";
  }
  out += '}';
  return out;
}

void appendHelp(std::string& out, const std::string& help) {
  for (char c : help) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      buckets_(std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1)) {}

void Histogram::observe(double v) {
  size_t i = std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin();
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  double cur = sum_.load(std::memory_order_relaxed);
  while (!sum_.compare_exchange_weak(cur, cur + v, std::memory_order_relaxed)) {
  }
  count_.fetch_add(1, std::memory_order_relaxed);
}

std::vector<uint64_t> Histogram::bucketCounts() const {
  std::vector<uint64_t> out(bounds_.size() + 1);
  for (size_t i = 0; i < out.size(); ++i) out[i] = buckets_[i].load(std::memory_order_relaxed);
  return out;
}

Registry::Series& Registry::series(const std::string& name, Type type, const std::string& help,
                                   const Labels& labels) {
  std::lock_guard lock(mu_);
  auto [it, inserted] = families_.try_emplace(name);
  Family& fam = it->second;
  if (inserted) {
    fam.type = type;
    fam.help = help;
  }
  for (auto& s : fam.series) {
    if (s->labels == labels) return *s;
  }
  fam.series.push_back(std::make_unique<Series>());
  fam.series.back()->labels = labels;
  return *fam.series.back();
}

Counter& Registry::counter(const std::string& name, const std::string& help, const Labels& labels) {
  Series& s = series(name, Type::kCounter, help, labels);
  std::lock_guard lock(mu_);
  if (!s.counter) s.counter = std::make_unique<Counter>();
  return *s.counter;
}

Gauge& Registry::gauge(const std::string& name, const std::string& help, const Labels& labels) {
  Series& s = series(name, Type::kGauge, help, labels);
  std::lock_guard lock(mu_);
  if (!s.gauge) s.gauge = std::make_unique<Gauge>();
  return *s.gauge;
}

Histogram& Registry::histogram(const std::string& name, const std::string& help,
                               const Labels& labels, std::vector<double> bounds) {
  Series& s = series(name, Type::kHistogram, help, labels);
  std::lock_guard lock(mu_);
  if (!s.histogram) s.histogram = std::make_unique<Histogram>(std::move(bounds));
  return *s.histogram;
}

void Registry::callbackGauge(const std::string& name, const std::string& help, const Labels& labels,
                             std::function<double()> fn) {
  Series& s = series(name, Type::kGauge, help, labels);
  std::lock_guard lock(mu_);
  s.callback = std::move(fn);
}

void Registry::callbackCounter(const std::string& name, const std::string& help,
                               const Labels& labels, std::function<double()> fn) {
  Series& s = series(name, Type::kCounter, help, labels);
  std::lock_guard lock(mu_);
  s.callback = std::move(fn);
}

std::string Registry::renderPrometheus() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& [name, fam] : families_) {
    std::string exposed = fam.type == Type::kCounter ? name + "_total" : name;
    out += "# HELP " + exposed + " ";
    appendHelp(out, fam.help);
    out += "\n# TYPE " + exposed + " ";
    out += fam.type == Type::kCounter ? "counter"
           : fam.type == Type::kGauge ? "gauge"
                                      : "histogram";
    out += '\n';
    for (const auto& s : fam.series) {
      if (fam.type == Type::kHistogram && s->histogram) {
        const Histogram& h = *s->histogram;
        auto counts = h.bucketCounts();
        uint64_t cumulative = 0;
        for (size_t i = 0; i < counts.size(); ++i) {
          cumulative += counts[i];
          std::string le = i < h.bounds().size() ? formatValue(h.bounds()[i]) : "+Inf";
          out += name + "_bucket" + labelText(s->labels, "le", le) + " " +
                 std::to_string(cumulative) + "\n";
        }
        out += name + "_sum" + labelText(s->labels) + " " + formatValue(h.sum()) + "\n";
        out += name + "_count" + labelText(s->labels) + " " + std::to_string(cumulative) + "\n";
        continue;
      }
      double v = s->callback  ? s->callback()
                 : s->counter ? s->counter->value()
                 : s->gauge   ? s->gauge->value()
                              : 0;
      out += exposed + labelText(s->labels) + " " + formatValue(v) + "\n";
    }
  }
  return out;
}

double Registry::value(const std::string& name, const Labels& labels) const {
  std::lock_guard lock(mu_);
  auto it = families_.find(name);
  if (it == families_.end()) return std::numeric_limits<double>::quiet_NaN();
  for (const auto& s : it->second.series) {
    if (s->labels != labels) continue;
    if (s->callback) return s->callback();
    if (s->counter) return s->counter->value();
    if (s->gauge) return s->gauge->value();
    if (s->histogram) return static_cast<double>(s->histogram->count());
  }
  return std::numeric_limits<double>::quiet_NaN();
}

Registry& globalRegistry() {
  static Registry registry;
  return registry;
}

}  // namespace periscope::telemetry
