#include "components/processors/internal/ottl/config_codec.h"

namespace periscope::ottl {

config::Mark markIn(const config::Value& v, size_t offset) {
  config::Mark m = v.mark;
  if (m.line == 0) return m;
  if (v.quoted && v.scalar.find('\n') != std::string::npos) return m;  // block scalar
  m.column += static_cast<int>(offset) + (v.quoted ? 1 : 0);
  return m;
}

void reportError(const config::Value& v, const SyntaxError& error, config::Diagnostics& diags) {
  diags.error(v.fileName(), markIn(v, error.offset), v.path, error.toString());
}

std::shared_ptr<const Condition> compileConditionAt(const config::Value& v, ContextKind context,
                                                    config::Diagnostics& diags) {
  std::unique_ptr<Condition> out;
  SyntaxError error;
  if (!compileCondition(v.scalar, context, out, error)) {
    reportError(v, error, diags);
    return nullptr;
  }
  return out;
}

std::shared_ptr<const Statement> compileStatementAt(const config::Value& v, ContextKind context,
                                                    config::Diagnostics& diags) {
  std::unique_ptr<Statement> out;
  SyntaxError error;
  if (!compileStatement(v.scalar, context, out, error)) {
    reportError(v, error, diags);
    return nullptr;
  }
  return out;
}

namespace {

template <typename Compiled, typename Compile>
void compileList(const config::Value& v, const char* what, Compile compile,
                 std::vector<Compiled>& out, config::Diagnostics& d) {
  if (v.isNull()) return;
  if (!v.isSequence()) {
    d.error(v, std::string("expected a list of OTTL ") + what + "s, got " + v.kindName());
    return;
  }
  for (const config::Value& item : v.items) {
    if (!item.isScalar()) {
      d.error(item,
              std::string("expected an OTTL ") + what + " (a string), got " + item.kindName());
      continue;
    }
    if (auto c = compile(item)) out.push_back(std::move(c));
  }
}

}  // namespace

void compileConditionList(const config::Value& v, ContextKind context,
                          std::vector<std::shared_ptr<const Condition>>& out,
                          config::Diagnostics& diags) {
  compileList(
      v, "condition",
      [&](const config::Value& item) { return compileConditionAt(item, context, diags); }, out,
      diags);
}

void compileStatementList(const config::Value& v, ContextKind context,
                          std::vector<std::shared_ptr<const Statement>>& out,
                          config::Diagnostics& diags) {
  compileList(
      v, "statement",
      [&](const config::Value& item) { return compileStatementAt(item, context, diags); }, out,
      diags);
}

}  // namespace periscope::ottl
