#include "components/processors/internal/ottl/context_inference.h"

#include <algorithm>

#include "components/processors/internal/ottl/parser.h"

namespace periscope::ottl {
namespace {

void pathHeads(const Node& n, std::vector<std::string>& out) {
  if (n.kind == Node::Kind::kPath) out.push_back(n.path[0].name);
  for (const auto& c : n.children) pathHeads(*c, out);
}

ContextKind inferFrom(const ParsedStatement& parsed, component::Signal signal) {
  std::vector<std::string> heads;
  if (parsed.invocation) pathHeads(*parsed.invocation, heads);
  if (parsed.condition) pathHeads(*parsed.condition, heads);
  const std::vector<ContextKind>& allowed = contextsOf(signal);
  size_t best = 0;
  bool any = false;
  for (const std::string& head : heads) {
    ContextKind named = itemContextOf(signal);
    if (head == "instrumentation_scope") {
      named = ContextKind::kScope;
    } else if (!parseContextKind(head, named)) {
      named = itemContextOf(signal);
    }
    for (size_t k = 0; k < allowed.size(); ++k) {
      if (allowed[k] == named) {
        best = std::max(best, k);
        any = true;
      }
    }
  }
  return any ? allowed[best] : itemContextOf(signal);
}

}  // namespace

const std::vector<ContextKind>& contextsOf(component::Signal signal) {
  static const std::vector<ContextKind> traces = {ContextKind::kResource, ContextKind::kScope,
                                                  ContextKind::kSpan, ContextKind::kSpanEvent};
  static const std::vector<ContextKind> metrics = {ContextKind::kResource, ContextKind::kScope,
                                                   ContextKind::kMetric, ContextKind::kDataPoint};
  static const std::vector<ContextKind> logs = {ContextKind::kResource, ContextKind::kScope,
                                                ContextKind::kLog};
  switch (signal) {
    case component::Signal::kTraces:
      return traces;
    case component::Signal::kMetrics:
      return metrics;
    default:
      return logs;
  }
}

ContextKind itemContextOf(component::Signal signal) {
  switch (signal) {
    case component::Signal::kTraces:
      return ContextKind::kSpan;
    case component::Signal::kMetrics:
      return ContextKind::kDataPoint;
    default:
      return ContextKind::kLog;
  }
}

std::string contextNames(component::Signal signal) {
  std::string out;
  for (ContextKind k : contextsOf(signal))
    out += std::string(out.empty() ? "" : ", ") + toString(k);
  return out;
}

// Unparsable text gets the item context; the real compilation reports the error.
ContextKind inferStatementContext(const std::string& text, component::Signal signal) {
  ParsedStatement parsed;
  SyntaxError ignored;
  return parseStatement(text, parsed, ignored) ? inferFrom(parsed, signal) : itemContextOf(signal);
}

ContextKind inferConditionContext(const std::string& text, component::Signal signal) {
  ParsedStatement parsed;
  SyntaxError ignored;
  return parseCondition(text, parsed, ignored) ? inferFrom(parsed, signal) : itemContextOf(signal);
}

bool decodeGroupContext(const config::Value& group, component::Signal signal, ContextKind& out,
                        config::Diagnostics& d) {
  const config::Value* context = group.find("context");
  if (context == nullptr || !context->isScalar()) {
    d.error(group, "missing \"context\" (one of " + contextNames(signal) + ")");
    return false;
  }
  bool known = parseContextKind(context->scalar, out);
  const std::vector<ContextKind>& allowed = contextsOf(signal);
  if (!known || std::find(allowed.begin(), allowed.end(), out) == allowed.end()) {
    d.error(*context,
            "invalid context \"" + context->scalar + "\"; expected one of " + contextNames(signal));
    return false;
  }
  return true;
}

}  // namespace periscope::ottl
