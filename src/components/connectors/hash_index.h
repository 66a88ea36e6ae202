// HashIndex: an open-addressing map from a 64-bit key hash to a small integer (the index of an
// entry the caller stores elsewhere, e.g. a series). The caller confirms a match by comparing its
// own key bytes, so full collisions are handled; the table itself never touches the keys.
// Linear probing with backward-shift deletion; grows at half load. Lookups never allocate.
// Not thread-safe.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace periscope::components::connectors {

class HashIndex {
 public:
  static constexpr uint32_t kNotFound = UINT32_MAX;

  HashIndex() : slots_(16), mask_(15) {}

  // The value whose key equals `key`; `keyOf(value)` gives the key of a stored value.
  template <typename KeyOf>
  uint32_t find(uint64_t hash, std::string_view key, KeyOf&& keyOf) const {
    for (size_t s = hash & mask_; slots_[s].value != kNotFound; s = (s + 1) & mask_) {
      if (slots_[s].hash == hash && keyOf(slots_[s].value) == key) return slots_[s].value;
    }
    return kNotFound;
  }
  // Adds `value` under `hash`; its key must not be present yet.
  void insert(uint64_t hash, uint32_t value) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    size_t s = hash & mask_;
    while (slots_[s].value != kNotFound) s = (s + 1) & mask_;
    slots_[s] = {hash, value};
    ++size_;
  }
  void erase(uint64_t hash, uint32_t value);
  size_t size() const { return size_; }

 private:
  struct Slot {
    uint64_t hash = 0;
    uint32_t value = kNotFound;
  };
  void grow();

  std::vector<Slot> slots_;
  size_t mask_;
  size_t size_ = 0;
};

// A byte buffer for building keys: one capacity check per appended field, reused across spans.
class KeyBuffer {
 public:
  KeyBuffer() { bytes_.resize(256); }
  void clear() { size_ = 0; }
  void truncate(size_t n) { size_ = n < size_ ? n : size_; }
  size_t size() const { return size_; }
  std::string_view view() const { return {bytes_.data(), size_}; }
  // Room for `n` more bytes, returned for the caller to fill.
  char* extend(size_t n) {
    if (size_ + n > bytes_.size()) bytes_.resize(std::max(bytes_.size() * 2, size_ + n));
    char* p = bytes_.data() + size_;
    size_ += n;
    return p;
  }

 private:
  std::string bytes_;
  size_t size_ = 0;
};

}  // namespace periscope::components::connectors
