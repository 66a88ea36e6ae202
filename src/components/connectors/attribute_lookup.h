// AttributeLookup: finds several attribute keys in one pass over an attribute list, instead of
// one linear scan per key. Keys whose length no wanted name has are skipped after one bit test,
// which is most of them. Used per span by the connectors (dimensions, peer and database names).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "model/any_value.h"

namespace periscope::components::connectors {

class AttributeLookup {
 public:
  explicit AttributeLookup(std::vector<std::string> names) : names_(std::move(names)) {
    for (const auto& n : names_) lengths_ |= bit(n.size());
  }
  size_t size() const { return names_.size(); }

  // out[i] = the value of names[i] in `attrs` (its first occurrence); untouched if absent.
  void find(model::Attributes attrs, std::span<const model::AnyValue*> out) const {
    if (names_.empty()) return;
    for (const auto& kv : attrs) {
      if ((lengths_ & bit(kv.key.size())) == 0) continue;
      for (size_t i = 0; i < names_.size(); ++i) {
        if (out[i] == nullptr && names_[i] == kv.key) out[i] = &kv.value;
      }
    }
  }

  // The value of the earliest-listed name present in `attrs`, or null.
  const model::AnyValue* first(model::Attributes attrs) const {
    if (names_.empty()) return nullptr;
    const model::AnyValue* best = nullptr;
    size_t best_rank = names_.size();
    for (const auto& kv : attrs) {
      if ((lengths_ & bit(kv.key.size())) == 0) continue;
      for (size_t r = 0; r < best_rank; ++r) {
        if (names_[r] == kv.key) {
          best = &kv.value;
          best_rank = r;
          break;
        }
      }
    }
    return best;
  }

 private:
  // Lengths of 63 and more share one bit (then the string comparison decides).
  static uint64_t bit(size_t length) { return uint64_t{1} << (length < 63 ? length : 63); }

  std::vector<std::string> names_;
  uint64_t lengths_ = 0;
};

}  // namespace periscope::components::connectors
