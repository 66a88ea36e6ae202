#include "components/connectors/attribute_copy.h"

#include "common/hex.h"
#include "config/schema.h"

namespace periscope::components::connectors {

using model::AnyValue;

AnyValue copyValue(Arena& arena, const AnyValue& value) {
  switch (value.type()) {
    case AnyValue::Type::kString:
      return AnyValue::string(arena.copy(value.str()));
    case AnyValue::Type::kBytes:
      return AnyValue::bytes(arena.copy(value.str()));
    case AnyValue::Type::kArray: {
      auto src = value.arrayValues();
      auto out = arena.allocArray<AnyValue>(src.size());
      for (size_t i = 0; i < src.size(); ++i) out[i] = copyValue(arena, src[i]);
      return AnyValue::array(out);
    }
    case AnyValue::Type::kKvList:
      return AnyValue::kvlist(copyAttributes(arena, value.kvlistValues()));
    default:
      return value;
  }
}

model::Attributes copyAttributes(Arena& arena, model::Attributes attrs) {
  auto out = arena.allocArray<model::KeyValue>(attrs.size());
  for (size_t i = 0; i < attrs.size(); ++i) {
    out[i].key = arena.copy(attrs[i].key);
    out[i].value = copyValue(arena, attrs[i].value);
  }
  return out;
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
