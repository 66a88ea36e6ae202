// Compact JSON text of an AnyValue, without OTLP's type wrappers: {"a":1,"b":["x",true]}.
// Used where a value must become one readable string: Prometheus label values of arrays and
// maps, and the "line" of a log record whose body is not a string (model/log_line.h).
#pragma once

#include <string>
#include <string_view>

#include "model/any_value.h"

namespace periscope::model {

// Strings are escaped (", \ and control characters); bytes become base64 strings; doubles use
// the shortest round-trip form, non-finite ones the strings "NaN", "Infinity", "-Infinity";
// absent and empty values are null.
void appendCompactJson(const AnyValue& value, std::string& out);
void appendJsonString(std::string_view s, std::string& out);

}  // namespace periscope::model
