#include "components/processors/resourcedetection/merge.h"

#include "model/attribute_edit.h"

namespace periscope::components::resourcedetection {

void mergeAttributes(Arena& arena, model::Attributes& attrs, model::Attributes detected,
                     bool override_existing) {
  size_t missing = 0;
  for (const model::KeyValue& kv : detected) {
    if (model::AnyValue* existing = model::findAttributeMutable(attrs, kv.key)) {
      if (override_existing) *existing = kv.value;
    } else {
      ++missing;
    }
  }
  if (missing == 0) return;
  std::span<model::KeyValue> grown = arena.allocArray<model::KeyValue>(attrs.size() + missing);
  size_t n = 0;
  for (const model::KeyValue& kv : attrs) grown[n++] = kv;
  for (const model::KeyValue& kv : detected) {
    if (model::findAttribute(attrs, kv.key) == nullptr) grown[n++] = kv;
  }
  attrs = grown;
}

}  // namespace periscope::components::resourcedetection
