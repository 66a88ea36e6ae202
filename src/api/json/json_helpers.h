// Small additions to model/otlp's JsonWriter that the query API needs and OTLP/JSON does not:
// null values and object keys that come from data (attribute keys) rather than literals.
// Internal to api/.
#pragma once

#include <string>
#include <string_view>

#include "model/otlp/json_writer.h"

namespace periscope::api {

// Writes null as the next value. JsonWriter has no null (OTLP/JSON omits defaults instead), so
// this writes `false` through it, which keeps its comma state right, and patches the text.
inline void writeNull(model::otlp::JsonWriter& w, std::string& out) {
  w.boolean(false);
  out.resize(out.size() - 5);
  out.append("null");
}

// Writes `raw` (already valid JSON, e.g. a number in a chosen format) as the next value,
// through integer(0) for the comma state, then patched like writeNull.
inline void writeRaw(model::otlp::JsonWriter& w, std::string& out, std::string_view raw) {
  w.integer(0);
  out.pop_back();
  out.append(raw);
}

// An object key taken from data: JsonWriter::key writes keys verbatim, so escape it first.
inline void writeDataKey(model::otlp::JsonWriter& w, std::string_view key) {
  std::string quoted;
  model::otlp::JsonWriter tmp(quoted);
  tmp.string(key);
  w.key(std::string_view(quoted).substr(1, quoted.size() - 2));
}

}  // namespace periscope::api
