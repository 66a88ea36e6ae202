#include "components/processors/resourcedetection/detected_resource.h"

namespace periscope::components::resourcedetection {

void DetectedResource::put(std::string_view key, DetectedValue value) {
  for (auto& [k, v] : attrs_) {
    if (k == key) {
      v = std::move(value);
      return;
    }
  }
  attrs_.emplace_back(std::string(key), std::move(value));
}

const DetectedValue* DetectedResource::find(std::string_view key) const {
  for (const auto& [k, v] : attrs_) {
    if (k == key) return &v;
  }
  return nullptr;
}

void DetectedResource::mergeMissing(const DetectedResource& later) {
  for (const auto& [k, v] : later.attrs_) {
    if (find(k) == nullptr) attrs_.emplace_back(k, v);
  }
}

model::Attributes DetectedResource::toAttributes(Arena& arena) const {
  std::span<model::KeyValue> out = arena.allocArray<model::KeyValue>(attrs_.size());
  for (size_t i = 0; i < attrs_.size(); ++i) {
    const auto& [key, value] = attrs_[i];
    out[i].key = arena.copy(key);
    if (const auto* s = std::get_if<std::string>(&value)) {
      out[i].value = model::AnyValue::string(arena.copy(*s));
    } else if (const auto* n = std::get_if<int64_t>(&value)) {
      out[i].value = model::AnyValue::integer(*n);
    } else {
      const auto& list = std::get<std::vector<std::string>>(value);
      std::span<model::AnyValue> items = arena.allocArray<model::AnyValue>(list.size());
      for (size_t j = 0; j < list.size(); ++j)
        items[j] = model::AnyValue::string(arena.copy(list[j]));
      out[i].value = model::AnyValue::array(items);
    }
  }
  return out;
}

}  // namespace periscope::components::resourcedetection
