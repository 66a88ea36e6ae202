#include "query/promql/printer.h"

#include <charconv>
#include <cmath>

#include "query/promql/functions.h"
#include "query/promql/lexer.h"
#include "query/promql/quoting.h"

namespace periscope::query::promql {
namespace {

void appendList(std::string& out, const std::vector<std::string>& labels) {
  out += '(';
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out += ", ";
    out += labels[i];
  }
  out += ')';
}

std::string formatTimestamp(int64_t ms) {
  // Exact decimal seconds from integer milliseconds; no float rounding on the way.
  std::string out = ms < 0 ? "-" : "";
  uint64_t abs = ms < 0 ? 0 - static_cast<uint64_t>(ms) : static_cast<uint64_t>(ms);
  out += std::to_string(abs / 1000);
  if (uint64_t frac = abs % 1000; frac != 0) {
    std::string digits = std::to_string(frac + 1000).substr(1);
    while (digits.back() == '0') digits.pop_back();
    out += '.' + digits;
  }
  return out;
}

void appendModifiers(std::string& out, const AtModifier& at, int64_t offset_ms) {
  switch (at.kind) {
    case AtModifier::Kind::kNone:
      break;
    case AtModifier::Kind::kTimestamp:
      out += " @ " + formatTimestamp(at.timestamp_ms);
      break;
    case AtModifier::Kind::kStart:
      out += " @ start()";
      break;
    case AtModifier::Kind::kEnd:
      out += " @ end()";
      break;
  }
  if (offset_ms > 0) out += " offset " + formatDuration(offset_ms);
  if (offset_ms < 0) out += " offset -" + formatDuration(-offset_ms);
}

class Printer {
 public:
  explicit Printer(const Expr& e) : e_(e) {}

  void print(NodeId id) {
    const Node& n = e_.node(id);
    switch (n.kind()) {
      case NodeKind::kNumberLiteral:
        out_ += formatNumber(n.as<NumberLiteral>().value);
        break;
      case NodeKind::kStringLiteral:
        out_ += quote(n.as<StringLiteral>().value);
        break;
      case NodeKind::kVectorSelector: {
        const auto& vs = n.as<VectorSelector>();
        selectorBase(vs);
        appendModifiers(out_, vs.at, vs.offset_ms);
        break;
      }
      case NodeKind::kMatrixSelector: {
        const auto& m = n.as<MatrixSelector>();
        const auto& vs = e_.node(m.selector).as<VectorSelector>();
        selectorBase(vs);
        out_ += '[' + formatDuration(m.range_ms) + ']';
        appendModifiers(out_, vs.at, vs.offset_ms);
        break;
      }
      case NodeKind::kSubquery: {
        const auto& s = n.as<Subquery>();
        print(s.expr);
        out_ += '[' + formatDuration(s.range_ms) + ':';
        if (s.step_ms != 0) out_ += formatDuration(s.step_ms);
        out_ += ']';
        appendModifiers(out_, s.at, s.offset_ms);
        break;
      }
      case NodeKind::kCall: {
        const auto& c = n.as<Call>();
        out_ += c.func->name;
        out_ += '(';
        for (size_t i = 0; i < c.args.size(); ++i) {
          if (i > 0) out_ += ", ";
          print(c.args[i]);
        }
        out_ += ')';
        break;
      }
      case NodeKind::kAggregate: {
        const auto& a = n.as<Aggregate>();
        out_ += aggregateOpName(a.op);
        if (a.without || !a.grouping.empty()) {
          out_ += a.without ? " without " : " by ";
          appendList(out_, a.grouping);
          out_ += ' ';
        }
        out_ += '(';
        if (a.param != kNoNode) {
          print(a.param);
          out_ += ", ";
        }
        print(a.expr);
        out_ += ')';
        break;
      }
      case NodeKind::kBinary:
        binary(n.as<Binary>());
        break;
      case NodeKind::kUnary: {
        const auto& u = n.as<Unary>();
        out_ += u.op == UnaryOp::kMinus ? '-' : '+';
        print(u.expr);
        break;
      }
      case NodeKind::kParen:
        out_ += '(';
        print(n.as<Paren>().expr);
        out_ += ')';
        break;
    }
  }

  std::string take() { return std::move(out_); }

 private:
  void selectorBase(const VectorSelector& vs) {
    out_ += vs.name;
    if (vs.matchers.empty()) return;
    out_ += '{';
    for (size_t i = 0; i < vs.matchers.size(); ++i) {
      const LabelMatcher& m = vs.matchers[i];
      if (i > 0) out_ += ',';
      out_ += m.name;
      out_ += matchOpText(m.op);
      out_ += quote(m.value);
    }
    out_ += '}';
  }

  void binary(const Binary& b) {
    print(b.lhs);
    out_ += ' ';
    out_ += binaryOpText(b.op);
    if (b.return_bool) out_ += " bool";
    bool grouped = b.card == Cardinality::kManyToOne || b.card == Cardinality::kOneToMany;
    if (b.on || !b.labels.empty() || grouped) {
      out_ += b.on ? " on " : " ignoring ";
      appendList(out_, b.labels);
      if (grouped) {
        out_ += b.card == Cardinality::kManyToOne ? " group_left " : " group_right ";
        appendList(out_, b.include);
      }
    }
    out_ += ' ';
    print(b.rhs);
  }

  const Expr& e_;
  std::string out_;
};

}  // namespace

std::string formatDuration(int64_t ms) {
  if (ms == 0) return "0s";
  const auto& kUnits = kDurationUnits;
  std::string out;
  for (const auto& u : kUnits) {
    if (ms >= u.ms) {
      out += std::to_string(ms / u.ms);
      out += u.unit;
      ms %= u.ms;
    }
  }
  return out;
}

std::string formatNumber(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Inf" : "-Inf";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, ec == std::errc() ? end : buf);
}

std::string toString(const Expr& expr, NodeId node) {
  Printer p(expr);
  p.print(node);
  return p.take();
}

std::string toString(const Expr& expr) {
  return toString(expr, expr.root());
}

}  // namespace periscope::query::promql
