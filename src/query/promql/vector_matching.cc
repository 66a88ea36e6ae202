// Binary operators between two instant vectors: one-to-one and many-to-one/one-to-many
// matching (on/ignoring, group_left/group_right) and the set operators and/or/unless.
// Matching signatures are computed once per series; each step then only looks up slots.
#include <string>
#include <unordered_map>
#include <vector>

#include "query/promql/binary_ops.h"
#include "query/promql/evaluator.h"
#include "query/promql/label_ops.h"

namespace periscope::query::promql {
namespace {

// Maps every series' matching signature to a dense slot number shared by both sides.
struct SlotMap {
  std::unordered_map<uint64_t, uint32_t> slots;
  uint32_t slotOf(const Labels& labels, const Binary& bin) {
    auto [it, inserted] =
        slots.emplace(signature(labels, bin.labels, bin.on), static_cast<uint32_t>(slots.size()));
    return it->second;
  }
};

std::vector<uint32_t> slotsOf(const Matrix& m, const Binary& bin, SlotMap& map) {
  std::vector<uint32_t> out(m.size());
  for (size_t i = 0; i < m.size(); ++i) out[i] = map.slotOf(m[i].labels, bin);
  return out;
}

// The labels of a result element, as Prometheus's resultMetric: from the "many" side.
Labels resultLabels(const Labels& many, const Labels& one, const Binary& bin) {
  Labels out;
  if (bin.card == Cardinality::kOneToOne) {
    // on: only the matching labels; ignoring: all but them.
    for (const Label& l : many) {
      bool named = contains(bin.labels, l.name);
      if (bin.on ? named : !named) out.push_back(l);
    }
  } else {
    out = many;
  }
  if (dropsMetricName(bin.op) || bin.return_bool) setLabel(out, model::prom::kMetricNameLabel, "");
  for (const std::string& name : bin.include) {
    setLabel(out, name, model::prom::labelValue(one, name));
  }
  return out;
}

}  // namespace

Result<Value> Evaluator::evalVectorVector(const Binary& bin, Matrix lhs, Matrix rhs) {
  // The "one" side is rhs; for group_right swap, and swap the values back per element.
  const bool swapped = bin.card == Cardinality::kOneToMany;
  if (swapped) std::swap(lhs, rhs);
  SlotMap map;
  std::vector<uint32_t> rslot = slotsOf(rhs, bin, map);
  std::vector<uint32_t> lslot = slotsOf(lhs, bin, map);
  const size_t nslots = map.slots.size();
  std::vector<int64_t> rhs_step(nslots, -1);  // step at which a "one" element was seen
  std::vector<size_t> rhs_series(nslots, 0);
  std::vector<double> rhs_value(nslots, 0);
  std::vector<int64_t> matched_step(nslots, -1);  // one-to-one: slot already matched

  Value out;
  std::unordered_multimap<uint64_t, size_t> out_index;
  struct OutState {
    int64_t last_step = -1;
    uint32_t last_slot = 0;
  };
  std::vector<OutState> out_state;
  // Per "many" series: the last "one" partner and its output series.
  std::vector<std::pair<size_t, size_t>> pair_cache(lhs.size(), {SIZE_MAX, SIZE_MAX});

  StepCursor lc(lhs), rc(rhs);
  std::vector<std::pair<size_t, double>> present_l, present_r;
  const size_t steps = grid_.size();
  for (size_t k = 0; k < steps; ++k) {
    if ((k & 63) == 0) PERISCOPE_RETURN_IF_ERROR(checkDeadline());
    const int64_t ts = grid_.at(k);
    const int64_t step = static_cast<int64_t>(k);
    // Nothing can match when a side is empty (and duplicates on the "one" side do not matter).
    present_l.clear();
    present_r.clear();
    for (size_t i = 0; i < lhs.size(); ++i) {
      if (const double* v = lc.at(i, ts)) present_l.push_back({i, *v});
    }
    for (size_t j = 0; j < rhs.size(); ++j) {
      if (const double* v = rc.at(j, ts)) present_r.push_back({j, *v});
    }
    if (present_l.empty() || present_r.empty()) continue;
    for (auto [j, v] : present_r) {
      uint32_t s = rslot[j];
      if (rhs_step[s] == step) {
        return executionError(
            "found duplicate series for the match group " +
            model::prom::labelsToString(projectLabels(rhs[j].labels, bin.labels, bin.on)) +
            " on the " + (swapped ? "left" : "right") + " hand-side of the operation: [" +
            model::prom::labelsToString(rhs[j].labels) + ", " +
            model::prom::labelsToString(rhs[rhs_series[s]].labels) +
            "];many-to-many matching not allowed: matching labels must be unique on one side");
      }
      rhs_step[s] = step;
      rhs_series[s] = j;
      rhs_value[s] = v;
    }
    for (auto [i, lv] : present_l) {
      uint32_t s = lslot[i];
      if (rhs_step[s] != step) continue;
      double vl = lv, vr = rhs_value[s];
      if (swapped) std::swap(vl, vr);
      BinopResult r = elementBinop(bin.op, vl, vr);
      if (bin.return_bool) {
        r.value = r.keep ? 1 : 0;
      } else if (!r.keep) {
        continue;
      }
      if (bin.card == Cardinality::kOneToOne) {
        if (matched_step[s] == step)
          return executionError(
              "multiple matches for labels: many-to-one matching must be explicit "
              "(group_left/group_right)");
        matched_step[s] = step;
      }
      size_t j = rhs_series[s];
      size_t o;
      if (pair_cache[i].first == j) {
        o = pair_cache[i].second;
      } else {
        Labels labels = resultLabels(lhs[i].labels, rhs[j].labels, bin);
        uint64_t h = model::prom::hashLabels(labels);
        o = SIZE_MAX;
        auto [lo, hi] = out_index.equal_range(h);
        for (auto it = lo; it != hi && o == SIZE_MAX; ++it) {
          if (out.matrix[it->second].labels == labels) o = it->second;
        }
        if (o == SIZE_MAX) {
          o = out.matrix.size();
          out.matrix.push_back({std::move(labels), {}});
          out_state.push_back({});
          out_index.emplace(h, o);
        }
        pair_cache[i] = {j, o};
      }
      OutState& st = out_state[o];
      if (st.last_step == step) {
        if (bin.card != Cardinality::kOneToOne && st.last_slot == s)
          return executionError(
              "multiple matches for labels: grouping labels must ensure unique matches");
        return executionError(std::string(kDuplicateLabelset));
      }
      st.last_step = step;
      st.last_slot = s;
      out.matrix[o].points.push_back({ts, r.value});
    }
  }
  releaseSamples(lhs);
  releaseSamples(rhs);
  for (const EvalSeries& s : out.matrix) PERISCOPE_RETURN_IF_ERROR(takeSamples(s.points.size()));
  return out;
}

Result<Value> Evaluator::evalSetOperator(const Binary& bin, Matrix lhs, Matrix rhs) {
  SlotMap map;
  std::vector<uint32_t> lslot = slotsOf(lhs, bin, map);
  std::vector<uint32_t> rslot = slotsOf(rhs, bin, map);
  std::vector<int64_t> seen_step(map.slots.size(), -1);
  StepCursor lc(lhs), rc(rhs);
  Value out;
  std::vector<EvalSeries> lout(lhs.size()), rout(rhs.size());
  const size_t steps = grid_.size();
  for (size_t k = 0; k < steps; ++k) {
    const int64_t ts = grid_.at(k);
    const int64_t step = static_cast<int64_t>(k);
    if (bin.op == BinaryOp::kOr) {
      // Everything on the left, then the right's elements whose signature the left lacks.
      for (size_t i = 0; i < lhs.size(); ++i) {
        if (const double* v = lc.at(i, ts)) {
          seen_step[lslot[i]] = step;
          lout[i].points.push_back({ts, *v});
        }
      }
      for (size_t j = 0; j < rhs.size(); ++j) {
        const double* v = rc.at(j, ts);
        if (v != nullptr && seen_step[rslot[j]] != step) rout[j].points.push_back({ts, *v});
      }
      continue;
    }
    for (size_t j = 0; j < rhs.size(); ++j) {
      if (rc.at(j, ts) != nullptr) seen_step[rslot[j]] = step;
    }
    const bool want = bin.op == BinaryOp::kAnd;
    for (size_t i = 0; i < lhs.size(); ++i) {
      const double* v = lc.at(i, ts);
      if (v != nullptr && (seen_step[lslot[i]] == step) == want) lout[i].points.push_back({ts, *v});
    }
  }
  for (size_t i = 0; i < lhs.size(); ++i) {
    if (lout[i].points.empty()) continue;
    lout[i].labels = std::move(lhs[i].labels);
    out.matrix.push_back(std::move(lout[i]));
  }
  for (size_t j = 0; j < rhs.size(); ++j) {
    if (rout[j].points.empty()) continue;
    rout[j].labels = std::move(rhs[j].labels);
    out.matrix.push_back(std::move(rout[j]));
  }
  releaseSamples(lhs);
  releaseSamples(rhs);
  for (const EvalSeries& s : out.matrix) PERISCOPE_RETURN_IF_ERROR(takeSamples(s.points.size()));
  PERISCOPE_RETURN_IF_ERROR(mergeSameLabels(out.matrix));
  return out;
}

}  // namespace periscope::query::promql
