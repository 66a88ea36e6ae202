// Deep copies of attribute values into an arena, for connectors that keep resource attributes
// beyond the life of the batch they came from and later place them in the batches they emit.
#pragma once

#include <string>

#include "common/arena.h"
#include "model/any_value.h"

namespace periscope::components::connectors {

model::AnyValue copyValue(Arena& arena, const model::AnyValue& value);
model::Attributes copyAttributes(Arena& arena, model::Attributes attrs);
// A string form of any value (arrays and maps as JSON-like text), for use as a dimension value.
std::string valueToString(const model::AnyValue& value);

}  // namespace periscope::components::connectors
