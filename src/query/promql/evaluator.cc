#include "query/promql/evaluator.h"

#include <algorithm>
#include <cmath>

#include "query/promql/functions.h"
#include "query/promql/label_ops.h"

namespace periscope::query::promql {

using storage::metrics::Matcher;

namespace {

Matcher::Op toStorageOp(MatchOp op) {
  switch (op) {
    case MatchOp::kEqual:
      return Matcher::Op::kEqual;
    case MatchOp::kNotEqual:
      return Matcher::Op::kNotEqual;
    case MatchOp::kRegexMatch:
      return Matcher::Op::kRegexMatch;
    case MatchOp::kRegexNoMatch:
      return Matcher::Op::kRegexNoMatch;
  }
  return Matcher::Op::kEqual;
}

NodeId unwrapParens(const Expr& expr, NodeId id) {
  while (expr.node(id).kind() == NodeKind::kParen) id = expr.node(id).as<Paren>().expr;
  return id;
}

}  // namespace

Status Evaluator::takeSamples(size_t n) {
  ctx_.samples += n;
  if (ctx_.samples > ctx_.options->max_samples)
    return resourceExhausted(
        "query processing would load too many samples into memory in query execution");
  return Status::ok();
}

void Evaluator::releaseSamples(const Matrix& m) {
  size_t n = 0;
  for (const EvalSeries& s : m) n += s.points.size();
  releaseSamples(n);
}

Status Evaluator::checkDeadline() {
  if (std::chrono::steady_clock::now() > ctx_.deadline)
    return {StatusCode::kDeadlineExceeded, "query timed out in query execution"};
  return Status::ok();
}

std::optional<int64_t> Evaluator::atTime(const AtModifier& at) const {
  switch (at.kind) {
    case AtModifier::Kind::kNone:
      return std::nullopt;
    case AtModifier::Kind::kTimestamp:
      return at.timestamp_ms;
    case AtModifier::Kind::kStart:
      return ctx_.query_start;
    case AtModifier::Kind::kEnd:
      return ctx_.query_end;
  }
  return std::nullopt;
}

Result<std::vector<storage::metrics::Series>> Evaluator::select(const VectorSelector& vs,
                                                                int64_t mint, int64_t maxt) {
  PERISCOPE_RETURN_IF_ERROR(checkDeadline());
  std::vector<Matcher> matchers;
  matchers.reserve(vs.matchers.size() + 1);
  if (!vs.name.empty())
    matchers.push_back({std::string(model::prom::kMetricNameLabel), Matcher::Op::kEqual, vs.name});
  for (const LabelMatcher& m : vs.matchers)
    matchers.push_back({m.name, toStorageOp(m.op), m.value});
  return ctx_.reader->select(matchers, mint, maxt);
}

Result<Value> Evaluator::eval(NodeId id) {
  const Node& n = node(id);
  switch (n.kind()) {
    case NodeKind::kNumberLiteral:
      return evalNumber(n.as<NumberLiteral>().value);
    case NodeKind::kStringLiteral: {
      Value v;
      v.type = ValueType::kString;
      v.str = n.as<StringLiteral>().value;
      return v;
    }
    case NodeKind::kVectorSelector:
      return evalVectorSelector(n.as<VectorSelector>());
    case NodeKind::kMatrixSelector:
    case NodeKind::kSubquery:
      return evalMatrixValue(id);
    case NodeKind::kCall:
      return evalCall(n.as<Call>());
    case NodeKind::kAggregate:
      return evalAggregate(n.as<Aggregate>());
    case NodeKind::kBinary:
      return evalBinary(n.as<Binary>());
    case NodeKind::kUnary:
      return evalUnary(n.as<Unary>());
    case NodeKind::kParen:
      return eval(n.as<Paren>().expr);
  }
  return internalError("unknown PromQL node");
}

Result<Value> Evaluator::evalNumber(double v) {
  Value out;
  out.type = ValueType::kScalar;
  out.scalar.assign(grid_.size(), v);
  return out;
}

Result<Value> Evaluator::evalVectorSelector(const VectorSelector& vs, bool timestamps) {
  const int64_t lookback = ctx_.options->lookback_delta_ms;
  std::optional<int64_t> at = atTime(vs.at);
  int64_t first = (at ? *at : grid_.start) - vs.offset_ms;
  int64_t last = (at ? *at : grid_.end) - vs.offset_ms;
  auto selected = select(vs, first - lookback, last);
  if (!selected.isOk()) return selected.status();

  Value out;
  out.type = ValueType::kVector;
  const size_t steps = grid_.size();
  for (storage::metrics::Series& s : *selected) {
    PERISCOPE_RETURN_IF_ERROR(checkDeadline());
    EvalSeries es;
    const std::vector<storage::metrics::Sample>& samples = s.samples;
    size_t next = 0;  // first sample after the reference time
    for (size_t k = 0; k < steps; ++k) {
      int64_t ts = grid_.at(k);
      int64_t ref = (at ? *at : ts) - vs.offset_ms;
      while (next < samples.size() && samples[next].t <= ref) ++next;
      if (next == 0) continue;
      const storage::metrics::Sample& latest = samples[next - 1];
      if (latest.t < ref - lookback || model::prom::isStaleNaN(latest.v)) continue;
      if (es.points.empty()) es.points.reserve(steps - k);
      es.points.push_back({ts, timestamps ? static_cast<double>(latest.t) / 1000 : latest.v});
    }
    if (es.points.empty()) continue;
    PERISCOPE_RETURN_IF_ERROR(takeSamples(es.points.size()));
    es.labels = std::move(s.labels);
    out.matrix.push_back(std::move(es));
  }
  return out;
}

Result<RangeInput> Evaluator::evalRange(NodeId id) {
  id = unwrapParens(*ctx_.expr, id);
  const Node& n = node(id);
  RangeInput in;
  if (n.kind() == NodeKind::kMatrixSelector) {
    const MatrixSelector& ms = n.as<MatrixSelector>();
    const VectorSelector& vs = node(ms.selector).as<VectorSelector>();
    in.range_ms = ms.range_ms;
    in.offset_ms = vs.offset_ms;
    in.at_ms = atTime(vs.at);
    in.selector = &vs;
    int64_t first = in.windowEnd(grid_.start) - in.range_ms;
    int64_t last = in.windowEnd(grid_.end);
    auto selected = select(vs, first, last);
    if (!selected.isOk()) return selected.status();
    for (storage::metrics::Series& s : *selected) {
      EvalSeries es;
      es.points.reserve(s.samples.size());
      for (const storage::metrics::Sample& smp : s.samples) {
        if (!model::prom::isStaleNaN(smp.v)) es.points.push_back({smp.t, smp.v});
      }
      if (es.points.empty()) continue;
      PERISCOPE_RETURN_IF_ERROR(takeSamples(es.points.size()));
      es.labels = std::move(s.labels);
      in.series.push_back(std::move(es));
    }
    return in;
  }
  if (n.kind() != NodeKind::kSubquery) return internalError("not a range vector");

  const Subquery& sq = n.as<Subquery>();
  in.range_ms = sq.range_ms;
  in.offset_ms = sq.offset_ms;
  in.at_ms = atTime(sq.at);
  int64_t step = sq.step_ms > 0 ? sq.step_ms : ctx_.options->subquery_step_ms;
  // The first step-aligned time (a multiple of step in absolute time) in the first window.
  int64_t base_start = in.windowEnd(grid_.start) - in.range_ms;
  int64_t sub_start = step * (base_start / step);
  if (sub_start < base_start) sub_start += step;
  int64_t sub_end = in.windowEnd(grid_.end);
  if (sub_start > sub_end) return in;
  StepGrid sub_grid{sub_start, sub_end, step};
  // Every inner step holds at least a value per step: refuse grids the sample limit could
  // never hold before allocating them (`x[10y:1ms]`).
  if ((sub_end - sub_start) / step >= static_cast<int64_t>(ctx_.options->max_samples))
    return resourceExhausted(
        "query processing would load too many samples into memory in query execution");
  Evaluator sub(ctx_, sub_grid);
  auto v = sub.eval(sq.expr);
  if (!v.isOk()) return v.status();
  if (v->type == ValueType::kScalar) {
    EvalSeries es;
    for (size_t k = 0; k < v->scalar.size(); ++k)
      es.points.push_back({sub.grid().at(k), v->scalar[k]});
    PERISCOPE_RETURN_IF_ERROR(takeSamples(es.points.size()));
    in.series.push_back(std::move(es));
  } else {
    in.series = std::move(v->matrix);
  }
  return in;
}

Result<Value> Evaluator::evalMatrixValue(NodeId id) {
  auto in = evalRange(id);
  if (!in.isOk()) return in.status();
  Value out;
  out.type = ValueType::kMatrix;
  int64_t end = in->windowEnd(grid_.start);
  int64_t begin = end - in->range_ms;
  for (EvalSeries& s : in->series) {
    std::erase_if(s.points, [&](const Point& p) { return p.t < begin || p.t > end; });
    if (!s.points.empty()) out.matrix.push_back(std::move(s));
  }
  return out;
}

Result<Value> Evaluator::evalUnary(const Unary& u) {
  auto v = eval(u.expr);
  if (!v.isOk() || u.op == UnaryOp::kPlus) return v;
  if (v->type == ValueType::kScalar) {
    for (double& x : v->scalar) x = -x;
    return v;
  }
  for (EvalSeries& s : v->matrix) {
    s.labels = withoutName(s.labels);
    for (Point& p : s.points) p.v = -p.v;
  }
  PERISCOPE_RETURN_IF_ERROR(checkUniqueLabels(v->matrix));
  return v;
}

Result<std::vector<double>> Evaluator::evalScalarArg(NodeId id) {
  auto v = eval(id);
  if (!v.isOk()) return v.status();
  return std::move(v->scalar);
}

std::string_view Evaluator::stringArg(NodeId id) const {
  id = unwrapParens(*ctx_.expr, id);
  return node(id).as<StringLiteral>().value;
}

Result<Value> Evaluator::evalCall(const Call& call) {
  std::string_view name = call.func->name;
  for (size_t i = 0; i < call.args.size(); ++i) {
    if (node(call.args[i]).type == ValueType::kMatrix) return evalRangeFunction(call, i);
  }
  if (name == "timestamp") return evalTimestamp(call);
  if (name == "absent") return evalAbsent(call);
  if (name == "label_replace") return evalLabelReplace(call);
  if (name == "label_join") return evalLabelJoin(call);
  if (name == "histogram_quantile") return evalHistogramQuantile(call);
  return evalInstantFunction(call);
}

}  // namespace periscope::query::promql
