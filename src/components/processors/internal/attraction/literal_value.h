// LiteralValue: an `any`-typed config scalar (the attributes processor's `value`, `default_value`,
// and match `attributes[].value`), typed the way the collector's YAML decoder types it:
// plain `true`/`false` are bools, plain integers ints, plain floats doubles, quoted scalars and
// everything else strings; `null`/`~` means "not set".
#pragma once

#include <cstdint>
#include <string>

#include "config/schema.h"
#include "model/any_value.h"

namespace periscope::components::attraction {

struct LiteralValue {
  enum class Type : uint8_t { kUnset, kString, kBool, kInt, kDouble };
  Type type = Type::kUnset;
  std::string text;  // as written (the value itself for kString)
  bool b = false;
  int64_t i = 0;
  double d = 0;

  bool isSet() const { return type != Type::kUnset; }
  // A view of this value (strings point into `text`; copy before storing in a batch).
  model::AnyValue view() const;

  static LiteralValue string(std::string s);
  // Types a plain (unquoted) YAML scalar as YAML 1.2's core schema does.
  static LiteralValue fromPlainScalar(const std::string& s);
};

}  // namespace periscope::components::attraction

namespace periscope::config {

template <>
struct FieldCodec<components::attraction::LiteralValue> {
  static std::string typeName() { return "any"; }
  static std::string show(const components::attraction::LiteralValue& v) { return v.text; }
  static std::vector<FieldDoc> children() { return {}; }
  static void decode(const Value& v, components::attraction::LiteralValue& out, Diagnostics& d);
};

}  // namespace periscope::config
