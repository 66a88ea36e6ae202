#include "query/logs/metric_query_eval.h"

#include <algorithm>
#include <limits>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "query/logs/log_pipeline.h"
#include "query/logs/log_query_eval.h"

namespace periscope::query::logs {

namespace {

constexpr int64_t kNsPerMs = 1'000'000;

// Heterogeneous lookup, so that finding a series by its key allocates nothing.
struct KeyHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// One series of the range function, as difference arrays over the steps.
struct RawSeries {
  std::string key;
  std::vector<int64_t> count_diff;
  std::vector<int64_t> bytes_diff;
};

// A series being aggregated: one value per step, `present` where it has one.
struct Series {
  Fields labels;  // sorted by name
  std::vector<double> values;
  std::vector<uint8_t> present;
};

class RangeEvaluator {
 public:
  RangeEvaluator(const LogPipeline& pipeline, const RangeAggregation& ra, const MetricRange& r,
                 size_t points, size_t max_series)
      : pipeline_(pipeline),
        function_(ra.function),
        range_ns_(ra.range_ms * kNsPerMs),
        start_ns_(r.start_ms * kNsPerMs),
        end_ns_(r.end_ms * kNsPerMs),
        step_ns_(r.step_ms * kNsPerMs),
        points_(points),
        max_series_(max_series) {
    scratch_.setLiftAll(false);  // labels come from `| json a, b` lists, which are always lifted
  }

  int64_t lowerExclusiveNs() const { return start_ns_ - range_ns_; }

  storage::logs::ScanControl visit(const storage::logs::LogChunk& chunk) {
    ++stats_.chunks_read;
    for (const auto& rl : chunk.logs->resources()) {
      bool resource_ok = pipeline_.matchesResource(rl.resource);
      for (const auto& sl : rl.scope_logs) {
        stats_.records_scanned += sl.log_records.size();
        if (!resource_ok) continue;
        for (const auto& r : sl.log_records) {
          if (!add(rl.resource, r)) return storage::logs::ScanControl::kStop;
        }
      }
    }
    return storage::logs::ScanControl::kContinue;
  }

  const Status& status() const { return status_; }
  const LogsStats& stats() const { return stats_; }

  // The range function's value at every step where the window holds a record.
  std::vector<Series> finish() const {
    double range_s = static_cast<double>(range_ns_) / 1e9;
    std::vector<Series> out;
    out.reserve(series_.size());
    for (const RawSeries& raw : series_) {
      Series s;
      s.labels = LogPipeline::labelsOfKey(raw.key);
      s.values.assign(points_, 0);
      s.present.assign(points_, 0);
      int64_t count = 0;
      int64_t bytes = 0;
      for (size_t i = 0; i < points_; ++i) {
        count += raw.count_diff[i];
        if (!raw.bytes_diff.empty()) bytes += raw.bytes_diff[i];
        if (count == 0) continue;
        s.present[i] = 1;
        switch (function_) {
          case RangeFunction::kCountOverTime:
            s.values[i] = static_cast<double>(count);
            break;
          case RangeFunction::kRate:
            s.values[i] = static_cast<double>(count) / range_s;
            break;
          case RangeFunction::kBytesOverTime:
            s.values[i] = static_cast<double>(bytes);
            break;
          case RangeFunction::kBytesRate:
            s.values[i] = static_cast<double>(bytes) / range_s;
            break;
        }
      }
      out.push_back(std::move(s));
    }
    return out;
  }

 private:
  bool needsBytes() const {
    return function_ == RangeFunction::kBytesOverTime || function_ == RangeFunction::kBytesRate;
  }

  // First step index whose time is at or after `t_ns`, clamped to points_.
  size_t firstStepAtOrAfter(int64_t t_ns) const {
    if (t_ns <= start_ns_) return 0;
    int64_t i = (t_ns - start_ns_ + step_ns_ - 1) / step_ns_;
    return std::min(static_cast<size_t>(i), points_);
  }

