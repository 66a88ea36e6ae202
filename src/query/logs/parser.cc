#include "query/logs/parser.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>

#include "query/logs/lexer.h"
#include "query/promql/duration.h"
#include "query/promql/quoting.h"

namespace periscope::query::logs {
namespace {

// Bounds recursion (nested aggregations) and the depth of and/or chains, which the printer
// walks recursively: a hostile query must not overflow the stack.
constexpr int kMaxNesting = 64;
constexpr int kMaxConditionsPerStage = 256;

struct ParseError {
  uint32_t pos;
  std::string message;
};

class Parser {
 public:
  explicit Parser(std::string_view query) : query_(query), lexer_(query) {}

  Result<Expr> run() {
    const Token& first = lexer_.peek();
    if (first.kind == TokenKind::kLeftBrace) {
      expr_.root = parseLogQuery(/*in_metric=*/false);
    } else if (first.kind == TokenKind::kIdentifier) {
      expr_.root = parseMetric(0);
    } else {
      unexpected(first, "\"{\" or a metric function");
    }
    if (error_) return failure();
    const Token& last = lexer_.peek();
    if (last.kind != TokenKind::kEof) {
      unexpected(last, expr_.isMetric() ? "end of input" : "a pipeline stage or end of input");
      return failure();
    }
    return std::move(expr_);
  }

