#include "model/any_value_copy.h"

namespace periscope::model {

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

Attributes copyAttributes(Arena& arena, Attributes attrs) {
  auto out = arena.allocArray<KeyValue>(attrs.size());
  for (size_t i = 0; i < attrs.size(); ++i) {
    out[i].key = arena.copy(attrs[i].key);
    out[i].value = copyValue(arena, attrs[i].value);
  }
  return out;
}

}  // namespace periscope::model
