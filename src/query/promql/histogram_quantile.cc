#include "query/promql/histogram_quantile.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>
#include <vector>

#include "query/promql/evaluator.h"
#include "query/promql/go_math.h"
#include "query/promql/label_ops.h"

namespace periscope::query::promql {

double bucketQuantile(double q, std::span<Bucket> buckets) {
  if (std::isnan(q)) return std::nan("");
  if (q < 0) return -HUGE_VAL;
  if (q > 1) return HUGE_VAL;
  std::sort(buckets.begin(), buckets.end(),
            [](const Bucket& a, const Bucket& b) { return a.upper_bound < b.upper_bound; });
  if (!(std::isinf(buckets.back().upper_bound) && buckets.back().upper_bound > 0))
    return std::nan("");

  // Merge buckets with the same upper bound (series that differ only in how `le` is spelled).
  size_t n = 0;
  for (size_t i = 1; i < buckets.size(); ++i) {
    if (buckets[i].upper_bound == buckets[n].upper_bound) {
      buckets[n].count += buckets[i].count;
    } else {
      buckets[++n] = buckets[i];
    }
  }
  buckets = buckets.first(n + 1);
  // Counts must not decrease with the bound (they can, from scrape or rate() skew).
  double max = -HUGE_VAL;
  for (Bucket& b : buckets) {
    if (b.count > max) {
      max = b.count;
    } else if (b.count < max) {
      b.count = max;
    }
  }
  if (buckets.size() < 2) return std::nan("");
  double observations = buckets.back().count;
  if (observations == 0) return std::nan("");
  double rank = q * observations;
  size_t b = 0;
  while (b < buckets.size() - 1 && !(buckets[b].count >= rank)) ++b;
  if (b == buckets.size() - 1) return buckets[buckets.size() - 2].upper_bound;
  if (b == 0 && buckets[0].upper_bound <= 0) return buckets[0].upper_bound;
  double start = 0;
  double end = buckets[b].upper_bound;
  double count = buckets[b].count;
  if (b > 0) {
    start = buckets[b - 1].upper_bound;
    count -= buckets[b - 1].count;
    rank -= buckets[b - 1].count;
  }
  return start + (end - start) * (rank / count);
}

Result<Value> Evaluator::evalHistogramQuantile(const Call& call) {
  auto q = evalScalarArg(call.args[0]);
  if (!q.isOk()) return q.status();
  auto in = eval(call.args[1]);
  if (!in.isOk()) return in;
  const Matrix& m = in->matrix;

  // Group the bucket series once: by all labels but `le` (the name included, as Prometheus).
  struct Group {
    Labels key;                                      // all labels but `le`
    std::vector<std::pair<size_t, double>> members;  // series index, upper bound
  };
  std::vector<Group> groups;
  std::unordered_multimap<uint64_t, size_t> by_key;
  for (size_t i = 0; i < m.size(); ++i) {
    std::optional<double> bound = parseFloatGo(model::prom::labelValue(m[i].labels, "le"));
    if (!bound) continue;
    Labels key = m[i].labels;
    setLabel(key, "le", "");
    uint64_t h = model::prom::hashLabels(key);
    size_t g = SIZE_MAX;
    auto [lo, hi] = by_key.equal_range(h);
    for (auto it = lo; it != hi && g == SIZE_MAX; ++it) {
      if (groups[it->second].key == key) g = it->second;
    }
    if (g == SIZE_MAX) {
      g = groups.size();
      groups.push_back({std::move(key), {}});
      by_key.emplace(h, g);
    }
    groups[g].members.push_back({i, *bound});
  }

  Value out;
  std::vector<EvalSeries> series(groups.size());
  StepCursor cursor(m);
  std::vector<Bucket> buckets;
  const size_t steps = grid_.size();
  for (size_t k = 0; k < steps; ++k) {
    int64_t ts = grid_.at(k);
    for (size_t g = 0; g < groups.size(); ++g) {
      buckets.clear();
      for (auto [i, bound] : groups[g].members) {
        if (const double* v = cursor.at(i, ts)) buckets.push_back({bound, *v});
      }
      if (buckets.empty()) continue;
      series[g].points.push_back({ts, bucketQuantile((*q)[k], buckets)});
    }
  }
  releaseSamples(m);
  for (size_t g = 0; g < groups.size(); ++g) {
    if (series[g].points.empty()) continue;
    PERISCOPE_RETURN_IF_ERROR(takeSamples(series[g].points.size()));
    series[g].labels = withoutName(groups[g].key);
    out.matrix.push_back(std::move(series[g]));
  }
  PERISCOPE_RETURN_IF_ERROR(mergeSameLabels(out.matrix));
  return out;
}

}  // namespace periscope::query::promql
