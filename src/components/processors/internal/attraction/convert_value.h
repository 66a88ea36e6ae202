// The collector's `convert` action rules (attraction/type_converter.go) and pcommon's
// Value.AsString, on arena-backed AnyValues.
#pragma once

#include <string>

#include "common/arena.h"
#include "model/any_value.h"

namespace periscope::components::attraction {

enum class ConvertTo : uint8_t { kNone, kInt, kDouble, kString };

// Converts `value` in place; a value that cannot be converted is left as it is:
//   int:    double → truncated toward zero (NaN/out of range → INT64_MIN, as Go on amd64),
//           bool → 0/1, string → base-10 integer with optional sign (else unchanged)
//   double: int → exact-or-nearest, bool → 0/1, string → Go strconv.ParseFloat syntax
//   string: anything → AsString (below)
void convertValue(Arena& arena, model::AnyValue& value, ConvertTo to);

// pcommon's Value.AsString: strings as they are, bools true/false, ints in base 10, doubles as
// JavaScript prints them (1e21 and up, and below 1e-6, in exponent form), bytes as base64,
// arrays and maps as compact JSON, empty as "".
void appendAsString(const model::AnyValue& value, std::string& out);

}  // namespace periscope::components::attraction
