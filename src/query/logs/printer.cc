#include "query/logs/printer.h"

#include <string>
#include <type_traits>

#include "query/promql/printer.h"
#include "query/promql/quoting.h"

namespace periscope::query::logs {
namespace {

void printNode(const Expr& expr, NodeId id, std::string& out);

void printMatcher(const StreamMatcher& m, std::string& out) {
  out += m.name;
  out += compareOpText(m.op);
  if (m.value_is_number) {
    out += std::to_string(m.severity_number);
  } else {
    out += promql::quote(m.value);
  }
}

void printStage(const Expr& expr, const Stage& stage, std::string& out) {
  std::visit(
      [&](const auto& s) {
        using T = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<T, LineFilter>) {
          out += ' ';
          out += lineFilterOpText(s.op);
          out += ' ';
          out += promql::quote(s.value);
        } else if constexpr (std::is_same_v<T, JsonStage>) {
          out += " | json";
          for (size_t i = 0; i < s.fields.size(); ++i) {
            out += i == 0 ? " " : ", ";
            out += s.fields[i];
          }
        } else if constexpr (std::is_same_v<T, FieldFilter>) {
          out += " | ";
          printNode(expr, s.condition, out);
        } else if constexpr (std::is_same_v<T, LimitStage>) {
          out += " | limit " + std::to_string(s.limit);
        } else {
          out += s.forward ? " | direction forward" : " | direction backward";
        }
      },
      stage);
}

void printNode(const Expr& expr, NodeId id, std::string& out) {
  std::visit(
      [&](const auto& n) {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, LogQuery>) {
          out += '{';
          for (size_t i = 0; i < n.matchers.size(); ++i) {
            if (i > 0) out += ", ";
            printMatcher(n.matchers[i], out);
          }
          out += '}';
          for (const Stage& s : n.stages) printStage(expr, s, out);
        } else if constexpr (std::is_same_v<T, FieldComparison>) {
          out += n.field;
          out += ' ';
          out += compareOpText(n.op);
          out += ' ';
          out += n.is_number ? promql::formatNumber(n.number) : promql::quote(n.text);
        } else if constexpr (std::is_same_v<T, FieldLogical>) {
          printNode(expr, n.lhs, out);
          out += n.is_and ? " and " : " or ";
          printNode(expr, n.rhs, out);
        } else if constexpr (std::is_same_v<T, RangeAggregation>) {
          out += rangeFunctionName(n.function);
          out += '(';
          printNode(expr, n.query, out);
          out += " [" + promql::formatDuration(n.range_ms) + "])";
        } else {
          out += vectorAggregatorName(n.op);
          if (n.has_grouping) {
            out += n.without ? " without (" : " by (";
            for (size_t i = 0; i < n.labels.size(); ++i) {
              if (i > 0) out += ", ";
              out += n.labels[i];
            }
            out += ") ";
          }
          out += '(';
          if (n.op == VectorAggregator::kTopk) out += std::to_string(n.k) + ", ";
          printNode(expr, n.inner, out);
          out += ')';
        }
      },
      expr.node(id));
}

}  // namespace

std::string toString(const Expr& expr) {
  std::string out;
  if (expr.root != kNoNode) printNode(expr, expr.root, out);
  return out;
}

}  // namespace periscope::query::logs