  bool add(const model::Resource& resource, const model::LogRecord& r) {
    auto t = static_cast<int64_t>(recordTime(r));
    if (t <= start_ns_ - range_ns_ || t > end_ns_) return true;
    if (!pipeline_.matches(resource, r, scratch_)) return true;
    ++stats_.records_matched;
    pipeline_.seriesKey(resource, r, scratch_, key_);
    auto it = index_.find(std::string_view(key_));
    size_t idx = 0;
    if (it == index_.end()) {
      if (series_.size() >= max_series_) {
        status_ = invalidArgument("the query selects more than " + std::to_string(max_series_) +
                                  " series (max_series); narrow the selector or aggregate");
        return false;
      }
      idx = series_.size();
      RawSeries s;
      s.key = key_;
      s.count_diff.assign(points_ + 1, 0);
      if (needsBytes()) s.bytes_diff.assign(points_ + 1, 0);
      series_.push_back(std::move(s));
      index_.emplace(key_, idx);
    } else {
      idx = it->second;
    }
    // The record is in the windows of steps [i0, i1): t_i >= t and t_i - range < t.
    size_t i0 = firstStepAtOrAfter(t);
    size_t i1 = firstStepAtOrAfter(t + range_ns_);
    if (i0 >= i1) return true;
    RawSeries& s = series_[idx];
    ++s.count_diff[i0];
    --s.count_diff[i1];
    if (needsBytes()) {
      auto bytes = static_cast<int64_t>(recordLine(r, line_).size());
      s.bytes_diff[i0] += bytes;
      s.bytes_diff[i1] -= bytes;
    }
    return true;
  }

