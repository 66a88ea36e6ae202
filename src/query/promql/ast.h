// PromQL abstract syntax tree, as produced by promql::parse (parser.h).
// Nodes live in one vector and name their children by index: the whole tree is one
// allocation, moves are cheap, and there is no recursive destructor that a deeply nested
// query could overflow the stack with (the fuzz target builds arbitrary trees).
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace periscope::query::promql {

struct Function;  // functions.h

// The four PromQL value types; valueTypeName gives the spelling used in error messages.
enum class ValueType : uint8_t { kScalar, kVector, kMatrix, kString };
std::string_view valueTypeName(ValueType type);

using NodeId = uint32_t;
inline constexpr NodeId kNoNode = std::numeric_limits<NodeId>::max();

enum class MatchOp : uint8_t { kEqual, kNotEqual, kRegexMatch, kRegexNoMatch };
std::string_view matchOpText(MatchOp op);  // "=", "!=", "=~", "!~"

struct LabelMatcher {
  std::string name;
  MatchOp op = MatchOp::kEqual;
  std::string value;  // for regex ops the pattern, fully anchored when evaluated
};

// `@ <timestamp>`, `@ start()`, `@ end()`.
struct AtModifier {
  enum class Kind : uint8_t { kNone, kTimestamp, kStart, kEnd };
  Kind kind = Kind::kNone;
  int64_t timestamp_ms = 0;  // for kTimestamp
};

struct NumberLiteral {
  double value = 0;
};

struct StringLiteral {
  std::string value;  // unescaped
};

struct VectorSelector {
  std::string name;                    // the metric name written before the braces, if any
  std::vector<LabelMatcher> matchers;  // as written in the braces (a `name` is not repeated)
  int64_t offset_ms = 0;               // `offset`; negative looks ahead
  AtModifier at;
};

// `selector[range]`; `offset` and `@` after the range are kept on the selector, as in
// Prometheus, because they shift the selection and not the range.
struct MatrixSelector {
  NodeId selector = kNoNode;  // a VectorSelector
  int64_t range_ms = 0;
};

// `expr[range:step]`.
struct Subquery {
  NodeId expr = kNoNode;
  int64_t range_ms = 0;
  int64_t step_ms = 0;  // 0: not written, the evaluation interval applies
  int64_t offset_ms = 0;
  AtModifier at;
};

struct Call {
  const Function* func = nullptr;  // an entry of the static table in functions.h
  std::vector<NodeId> args;
};

enum class AggregateOp : uint8_t {
  kSum,
  kAvg,
  kCount,
  kMin,
  kMax,
  kGroup,
  kStddev,
  kStdvar,
  kTopk,
  kBottomk,
  kCountValues,
  kQuantile,
};
std::string_view aggregateOpName(AggregateOp op);
bool aggregateTakesParam(AggregateOp op);  // topk, bottomk, count_values, quantile

struct Aggregate {
  AggregateOp op = AggregateOp::kSum;
  NodeId param = kNoNode;  // topk/bottomk/quantile: scalar; count_values: string
  NodeId expr = kNoNode;
  std::vector<std::string> grouping;
  bool without = false;  // grouping lists the labels to drop rather than keep
};

enum class BinaryOp : uint8_t {
  kPow,
  kMul,
  kDiv,
  kMod,
  kAtan2,
  kAdd,
  kSub,
  kEql,
  kNeq,
  kLte,
  kLss,
  kGte,
  kGtr,
  kAnd,
  kUnless,
  kOr,
};
std::string_view binaryOpText(BinaryOp op);
bool isComparison(BinaryOp op);
bool isSetOperator(BinaryOp op);  // and, or, unless

enum class Cardinality : uint8_t { kOneToOne, kManyToOne, kOneToMany, kManyToMany };

struct Binary {
  BinaryOp op = BinaryOp::kAdd;
  NodeId lhs = kNoNode;
  NodeId rhs = kNoNode;
  uint32_t op_pos = 0;  // byte offset of the operator, for errors about it
  bool return_bool = false;
  // Vector matching; meaningful only when both sides are instant vectors (otherwise reset).
  Cardinality card = Cardinality::kOneToOne;  // set operators: always many-to-many
  bool on = false;                            // on(labels) rather than ignoring(labels)
  std::vector<std::string> labels;            // of on/ignoring
  std::vector<std::string> include;           // of group_left/group_right
};

enum class UnaryOp : uint8_t { kMinus, kPlus };

struct Unary {
  UnaryOp op = UnaryOp::kMinus;
  NodeId expr = kNoNode;
};

struct Paren {
  NodeId expr = kNoNode;
};

// NodeKind follows the order of the alternatives in Node::Data.
enum class NodeKind : uint8_t {
  kNumberLiteral,
  kStringLiteral,
  kVectorSelector,
  kMatrixSelector,
  kSubquery,
  kCall,
  kAggregate,
  kBinary,
  kUnary,
  kParen,
};

struct Node {
  using Data = std::variant<NumberLiteral, StringLiteral, VectorSelector, MatrixSelector, Subquery,
                            Call, Aggregate, Binary, Unary, Paren>;
  Data data;
  uint32_t pos = 0;  // byte offset of the node's first character in the query
  ValueType type = ValueType::kScalar;

  NodeKind kind() const { return static_cast<NodeKind>(data.index()); }
  template <typename T>
  const T& as() const {
    return std::get<T>(data);
  }
};

// A parsed, type-checked query; walk it from root().
class Expr {
 public:
  Expr() = default;
  Expr(std::vector<Node> nodes, NodeId root) : nodes_(std::move(nodes)), root_(root) {}

  NodeId root() const { return root_; }
  const Node& node(NodeId id) const { return nodes_[id]; }
  const Node& rootNode() const { return nodes_[root_]; }
  ValueType type() const { return rootNode().type; }
  size_t size() const { return nodes_.size(); }

 private:
  std::vector<Node> nodes_;
  NodeId root_ = kNoNode;
};

}  // namespace periscope::query::promql
