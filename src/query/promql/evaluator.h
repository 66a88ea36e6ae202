// The PromQL evaluator: walks a parsed Expr over a step grid, the way Prometheus's engine
// does — every node is evaluated once for all steps; instant selectors read each series once
// (one select() per selector over the whole needed time range); functions, aggregations and
// binary operators then work on those in-memory series. Used by Engine (engine.h); one
// Evaluator per grid (the query's, and one per subquery); not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "common/status.h"
#include "query/promql/ast.h"
#include "query/promql/engine.h"
#include "query/promql/value.h"
#include "storage/signals/metrics/metrics_reader.h"

namespace periscope::query::promql {

// State shared by every evaluator of one query.
struct QueryContext {
  const Expr* expr = nullptr;
  const storage::metrics::MetricsReader* reader = nullptr;
  const EngineOptions* options = nullptr;
  int64_t query_start = 0;  // for `@ start()`
  int64_t query_end = 0;    // for `@ end()`
  std::chrono::steady_clock::time_point deadline;
  size_t samples = 0;  // points currently held, against options->max_samples
};

class Evaluator {
 public:
  Evaluator(QueryContext& ctx, StepGrid grid) : ctx_(ctx), grid_(grid) {}

  Result<Value> eval(NodeId id);
  // A range-vector argument: a matrix selector or a subquery (parentheses unwrapped).
  Result<RangeInput> evalRange(NodeId id);

  const StepGrid& grid() const { return grid_; }
  const Node& node(NodeId id) const { return ctx_.expr->node(id); }

  // The sample limit (max_samples): account for points taken into memory / released.
  Status takeSamples(size_t n);
  void releaseSamples(size_t n) { ctx_.samples -= std::min(n, ctx_.samples); }
  void releaseSamples(const Matrix& m);
  // DEADLINE_EXCEEDED once the query's timeout has passed; cheap enough to call per series.
  Status checkDeadline();

 private:
  Result<Value> evalNumber(double v);
  // timestamps: each point's value is its sample's time in seconds (for timestamp()).
  Result<Value> evalVectorSelector(const VectorSelector& vs, bool timestamps = false);
  Result<Value> evalMatrixValue(NodeId id);  // a range vector as a query result
  Result<Value> evalUnary(const Unary& u);
  Result<Value> evalCall(const Call& call);
  Result<Value> evalAggregate(const Aggregate& agg);
  Result<Value> evalBinary(const Binary& bin);

  // Functions (instant_functions.cc, range_functions.cc, label_functions.cc,
  // histogram_quantile.cc).
  Result<Value> evalRangeFunction(const Call& call, size_t range_arg);
  Result<Value> evalInstantFunction(const Call& call);
  Result<Value> evalLabelReplace(const Call& call);
  Result<Value> evalLabelJoin(const Call& call);
  Result<Value> evalHistogramQuantile(const Call& call);
  Result<Value> evalTimestamp(const Call& call);
  Result<Value> evalAbsent(const Call& call);

  // Binary operators (binary_ops.cc, vector_matching.cc).
  Result<Value> evalVectorVector(const Binary& bin, Matrix lhs, Matrix rhs);
  Result<Value> evalSetOperator(const Binary& bin, Matrix lhs, Matrix rhs);

  Result<std::vector<storage::metrics::Series>> select(const VectorSelector& vs, int64_t mint,
                                                       int64_t maxt);
  std::optional<int64_t> atTime(const AtModifier& at) const;
  Result<std::vector<double>> evalScalarArg(NodeId id);
  std::string_view stringArg(NodeId id) const;

  QueryContext& ctx_;
  StepGrid grid_;
};

}  // namespace periscope::query::promql
