#include "query/promql/engine.h"

#include <algorithm>

#include "query/promql/evaluator.h"
#include "query/promql/parser.h"

namespace periscope::query::promql {
namespace {

std::string withThousands(size_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

QueryContext makeContext(const Expr& expr, const storage::metrics::MetricsReader& reader,
                         const EngineOptions& options, int64_t start, int64_t end) {
  QueryContext ctx;
  ctx.expr = &expr;
  ctx.reader = &reader;
  ctx.options = &options;
  ctx.query_start = start;
  ctx.query_end = end;
  ctx.deadline = std::chrono::steady_clock::now() + options.timeout;
  return ctx;
}

}  // namespace

Engine::Engine(const storage::metrics::MetricsReader& reader, EngineOptions options)
    : reader_(reader), options_(options) {}

Result<QueryResult> Engine::instant(std::string_view query, int64_t time_ms) const {
  Result<Expr> expr = parse(query);
  if (!expr.isOk()) return expr.status();
  QueryContext ctx = makeContext(*expr, reader_, options_, time_ms, time_ms);
  // An instant query is a range evaluation with one step (Prometheus: interval 1 ms).
  Evaluator ev(ctx, StepGrid{time_ms, time_ms, 1});
  Result<Value> v = ev.eval(expr->root());
  if (!v.isOk()) return v.status();

  QueryResult out;
  out.type = expr->type();
  switch (out.type) {
    case ValueType::kScalar:
      out.scalar = {time_ms, v->scalar[0]};
      break;
    case ValueType::kString:
      out.scalar.t = time_ms;
      out.string_value = std::move(v->str);
      break;
    case ValueType::kVector:
      out.series.reserve(v->matrix.size());
      for (EvalSeries& s : v->matrix) {
        out.series.push_back({std::move(s.labels), {Point{time_ms, s.points[0].v}}});
      }
      break;
    case ValueType::kMatrix:
      out.series.reserve(v->matrix.size());
      for (EvalSeries& s : v->matrix) {
        out.series.push_back({std::move(s.labels), std::move(s.points)});
      }
      break;
  }
  return out;
}

Result<QueryResult> Engine::range(std::string_view query, int64_t start_ms, int64_t end_ms,
                                  int64_t step_ms) const {
  if (end_ms < start_ms) return invalidArgument("end timestamp must not be before start time");
  if (step_ms <= 0)
    return invalidArgument(
        "zero or negative query resolution step widths are not accepted. Try a positive "
        "integer");
  if (static_cast<uint64_t>((end_ms - start_ms) / step_ms) > options_.max_points_per_series)
    return invalidArgument("exceeded maximum resolution of " +
                           withThousands(options_.max_points_per_series) +
                           " points per timeseries. Try decreasing the query resolution "
                           "(?step=XX)");
  Result<Expr> expr = parse(query);
  if (!expr.isOk()) return expr.status();
  if (expr->type() != ValueType::kScalar && expr->type() != ValueType::kVector)
    return invalidArgument("invalid expression type \"" + std::string(valueTypeName(expr->type())) +
                           "\" for range query, must be Scalar or instant Vector");
  QueryContext ctx = makeContext(*expr, reader_, options_, start_ms, end_ms);
  StepGrid grid{start_ms, end_ms, step_ms};
  Evaluator ev(ctx, grid);
  Result<Value> v = ev.eval(expr->root());
  if (!v.isOk()) return v.status();

  QueryResult out;
  out.type = ValueType::kMatrix;
  if (v->type == ValueType::kScalar) {
    SeriesResult s;
    s.points.reserve(v->scalar.size());
    for (size_t k = 0; k < v->scalar.size(); ++k) s.points.push_back({grid.at(k), v->scalar[k]});
    out.series.push_back(std::move(s));
    return out;
  }
  out.series.reserve(v->matrix.size());
  for (EvalSeries& s : v->matrix) {
    out.series.push_back({std::move(s.labels), std::move(s.points)});
  }
  std::sort(out.series.begin(), out.series.end(),
            [](const SeriesResult& a, const SeriesResult& b) { return a.labels < b.labels; });
  return out;
}

}  // namespace periscope::query::promql
