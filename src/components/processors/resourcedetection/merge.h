// Merging the detected attributes into a batch's resource attributes.
#pragma once

#include "common/arena.h"
#include "model/any_value.h"

namespace periscope::components::resourcedetection {

// Adds `detected` to `attrs`; with `override` a detected value replaces an existing one of the
// same key, else the existing one is kept. `detected` must already live in `arena` (the batch's
// arena): the result points into it. One allocation at most.
void mergeAttributes(Arena& arena, model::Attributes& attrs, model::Attributes detected,
                     bool override_existing);

}  // namespace periscope::components::resourcedetection
