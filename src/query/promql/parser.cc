#include "query/promql/parser.h"

#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>
#include <unordered_map>
#include <utility>

#include "query/promql/functions.h"
#include "query/promql/lexer.h"
#include "query/promql/parser_tokens.h"
#include "query/promql/printer.h"
#include "query/promql/quoting.h"
#include "query/promql/regex_errors.h"

namespace periscope::query::promql {
namespace {

// Bounds on nesting, so that hostile input cannot overflow the stack: kMaxDepth for the
// parser's own recursion (parentheses, calls, unary chains), kMaxHeight for the tree that the
// checker and the printer recurse over (long `a or b or …` chains are wide, not deep, in the
// text but deep in the tree).
constexpr int kMaxDepth = 200;
constexpr uint32_t kMaxHeight = 1000;

// The facts about a selector that the type check reports on (Prometheus checks them after
// parsing, so a syntax error later in the query wins).
struct SelectorFacts {
  bool non_empty = false;                  // some matcher does not match ""
  std::optional<std::string> second_name;  // a __name__ matcher besides the written name
};

class Parser {
 public:
  explicit Parser(std::string_view query) : query_(query), tokens_(lex(query)) {}

  Result<Expr> run() {
    if (peek().kind == TokenKind::kEof) {
      fail(0, "no expression found in input");
      return *error_;
    }
    NodeId root = parseExpr();
    if (root != kNoNode && peek().kind != TokenKind::kEof) root = unexpected(peek());
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

  // A syntax error at token t, worded like Prometheus's: "unexpected <t> in <context>,
  // expected <what>"; the context is that of the innermost grammar rule with an error
  // alternative. A lexing error is reported as itself.
  NodeId unexpected(const Token& t, std::string_view context, std::string_view expected) {
    if (t.kind == TokenKind::kError) return fail(t.pos, t.value);
    std::string message = "unexpected " + describeToken(t);
    if (!context.empty()) message += " in " + std::string(context);
    if (!expected.empty()) message += ", expected " + std::string(expected);
    return fail(t.pos, std::move(message));
  }
  // Where no rule of its own applies: inside an aggregation's arguments the aggregation's.
  NodeId unexpected(const Token& t) {
    return unexpected(t, aggregation_depth_ > 0 ? "aggregation" : "", "");
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

  // --- literals ---

  std::optional<double> number(const Token& t) {
    double value = 0;
    if (std::optional<std::string> error = parseNumber(t.text, value)) {
      fail(t.pos, "error parsing number: " + *error);
      return std::nullopt;
    }
    return value;
  }
  std::optional<int64_t> duration(const Token& t) {
    int64_t ms = 0;
    if (std::optional<std::string> error = parseDuration(t.text, ms)) {
      fail(t.pos, *error);
      return std::nullopt;
    }
    return ms;
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
      // Prometheus reports errors about the operator from the first non-space after the
      // left-hand side (which may be a comment).
      size_t at = tokens_[next_ - (next_ > 0 ? 1 : 0)].end();
      while (at < query_.size() &&
             std::string_view(" \t\n\r").find(query_[at]) != std::string_view::npos)
        ++at;
      take();
      b.op_pos = static_cast<uint32_t>(at);
      if (isKeyword(peek(), Keyword::kBool)) {
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
    bool on = isKeyword(peek(), Keyword::kOn);
    if (!on && !isKeyword(peek(), Keyword::kIgnoring)) return true;
    take();
    b.on = on;
    if (!parseGroupingLabels(b.labels)) return false;
    bool left = isKeyword(peek(), Keyword::kGroupLeft);
    if (!left && !isKeyword(peek(), Keyword::kGroupRight)) return true;
    take();
    b.card = left ? Cardinality::kManyToOne : Cardinality::kOneToMany;
    // The label list is optional, but only an expression may follow without it.
    if (peek().kind != TokenKind::kLeftParen && startsExpression(peek())) return true;
    return parseGroupingLabels(b.include);
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
      } else if (isKeyword(peek(), Keyword::kOffset)) {
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
    const Token& range_token = peek();
    if (range_token.kind != TokenKind::kDuration)
      return unexpected(range_token, "subquery selector", "duration");
    take();
    std::optional<int64_t> range = duration(range_token);
    if (!range) return kNoNode;
    if (peek().kind == TokenKind::kColon) {
      take();
      Subquery s;
      s.expr = e;
      s.range_ms = *range;
      if (peek().kind == TokenKind::kDuration) {
        std::optional<int64_t> step = duration(take());
        if (!step) return kNoNode;
        s.step_ms = *step;
        if (peek().kind != TokenKind::kRightBracket)
          return unexpected(peek(), "subquery selector", "\"]\"");
      } else if (peek().kind != TokenKind::kRightBracket) {
        return unexpected(peek(), "subquery selector", "duration or \"]\"");
      }
      take();
      return add(std::move(s), nodes_[e].pos, {e});
    }
    if (peek().kind != TokenKind::kRightBracket)
      return unexpected(peek(), "subquery or range", "\":\" or \"]\"");
    take();
    auto* vs = get<VectorSelector>(e);
    if (vs == nullptr) return fail(bracket, "ranges only allowed for vector selectors");
    if (vs->offset_ms != 0) return fail(bracket, "no offset modifiers allowed before range");
    if (vs->at.kind != AtModifier::Kind::kNone)
      return fail(bracket, "no @ modifiers allowed before range");
    return add(MatrixSelector{e, *range}, nodes_[e].pos, {e});
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

  // Errors about the modifier name the expression it modifies, as in Prometheus.
  NodeId parseOffset(NodeId e) {
    take();
    bool negative = peek().kind == TokenKind::kSub;
    if (negative) take();
    const Token& d = peek();
    if (d.kind != TokenKind::kDuration) return unexpected(d, "offset", "duration");
    take();
    std::optional<int64_t> ms = duration(d);
    if (!ms) return kNoNode;
    ModifierTarget target = modifierTarget(e);
    if (target.offset_ms == nullptr)
      return fail(nodes_[e].pos,
                  "offset modifier must be preceded by an instant vector selector or range "
                  "vector selector or a subquery");
    if (*target.offset_ms != 0) return fail(nodes_[e].pos, "offset may not be set multiple times");
    *target.offset_ms = negative ? -*ms : *ms;
    return e;
  }

  NodeId parseAt(NodeId e) {
    take();
    const Token& first = peek();
    if (isKeyword(first, Keyword::kStart) || isKeyword(first, Keyword::kEnd)) {
      take();
      if (peek().kind != TokenKind::kLeftParen) return unexpected(peek(), "@", "timestamp");
      take();
      if (peek().kind != TokenKind::kRightParen) return unexpected(peek(), "@", "timestamp");
      take();
      AtModifier* at = atTarget(e);
      if (at == nullptr) return kNoNode;
      at->kind =
          first.keyword == Keyword::kStart ? AtModifier::Kind::kStart : AtModifier::Kind::kEnd;
      return e;
    }
    bool negative = first.kind == TokenKind::kSub;
    if (negative || first.kind == TokenKind::kAdd) take();
    const Token& t = peek();
    if (t.kind != TokenKind::kNumber) return unexpected(t, "@", "timestamp");
    take();
    std::optional<double> value = number(t);
    if (!value) return kNoNode;
    double seconds = negative ? -*value : *value;
    constexpr double kBound = 9223372036854775807.0;  // float64(math.MaxInt64)
    if (!std::isfinite(seconds) || seconds >= kBound || seconds <= -kBound)
      return fail(nodes_[e].pos, "timestamp out of bounds for @ modifier: " + formatFixed(seconds));
    AtModifier* at = atTarget(e);
    if (at == nullptr) return kNoNode;
    at->kind = AtModifier::Kind::kTimestamp;
    // Milliseconds as Prometheus rounds them; beyond ±2^62 ms (146 million years) they are
    // clamped, where Go's conversion would overflow, so that evaluation arithmetic cannot.
    constexpr double kMaxMs = 4611686018427387904.0;
    double ms = std::round(seconds * 1000);
    at->timestamp_ms = static_cast<int64_t>(std::clamp(ms, -kMaxMs, kMaxMs));
    return e;
  }

  AtModifier* atTarget(NodeId e) {
    ModifierTarget target = modifierTarget(e);
    if (target.at == nullptr) {
      fail(nodes_[e].pos,
           "@ modifier must be preceded by an instant vector selector or range vector selector "
           "or a subquery");
      return nullptr;
    }
    if (target.at->kind != AtModifier::Kind::kNone) {
      fail(nodes_[e].pos, "@ <timestamp> may not be set multiple times");
      return nullptr;
    }
    return target.at;
  }

  NodeId parsePrimary() {
    const Token& t = peek();
    switch (t.kind) {
      case TokenKind::kNumber: {
        take();
        std::optional<double> value = number(t);
        if (!value) return kNoNode;
        return add(NumberLiteral{*value}, t.pos);
      }
      case TokenKind::kString:
        take();
        return add(StringLiteral{t.value}, t.pos);
      case TokenKind::kLeftParen: {
        take();
        NodeId inner = parseExpr();
        if (inner == kNoNode) return kNoNode;
        if (peek().kind != TokenKind::kRightParen) return unexpected(peek());
        take();
        return add(Paren{inner}, t.pos, {inner});
      }
      case TokenKind::kLeftBrace:
        return parseSelector("", t.pos);
      case TokenKind::kIdentifier:
        if (peek(1).kind == TokenKind::kLeftParen) return parseCall();
        break;
      case TokenKind::kMetricIdentifier:
        break;
      case TokenKind::kKeyword:
        if (isAggregatorKeyword(t.keyword)) {
          const Token& n = peek(1);
          if (n.kind == TokenKind::kLeftParen || isKeyword(n, Keyword::kBy) ||
              isKeyword(n, Keyword::kWithout))
            return parseAggregate();
        }
        if (!isMetricNameKeyword(t.keyword)) return unexpected(t);
        break;
      default:
        return unexpected(t);
    }
    take();
    return parseSelector(std::string(t.text), t.pos);
  }

  // metric_name, metric_name{…} or {…}; the name was taken already.
  NodeId parseSelector(std::string name, uint32_t pos) {
    VectorSelector vs;
    vs.name = std::move(name);
    SelectorFacts facts;
    facts.non_empty = !vs.name.empty();
    if (peek().kind == TokenKind::kLeftBrace) {
      take();
      while (peek().kind != TokenKind::kRightBrace) {
        const Token& label = peek();
        if (label.kind != TokenKind::kIdentifier)
          return unexpected(label, "label matching", "identifier or \"}\"");
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
            return unexpected(peek(), "label matching", "label matching operator");
        }
        take();
        const Token& value = peek();
        if (value.kind != TokenKind::kString) return unexpected(value, "label matching", "string");
        take();
        m.value = value.value;
        bool matches_empty = m.value.empty();
        if (m.op == MatchOp::kRegexMatch || m.op == MatchOp::kRegexNoMatch) {
          // Prometheus compiles the value anchored, and its errors show that form.
          RE2::Options options;
          options.set_log_errors(false);
          RE2 re("^(?:" + m.value + ")$", options);
          if (!re.ok()) return fail(label.pos, goRegexpError(re));
          if (std::optional<std::string> go_error = goOnlyRegexpError(m.value))
            return fail(label.pos, *go_error);
          matches_empty = RE2::FullMatch("", re);
        }
        bool negated = m.op == MatchOp::kNotEqual || m.op == MatchOp::kRegexNoMatch;
        // Prometheus's guard against selecting every series by a typo.
        if (matches_empty == negated) facts.non_empty = true;
        if (!vs.name.empty() && m.name == "__name__" && !facts.second_name)
          facts.second_name = m.value;
        vs.matchers.push_back(std::move(m));
        if (peek().kind == TokenKind::kComma) {
          take();
        } else if (peek().kind != TokenKind::kRightBrace) {
          return unexpected(peek(), "label matching", "\",\" or \"}\"");
        }
      }
      take();
    }
    NodeId id = add(std::move(vs), pos);
    if (id != kNoNode) selector_facts_[id] = std::move(facts);
    return id;
  }

  // (label, …) with an optional trailing comma; keywords are labels there.
  bool parseGroupingLabels(std::vector<std::string>& labels) {
    if (peek().kind != TokenKind::kLeftParen) {
      unexpected(peek(), "grouping opts", "\"(\"");
      return false;
    }
    take();
    while (peek().kind != TokenKind::kRightParen) {
      const Token& t = peek();
      bool word = t.kind == TokenKind::kIdentifier || t.kind == TokenKind::kMetricIdentifier ||
                  (t.kind == TokenKind::kKeyword && t.keyword != Keyword::kWithout);
      if (!word || t.kind == TokenKind::kMetricIdentifier) {
        unexpected(t, "grouping opts", "label");
        return false;
      }
      labels.emplace_back(take().text);
      if (peek().kind == TokenKind::kComma) {
        take();
      } else if (peek().kind != TokenKind::kRightParen) {
        unexpected(peek(), "grouping opts", "\",\" or \")\"");
        return false;
      }
    }
    take();
    return true;
  }

  // (arg, …); a trailing comma is an error, as in Prometheus.
  bool parseArgs(std::vector<NodeId>& args) {
    take();  // (
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
        unexpected(peek());
        return false;
      }
      uint32_t comma = take().pos;
      if (!startsExpression(peek())) {
        if (peek().kind == TokenKind::kError) unexpected(peek());
        fail(comma, "trailing commas not allowed in function call args");
        return false;
      }
    }
    take();
    return true;
  }

  bool parseAggregateModifier(Aggregate& a) {
    a.without = isKeyword(take(), Keyword::kWithout);
    return parseGroupingLabels(a.grouping);
  }

  // op [by|without (labels)] (args) [by|without (labels)]
  NodeId parseAggregate() {
    const Token& op_token = take();
    uint32_t pos = op_token.pos;
    Aggregate a;
    a.op = aggregateOpOf(op_token.keyword);
    ++aggregation_depth_;
    bool grouped = peek().kind != TokenKind::kLeftParen;
    if (grouped && !parseAggregateModifier(a)) return kNoNode;
    if (peek().kind != TokenKind::kLeftParen) return unexpected(peek());
    std::vector<NodeId> args;
    if (!parseArgs(args)) return kNoNode;
    if (!grouped) {
      if (isKeyword(peek(), Keyword::kBy) || isKeyword(peek(), Keyword::kWithout)) {
        if (!parseAggregateModifier(a)) return kNoNode;
      } else if (peek().kind == TokenKind::kError) {
        // Prometheus reads the next token to look for a modifier before it counts arguments.
        return unexpected(peek());
      }
    }
    --aggregation_depth_;
    if (args.empty()) return fail(pos, "no arguments for aggregate expression provided");
    size_t want = aggregateTakesParam(a.op) ? 2 : 1;
    if (args.size() != want)
      return fail(pos, "wrong number of arguments for aggregate expression provided, expected " +
                           std::to_string(want) + ", got " + std::to_string(args.size()));
    if (want == 2) a.param = args[0];
    a.expr = args.back();
    return add(std::move(a), pos, {a.param, a.expr});
  }

  NodeId parseCall() {
    const Token& name = take();
    Call c;
    if (!parseArgs(c.args)) return kNoNode;
    c.func = findFunction(name.text);
    if (c.func == nullptr) return fail(name.pos, "unknown function with name " + quote(name.text));
    uint32_t height = 0;
    for (NodeId arg : c.args) height = std::max(height, heights_[arg]);
    return addWithHeight(std::move(c), name.pos, height + 1);
  }

  // --- types (after parsing, so syntax errors are reported first; in Prometheus's order) ---

  bool expectType(NodeId id, ValueType want, std::string_view context) {
    if (!check(id)) return false;
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
      case NodeKind::kVectorSelector: {
        const SelectorFacts& facts = selector_facts_[id];
        if (facts.second_name)
          return fail(n.pos, "metric name must not be set twice: " +
                                 quote(std::get<VectorSelector>(n.data).name) + " or " +
                                 quote(*facts.second_name)),
                 false;
        if (!facts.non_empty)
          return fail(n.pos, "vector selector must contain at least one non-empty matcher"), false;
        n.type = ValueType::kVector;
        return true;
      }
      case NodeKind::kMatrixSelector:
        if (!check(std::get<MatrixSelector>(n.data).selector)) return false;
        nodes_[id].type = ValueType::kMatrix;
        return true;
      case NodeKind::kSubquery: {
        NodeId inner = std::get<Subquery>(n.data).expr;
        if (!check(inner)) return false;
        if (nodes_[inner].type != ValueType::kVector) {
          fail(nodes_[id].pos, "subquery is only allowed on instant vector, got " +
                                   std::string(rawTypeName(nodes_[inner].type)) + " instead");
          return false;
        }
        nodes_[id].type = ValueType::kMatrix;
        return true;
      }
      case NodeKind::kCall:
        return checkCall(id);
      case NodeKind::kAggregate: {
        const Aggregate& a = std::get<Aggregate>(n.data);  // nodes_ does not grow while checking
        if (!expectType(a.expr, ValueType::kVector, "aggregation expression")) return false;
        if (a.op == AggregateOp::kCountValues) {
          if (!expectType(a.param, ValueType::kString, "aggregation parameter")) return false;
        } else if (a.param != kNoNode) {
          if (!expectType(a.param, ValueType::kScalar, "aggregation parameter")) return false;
        }
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

  // Go's names of the value types (the subquery message uses them, not the documented ones).
  static std::string_view rawTypeName(ValueType t) {
    switch (t) {
      case ValueType::kScalar:
        return "scalar";
      case ValueType::kVector:
        return "vector";
      case ValueType::kMatrix:
        return "matrix";
      case ValueType::kString:
        return "string";
    }
    return "";
  }

  // The argument count first, then each argument's own errors and type.
  bool checkCall(NodeId id) {
    const Call& c = std::get<Call>(nodes_[id].data);
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
    uint32_t start = nodes_[id].pos;
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
      if (!b.labels.empty())
        return bad(start, "vector matching only allowed between instant vectors");
      // Matching has no meaning with a scalar side; drop it so the canonical text omits it.
      b.card = Cardinality::kOneToOne;
      b.on = false;
      b.include.clear();
      if (isSetOperator(b.op))
        return bad(start, "set operator " + op + " not allowed in binary scalar expression");
    } else if (isSetOperator(b.op) && b.card != Cardinality::kManyToMany) {
      return bad(start, "no grouping allowed for " + op + " operation");
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
  int aggregation_depth_ = 0;
  std::unordered_map<NodeId, SelectorFacts> selector_facts_;
};

}  // namespace

Result<Expr> parse(std::string_view query) {
  return Parser(query).run();
}

}  // namespace periscope::query::promql
