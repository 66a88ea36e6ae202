#include "model/any_value.h"

namespace periscope::model {

const AnyValue* findAttribute(Attributes attrs, std::string_view key) {
  for (const KeyValue& kv : attrs) {
    if (kv.key == key) return &kv.value;
  }
  return nullptr;
}

}  // namespace periscope::model
