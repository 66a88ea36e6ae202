#include "components/processors/transform/config.h"

#include "components/processors/internal/ottl/parser.h"

namespace periscope::components::transform {

using ottl::ContextKind;

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

namespace {

ContextKind itemContext(component::Signal signal) {
  switch (signal) {
    case component::Signal::kTraces:
      return ContextKind::kSpan;
    case component::Signal::kMetrics:
      return ContextKind::kDataPoint;
    default:
      return ContextKind::kLog;
  }
}

void pathHeads(const ottl::Node& n, std::vector<std::string>& out) {
  if (n.kind == ottl::Node::Kind::kPath) out.push_back(n.path[0].name);
  for (const auto& c : n.children) pathHeads(*c, out);
}

// Flat statements: the context is the most specific one the path prefixes name
// (`resource.attributes[...]` alone → resource; `span.name` → span), as the collector infers it;
// paths without a context prefix mean the item context.
ContextKind inferContext(const std::string& text, component::Signal signal) {
  ottl::ParsedStatement parsed;
  ottl::SyntaxError ignored;  // reported by the real compilation
  if (!ottl::parseStatement(text, parsed, ignored)) return itemContext(signal);
  std::vector<std::string> heads;
  pathHeads(*parsed.invocation, heads);
  if (parsed.condition) pathHeads(*parsed.condition, heads);
  const std::vector<ContextKind>& allowed = contextsOf(signal);
  size_t best = 0;
  for (const std::string& head : heads) {
    ContextKind named = itemContext(signal);
    if (head == "instrumentation_scope") {
      named = ContextKind::kScope;
    } else if (!ottl::parseContextKind(head, named)) {
      named = itemContext(signal);
    }
    for (size_t k = 0; k < allowed.size(); ++k) {
      if (allowed[k] == named) best = std::max(best, k);
    }
  }
  return heads.empty() ? itemContext(signal) : allowed[best];
}

std::string contextNames(component::Signal signal) {
  std::string out;
  for (ContextKind k : contextsOf(signal))
    out += std::string(out.empty() ? "" : ", ") + toString(k);
  return out;
}

template <typename Compiled, typename Compile>
void compileList(const config::Value& v, Compile compile, std::vector<Compiled>& out,
                 config::Diagnostics& d) {
  if (v.isNull()) return;
  if (!v.isSequence()) {
    d.error(v, "expected a list of OTTL strings, got " + v.kindName());
    return;
  }
  for (const config::Value& item : v.items) {
    if (!item.isScalar()) {
      d.error(item, "expected an OTTL string, got " + item.kindName());
      continue;
    }
    if (auto c = compile(item)) out.push_back(std::move(c));
  }
}

void decodeGroup(const config::Value& v, component::Signal signal, StatementGroup& group,
                 config::Diagnostics& d) {
  const config::Value* context = v.find("context");
  if (context == nullptr || !context->isScalar()) {
    d.error(v, "missing \"context\" (one of " + contextNames(signal) + ")");
    return;
  }
  bool known = ottl::parseContextKind(context->scalar, group.context);
  bool allowed = false;
  for (ContextKind k : contextsOf(signal)) allowed = allowed || (known && k == group.context);
  if (!allowed) {
    d.error(*context,
            "invalid context \"" + context->scalar + "\"; expected one of " + contextNames(signal));
    return;
  }
  for (const auto& [key, child] : v.entries) {
    if (key == "context") continue;
    if (key == "statements") {
      compileList(
          child,
          [&](const config::Value& s) { return ottl::compileStatementAt(s, group.context, d); },
          group.statements, d);
    } else if (key == "conditions") {
      compileList(
          child,
          [&](const config::Value& s) { return ottl::compileConditionAt(s, group.context, d); },
          group.conditions, d);
    } else {
      d.errorAtKey(child, "unknown key; expected context, statements or conditions");
    }
  }
}

}  // namespace

void decodeGroups(const config::Value& v, component::Signal signal,
                  std::vector<StatementGroup>& out, config::Diagnostics& d) {
  if (v.isNull()) return;
  if (!v.isSequence()) {
    d.error(v, "expected a list of statement groups, got " + v.kindName());
    return;
  }
  out.clear();
  for (const config::Value& item : v.items) {
    StatementGroup group;
    if (item.isScalar()) {
      // Flat form: one statement, its context inferred from its paths.
      group.context = inferContext(item.scalar, signal);
      if (auto s = ottl::compileStatementAt(item, group.context, d)) {
        group.statements.push_back(std::move(s));
      }
    } else if (item.isMap()) {
      decodeGroup(item, signal, group, d);
    } else {
      d.error(item, "expected a statement group or an OTTL statement, got " + item.kindName());
      continue;
    }
    if (!group.statements.empty()) out.push_back(std::move(group));
  }
}

std::vector<config::FieldDoc> groupDocs() {
  return {
      {"context", "string", "", "OTTL context the statements run in.", {}},
      {"conditions",
       "list of OTTL condition",
       "[]",
       "Optional; the statements run only on items matching any of them.",
       {}},
      {"statements", "list of OTTL statement", "[]", "Editor calls, run in order.", {}},
  };
}

const config::Schema<Config>& Config::schema() {
  static const auto s =
      config::Schema<Config>()
          .choice("error_mode", &Config::error_mode, ottl::errorModeNames(),
                  "What a runtime error in a statement does: propagate fails the batch; ignore "
                  "logs it and goes on with the next statement; silent does so without logging.")
          .field("trace_statements", &Config::trace_statements,
                 "Statement groups for traces (contexts resource, scope, span, spanevent).")
          .field("metric_statements", &Config::metric_statements,
                 "Statement groups for metrics (contexts resource, scope, metric, datapoint).")
          .field("log_statements", &Config::log_statements,
                 "Statement groups for logs (contexts resource, scope, log).");
  return s;
}

}  // namespace periscope::components::transform
