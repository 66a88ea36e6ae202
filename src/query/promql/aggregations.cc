// Aggregation operators (sum, avg, count, min, max, group, stddev, stdvar, topk, bottomk,
// quantile, count_values) with by/without. Each input series is assigned its group once; the
// steps are then folded in series order, which is the order Prometheus folds them in, so
// floating-point results match bit for bit.
#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>
#include <vector>

#include "query/promql/evaluator.h"
#include "query/promql/go_math.h"
#include "query/promql/label_ops.h"
#include "query/promql/printer.h"

namespace periscope::query::promql {
namespace {

struct HeapItem {
  double v;
  size_t series;
};

// Go's container/heap over Prometheus's orderings: topk keeps the smallest on top
// (vectorByValueHeap), bottomk the largest (vectorByReverseValueHeap); NaN is "less".
struct GoHeap {
  std::vector<HeapItem> items;
  bool reverse = false;

  bool less(size_t i, size_t j) const {
    if (std::isnan(items[i].v)) return true;
    return reverse ? items[i].v > items[j].v : items[i].v < items[j].v;
  }
  void up(size_t j) {
    while (j > 0) {
      size_t i = (j - 1) / 2;
      if (!less(j, i)) break;
      std::swap(items[i], items[j]);
      j = i;
    }
  }
  void down(size_t i, size_t n) {
    for (;;) {
      size_t j = 2 * i + 1;
      if (j >= n) break;
      if (j + 1 < n && less(j + 1, j)) ++j;
      if (!less(j, i)) break;
      std::swap(items[i], items[j]);
      i = j;
    }
  }
  void push(HeapItem item) {
    items.push_back(item);
    up(items.size() - 1);
  }
  void pop() {
    size_t n = items.size() - 1;
    std::swap(items[0], items[n]);
    down(0, n);
    items.pop_back();
  }
};

bool isSimple(AggregateOp op) {
  switch (op) {
    case AggregateOp::kSum:
    case AggregateOp::kAvg:
    case AggregateOp::kCount:
    case AggregateOp::kMin:
    case AggregateOp::kMax:
    case AggregateOp::kGroup:
    case AggregateOp::kStddev:
    case AggregateOp::kStdvar:
      return true;
    default:
      return false;
  }
}

// One (group, step) cell of a simple aggregation, folded exactly as Prometheus folds it.
struct Cell {
  double value;
  double mean;
  double count;