  const LogPipeline& pipeline_;
  RangeFunction function_;
  int64_t range_ns_;
  int64_t start_ns_;
  int64_t end_ns_;
  int64_t step_ns_;
  size_t points_;
  size_t max_series_;
  MatchScratch scratch_;
  std::string key_;
  std::string line_;
  std::vector<RawSeries> series_;
  std::unordered_map<std::string, size_t, KeyHash, std::equal_to<>> index_;
  LogsStats stats_;
  Status status_;
};

Fields groupLabels(const Fields& labels, const VectorAggregation& agg) {
  Fields out;
  if (!agg.has_grouping && !agg.without) return out;
  for (const auto& l : labels) {
    bool listed = std::find(agg.labels.begin(), agg.labels.end(), l.first) != agg.labels.end();
    if (listed != agg.without) out.push_back(l);
  }
  return out;
}

std::vector<Series> topk(const VectorAggregation& agg, std::vector<Series> in, size_t points) {
  std::map<Fields, std::vector<size_t>> groups;
  for (size_t i = 0; i < in.size(); ++i) groups[groupLabels(in[i].labels, agg)].push_back(i);
  std::vector<std::vector<uint8_t>> chosen(in.size(), std::vector<uint8_t>(points, 0));
  std::vector<size_t> members;
  auto k = static_cast<size_t>(agg.k);
  for (const auto& [labels, indexes] : groups) {
    for (size_t step = 0; step < points; ++step) {
      members.clear();
      for (size_t i : indexes) {
        if (in[i].present[step]) members.push_back(i);
      }
      // Highest first; equal values in label order, so the choice is deterministic.
      std::sort(members.begin(), members.end(), [&](size_t a, size_t b) {
        if (in[a].values[step] != in[b].values[step]) {
          return in[a].values[step] > in[b].values[step];
        }
        return in[a].labels < in[b].labels;
      });
      for (size_t j = 0; j < members.size() && j < k; ++j) chosen[members[j]][step] = 1;
    }
  }
  for (size_t i = 0; i < in.size(); ++i) in[i].present = std::move(chosen[i]);
  return in;
}

std::vector<Series> aggregate(const VectorAggregation& agg, std::vector<Series> in, size_t points) {
  if (agg.op == VectorAggregator::kTopk) return topk(agg, std::move(in), points);
  std::map<Fields, size_t> index;
  std::vector<Series> out;
  std::vector<std::vector<double>> counts;
  for (const Series& s : in) {
    Fields labels = groupLabels(s.labels, agg);
    auto [it, added] = index.try_emplace(labels, out.size());
    if (added) {
      Series g;
      g.labels = std::move(labels);
      g.values.assign(points, 0);
      g.present.assign(points, 0);
      out.push_back(std::move(g));
      counts.emplace_back(points, 0);
    }
    Series& g = out[it->second];
    std::vector<double>& n = counts[it->second];
    for (size_t i = 0; i < points; ++i) {
      if (!s.present[i]) continue;
      double v = s.values[i];
      double& acc = g.values[i];
      if (!g.present[i]) {
        acc = agg.op == VectorAggregator::kCount ? 1 : v;
      } else {
        switch (agg.op) {
          case VectorAggregator::kSum:
          case VectorAggregator::kAvg:
            acc += v;
            break;
          case VectorAggregator::kMin:
            acc = std::min(acc, v);
            break;
          case VectorAggregator::kMax:
            acc = std::max(acc, v);
            break;
          case VectorAggregator::kCount:
            acc += 1;
            break;
          case VectorAggregator::kTopk:
            break;
        }
      }
      g.present[i] = 1;
      n[i] += 1;
    }
  }
  if (agg.op == VectorAggregator::kAvg) {
    for (size_t g = 0; g < out.size(); ++g) {
      for (size_t i = 0; i < points; ++i) {
        if (out[g].present[i]) out[g].values[i] /= counts[g][i];
      }
    }
  }
  return out;
}

}  // namespace

Result<LogMetricsResult> evaluateMetricQuery(const storage::logs::LogReader& reader,
                                             const Expr& expr, const MetricRange& range,
                                             const LogsServiceOptions& options) {
  // Aggregations from the outside in, down to the one range function.
  std::vector<const VectorAggregation*> aggregations;
  NodeId id = expr.root;
  while (const auto* agg = std::get_if<VectorAggregation>(&expr.node(id))) {
    aggregations.push_back(agg);
    id = agg->inner;
  }
  const auto& ra = std::get<RangeAggregation>(expr.node(id));

  if (range.step_ms <= 0) return invalidArgument("step must be positive");
  if (range.start_ms < 0) return invalidArgument("start must not be negative");
  if (range.end_ms < range.start_ms) return invalidArgument("end is before start");
  // Times are nanoseconds in int64 below: keep every bound (and their sums) representable.
  constexpr int64_t kMaxMs = std::numeric_limits<int64_t>::max() / kNsPerMs / 2;  // ~2146
  if (range.end_ms > kMaxMs)
    return invalidArgument("end " + std::to_string(range.end_ms) + " ms is past year 2146");
  if (range.step_ms > kMaxMs)
    return invalidArgument("step " + std::to_string(range.step_ms) + " ms is too large");
  if (ra.range_ms > kMaxMs)
    return invalidArgument("range [" + std::to_string(ra.range_ms / 1000) + "s] is too large");
  uint64_t points = static_cast<uint64_t>((range.end_ms - range.start_ms) / range.step_ms) + 1;
  if (points > options.max_points) {
    return invalidArgument("the query would return " + std::to_string(points) +
                           " points per series, more than " + std::to_string(options.max_points) +
                           " (max_points); use a larger step or a shorter time range");
  }

  auto pipeline = LogPipeline::compile(expr, ra.query);
  if (!pipeline.isOk()) return pipeline.status();
  RangeEvaluator eval(*pipeline, ra, range, points, options.max_series);

  storage::logs::LogScan scan;
  int64_t lower = eval.lowerExclusiveNs();
  scan.start_ns = lower < 0 ? 0 : static_cast<uint64_t>(lower) + 1;
  scan.end_ns = static_cast<uint64_t>(range.end_ms * kNsPerMs);
  if (scan.end_ns == 0) scan.end_ns = 1;  // 0 would mean unbounded
  scan.direction = storage::logs::ScanDirection::kForward;
  pipeline->pushdown(scan);
  Status st =
      reader.scan(scan, [&](const storage::logs::LogChunk& chunk) { return eval.visit(chunk); });
  if (!st.isOk()) return st;
  if (!eval.status().isOk()) return eval.status();

  std::vector<Series> series = eval.finish();
  for (auto it = aggregations.rbegin(); it != aggregations.rend(); ++it) {
    series = aggregate(**it, std::move(series), points);
  }

  LogMetricsResult result;
  result.stats = eval.stats();
  for (Series& s : series) {
    LogSeries out;
    for (size_t i = 0; i < points; ++i) {
      if (s.present[i]) {
        out.points.emplace_back(range.start_ms + static_cast<int64_t>(i) * range.step_ms,
                                s.values[i]);
      }
    }
    if (out.points.empty()) continue;
    out.labels = std::move(s.labels);
    result.series.push_back(std::move(out));
  }
  std::sort(result.series.begin(), result.series.end(),
            [](const LogSeries& a, const LogSeries& b) { return a.labels < b.labels; });
  return result;
}

}  // namespace periscope::query::logs
