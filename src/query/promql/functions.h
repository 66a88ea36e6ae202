// The PromQL functions the parser accepts, with their argument and return types (the
// signatures Prometheus documents). Evaluation will hang its implementations off the same table.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "query/promql/ast.h"

namespace periscope::query::promql {

struct Function {
  std::string_view name;
  // Types of the first arg_count arguments; arguments past arg_count (when max_args allows
  // them) have the type of the last one.
  std::array<ValueType, 5> arg_types{};
  uint8_t arg_count = 0;
  uint8_t min_args = 0;
  int8_t max_args = 0;  // -1: unbounded
  ValueType return_type = ValueType::kVector;
};

// nullptr when the name is not a known function (names are case-sensitive).
const Function* findFunction(std::string_view name);

}  // namespace periscope::query::promql
