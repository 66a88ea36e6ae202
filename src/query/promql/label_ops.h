// Label-set operations the evaluator needs, with Prometheus's conventions: an empty value
// means "absent", `__name__` is dropped by most functions, and matching/grouping signatures
// either keep the named labels (`on`, `by`) or all others except `__name__` (`ignoring`,
// `without`). Internal to query/promql.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "model/prometheus/labels.h"
#include "query/promql/value.h"

namespace periscope::query::promql {

bool contains(std::span<const std::string> names, std::string_view name);

Labels withoutName(const Labels& labels);
// `on`/`by`: only the named labels; otherwise all but the named ones and `__name__`.
Labels projectLabels(const Labels& labels, std::span<const std::string> names, bool keep);
// Sets (or, for an empty value, removes) one label, keeping the set sorted.
void setLabel(Labels& labels, std::string_view name, std::string_view value);

// Hash of projectLabels(labels, names, keep) without building it.
uint64_t signature(const Labels& labels, std::span<const std::string> names, bool keep);

// Prometheus's legacy label-name syntax: [a-zA-Z_][a-zA-Z0-9_]*.
using model::prom::isValidLabelName;

// Sorts series by labels and merges series with equal labels (rangeEval builds series by
// label set); two points at the same step for one label set are an error.
Status mergeSameLabels(Matrix& m);
// Errors when two series share a label set (Prometheus's check after functions over range
// vectors and unary minus).
Status checkUniqueLabels(const Matrix& m);

Status executionError(std::string message);
inline constexpr std::string_view kDuplicateLabelset =
    "vector cannot contain metrics with the same labelset";

}  // namespace periscope::query::promql

namespace periscope::query::promql {
// The labels absent() and absent_over_time() give their single output series: the equality
// matchers of the selector (not `__name__`); a label matched more than once is left out.
Labels labelsForAbsent(const VectorSelector* selector);
}  // namespace periscope::query::promql
