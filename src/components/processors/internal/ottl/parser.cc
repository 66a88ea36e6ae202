#include "components/processors/internal/ottl/parser.h"

#include <cctype>
#include <charconv>
#include <cstdlib>

namespace periscope::ottl {
namespace {

bool isKeyword(const std::string& s) {
  return s == "and" || s == "or" || s == "not" || s == "where";
}

// SPAN_KIND_SERVER, STATUS_CODE_ERROR: upper case letters, digits and underscores.
bool isEnumName(const std::string& s) {
  if (s.empty() || !std::isupper(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s) {
    if (!(std::isupper(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '_'))
      return false;
  }
  return true;
}

class Parser {
 public:
  Parser(std::vector<Token> tokens, SyntaxError& error) : toks_(std::move(tokens)), error_(error) {}

  bool statement(ParsedStatement& out) {
    const Token& t = peek();
    if (t.kind != TokenKind::kIdent || isKeyword(t.text) || peek(1).kind != TokenKind::kLParen) {
      return fail(t, "expected an editor call such as set(...), found " + describe(t));
    }
    out.invocation = primary();
    if (!out.invocation) return false;
    if (peek().kind == TokenKind::kIdent && peek().text == "where") {
      next();
      out.condition = expr();
      if (!out.condition) return false;
    }
    return atEnd();
  }

  bool condition(ParsedStatement& out) {
    out.condition = expr();
    return out.condition && atEnd();
  }

 private:
  const Token& peek(size_t ahead = 0) const {
    size_t k = std::min(pos_ + ahead, toks_.size() - 1);
    return toks_[k];
  }
  const Token& next() {
    const Token& t = toks_[pos_];
    if (pos_ + 1 < toks_.size()) ++pos_;
    return t;
  }
  bool fail(const Token& t, std::string msg) {
    if (!failed_) error_ = {t.offset, std::move(msg)};
    failed_ = true;
    return false;
  }
  NodePtr unexpected(const Token& t) {
    fail(t, t.kind == TokenKind::kEnd ? "unexpected end of statement"
                                      : "unexpected token " + describe(t));
    return nullptr;
  }
  bool atEnd() {
    if (peek().kind == TokenKind::kEnd) return true;
    unexpected(peek());
    return false;
  }
  bool isWord(const char* w) const { return peek().kind == TokenKind::kIdent && peek().text == w; }
  bool expect(TokenKind kind) {
    if (peek().kind == kind) {
      next();
      return true;
    }
    unexpected(peek());
    return false;
  }

  static NodePtr binary(BinaryOp op, NodePtr l, NodePtr r) {
    auto n = std::make_unique<Node>();
    n->kind = Node::Kind::kBinary;
    n->op = op;
    n->offset = l->offset;
    n->children.push_back(std::move(l));
    n->children.push_back(std::move(r));
    return n;
  }

  NodePtr expr() { return orExpr(); }

  NodePtr orExpr() {
    NodePtr l = andExpr();
    while (l && isWord("or")) {
      next();
      NodePtr r = andExpr();
      if (!r) return nullptr;
      l = binary(BinaryOp::kOr, std::move(l), std::move(r));
    }
    return l;
  }

  NodePtr andExpr() {
    NodePtr l = notExpr();
    while (l && isWord("and")) {
      next();
      NodePtr r = notExpr();
      if (!r) return nullptr;
      l = binary(BinaryOp::kAnd, std::move(l), std::move(r));
    }
    return l;
  }

  NodePtr notExpr() {
    if (isWord("not")) {
      auto n = std::make_unique<Node>();
      n->kind = Node::Kind::kNot;
      n->offset = next().offset;
      NodePtr operand = notExpr();
      if (!operand) return nullptr;
      n->children.push_back(std::move(operand));
      return n;
    }
    return comparison();
  }

  static bool comparisonOp(TokenKind k, BinaryOp& op) {
    switch (k) {
      case TokenKind::kEq:
        op = BinaryOp::kEq;
        return true;
      case TokenKind::kNe:
        op = BinaryOp::kNe;
        return true;
      case TokenKind::kLt:
        op = BinaryOp::kLt;
        return true;
      case TokenKind::kLe:
        op = BinaryOp::kLe;
        return true;
      case TokenKind::kGt:
        op = BinaryOp::kGt;
        return true;
      case TokenKind::kGe:
        op = BinaryOp::kGe;
        return true;
      default:
        return false;
    }
  }

  NodePtr comparison() {
    NodePtr l = additive();
    BinaryOp op;
    if (!l || !comparisonOp(peek().kind, op)) return l;
    next();
    NodePtr r = additive();
    if (!r) return nullptr;
    BinaryOp again;
    if (comparisonOp(peek().kind, again)) return unexpected(peek());  // a == b == c
    return binary(op, std::move(l), std::move(r));
  }

  NodePtr additive() {
    NodePtr l = multiplicative();
    while (l && (peek().kind == TokenKind::kPlus || peek().kind == TokenKind::kMinus)) {
      BinaryOp op = next().kind == TokenKind::kPlus ? BinaryOp::kAdd : BinaryOp::kSub;
      NodePtr r = multiplicative();
      if (!r) return nullptr;
      l = binary(op, std::move(l), std::move(r));
    }
    return l;
  }

  NodePtr multiplicative() {
    NodePtr l = unary();
    while (l && (peek().kind == TokenKind::kStar || peek().kind == TokenKind::kSlash)) {
      BinaryOp op = next().kind == TokenKind::kStar ? BinaryOp::kMul : BinaryOp::kDiv;
      NodePtr r = unary();
      if (!r) return nullptr;
      l = binary(op, std::move(l), std::move(r));
    }
    return l;
  }

  NodePtr unary() {
    if (peek().kind != TokenKind::kMinus) return primary();
    size_t at = next().offset;
    NodePtr operand = unary();
    if (!operand) return nullptr;
    if (operand->kind == Node::Kind::kInt) {
      operand->i = -operand->i;
      operand->offset = at;
      return operand;
    }
    if (operand->kind == Node::Kind::kFloat) {
      operand->d = -operand->d;
      operand->offset = at;
      return operand;
    }
    auto n = std::make_unique<Node>();
    n->kind = Node::Kind::kNegate;
    n->offset = at;
    n->children.push_back(std::move(operand));
    return n;
  }

  NodePtr literal(Node::Kind kind, const Token& t) {
    auto n = std::make_unique<Node>();
    n->kind = kind;
    n->offset = t.offset;
    n->text = t.text;
    return n;
  }

  // Comma-separated expressions up to `close`; the opening token is already consumed.
  bool list(TokenKind close, std::vector<NodePtr>& out) {
    if (peek().kind == close) {
      next();
      return true;
    }
    for (;;) {
      NodePtr item = expr();
      if (!item) return false;
      out.push_back(std::move(item));
      if (peek().kind == TokenKind::kComma) {
        next();
        continue;
      }
      return expect(close);
    }
  }

  NodePtr primary() {
    const Token& t = peek();
    switch (t.kind) {
      case TokenKind::kString:
        next();
        return literal(Node::Kind::kString, t);
      case TokenKind::kBytes:
        next();
        return literal(Node::Kind::kBytes, t);
      case TokenKind::kInt: {
        next();
        auto n = literal(Node::Kind::kInt, t);
        auto [p, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), n->i);
        if (ec != std::errc()) {
          fail(t, "integer out of range: " + t.text);
          return nullptr;
        }
        return n;
      }
      case TokenKind::kFloat: {
        next();
        auto n = literal(Node::Kind::kFloat, t);
        n->d = std::strtod(t.text.c_str(), nullptr);
        return n;
      }
      case TokenKind::kLParen: {
        next();
        NodePtr inner = expr();
        if (!inner || !expect(TokenKind::kRParen)) return nullptr;
        return inner;
      }
      case TokenKind::kLBracket: {
        auto n = literal(Node::Kind::kList, next());
        n->text.clear();
        if (!list(TokenKind::kRBracket, n->children)) return nullptr;
        return n;
      }
      case TokenKind::kIdent:
        break;
      default:
        return unexpected(t);
    }
    if (isKeyword(t.text)) return unexpected(t);
    const Token& name = next();
    if (name.text == "true" || name.text == "false") {
      auto n = literal(Node::Kind::kBool, name);
      n->b = name.text == "true";
      return n;
    }
    if (name.text == "nil") return literal(Node::Kind::kNil, name);
    if (peek().kind == TokenKind::kLParen) {
      next();
      auto n = literal(Node::Kind::kCall, name);
      if (!list(TokenKind::kRParen, n->children)) return nullptr;
      return n;
    }
    if (isEnumName(name.text)) return literal(Node::Kind::kEnum, name);
    auto n = std::make_unique<Node>();
    n->kind = Node::Kind::kPath;
    n->offset = name.offset;
    n->path.push_back({name.text, std::nullopt, std::nullopt});
    for (;;) {
      if (peek().kind == TokenKind::kDot) {
        next();
        if (peek().kind != TokenKind::kIdent) return unexpected(peek());
        n->path.push_back({next().text, std::nullopt, std::nullopt});
      } else if (peek().kind == TokenKind::kLBracket) {
        next();
        const Token& key = peek();
        PathSegment seg;
        if (key.kind == TokenKind::kString) {
          seg.key = key.text;
        } else if (key.kind == TokenKind::kInt) {
          seg.index = std::strtoll(key.text.c_str(), nullptr, 10);
        } else {
          return unexpected(key);
        }
        next();
        if (!expect(TokenKind::kRBracket)) return nullptr;
        n->path.push_back(std::move(seg));
      } else {
        return n;
      }
    }
  }

  std::vector<Token> toks_;
  size_t pos_ = 0;
  SyntaxError& error_;
  bool failed_ = false;
};

}  // namespace

bool parseStatement(std::string_view text, ParsedStatement& out, SyntaxError& error) {
  std::vector<Token> tokens;
  if (!tokenize(text, tokens, error)) return false;
  return Parser(std::move(tokens), error).statement(out);
}

bool parseCondition(std::string_view text, ParsedStatement& out, SyntaxError& error) {
  std::vector<Token> tokens;
  if (!tokenize(text, tokens, error)) return false;
  return Parser(std::move(tokens), error).condition(out);
}

}  // namespace periscope::ottl
