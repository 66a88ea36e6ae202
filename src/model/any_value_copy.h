// Deep copies of attribute values into an arena, for code that keeps values beyond the life of
// the batch they came from (connectors' remembered resources, query results built from a
// store's chunks).
#pragma once

#include "common/arena.h"
#include "model/any_value.h"

namespace periscope::model {

AnyValue copyValue(Arena& arena, const AnyValue& value);
Attributes copyAttributes(Arena& arena, Attributes attrs);

}  // namespace periscope::model
