// Config of the `transform` processor (collector keys): groups of OTTL statements, each bound to
// a context, run in order on every item of that context.
//   trace_statements:
//     - context: span
//       conditions: ['kind == SPAN_KIND_SERVER']     # optional, ORed; gate the whole group
//       statements: ['set(attributes["x"], "y") where name == "GET /"']
//     - 'set(span.attributes["z"], 1)'                # flat form: context from path prefixes
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "component/component.h"
#include "components/processors/internal/ottl/config_codec.h"
#include "components/processors/internal/ottl/error_mode.h"
#include "config/schema.h"

namespace periscope::components::transform {

struct StatementGroup {
  ottl::ContextKind context = ottl::ContextKind::kResource;
  std::vector<std::shared_ptr<const ottl::Condition>> conditions;
  std::vector<std::shared_ptr<const ottl::Statement>> statements;
};

// The groups of one signal; S selects the contexts allowed.
template <component::Signal S>
struct StatementGroups {
  std::vector<StatementGroup> groups;
};

void decodeGroups(const config::Value& v, component::Signal signal,
                  std::vector<StatementGroup>& out, config::Diagnostics& d);
std::vector<config::FieldDoc> groupDocs();

struct Config : component::Config {
  std::string error_mode = "propagate";
  StatementGroups<component::Signal::kTraces> trace_statements;
  StatementGroups<component::Signal::kMetrics> metric_statements;
  StatementGroups<component::Signal::kLogs> log_statements;
  static const config::Schema<Config>& schema();
};

}  // namespace periscope::components::transform

namespace periscope::config {

template <component::Signal S>
struct FieldCodec<components::transform::StatementGroups<S>> {
  static std::string typeName() { return "list of statement groups"; }
  static std::string show(const components::transform::StatementGroups<S>&) { return "[]"; }
  static std::vector<FieldDoc> children() { return components::transform::groupDocs(); }
  static void decode(const Value& v, components::transform::StatementGroups<S>& out,
                     Diagnostics& d) {
    components::transform::decodeGroups(v, S, out.groups, d);
  }
};

}  // namespace periscope::config
