// An in-memory storage::metrics::MetricsReader for tests of everything that reads metrics
// (PromQL, the Prometheus HTTP API): add series with labels and samples, then query them with
// the same contract as the store — inclusive time ranges, results sorted by labels, regex
// matchers as RE2 full matches. Header-only; not thread-safe while series are being added.
#pragma once

#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "storage/signals/metrics/metrics_reader.h"

namespace periscope::testing {

class MemoryMetricsReader : public storage::metrics::MetricsReader {
 public:
  using Labels = model::prom::Labels;
  using Matcher = storage::metrics::Matcher;
  using Sample = storage::metrics::Sample;
  using Series = storage::metrics::Series;

  // Adds samples to the series with these labels (sorted here), keeping time order; a sample
  // at an existing timestamp replaces it.
  void add(Labels labels, const std::vector<Sample>& samples) {
    std::sort(labels.begin(), labels.end());
    std::vector<Sample>& dst = series_[labels];
    for (const Sample& s : samples) {
      auto it = std::lower_bound(dst.begin(), dst.end(), s.t,
                                 [](const Sample& a, int64_t t) { return a.t < t; });
      if (it != dst.end() && it->t == s.t) {
        *it = s;
      } else {
        dst.insert(it, s);
      }
    }
  }
  void addMetadata(model::prom::MetricMetadata m) { metadata_.push_back(std::move(m)); }
  void clear() {
    series_.clear();
    metadata_.clear();
  }
  size_t seriesCount() const { return series_.size(); }

  Result<std::vector<Series>> select(std::span<const Matcher> matchers, int64_t mint,
                                     int64_t maxt) const override {
    auto compiled = compile(matchers);
    if (!compiled.isOk()) return compiled.status();
    std::vector<Series> out;
    for (const auto& [labels, samples] : series_) {
      if (!matches(*compiled, labels)) continue;
      auto lo = std::lower_bound(samples.begin(), samples.end(), mint,
                                 [](const Sample& a, int64_t t) { return a.t < t; });
      auto hi = std::upper_bound(samples.begin(), samples.end(), maxt,
                                 [](int64_t t, const Sample& a) { return t < a.t; });
      if (lo >= hi) continue;
      out.push_back({labels, std::vector<Sample>(lo, hi)});
    }
    ++select_calls_;
    return out;
  }

  Result<std::vector<Labels>> series(std::span<const Matcher> matchers, int64_t mint,
                                     int64_t maxt) const override {
    auto selected = select(matchers, mint, maxt);
    if (!selected.isOk()) return selected.status();
    std::vector<Labels> out;
    for (Series& s : *selected) out.push_back(std::move(s.labels));
    return out;
  }

  Result<std::vector<std::string>> labelNames(std::span<const Matcher> matchers, int64_t mint,
                                              int64_t maxt) const override {
    auto selected = select(matchers, mint, maxt);
    if (!selected.isOk()) return selected.status();
    std::set<std::string> names;
    for (const Series& s : *selected) {
      for (const auto& l : s.labels) names.insert(l.name);
    }
    return std::vector<std::string>(names.begin(), names.end());
  }

  Result<std::vector<std::string>> labelValues(std::string_view name,
                                               std::span<const Matcher> matchers, int64_t mint,
                                               int64_t maxt) const override {
    auto selected = select(matchers, mint, maxt);
    if (!selected.isOk()) return selected.status();
    std::set<std::string> values;
    for (const Series& s : *selected) {
      std::string_view v = model::prom::labelValue(s.labels, name);
      if (!v.empty()) values.insert(std::string(v));
    }
    return std::vector<std::string>(values.begin(), values.end());
  }

  std::vector<model::prom::MetricMetadata> metadata(std::string_view metric,
                                                    size_t limit) const override {
    std::vector<model::prom::MetricMetadata> out;
    for (const auto& m : metadata_) {
      if (!metric.empty() && m.family != metric) continue;
      if (limit != 0 && out.size() >= limit) break;
      out.push_back(m);
    }
    return out;
  }

  // How many select() calls were made (tests of "one select per selector").
  size_t selectCalls() const { return select_calls_; }

 private:
  struct Compiled {
    const Matcher* matcher;
    std::shared_ptr<RE2> re;  // shared: Compiled is copied into a vector
  };

  static Result<std::vector<Compiled>> compile(std::span<const Matcher> matchers) {
    std::vector<Compiled> out;
    for (const Matcher& m : matchers) {
      Compiled c{&m, nullptr};
      if (m.op == Matcher::Op::kRegexMatch || m.op == Matcher::Op::kRegexNoMatch) {
        RE2::Options opts;
        opts.set_log_errors(false);
        c.re = std::make_shared<RE2>(m.value, opts);
        if (!c.re->ok()) return invalidArgument("invalid regex " + m.value + ": " + c.re->error());
      }
      out.push_back(std::move(c));
    }
    return out;
  }

  static bool matches(const std::vector<Compiled>& matchers, const Labels& labels) {
    for (const Compiled& c : matchers) {
      std::string_view v = model::prom::labelValue(labels, c.matcher->name);
      bool ok = true;
      switch (c.matcher->op) {
        case Matcher::Op::kEqual:
          ok = v == c.matcher->value;
          break;
        case Matcher::Op::kNotEqual:
          ok = v != c.matcher->value;
          break;
        case Matcher::Op::kRegexMatch:
          ok = RE2::FullMatch(v, *c.re);
          break;
        case Matcher::Op::kRegexNoMatch:
          ok = !RE2::FullMatch(v, *c.re);
          break;
      }
      if (!ok) return false;
    }
    return true;
  }

  std::map<Labels, std::vector<Sample>> series_;
  std::vector<model::prom::MetricMetadata> metadata_;
  mutable size_t select_calls_ = 0;
};

}  // namespace periscope::testing
