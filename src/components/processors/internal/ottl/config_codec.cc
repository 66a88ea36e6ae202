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

}  // namespace periscope::ottl
