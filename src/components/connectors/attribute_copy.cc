#include "components/connectors/attribute_copy.h"

#include "common/hex.h"
#include "config/schema.h"
#include "model/any_value_copy.h"

namespace periscope::components::connectors {

using model::AnyValue;

AnyValue copyValue(Arena& arena, const AnyValue& value) {
  return model::copyValue(arena, value);
}

model::Attributes copyAttributes(Arena& arena, model::Attributes attrs) {
  return model::copyAttributes(arena, attrs);
}

std::string valueToString(const AnyValue& value) {
  switch (value.type()) {
    case AnyValue::Type::kString:
      return std::string(value.str());
    case AnyValue::Type::kBool:
      return value.boolValue() ? "true" : "false";
    case AnyValue::Type::kInt:
      return std::to_string(value.intValue());
    case AnyValue::Type::kDouble:
      return config::formatDouble(value.doubleValue());
    case AnyValue::Type::kBytes:
      return hexEncode(value.str());
    case AnyValue::Type::kArray: {
      std::string out = "[";
      for (const auto& v : value.arrayValues()) {
        if (out.size() > 1) out += ",";
        out += valueToString(v);
      }
      return out + "]";
    }
    case AnyValue::Type::kKvList: {
      std::string out = "{";
      for (const auto& kv : value.kvlistValues()) {
        if (out.size() > 1) out += ",";
        out += std::string(kv.key) + ":" + valueToString(kv.value);
      }
      return out + "}";
    }
    default:
      return "";
  }
}

}  // namespace periscope::components::connectors
