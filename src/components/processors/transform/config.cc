#include "components/processors/transform/config.h"

#include "components/processors/internal/ottl/context_inference.h"

namespace periscope::components::transform {

using ottl::ContextKind;

namespace {

void decodeGroup(const config::Value& v, component::Signal signal, StatementGroup& group,
                 config::Diagnostics& d) {
  if (!ottl::decodeGroupContext(v, signal, group.context, d)) return;
  for (const auto& [key, child] : v.entries) {
    if (key == "context") continue;
    if (key == "statements") {
      ottl::compileStatementList(child, group.context, group.statements, d);
    } else if (key == "conditions") {
      ottl::compileConditionList(child, group.context, group.conditions, d);
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
      group.context = ottl::inferStatementContext(item.scalar, signal);
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
