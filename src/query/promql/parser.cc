#include "query/promql/parser.h"

#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>

#include "query/promql/functions.h"
#include "query/promql/lexer.h"
#include "query/promql/printer.h"
#include "query/promql/quoting.h"

namespace periscope::query::promql {
namespace {

// Bounds on nesting, so that hostile input cannot overflow the stack: kMaxDepth for the
// parser's own recursion (parentheses, calls, unary chains), kMaxHeight for the tree that the
// checker and the printer recurse over (long `a or b or …` chains are wide, not deep, in the
// text but deep in the tree).
constexpr int kMaxDepth = 200;
constexpr uint32_t kMaxHeight = 1000;

// Binding power, loosest first; `^` is the only right-associative one.
int precedence(BinaryOp op) {
  switch (op) {
    case BinaryOp::kOr:
      return 1;
    case BinaryOp::kAnd:
    case BinaryOp::kUnless:
      return 2;
    case BinaryOp::kEql:
    case BinaryOp::kNeq:
    case BinaryOp::kLte:
    case BinaryOp::kLss:
    case BinaryOp::kGte:
    case BinaryOp::kGtr:
      return 3;
    case BinaryOp::kAdd:
    case BinaryOp::kSub:
      return 4;
    case BinaryOp::kMul:
    case BinaryOp::kDiv:
    case BinaryOp::kMod:
    case BinaryOp::kAtan2:
      return 5;
    case BinaryOp::kPow:
      return 6;
  }
  return 0;
}
constexpr int kPowPrecedence = 6;

// Keywords are case-insensitive, as in Prometheus.
bool isWord(const Token& t, std::string_view lower) {
  if (t.kind != TokenKind::kIdentifier || t.text.size() != lower.size()) return false;
  for (size_t i = 0; i < lower.size(); ++i) {
    char c = t.text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

std::optional<BinaryOp> binaryOpOf(const Token& t) {
  switch (t.kind) {
    case TokenKind::kPow:
      return BinaryOp::kPow;
    case TokenKind::kMul:
      return BinaryOp::kMul;
    case TokenKind::kDiv:
      return BinaryOp::kDiv;
    case TokenKind::kMod:
      return BinaryOp::kMod;
    case TokenKind::kAdd:
      return BinaryOp::kAdd;
    case TokenKind::kSub:
      return BinaryOp::kSub;
    case TokenKind::kEql:
      return BinaryOp::kEql;
    case TokenKind::kNeq:
      return BinaryOp::kNeq;
    case TokenKind::kLte:
      return BinaryOp::kLte;
    case TokenKind::kLss:
      return BinaryOp::kLss;
    case TokenKind::kGte:
      return BinaryOp::kGte;
    case TokenKind::kGtr:
      return BinaryOp::kGtr;
    case TokenKind::kIdentifier:
      if (isWord(t, "and")) return BinaryOp::kAnd;
      if (isWord(t, "or")) return BinaryOp::kOr;
      if (isWord(t, "unless")) return BinaryOp::kUnless;
      if (isWord(t, "atan2")) return BinaryOp::kAtan2;
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

std::optional<AggregateOp> aggregateOpOf(const Token& t) {
  static constexpr AggregateOp kOps[] = {
      AggregateOp::kSum,  AggregateOp::kAvg,     AggregateOp::kCount,       AggregateOp::kMin,
      AggregateOp::kMax,  AggregateOp::kGroup,   AggregateOp::kStddev,      AggregateOp::kStdvar,
      AggregateOp::kTopk, AggregateOp::kBottomk, AggregateOp::kCountValues, AggregateOp::kQuantile};
  for (AggregateOp op : kOps)
    if (isWord(t, aggregateOpName(op))) return op;
  return std::nullopt;
}

class Parser {
 public:
  explicit Parser(std::string_view query) : query_(query), tokens_(lex(query)) {}

  Result<Expr> run() {
    NodeId root = parseExpr();
    if (root != kNoNode && peek().kind != TokenKind::kEof) root = unexpected(peek(), "");
    if (root != kNoNode && !check(root)) root = kNoNode;
    if (root == kNoNode) return *error_;
    return Expr(std::move(nodes_), root);
  }

 private:
  // --- tokens and errors ---

  const Token& peek(size_t ahead = 0) const {
    return tokens_[std::min(next_ + ahead, tokens_.size() - 1)];
  }
  const Token& take() {
    const Token& t = tokens_[next_];
    if (next_ + 1 < tokens_.size()) ++next_;  // the last token (end or error) stays current
    return t;
  }

  NodeId fail(uint32_t pos, std::string message) {
    if (!error_) {
      size_t line = 1;
      size_t line_start = 0;
      for (size_t i = 0; i < pos && i < query_.size(); ++i) {
        if (query_[i] == '\n') ++line, line_start = i + 1;
      }
      error_ = invalidArgument(std::to_string(line) + ":" + std::to_string(pos - line_start + 1) +
                               ": parse error: " + message);
    }
    return kNoNode;
  }

  NodeId unexpected(const Token& t, std::string_view expected) {
    if (t.kind == TokenKind::kError) return fail(t.pos, t.value);
    std::string message = "unexpected " + describeToken(t);
    if (!expected.empty()) message += ", expected " + std::string(expected);
    return fail(t.pos, std::move(message));
  }

  // Consumes a token of the given kind, or fails naming what was expected.
  bool expect(TokenKind kind, std::string_view expected) {
    if (peek().kind == kind) {
      take();
      return true;
    }
    unexpected(peek(), expected);
    return false;
  }

  // --- nodes ---

  // children: the node's children, for the height bound.
  NodeId add(Node::Data data, uint32_t pos, std::initializer_list<NodeId> children = {}) {
    uint32_t height = 0;
    for (NodeId c : children)
      if (c != kNoNode) height = std::max(height, heights_[c]);
    return addWithHeight(std::move(data), pos, height + 1);
  }
  NodeId addWithHeight(Node::Data data, uint32_t pos, uint32_t height) {
    if (height > kMaxHeight) return fail(pos, "expression nested too deeply");
    Node& n = nodes_.emplace_back();
    n.data = std::move(data);
    n.pos = pos;
    heights_.push_back(height);
    return static_cast<NodeId>(nodes_.size() - 1);
  }
  template <typename T>
  T* get(NodeId id) {
    return std::get_if<T>(&nodes_[id].data);
  }

  // --- grammar ---

  NodeId parseExpr() { return parseBinary(0); }

  NodeId parseBinary(int min_prec) {
    NodeId lhs = parseUnary();
    while (lhs != kNoNode) {
      std::optional<BinaryOp> op = binaryOpOf(peek());
      if (!op || precedence(*op) < min_prec) break;
      Binary b;
      b.op = *op;
      b.op_pos = take().pos;
      if (isWord(peek(), "bool")) {
        take();
        b.return_bool = true;
      }
      if (!parseVectorMatching(b)) return kNoNode;
      int next_min = b.op == BinaryOp::kPow ? precedence(*op) : precedence(*op) + 1;
      NodeId rhs = parseBinary(next_min);
      if (rhs == kNoNode) return kNoNode;
      b.lhs = lhs;
      b.rhs = rhs;
      lhs = add(std::move(b), nodes_[lhs].pos, {lhs, rhs});
    }
    return lhs;
  }

  // [on|ignoring (labels) [group_left|group_right [(labels)]]]
  bool parseVectorMatching(Binary& b) {
    bool on = isWord(peek(), "on");
    if (on || isWord(peek(), "ignoring")) {
      take();
      b.on = on;
      if (!parseLabelList(b.labels)) return false;
    } else if (isWord(peek(), "group_left") || isWord(peek(), "group_right")) {
      unexpected(peek(), "on or ignoring before it");
      return false;
    } else {
      return true;
    }
    bool left = isWord(peek(), "group_left");
    if (left || isWord(peek(), "group_right")) {
      take();
      b.card = left ? Cardinality::kManyToOne : Cardinality::kOneToMany;
      if (peek().kind == TokenKind::kLeftParen && !parseLabelList(b.include)) return false;
    }
    return true;
  }

  // Unary minus and plus bind like `*`: looser than `^` (-2 ^ 2 is -(2 ^ 2)), tighter than
  // everything else. On a number literal they fold into it, as in Prometheus.
  NodeId parseUnary() {
    if (++depth_ > kMaxDepth) return fail(peek().pos, "expression nested too deeply");
    NodeId result;
    const Token& t = peek();
    if (t.kind == TokenKind::kSub || t.kind == TokenKind::kAdd) {
      UnaryOp op = t.kind == TokenKind::kSub ? UnaryOp::kMinus : UnaryOp::kPlus;
      uint32_t pos = take().pos;
      result = parseBinary(kPowPrecedence);
      if (result != kNoNode) {
        if (auto* num = get<NumberLiteral>(result)) {
          if (op == UnaryOp::kMinus) num->value = -num->value;
          nodes_[result].pos = pos;
        } else {
          result = add(Unary{op, result}, pos, {result});
        }
      }
    } else {
      result = parsePostfix();
    }
    --depth_;
    return result;
  }

  // A primary followed by any of [range], [range:step], offset d, @ t.
  NodeId parsePostfix() {
    NodeId e = parsePrimary();
    while (e != kNoNode) {
      if (peek().kind == TokenKind::kLeftBracket) {
        e = parseRangeOrSubquery(e);
      } else if (isWord(peek(), "offset")) {
        e = parseOffset(e);
      } else if (peek().kind == TokenKind::kAt) {
        e = parseAt(e);
      } else {
        break;
      }
    }
    return e;
  }

  NodeId parseRangeOrSubquery(NodeId e) {
    uint32_t bracket = take().pos;
    const Token& range = peek();
    if (range.kind != TokenKind::kDuration) return unexpected(range, "duration");
    take();
    if (peek().kind == TokenKind::kColon) {
      take();
      Subquery s;
      s.expr = e;
      s.range_ms = range.duration_ms;
      if (peek().kind == TokenKind::kDuration) s.step_ms = take().duration_ms;
      if (!expect(TokenKind::kRightBracket, s.step_ms == 0 ? "duration or \"]\"" : "\"]\""))
        return kNoNode;
      return add(std::move(s), nodes_[e].pos, {e});
    }
    if (!expect(TokenKind::kRightBracket, "\":\" or \"]\"")) return kNoNode;
    auto* vs = get<VectorSelector>(e);
    if (vs == nullptr) return fail(bracket, "ranges only allowed for vector selectors");
    if (vs->offset_ms != 0) return fail(bracket, "no offset modifiers allowed before range");
    if (vs->at.kind != AtModifier::Kind::kNone)
      return fail(bracket, "no @ modifiers allowed before range");
    return add(MatrixSelector{e, range.duration_ms}, nodes_[e].pos, {e});
  }

  // Where offset and @ go: the selector (also inside a range selector) or the subquery.
  struct ModifierTarget {
    int64_t* offset_ms = nullptr;
    AtModifier* at = nullptr;
  };
  ModifierTarget modifierTarget(NodeId e) {
    if (auto* m = get<MatrixSelector>(e)) e = m->selector;
    if (auto* vs = get<VectorSelector>(e)) return {&vs->offset_ms, &vs->at};
    if (auto* s = get<Subquery>(e)) return {&s->offset_ms, &s->at};
    return {};
  }

  NodeId parseOffset(NodeId e) {
    uint32_t pos = take().pos;
    ModifierTarget target = modifierTarget(e);
    if (target.offset_ms == nullptr)
      return fail(pos,
                  "offset modifier must be preceded by an instant vector selector or range "
                  "vector selector or a subquery");
    if (*target.offset_ms != 0) return fail(pos, "offset may not be set multiple times");
    bool negative = peek().kind == TokenKind::kSub;
    if (negative) take();
    const Token& d = peek();
    if (d.kind != TokenKind::kDuration) return unexpected(d, "duration");
    take();
    *target.offset_ms = negative ? -d.duration_ms : d.duration_ms;
    return e;
  }

  NodeId parseAt(NodeId e) {
    uint32_t pos = take().pos;
    ModifierTarget target = modifierTarget(e);
    if (target.at == nullptr)
      return fail(pos,
                  "@ modifier must be preceded by an instant vector selector or range vector "
                  "selector or a subquery");
    if (target.at->kind != AtModifier::Kind::kNone)
      return fail(pos, "@ <timestamp> may not be set multiple times");
    bool start = isWord(peek(), "start");
    if (start || isWord(peek(), "end")) {
      take();
      if (!expect(TokenKind::kLeftParen, "\"(\"") || !expect(TokenKind::kRightParen, "\")\""))
        return kNoNode;
      target.at->kind = start ? AtModifier::Kind::kStart : AtModifier::Kind::kEnd;
      return e;
    }
    bool negative = peek().kind == TokenKind::kSub;
    if (negative || peek().kind == TokenKind::kAdd) take();
    const Token& t = peek();
    if (t.kind != TokenKind::kNumber) return unexpected(t, "timestamp, start() or end()");
    take();
    double seconds = negative ? -t.number : t.number;
    // Milliseconds must fit an int64.
    if (!std::isfinite(seconds) || std::abs(seconds) >= 9.2e15)
      return fail(t.pos, "timestamp out of bounds for @ modifier: " + formatNumber(seconds));
    target.at->kind = AtModifier::Kind::kTimestamp;
    target.at->timestamp_ms = static_cast<int64_t>(std::llround(seconds * 1000));
    return e;
  }

  NodeId parsePrimary() {
    const Token& t = peek();
    switch (t.kind) {
      case TokenKind::kNumber:
        take();
        return add(NumberLiteral{t.number}, t.pos);
      case TokenKind::kString:
        take();
        return add(StringLiteral{t.value}, t.pos);
      case TokenKind::kLeftParen: {
        take();
        NodeId inner = parseExpr();
        if (inner == kNoNode || !expect(TokenKind::kRightParen, "\")\"")) return kNoNode;
        return add(Paren{inner}, t.pos, {inner});
      }
      case TokenKind::kLeftBrace:
        return parseSelector("", t.pos);
      case TokenKind::kIdentifier:
        break;
      default:
        return unexpected(t, "expression");
    }
    if (std::optional<AggregateOp> op = aggregateOpOf(t)) return parseAggregate(*op);
    if (peek(1).kind == TokenKind::kLeftParen) return parseCall();
    if (binaryOpOf(t)) return unexpected(t, "expression");
    take();
    return parseSelector(std::string(t.text), t.pos);
  }

  // metric_name, metric_name{…} or {…}; the name was taken already.
  NodeId parseSelector(std::string name, uint32_t pos) {
    VectorSelector vs;
    vs.name = std::move(name);
    bool non_empty = !vs.name.empty();
    if (peek().kind == TokenKind::kLeftBrace) {
      take();
      while (peek().kind != TokenKind::kRightBrace) {
        const Token& label = peek();
        if (label.kind != TokenKind::kIdentifier) return unexpected(label, "label name");
        take();
        LabelMatcher m;
        m.name = std::string(label.text);
        switch (peek().kind) {
          case TokenKind::kAssign:
            m.op = MatchOp::kEqual;
            break;
          case TokenKind::kNeq:
            m.op = MatchOp::kNotEqual;
            break;
          case TokenKind::kEqlRegex:
            m.op = MatchOp::kRegexMatch;
            break;
          case TokenKind::kNeqRegex:
            m.op = MatchOp::kRegexNoMatch;
            break;
          default:
            return unexpected(peek(), "label matching operator");
        }
        take();
        const Token& value = peek();
        if (value.kind != TokenKind::kString) return unexpected(value, "string");
        take();
        m.value = value.value;
        bool matches_empty = m.value.empty();
        if (m.op == MatchOp::kRegexMatch || m.op == MatchOp::kRegexNoMatch) {
          RE2::Options options;
          options.set_log_errors(false);
          RE2 re(m.value, options);
          if (!re.ok())
            return fail(value.pos,
                        "invalid regular expression " + quote(m.value) + ": " + re.error());
          matches_empty = RE2::FullMatch("", re);
        }
        bool negated = m.op == MatchOp::kNotEqual || m.op == MatchOp::kRegexNoMatch;
        // Prometheus's guard against selecting every series by a typo.
        if (matches_empty == negated) non_empty = true;
        if (!vs.name.empty() && m.name == "__name__")
          return fail(pos, "metric name must not be set twice: " + quote(vs.name) + " or " +
                               quote(m.value));
        vs.matchers.push_back(std::move(m));
        if (peek().kind == TokenKind::kComma) {
          take();
        } else if (peek().kind != TokenKind::kRightBrace) {
          return unexpected(peek(), "\",\" or \"}\"");
        }
      }
      take();
    }
    if (!non_empty) return fail(pos, "vector selector must contain at least one non-empty matcher");
    return add(std::move(vs), pos);
  }

  // (label, …) with an optional trailing comma.
  bool parseLabelList(std::vector<std::string>& labels) {
    if (!expect(TokenKind::kLeftParen, "\"(\"")) return false;
    while (peek().kind != TokenKind::kRightParen) {
      const Token& t = peek();
      if (t.kind != TokenKind::kIdentifier || t.text.find(':') != std::string_view::npos) {
        unexpected(t, "label");
        return false;
      }
      labels.emplace_back(take().text);
      if (peek().kind == TokenKind::kComma) {
        take();
      } else if (peek().kind != TokenKind::kRightParen) {
        unexpected(peek(), "\",\" or \")\"");
        return false;
      }
    }
    take();
    return true;
  }

  // (arg, …); a trailing comma is an error, as in Prometheus.
  bool parseArgs(std::vector<NodeId>& args) {
    if (!expect(TokenKind::kLeftParen, "\"(\"")) return false;
    if (peek().kind == TokenKind::kRightParen) {
      take();
      return true;
    }
    while (true) {
      NodeId arg = parseExpr();
      if (arg == kNoNode) return false;
      args.push_back(arg);
      if (peek().kind == TokenKind::kRightParen) break;
      if (peek().kind != TokenKind::kComma) {
        unexpected(peek(), "\",\" or \")\"");
        return false;
      }
      uint32_t comma = take().pos;
      if (peek().kind == TokenKind::kRightParen) {
        fail(comma, "trailing commas not allowed in function call args");
        return false;
      }
    }
    take();
    return true;
  }

  bool parseGrouping(Aggregate& a) {
    a.without = isWord(peek(), "without");
    take();
    return parseLabelList(a.grouping);
  }

  // op [by|without (labels)] (args) [by|without (labels)]
  NodeId parseAggregate(AggregateOp op) {
    uint32_t pos = take().pos;
    Aggregate a;
    a.op = op;
    bool grouped = isWord(peek(), "by") || isWord(peek(), "without");
    if (grouped && !parseGrouping(a)) return kNoNode;
    if (peek().kind != TokenKind::kLeftParen)
      return unexpected(peek(), grouped ? "\"(\"" : "\"(\", by or without");
    std::vector<NodeId> args;
    if (!parseArgs(args)) return kNoNode;
    if (!grouped && (isWord(peek(), "by") || isWord(peek(), "without")) && !parseGrouping(a))
      return kNoNode;
    if (args.empty()) return fail(pos, "no arguments for aggregate expression provided");
    size_t want = aggregateTakesParam(op) ? 2 : 1;
    if (args.size() != want)
      return fail(pos, "wrong number of arguments for aggregate expression provided, expected " +
                           std::to_string(want) + ", got " + std::to_string(args.size()));
    if (want == 2) a.param = args[0];
    a.expr = args.back();
    return add(std::move(a), pos, {a.param, a.expr});
  }

  NodeId parseCall() {
    const Token& name = take();
    const Function* func = findFunction(name.text);
    if (func == nullptr) return fail(name.pos, "unknown function with name " + quote(name.text));
    Call c;
    c.func = func;
    if (!parseArgs(c.args)) return kNoNode;
    uint32_t height = 0;
    for (NodeId arg : c.args) height = std::max(height, heights_[arg]);
    return addWithHeight(std::move(c), name.pos, height + 1);
  }

  // --- types (after parsing, so syntax errors are reported first, as in Prometheus) ---

  bool expectType(NodeId id, ValueType want, std::string_view context) {
    if (nodes_[id].type == want) return true;
    fail(nodes_[id].pos, "expected type " + std::string(valueTypeName(want)) + " in " +
                             std::string(context) + ", got " +
                             std::string(valueTypeName(nodes_[id].type)));
    return false;
  }

  bool check(NodeId id) {
    Node& n = nodes_[id];
    switch (n.kind()) {
      case NodeKind::kNumberLiteral:
        n.type = ValueType::kScalar;
        return true;
      case NodeKind::kStringLiteral:
        n.type = ValueType::kString;
        return true;
      case NodeKind::kVectorSelector:
        n.type = ValueType::kVector;
        return true;
      case NodeKind::kMatrixSelector:
        if (!check(std::get<MatrixSelector>(n.data).selector)) return false;
        nodes_[id].type = ValueType::kMatrix;
        return true;
      case NodeKind::kSubquery: {
        NodeId inner = std::get<Subquery>(n.data).expr;
        if (!check(inner)) return false;
        if (nodes_[inner].type != ValueType::kVector) {
          fail(nodes_[id].pos, "subquery is only allowed on instant vector, got " +
                                   std::string(valueTypeName(nodes_[inner].type)));
          return false;
        }
        nodes_[id].type = ValueType::kMatrix;
        return true;
      }
      case NodeKind::kCall:
        return checkCall(id);
      case NodeKind::kAggregate: {
        const Aggregate& a = std::get<Aggregate>(n.data);  // nodes_ does not grow while checking
        if (a.param != kNoNode && !check(a.param)) return false;
        if (!check(a.expr)) return false;
        if (a.op == AggregateOp::kCountValues) {
          if (!expectType(a.param, ValueType::kString, "aggregation parameter")) return false;
        } else if (a.param != kNoNode) {
          if (!expectType(a.param, ValueType::kScalar, "aggregation parameter")) return false;
        }
        if (!expectType(a.expr, ValueType::kVector, "aggregation expression")) return false;
        nodes_[id].type = ValueType::kVector;
        return true;
      }
      case NodeKind::kBinary:
        return checkBinary(id);
      case NodeKind::kUnary: {
        NodeId inner = std::get<Unary>(n.data).expr;
        if (!check(inner)) return false;
        ValueType t = nodes_[inner].type;
        if (t != ValueType::kScalar && t != ValueType::kVector) {
          fail(nodes_[id].pos,
               "unary expression only allowed on expressions of type scalar or instant vector, "
               "got " +
                   quote(valueTypeName(t)));
          return false;
        }
        nodes_[id].type = t;
        return true;
      }
      case NodeKind::kParen: {
        NodeId inner = std::get<Paren>(n.data).expr;
        if (!check(inner)) return false;
        nodes_[id].type = nodes_[inner].type;
        return true;
      }
    }
    return false;
  }

  bool checkCall(NodeId id) {
    const Call& c = std::get<Call>(nodes_[id].data);
    for (NodeId arg : c.args)
      if (!check(arg)) return false;
    const Function& f = *c.func;
    size_t n = c.args.size();
    std::string fname = quote(f.name);
    auto count = [&](std::string_view bound, size_t want) {
      fail(nodes_[id].pos, "expected " + std::string(bound) + std::to_string(want) +
                               " argument(s) in call to " + fname + ", got " + std::to_string(n));
      return false;
    };
    if (f.min_args == f.max_args && n != f.min_args) return count("", f.min_args);
    if (n < f.min_args) return count("at least ", f.min_args);
    if (f.max_args >= 0 && n > static_cast<size_t>(f.max_args))
      return count("at most ", static_cast<size_t>(f.max_args));
    for (size_t i = 0; i < n; ++i) {
      ValueType want = f.arg_types[std::min<size_t>(i, f.arg_count - 1)];
      if (!expectType(c.args[i], want, "call to function " + fname)) return false;
    }
    nodes_[id].type = f.return_type;
    return true;
  }

  bool checkBinary(NodeId id) {
    NodeId lhs = std::get<Binary>(nodes_[id].data).lhs;
    NodeId rhs = std::get<Binary>(nodes_[id].data).rhs;
    if (!check(lhs) || !check(rhs)) return false;
    Binary& b = std::get<Binary>(nodes_[id].data);
    ValueType lt = nodes_[lhs].type;
    ValueType rt = nodes_[rhs].type;
    std::string op = quote(binaryOpText(b.op));
    auto bad = [&](uint32_t pos, std::string message) {
      fail(pos, std::move(message));
      return false;
    };
    if (b.return_bool && !isComparison(b.op))
      return bad(b.op_pos, "bool modifier can only be used on comparison operators");
    if (isComparison(b.op) && !b.return_bool && lt == ValueType::kScalar &&
        rt == ValueType::kScalar)
      return bad(b.op_pos, "comparisons between scalars must use BOOL modifier");
    if (isSetOperator(b.op) && b.card == Cardinality::kOneToOne) b.card = Cardinality::kManyToMany;
    if (b.on) {
      for (const std::string& l : b.labels)
        if (std::find(b.include.begin(), b.include.end(), l) != b.include.end())
          return bad(b.op_pos,
                     "label " + quote(l) + " must not occur in ON and GROUP clause at once");
    }
    for (NodeId side : {lhs, rhs}) {
      ValueType t = nodes_[side].type;
      if (t != ValueType::kScalar && t != ValueType::kVector)
        return bad(nodes_[side].pos,
                   "binary expression must contain only scalar and instant vector types");
    }
    bool vectors = lt == ValueType::kVector && rt == ValueType::kVector;
    if (!vectors) {
      if (isSetOperator(b.op))
        return bad(b.op_pos, "set operator " + op + " not allowed in binary scalar expression");
      if (!b.labels.empty())
        return bad(b.op_pos, "vector matching only allowed between instant vectors");
      // Matching has no meaning with a scalar side; drop it so the canonical text omits it.
      b.card = Cardinality::kOneToOne;
      b.on = false;
      b.include.clear();
    } else if (isSetOperator(b.op) && b.card != Cardinality::kManyToMany) {
      return bad(b.op_pos, "no grouping allowed for " + op + " operation");
    }
    bool scalars = lt == ValueType::kScalar && rt == ValueType::kScalar;
    nodes_[id].type = scalars ? ValueType::kScalar : ValueType::kVector;
    return true;
  }

  std::string_view query_;
  std::vector<Token> tokens_;
  size_t next_ = 0;
  int depth_ = 0;
  std::vector<Node> nodes_;
  std::vector<uint32_t> heights_;
  std::optional<Status> error_;
};

}  // namespace

Result<Expr> parse(std::string_view query) {
  return Parser(query).run();
}

}  // namespace periscope::query::promql
