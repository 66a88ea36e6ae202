#include "model/attribute_edit.h"

#include "model/any_value_copy.h"

namespace periscope::model {

AnyValue* findAttributeMutable(Attributes attrs, std::string_view key) {
  for (KeyValue& kv : attrs) {
    if (kv.key == key) return &kv.value;
  }
  return nullptr;
}

bool setAttribute(Arena& arena, Attributes& attrs, std::string_view key, const AnyValue& value,
                  SetMode mode) {
  if (AnyValue* existing = findAttributeMutable(attrs, key)) {
    if (mode == SetMode::kInsert) return false;
    *existing = copyValue(arena, value);
    return true;
  }
  if (mode == SetMode::kUpdate) return false;
  std::span<KeyValue> grown = arena.allocArray<KeyValue>(attrs.size() + 1);
  for (size_t i = 0; i < attrs.size(); ++i) grown[i] = attrs[i];
  grown[attrs.size()] = KeyValue{arena.copy(key), copyValue(arena, value)};
  attrs = grown;
  return true;
}

bool removeAttribute(Attributes& attrs, std::string_view key) {
  return removeAttributesIf(attrs, [&](const KeyValue& kv) { return kv.key == key; }) > 0;
}

}  // namespace periscope::model
