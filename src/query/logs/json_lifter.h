// `| json`: parses a line as JSON (simdjson On-Demand) and lifts its fields, flattened: a
// nested object's fields are named with dots (`{"a":{"b":1}}` lifts a.b=1), like LogQL's json
// parser with `.` for `_`. Strings are unescaped, numbers keep their JSON text, booleans are
// true/false, null is "", arrays keep their JSON text. A line that is not one JSON object
// lifts nothing and sets __error__=JSONParserErr (lifted_fields.h).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "query/logs/lifted_fields.h"

namespace periscope::query::logs {

class JsonLifter {
 public:
  JsonLifter();
  ~JsonLifter();
  JsonLifter(const JsonLifter&) = delete;
  JsonLifter& operator=(const JsonLifter&) = delete;

  enum class Select : uint8_t {
    kAll,     // every field, flattened
    kListed,  // `| json a, b`: only these names; a listed object or array is lifted as JSON
    kNeeded,  // only these flattened names, exactly as kAll would lift them (the fields later
              // stages read, so that filtering need not copy the others)
  };
  // Returns false when the line is not a JSON object (then only __error__ is added).
  bool lift(std::string_view line, Select select, const std::vector<std::string>& names,
            LiftedFields& out);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace periscope::query::logs
