// OTTL abstract syntax tree: what the parser produces and the compiler consumes. Every node keeps
// the byte offset where it starts so that compile errors can name the column.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace periscope::ottl {

enum class BinaryOp : uint8_t { kOr, kAnd, kEq, kNe, kLt, kLe, kGt, kGe, kAdd, kSub, kMul, kDiv };

const char* toString(BinaryOp op);

struct Node;
using NodePtr = std::unique_ptr<Node>;

// A path segment: `attributes` or an index `["key"]` / `[0]` after one.
struct PathSegment {
  std::string name;                // empty for an index
  std::optional<std::string> key;  // ["key"]
  std::optional<int64_t> index;    // [0]
};

struct Node {
  enum class Kind : uint8_t {
    kNil,
    kBool,
    kInt,
    kFloat,
    kString,
    kBytes,
    kList,
    kEnum,  // SPAN_KIND_SERVER
    kPath,  // resource.attributes["k"]
    kCall,  // IsMatch(x, "re"), set(x, y)
    kNot,
    kNegate,  // unary minus on a non-literal
    kBinary,
  };

  Kind kind = Kind::kNil;
  size_t offset = 0;
  bool b = false;
  int64_t i = 0;
  double d = 0;
  std::string text;               // string/bytes value, enum or function name
  std::vector<PathSegment> path;  // kPath
  std::vector<NodePtr> children;  // list items, call arguments, operands
  BinaryOp op = BinaryOp::kEq;    // kBinary

  // Canonical form: binary expressions fully parenthesised, strings re-escaped, e.g.
  // `((name == "a") or IsMatch(attributes["k"], "^x"))`.
  std::string print() const;
};

// A statement (`editor(args) where cond`) or a condition (a boolean expression).
struct ParsedStatement {
  NodePtr invocation;  // kCall; null for conditions
  NodePtr condition;   // the `where` clause or the condition itself; may be null for statements
  std::string print() const;
};

}  // namespace periscope::ottl
