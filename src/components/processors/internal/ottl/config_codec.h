// OTTL in component configs: lists of conditions compiled while the config is decoded, so a
// syntax or type error is reported like any other config error, at the file position of the
// offending token:
//   config.yaml:14:23: processors.filter.traces.span[0]: column 12: unexpected token ")"
// The file column is exact for plain and single-line quoted scalars (escapes inside double
// quotes shift it); for block scalars (| or >) it is the indicator's position. The `column N`
// in the message always counts inside the statement itself.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "components/processors/internal/ottl/compiler.h"
#include "config/diagnostics.h"
#include "config/schema.h"

namespace periscope::ottl {

// Where byte `offset` of the string held by scalar `v` is in the file.
config::Mark markIn(const config::Value& v, size_t offset);

// Reports `error` (an error inside the statement held by `v`) to `diags`.
void reportError(const config::Value& v, const SyntaxError& error, config::Diagnostics& diags);

// Compiles one scalar; reports and returns null on error.
std::shared_ptr<const Condition> compileConditionAt(const config::Value& v, ContextKind context,
                                                    config::Diagnostics& diags);
std::shared_ptr<const Statement> compileStatementAt(const config::Value& v, ContextKind context,
                                                    config::Diagnostics& diags);

// Compiles a YAML list of OTTL strings, appending what compiles to `out`; reports the rest.
void compileConditionList(const config::Value& v, ContextKind context,
                          std::vector<std::shared_ptr<const Condition>>& out,
                          config::Diagnostics& diags);
void compileStatementList(const config::Value& v, ContextKind context,
                          std::vector<std::shared_ptr<const Statement>>& out,
                          config::Diagnostics& diags);

// A config field holding OTTL conditions for context K (filter's traces.span...).
template <ContextKind K>
struct ConditionList {
  std::vector<std::shared_ptr<const Condition>> items;
  bool empty() const { return items.empty(); }
};

}  // namespace periscope::ottl

namespace periscope::config {

template <ottl::ContextKind K>
struct FieldCodec<ottl::ConditionList<K>> {
  static std::string typeName() {
    return std::string("list of OTTL condition (") + ottl::toString(K) + ")";
  }
  static std::string show(const ottl::ConditionList<K>&) { return "[]"; }
  static std::vector<FieldDoc> children() { return {}; }
  static void decode(const Value& v, ottl::ConditionList<K>& out, Diagnostics& d) {
    out.items.clear();
    ottl::compileConditionList(v, K, out.items, d);
  }
};

}  // namespace periscope::config
