// The OTTL function library of this subset (see docs/ottl.md for the list): converters, which
// return a value and may appear in expressions, and editors, which change the item and are
// only valid as the head of a transform statement.
#pragma once

#include <memory>

#include "components/processors/internal/ottl/compiler.h"

namespace periscope::ottl {

enum class FunctionKind { kUnknown, kConverter, kEditor };
FunctionKind functionKind(const std::string& name);
// Converters that return a boolean (usable as conditions).
bool isPredicate(const std::string& name);

bool compileConverter(const Node& call, ContextKind context, ExprPtr& out, SyntaxError& error);
bool compileEditor(const Node& call, ContextKind context, std::unique_ptr<Editor>& out,
                   SyntaxError& error);

}  // namespace periscope::ottl

namespace re2 {
class RE2;
}
namespace periscope::ottl {
// replace_pattern's replacement in Go syntax ($1, ${name}, $$) as an RE2 rewrite (\1).
std::string goTemplateToRe2(const std::string& tmpl, const re2::RE2& re);
}  // namespace periscope::ottl
