#include "query/promql/label_ops.h"

#include <algorithm>
#include <unordered_map>
#include <vector>

namespace periscope::query::promql {

using model::prom::kMetricNameLabel;
using model::prom::LabelRef;

bool contains(std::span<const std::string> names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

Labels withoutName(const Labels& labels) {
  Labels out;
  out.reserve(labels.size());
  for (const Label& l : labels) {
    if (l.name != kMetricNameLabel) out.push_back(l);
  }
  return out;
}

Labels projectLabels(const Labels& labels, std::span<const std::string> names, bool keep) {
  Labels out;
  for (const Label& l : labels) {
    bool named = contains(names, l.name);
    if (keep ? named : (!named && l.name != kMetricNameLabel)) out.push_back(l);
  }
  return out;
}

void setLabel(Labels& labels, std::string_view name, std::string_view value) {
  auto it = std::lower_bound(labels.begin(), labels.end(), name,
                             [](const Label& l, std::string_view n) { return l.name < n; });
  bool present = it != labels.end() && it->name == name;
  if (value.empty()) {
    if (present) labels.erase(it);
  } else if (present) {
    it->value = value;
  } else {
    labels.insert(it, Label{std::string(name), std::string(value)});
  }
}

uint64_t signature(const Labels& labels, std::span<const std::string> names, bool keep) {
  // Label sets are small; a stack buffer avoids allocating for all but huge ones.
  LabelRef small[32];
  std::vector<LabelRef> large;
  LabelRef* refs = small;
  if (labels.size() > std::size(small)) {
    large.resize(labels.size());
    refs = large.data();
  }
  size_t n = 0;
  for (const Label& l : labels) {
    bool named = contains(names, l.name);
    if (keep ? named : (!named && l.name != kMetricNameLabel)) refs[n++] = {l.name, l.value};
  }
  return model::prom::hashLabels(std::span<const LabelRef>(refs, n));
}

Status mergeSameLabels(Matrix& m) {
  std::unordered_multimap<uint64_t, size_t> seen;
  seen.reserve(m.size());
  size_t kept = 0;
  for (size_t i = 0; i < m.size(); ++i) {
    uint64_t h = model::prom::hashLabels(m[i].labels);
    size_t into = SIZE_MAX;
    auto [lo, hi] = seen.equal_range(h);
    for (auto it = lo; it != hi; ++it) {
      if (m[it->second].labels == m[i].labels) into = it->second;
    }
    if (into == SIZE_MAX) {
      if (kept != i) m[kept] = std::move(m[i]);
      seen.emplace(h, kept++);
      continue;
    }
    std::vector<Point>& dst = m[into].points;
    std::vector<Point> merged;
    merged.reserve(dst.size() + m[i].points.size());
    std::merge(dst.begin(), dst.end(), m[i].points.begin(), m[i].points.end(),
               std::back_inserter(merged),
               [](const Point& a, const Point& b) { return a.t < b.t; });
    for (size_t k = 1; k < merged.size(); ++k) {
      if (merged[k].t == merged[k - 1].t) return executionError(std::string(kDuplicateLabelset));
    }
    dst = std::move(merged);
  }
  m.resize(kept);
  return Status::ok();
}

Status checkUniqueLabels(const Matrix& m) {
  std::unordered_multimap<uint64_t, size_t> seen;
  seen.reserve(m.size());
  for (size_t i = 0; i < m.size(); ++i) {
    uint64_t h = model::prom::hashLabels(m[i].labels);
    auto [lo, hi] = seen.equal_range(h);
    for (auto it = lo; it != hi; ++it) {
      if (m[it->second].labels == m[i].labels)
        return executionError(std::string(kDuplicateLabelset));
    }
    seen.emplace(h, i);
  }
  return Status::ok();
}

Status executionError(std::string message) {
  return {StatusCode::kFailedPrecondition, std::move(message)};
}

}  // namespace periscope::query::promql

namespace periscope::query::promql {
Labels labelsForAbsent(const VectorSelector* selector) {
  Labels out;
  if (selector == nullptr) return out;
  std::vector<std::string_view> seen;
  for (const LabelMatcher& m : selector->matchers) {
    if (m.name == model::prom::kMetricNameLabel) continue;
    bool first = std::find(seen.begin(), seen.end(), m.name) == seen.end();
    if (m.op == MatchOp::kEqual && first) {
      setLabel(out, m.name, m.value);
      seen.push_back(m.name);
    } else {
      setLabel(out, m.name, "");
    }
  }
  return out;
}
}  // namespace periscope::query::promql
