#include "components/connectors/hash_index.h"

namespace periscope::components::connectors {

void HashIndex::erase(uint64_t hash, uint32_t value) {
  size_t hole = hash & mask_;
  while (slots_[hole].value != value) {
    if (slots_[hole].value == kNotFound) return;  // not present
    hole = (hole + 1) & mask_;
  }
  // Backward-shift deletion keeps every probe chain intact without tombstones.
  for (size_t s = (hole + 1) & mask_; slots_[s].value != kNotFound; s = (s + 1) & mask_) {
    size_t home = slots_[s].hash & mask_;
    bool stays = hole <= s ? (home > hole && home <= s) : (home > hole || home <= s);
    if (!stays) {
      slots_[hole] = slots_[s];
      hole = s;
    }
  }
  slots_[hole] = Slot{};
  --size_;
}

void HashIndex::grow() {
  std::vector<Slot> old;
  old.swap(slots_);
  slots_.assign(old.size() * 2, Slot{});
  mask_ = slots_.size() - 1;
  for (const auto& slot : old) {
    if (slot.value == kNotFound) continue;
    size_t s = slot.hash & mask_;
    while (slots_[s].value != kNotFound) s = (s + 1) & mask_;
    slots_[s] = slot;
  }
}

}  // namespace periscope::components::connectors