 private:
  Status failure() const {
    uint32_t line = 1, column = 1;
    for (uint32_t i = 0; i < error_->pos && i < query_.size(); ++i) {
      if (query_[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    return invalidArgument(std::to_string(line) + ":" + std::to_string(column) +
                           ": parse error: " + error_->message);
  }

  void fail(uint32_t pos, std::string message) {
    if (!error_) error_ = ParseError{pos, std::move(message)};
  }

  void unexpected(const Token& t, std::string_view expected) {
    if (t.kind == TokenKind::kError) return fail(t.pos, t.value);
    fail(t.pos, "unexpected " + describeToken(t) + ", expected " + std::string(expected));
  }

  // Consumes the next token if it is `kind`; otherwise records an error.
  bool expect(TokenKind kind, std::string_view expected, Token* out = nullptr) {
    if (error_) return false;
    const Token& t = lexer_.peek();
    if (t.kind != kind) {
      unexpected(t, expected);
      return false;
    }
    Token taken = lexer_.next();
    if (out) *out = std::move(taken);
    return true;
  }

  template <typename T>
  NodeId add(T node) {
    expr_.nodes.emplace_back(std::in_place_type<T>, std::move(node));
    return static_cast<NodeId>(expr_.nodes.size() - 1);
  }

  // Regexes are validated here so that a bad one is reported with its column. The pattern
  // is compiled as written (anchoring a valid pattern cannot make it invalid), so RE2's
  // message quotes the user's text.
  bool checkRegex(const Token& value) {
    RE2::Options options;
    options.set_log_errors(false);
    RE2 re(value.value, options);
    if (re.ok()) return true;
    fail(value.pos, "invalid regex " + promql::quote(value.value) + ": " + re.error());
    return false;
  }

  static std::optional<CompareOp> compareOp(TokenKind kind) {
    switch (kind) {
      case TokenKind::kAssign:
        return CompareOp::kEqual;
      case TokenKind::kNotEqual:
        return CompareOp::kNotEqual;
      case TokenKind::kRegexMatch:
        return CompareOp::kRegexMatch;
      case TokenKind::kRegexNoMatch:
        return CompareOp::kRegexNoMatch;
      case TokenKind::kGreater:
        return CompareOp::kGreater;
      case TokenKind::kGreaterEqual:
        return CompareOp::kGreaterEqual;
      case TokenKind::kLess:
        return CompareOp::kLess;
      case TokenKind::kLessEqual:
        return CompareOp::kLessEqual;
      default:
        return std::nullopt;
    }
  }

  // ---- Log queries ----

  NodeId parseLogQuery(bool in_metric) {
    LogQuery q;
    Token brace;
    if (!expect(TokenKind::kLeftBrace, "\"{\"", &brace)) return kNoNode;
    if (lexer_.peek().kind == TokenKind::kRightBrace) {
      fail(lexer_.peek().pos, "empty stream selector, expected at least one matcher");
      return kNoNode;
    }
    while (!error_) {
      parseStreamMatcher(q);
      if (error_) return kNoNode;
      const Token& t = lexer_.peek();
      if (t.kind == TokenKind::kComma) {
        lexer_.next();
        continue;
      }
      if (t.kind == TokenKind::kRightBrace) {
        lexer_.next();
        break;
      }
      unexpected(t, "\",\" or \"}\"");
    }
    bool has_limit = false, has_direction = false;
    while (!error_) {
      const Token& t = lexer_.peek();
      if (t.kind == TokenKind::kPipeEqual || t.kind == TokenKind::kPipeRegex ||
          t.kind == TokenKind::kNotEqual || t.kind == TokenKind::kRegexNoMatch) {
        parseLineFilter(q);
      } else if (t.kind == TokenKind::kPipe) {
        lexer_.next();
        parsePipeStage(q, in_metric, has_limit, has_direction);
      } else {
        break;
      }
    }
    if (error_) return kNoNode;
    return add(std::move(q));
  }

  void parseStreamMatcher(LogQuery& q) {
    Token name;
    if (!expect(TokenKind::kIdentifier, "a matcher name", &name)) return;
    const Token op_token = lexer_.next();
    const std::optional<CompareOp> op = compareOp(op_token.kind);
    if (!op) return unexpected(op_token, "a matcher operator (=, !=, =~, !~, >, >=, <, <=)");
    StreamMatcher m;
    m.name = std::string(name.text);
    m.op = *op;
    const bool severity_order = m.name == "severity" && isOrderingOp(m.op);
    if (isOrderingOp(m.op) && !severity_order) {
      return fail(op_token.pos, "operator \"" + std::string(compareOpText(m.op)) +
                                    "\" is only allowed on severity");
    }
    const Token value = lexer_.next();
    if (severity_order && value.kind == TokenKind::kNumber) {
      const double number = std::strtod(std::string(value.text).c_str(), nullptr);
      if (!(number >= 1 && number <= 24) || number != std::floor(number)) {
        return fail(value.pos, "severity number " + std::string(value.text) +
                                   " out of range, expected 1 to 24");
      }
      m.severity_number = static_cast<int>(number);
      m.value_is_number = true;
      m.value = std::to_string(m.severity_number);
    } else if (value.kind != TokenKind::kString) {
      return unexpected(value, severity_order ? "a severity name or number" : "a string");
    } else if (severity_order) {
      for (const SeverityName& s : kSeverityNames) {
        if (value.value.size() == s.name.size() &&
            std::equal(s.name.begin(), s.name.end(), value.value.begin(), [](char a, char b) {
              return a == std::toupper(static_cast<unsigned char>(b));
            })) {
          m.severity_number = s.number;
          m.value = std::string(s.name);
        }
      }
      if (m.severity_number == 0) {
        return fail(value.pos, "unknown severity " + promql::quote(value.value) +
                                   ", expected TRACE, DEBUG, INFO, WARN, ERROR, FATAL or 1 to 24");
      }
    } else {
      if (isRegexOp(m.op) && !checkRegex(value)) return;
      m.value = value.value;
    }
    q.matchers.push_back(std::move(m));
  }

  void parseLineFilter(LogQuery& q) {
    const Token op = lexer_.next();
    LineFilter f;
    switch (op.kind) {
      case TokenKind::kPipeEqual:
        f.op = LineFilterOp::kContains;
        break;
      case TokenKind::kNotEqual:
        f.op = LineFilterOp::kNotContains;
        break;
      case TokenKind::kPipeRegex:
        f.op = LineFilterOp::kRegexMatch;
        break;
      default:
        f.op = LineFilterOp::kRegexNoMatch;
        break;
    }
    Token value;
    if (!expect(TokenKind::kString, "a string", &value)) return;
    const bool regex = f.op == LineFilterOp::kRegexMatch || f.op == LineFilterOp::kRegexNoMatch;
    if (regex && !checkRegex(value)) return;
    f.value = std::move(value.value);
    q.stages.emplace_back(std::move(f));
  }

  // After `|`: json, limit, direction, or a field condition. The stage words are only
  // keywords when not followed by a comparison operator, so a field may be named `limit`.
  void parsePipeStage(LogQuery& q, bool in_metric, bool& has_limit, bool& has_direction) {
    Token word;
    if (!expect(TokenKind::kIdentifier, "a field name or json, limit, direction", &word)) return;
    const bool is_comparison = compareOp(lexer_.peek().kind).has_value();
    if (!is_comparison && word.text == "json") {
      JsonStage j;
      if (lexer_.peek().kind == TokenKind::kIdentifier) {
        while (!error_) {
          Token field;
          if (!expect(TokenKind::kIdentifier, "a field name", &field)) return;
          j.fields.emplace_back(field.text);
          if (lexer_.peek().kind != TokenKind::kComma) break;
          lexer_.next();
        }
      }
      q.stages.emplace_back(std::move(j));
      return;
    }
    if (!is_comparison && (word.text == "limit" || word.text == "direction")) {
      const bool limit = word.text == "limit";
      if (in_metric)
        return fail(word.pos, std::string(word.text) + " is not allowed in a metric query");
      if (limit ? has_limit : has_direction) {
        return fail(word.pos, std::string(word.text) + " given twice");
      }
      (limit ? has_limit : has_direction) = true;
      const Token value = lexer_.next();
      if (limit) {
        const bool digits = value.kind == TokenKind::kNumber && !value.text.empty() &&
                            value.text.find_first_not_of("0123456789") == std::string_view::npos;
        const int64_t n = digits && value.text.size() <= 12
                              ? std::strtoll(std::string(value.text).c_str(), nullptr, 10)
                              : 0;
        if (value.kind != TokenKind::kNumber) return unexpected(value, "a number");
        if (n <= 0)
          return fail(value.pos,
                      "limit must be a positive integer, got " + std::string(value.text));
        q.stages.emplace_back(LimitStage{n});
      } else {
        if (value.kind != TokenKind::kIdentifier ||
            (value.text != "forward" && value.text != "backward")) {
          return unexpected(value, "forward or backward");
        }
        q.stages.emplace_back(DirectionStage{value.text == "forward"});
      }
      return;
    }
    int conditions = 0;
    const NodeId condition = parseOr(std::move(word), conditions);
    if (!error_) q.stages.emplace_back(FieldFilter{condition});
  }

  NodeId parseOr(Token first_field, int& conditions) {
    NodeId lhs = parseAnd(std::move(first_field), conditions);
    while (!error_ && isWord(lexer_.peek(), "or")) {
      lexer_.next();
      Token field;
      if (!expect(TokenKind::kIdentifier, "a field name", &field)) return kNoNode;
      const NodeId rhs = parseAnd(std::move(field), conditions);
      lhs = add(FieldLogical{false, lhs, rhs});
    }
    return lhs;
  }

  NodeId parseAnd(Token first_field, int& conditions) {
    NodeId lhs = parseComparison(first_field, conditions);
    while (!error_ && isWord(lexer_.peek(), "and")) {
      lexer_.next();
      Token field;
      if (!expect(TokenKind::kIdentifier, "a field name", &field)) return kNoNode;
      const NodeId rhs = parseComparison(field, conditions);
      lhs = add(FieldLogical{true, lhs, rhs});
    }
    return lhs;
  }

  static bool isWord(const Token& t, std::string_view word) {
    return t.kind == TokenKind::kIdentifier && t.text == word;
  }

  NodeId parseComparison(const Token& field, int& conditions) {
    if (error_) return kNoNode;
    if (++conditions > kMaxConditionsPerStage) {
      fail(field.pos, "too many conditions in one stage (at most " +
                          std::to_string(kMaxConditionsPerStage) + ")");
      return kNoNode;
    }
    const Token op_token = lexer_.next();
    const std::optional<CompareOp> op = compareOp(op_token.kind);
    if (!op) {
      unexpected(op_token, "a comparison operator (=, !=, =~, !~, >, >=, <, <=)");
      return kNoNode;
    }
    FieldComparison c;
    c.field = std::string(field.text);
    c.op = *op;
    const Token value = lexer_.next();
    const std::string op_text(compareOpText(c.op));
    if (value.kind == TokenKind::kNumber) {
      if (isRegexOp(c.op)) {
        fail(value.pos,
             "operator \"" + op_text + "\" needs a string, got number " + std::string(value.text));
        return kNoNode;
      }
      c.is_number = true;
      c.number = std::strtod(std::string(value.text).c_str(), nullptr);
      if (!std::isfinite(c.number)) {
        fail(value.pos, "number " + std::string(value.text) + " out of range");
        return kNoNode;
      }
    } else if (value.kind == TokenKind::kString) {
      if (isOrderingOp(c.op)) {
        fail(value.pos, "operator \"" + op_text + "\" needs a number, got " + describeToken(value));
        return kNoNode;
      }
      if (isRegexOp(c.op) && !checkRegex(value)) return kNoNode;
      c.text = value.value;
    } else {
      unexpected(value, "a string or number");
      return kNoNode;
    }
    return add(std::move(c));
  }

  // ---- Metric queries ----

  NodeId parseMetric(int depth) {
    if (error_) return kNoNode;
    if (depth > kMaxNesting) {
      fail(lexer_.peek().pos, "query nested too deeply");
      return kNoNode;
    }
    const Token& t = lexer_.peek();
    if (t.kind != TokenKind::kIdentifier) {
      unexpected(t, "a metric function (count_over_time, rate, sum, …)");
      return kNoNode;
    }
    static constexpr std::pair<std::string_view, RangeFunction> kRange[] = {
        {"count_over_time", RangeFunction::kCountOverTime},
        {"rate", RangeFunction::kRate},
        {"bytes_over_time", RangeFunction::kBytesOverTime},
        {"bytes_rate", RangeFunction::kBytesRate}};
    static constexpr std::pair<std::string_view, VectorAggregator> kAggr[] = {
        {"sum", VectorAggregator::kSum},     {"avg", VectorAggregator::kAvg},
        {"min", VectorAggregator::kMin},     {"max", VectorAggregator::kMax},
        {"count", VectorAggregator::kCount}, {"topk", VectorAggregator::kTopk}};
    for (const auto& [name, f] : kRange) {
      if (t.text == name) return parseRangeAggregation(f);
    }
    for (const auto& [name, a] : kAggr) {
      if (t.text == name) return parseVectorAggregation(a, depth);
    }
    unexpected(t, "a metric function (count_over_time, rate, sum, …)");
    return kNoNode;
  }

  NodeId parseRangeAggregation(RangeFunction f) {
    lexer_.next();
    if (!expect(TokenKind::kLeftParen, "\"(\"")) return kNoNode;
    RangeAggregation r;
    r.function = f;
    r.query = parseLogQuery(/*in_metric=*/true);
    if (!expect(TokenKind::kLeftBracket, "a range such as [5m] or a pipeline stage"))
      return kNoNode;
    uint32_t pos = 0;
    const std::string_view text = lexer_.scanDuration(pos);
    if (text.empty()) {
      unexpected(lexer_.peek(), "a duration");
      return kNoNode;
    }
    const std::optional<int64_t> ms = promql::parseDurationMs(text);
    if (!ms) {
      fail(pos, "bad duration \"" + std::string(text) + "\"");
      return kNoNode;
    }
    if (*ms <= 0) {
      fail(pos, "range must be positive, got " + std::string(text));
      return kNoNode;
    }
    r.range_ms = *ms;
    if (!expect(TokenKind::kRightBracket, "\"]\"")) return kNoNode;
    if (!expect(TokenKind::kRightParen, "\")\"")) return kNoNode;
    return add(r);
  }

  void parseGrouping(VectorAggregation& a) {
    const Token word = lexer_.next();
    a.has_grouping = true;
    a.without = word.text == "without";
    if (!expect(TokenKind::kLeftParen, "\"(\"")) return;
    if (lexer_.peek().kind == TokenKind::kRightParen) {
      lexer_.next();
      return;
    }
    while (!error_) {
      Token label;
      if (!expect(TokenKind::kIdentifier, "a label name", &label)) return;
      a.labels.emplace_back(label.text);
      const Token sep = lexer_.next();
      if (sep.kind == TokenKind::kRightParen) return;
      if (sep.kind != TokenKind::kComma) return unexpected(sep, "\",\" or \")\"");
    }
  }

  NodeId parseVectorAggregation(VectorAggregator op, int depth) {
    lexer_.next();
    VectorAggregation a;
    a.op = op;
    auto isGroupingWord = [&] {
      return isWord(lexer_.peek(), "by") || isWord(lexer_.peek(), "without");
    };
    if (isGroupingWord()) parseGrouping(a);
    if (!expect(TokenKind::kLeftParen, "\"(\"")) return kNoNode;
    if (op == VectorAggregator::kTopk) {
      const Token k = lexer_.next();
      const bool digits = k.kind == TokenKind::kNumber &&
                          k.text.find_first_not_of("0123456789") == std::string_view::npos &&
                          k.text.size() <= 9;
      if (k.kind != TokenKind::kNumber) {
        unexpected(k, "a number");
        return kNoNode;
      }
      a.k = digits ? std::strtoll(std::string(k.text).c_str(), nullptr, 10) : 0;
      if (a.k <= 0) {
        fail(k.pos, "topk needs a positive integer, got " + std::string(k.text));
        return kNoNode;
      }
      if (!expect(TokenKind::kComma, "\",\"")) return kNoNode;
    }
    a.inner = parseMetric(depth + 1);
    if (!expect(TokenKind::kRightParen, "\")\"")) return kNoNode;
    if (!a.has_grouping && isGroupingWord()) parseGrouping(a);
    if (error_) return kNoNode;
    return add(std::move(a));
  }

  std::string_view query_;
  Lexer lexer_;
  Expr expr_;
  std::optional<ParseError> error_;
};

}  // namespace

Result<Expr> parse(std::string_view query) {
  return Parser(query).run();
}

}  // namespace periscope::query::logs
