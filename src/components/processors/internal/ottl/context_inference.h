// Which OTTL contexts a signal offers, and the context of a statement or condition written
// without one (the collector's "context inference": transform's flat statements, filter's
// <signal>_conditions): the most specific context its path prefixes name
// (`resource.attributes["k"]` alone → resource; `span.name` → span; `spanevent.name` →
// spanevent); paths without a context prefix mean the signal's item context.
#pragma once

#include <string>
#include <vector>

#include "component/component.h"
#include "components/processors/internal/ottl/eval.h"
#include "config/diagnostics.h"
#include "config/value.h"

namespace periscope::ottl {

// Resource first, item contexts last (traces: resource, scope, span, spanevent).
const std::vector<ContextKind>& contextsOf(component::Signal signal);
// span, datapoint or log.
ContextKind itemContextOf(component::Signal signal);
// "resource, scope, span, spanevent".
std::string contextNames(component::Signal signal);

ContextKind inferStatementContext(const std::string& text, component::Signal signal);
ContextKind inferConditionContext(const std::string& text, component::Signal signal);

// Reads the `context` key of a statement or condition group; reports a missing or invalid one.
bool decodeGroupContext(const config::Value& group, component::Signal signal, ContextKind& out,
                        config::Diagnostics& d);

}  // namespace periscope::ottl