  void init(AggregateOp op, double v) {
    value = v;
    mean = v;
    count = 1;
    if (op == AggregateOp::kStddev || op == AggregateOp::kStdvar) value = 0;
    if (op == AggregateOp::kGroup) value = 1;
  }
  void add(AggregateOp op, double v) {
    switch (op) {
      case AggregateOp::kSum:
        value += v;
        break;
      case AggregateOp::kAvg:
        count++;
        if (std::isinf(mean)) {
          // Inf - Inf would turn a correct infinite mean into NaN.
          if (std::isinf(v) && (mean > 0) == (v > 0)) break;
          if (!std::isinf(v) && !std::isnan(v)) break;
        }
        // Both terms divided by count: no overflow for large values.
        mean += v / count - mean / count;
        break;
      case AggregateOp::kMax:
        if (value < v || std::isnan(value)) value = v;
        break;
      case AggregateOp::kMin:
        if (value > v || std::isnan(value)) value = v;
        break;
      case AggregateOp::kCount:
        count++;
        break;
      case AggregateOp::kStddev:
      case AggregateOp::kStdvar: {
        count++;
        double delta = v - mean;
        mean += delta / count;
        value += delta * (v - mean);
        break;
      }
      default:
        break;
    }
  }
  double result(AggregateOp op) const {
    switch (op) {
      case AggregateOp::kAvg:
        return mean;
      case AggregateOp::kCount:
        return count;
      case AggregateOp::kStdvar:
        return value / count;
      case AggregateOp::kStddev:
        return std::sqrt(value / count);
      default:
        return value;
    }
  }
};

struct GroupState {
  Cell cell{};
  GoHeap heap;
  std::vector<double> values;
};

std::string goFloatV(double v) {  // Go's %v of a float64
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  return formatNumber(v);
}

}  // namespace

Result<Value> Evaluator::evalAggregate(const Aggregate& agg) {
  const AggregateOp op = agg.op;
  std::vector<double> param;
  std::string value_label;
  if (op == AggregateOp::kCountValues) {
    value_label = stringArg(agg.param);
    if (!isValidLabelName(value_label))
      return executionError("invalid label name \"" + value_label + "\"");
  } else if (agg.param != kNoNode) {
    auto p = evalScalarArg(agg.param);
    if (!p.isOk()) return p.status();
    param = std::move(*p);
  }
  auto in = eval(agg.expr);
  if (!in.isOk()) return in;
  const Matrix& m = in->matrix;
  const bool keep = !agg.without;
  std::vector<std::string> grouping = agg.grouping;
  if (op == AggregateOp::kCountValues && keep) grouping.push_back(value_label);

  // Each series' group, by label set.
  std::vector<Labels> group_labels;
  std::vector<size_t> group_of(m.size());
  if (op != AggregateOp::kCountValues) {
    std::unordered_multimap<uint64_t, size_t> index;
    for (size_t i = 0; i < m.size(); ++i) {
      Labels l = projectLabels(m[i].labels, grouping, keep);
      uint64_t h = model::prom::hashLabels(l);
      size_t g = SIZE_MAX;
      auto [lo, hi] = index.equal_range(h);
      for (auto it = lo; it != hi && g == SIZE_MAX; ++it) {
        if (group_labels[it->second] == l) g = it->second;
      }
      if (g == SIZE_MAX) {
        g = group_labels.size();
        group_labels.push_back(std::move(l));
        index.emplace(h, g);
      }
      group_of[i] = g;
    }
  }

  const size_t steps = grid_.size();
  if (isSimple(op) && steps > 1 && group_labels.size() * steps <= (size_t{1} << 22)) {
    // Range queries: fold series by series into a (group × step) table; per cell the order
    // is still the series order. (Instant queries keep the step loop below, whose output
    // order is Prometheus's.)
    std::vector<Cell> cells(group_labels.size() * steps);
    std::vector<uint8_t> seen(cells.size(), 0);
    for (size_t i = 0; i < m.size(); ++i) {
      if ((i & 255) == 0) PERISCOPE_RETURN_IF_ERROR(checkDeadline());
      const size_t base = group_of[i] * steps;
      for (const Point& p : m[i].points) {
        size_t c = base + grid_.indexOf(p.t);
        if (seen[c]) {
          cells[c].add(op, p.v);
        } else {
          seen[c] = 1;
          cells[c].init(op, p.v);
        }
      }
    }
    releaseSamples(m);
    Value out;
    for (size_t g = 0; g < group_labels.size(); ++g) {
      EvalSeries es;
      for (size_t k = 0; k < steps; ++k) {
        size_t c = g * steps + k;
        if (seen[c]) es.points.push_back({grid_.at(k), cells[c].result(op)});
      }
      if (es.points.empty()) continue;
      PERISCOPE_RETURN_IF_ERROR(takeSamples(es.points.size()));
      es.labels = std::move(group_labels[g]);
      out.matrix.push_back(std::move(es));
    }
    return out;
  }
  std::vector<GroupState> state(group_labels.size());
  std::vector<int64_t> touched_at(group_labels.size(), -1);  // step of the last reset
  std::vector<size_t> touched;                               // this step, in order
  // Output series: per group, or per input series (topk/bottomk).
  std::vector<size_t> out_index;  // → out.matrix, SIZE_MAX when not created yet
  Value out;
  auto emit = [&](size_t key, const Labels& labels, int64_t ts, double v) {
    if (out_index.size() <= key) out_index.resize(key + 1, SIZE_MAX);
    if (out_index[key] == SIZE_MAX) {
      out_index[key] = out.matrix.size();
      out.matrix.push_back({labels, {}});
    }
    out.matrix[out_index[key]].points.push_back({ts, v});
  };
  // count_values: output label sets are only known per sample.
  std::unordered_multimap<uint64_t, size_t> cv_index;
  std::vector<Labels> cv_labels;
  std::vector<double> cv_count;

  StepCursor cursor(m);
  for (size_t k = 0; k < steps; ++k) {
    if ((k & 63) == 0) PERISCOPE_RETURN_IF_ERROR(checkDeadline());
    const int64_t ts = grid_.at(k);
    int64_t topk_k = 0;
    if (op == AggregateOp::kTopk || op == AggregateOp::kBottomk) {
      double f = param[k];
      if (!(f <= 9.223372036854775807e18 && f >= -9.223372036854775808e18))
        return executionError("Scalar value " + goFloatV(f) + " overflows int64");
      topk_k = static_cast<int64_t>(f);
      if (topk_k < 1) {
        for (size_t i = 0; i < m.size(); ++i) cursor.at(i, ts);
        continue;
      }
    }
    if (op == AggregateOp::kCountValues) {
      size_t first = cv_labels.size();
      std::vector<size_t> order;
      for (size_t i = 0; i < m.size(); ++i) {
        const double* v = cursor.at(i, ts);
        if (v == nullptr) continue;
        Labels l = m[i].labels;
        setLabel(l, value_label, formatFloatGo(*v));
        l = projectLabels(l, grouping, keep);
        uint64_t h = model::prom::hashLabels(l);
        size_t g = SIZE_MAX;
        auto [lo, hi] = cv_index.equal_range(h);
        for (auto it = lo; it != hi && g == SIZE_MAX; ++it) {
          if (it->second >= first && cv_labels[it->second] == l) g = it->second;
        }
        if (g == SIZE_MAX) {
          g = cv_labels.size();
          cv_labels.push_back(std::move(l));
          cv_count.push_back(0);
          cv_index.emplace(h, g);
          order.push_back(g);
        }
        cv_count[g]++;
      }
      for (size_t g : order) {
        // Output series are keyed by label set across steps.
        uint64_t h = model::prom::hashLabels(cv_labels[g]);
        size_t key = SIZE_MAX;
        auto [lo, hi] = cv_index.equal_range(h);
        for (auto it = lo; it != hi && key == SIZE_MAX; ++it) {
          if (cv_labels[it->second] == cv_labels[g]) key = it->second;
        }
        emit(key, cv_labels[g], ts, cv_count[g]);
      }
      continue;
    }

    touched.clear();
    for (size_t i = 0; i < m.size(); ++i) {
      const double* pv = cursor.at(i, ts);
      if (pv == nullptr) continue;
      const double v = *pv;
      size_t g = group_of[i];
      GroupState& s = state[g];
      if (touched_at[g] != static_cast<int64_t>(k)) {
        touched_at[g] = static_cast<int64_t>(k);
        touched.push_back(g);
        s.cell.init(op, v);
        if (op == AggregateOp::kTopk || op == AggregateOp::kBottomk) {
          s.heap.reverse = op == AggregateOp::kBottomk;
          s.heap.items.assign(1, {v, i});
        } else if (op == AggregateOp::kQuantile) {
          s.values.assign(1, v);
        }
        continue;
      }
      switch (op) {
        case AggregateOp::kTopk:
        case AggregateOp::kBottomk: {
          GoHeap& h = s.heap;
          bool better = op == AggregateOp::kTopk ? h.items[0].v < v : h.items[0].v > v;
          if (static_cast<int64_t>(h.items.size()) < topk_k || better || std::isnan(h.items[0].v)) {
            if (static_cast<int64_t>(h.items.size()) == topk_k) {
              if (topk_k == 1) {
                h.items[0] = {v, i};
                break;
              }
              h.pop();
            }
            h.push({v, i});
          }
          break;
        }
        case AggregateOp::kQuantile:
          s.values.push_back(v);
          break;
        default:
          s.cell.add(op, v);
          break;
      }
    }

    for (size_t g : touched) {
      GroupState& s = state[g];
      double v = s.cell.result(op);
      switch (op) {
        case AggregateOp::kQuantile:
          v = quantileOf(param[k], s.values);
          break;
        case AggregateOp::kTopk:
        case AggregateOp::kBottomk: {
          std::vector<HeapItem>& items = s.heap.items;
          std::stable_sort(items.begin(), items.end(), [&](const HeapItem& a, const HeapItem& b) {
            GoHeap cmp{{a, b}, s.heap.reverse};
            return cmp.less(1, 0);
          });
          for (const HeapItem& it : items) emit(it.series, m[it.series].labels, ts, it.v);
          continue;
        }
        default:
          break;
      }
      emit(g, group_labels[g], ts, v);
    }
  }
  releaseSamples(m);
  for (const EvalSeries& s : out.matrix) PERISCOPE_RETURN_IF_ERROR(takeSamples(s.points.size()));
  if (op == AggregateOp::kTopk || op == AggregateOp::kBottomk || op == AggregateOp::kCountValues)
    PERISCOPE_RETURN_IF_ERROR(mergeSameLabels(out.matrix));
  return out;
}

}  // namespace periscope::query::promql
