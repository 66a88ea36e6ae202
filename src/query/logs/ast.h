// Log query abstract syntax tree, as produced by logs::parse (parser.h).
// As in the PromQL AST, nodes live in one vector and name their children by index: one
// allocation per query and no recursive destructor for a deeply nested query to overflow.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace periscope::query::logs {

using NodeId = uint32_t;
inline constexpr NodeId kNoNode = std::numeric_limits<NodeId>::max();

enum class CompareOp : uint8_t {
  kEqual,
  kNotEqual,
  kRegexMatch,    // RE2, fully anchored
  kRegexNoMatch,  // RE2, fully anchored
  kGreater,
  kGreaterEqual,
  kLess,
  kLessEqual,
};
std::string_view compareOpText(CompareOp op);  // "=", "!=", "=~", "!~", ">", ">=", "<", "<="
bool isRegexOp(CompareOp op);
bool isOrderingOp(CompareOp op);

// OTLP severity numbers of the six named severities (each name is the lowest of its range
// of four: WARN is 13, WARN2..WARN4 are 14..16).
struct SeverityName {
  std::string_view name;
  int number;
};
inline constexpr SeverityName kSeverityNames[] = {{"TRACE", 1}, {"DEBUG", 5},  {"INFO", 9},
                                                  {"WARN", 13}, {"ERROR", 17}, {"FATAL", 21}};

// `name op "value"` in the stream selector. `name` is a dotted attribute name
// (service.name, k8s.pod.name) or `severity`.
struct StreamMatcher {
  std::string name;
  CompareOp op = CompareOp::kEqual;
  std::string value;             // for regex ops the pattern; for severity ordering: see below
  int severity_number = 0;       // severity with an ordering op: 1..24, else 0
  bool value_is_number = false;  // severity written as a number (printed back as one)
};

enum class LineFilterOp : uint8_t { kContains, kNotContains, kRegexMatch, kRegexNoMatch };
std::string_view lineFilterOpText(LineFilterOp op);  // "|=", "!=", "|~", "!~"

// A line filter tests the body text; its regexes are unanchored (substring search).
struct LineFilter {
  LineFilterOp op = LineFilterOp::kContains;
  std::string value;
};

// `| json` lifts every top-level field of a JSON body; `| json a, b.c` only those.
struct JsonStage {
  std::vector<std::string> fields;
};

// `| <condition>` where the condition is a FieldComparison or FieldLogical node.
struct FieldFilter {
  NodeId condition = kNoNode;
};

// `| limit N`, `| direction forward|backward`: query-wide settings written as stages,
// each at most once, only in log queries (not inside a metric query).
struct LimitStage {
  int64_t limit = 0;
};
struct DirectionStage {
  bool forward = false;
};

using Stage = std::variant<LineFilter, JsonStage, FieldFilter, LimitStage, DirectionStage>;

// `{matchers} stages…`
struct LogQuery {
  std::vector<StreamMatcher> matchers;  // at least one
  std::vector<Stage> stages;            // in order
};

// `field op value`; a number only with ordering ops, = and !=; a string not with ordering ops.
struct FieldComparison {
  std::string field;
  CompareOp op = CompareOp::kEqual;
  bool is_number = false;
  double number = 0;
  std::string text;  // strings (for regex ops the pattern)
};

// `a and b`, `a or b`; `and` binds tighter than `or`, both left-associative.
struct FieldLogical {
  bool is_and = true;
  NodeId lhs = kNoNode;
  NodeId rhs = kNoNode;
};

enum class RangeFunction : uint8_t { kCountOverTime, kRate, kBytesOverTime, kBytesRate };
std::string_view rangeFunctionName(RangeFunction f);

// `count_over_time(<log query> [5m])`.
struct RangeAggregation {
  RangeFunction function = RangeFunction::kCountOverTime;
  NodeId query = kNoNode;  // a LogQuery
  int64_t range_ms = 0;
};

enum class VectorAggregator : uint8_t { kSum, kAvg, kMin, kMax, kCount, kTopk };
std::string_view vectorAggregatorName(VectorAggregator a);

// `sum by (a, b) (…)`, `topk(5, …)`.
struct VectorAggregation {
  VectorAggregator op = VectorAggregator::kSum;
  int64_t k = 0;  // topk
  bool without = false;
  bool has_grouping = false;  // `by ()` is kept as written
  std::vector<std::string> labels;
  NodeId inner = kNoNode;  // a RangeAggregation or VectorAggregation
};

using Node =
    std::variant<LogQuery, FieldComparison, FieldLogical, RangeAggregation, VectorAggregation>;

struct Expr {
  std::vector<Node> nodes;
  NodeId root = kNoNode;
  const Node& node(NodeId id) const { return nodes[id]; }
  bool isMetric() const { return !std::holds_alternative<LogQuery>(nodes[root]); }
};

}  // namespace periscope::query::logs
