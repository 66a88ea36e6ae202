// Dictionary (declared in span_table.h): the interned strings of one SpanTable.
#include <algorithm>
#include <cstring>

#include "storage/signals/traces/span_table.h"

namespace periscope::storage {

namespace {

inline uint32_t hashOf(std::string_view s) {
  // FNV-1a over 8-byte words, then a murmur finalizer: fast for the short keys and values
  // attributes have, and well mixed for the power-of-two table.
  uint64_t h = 0xcbf29ce484222325ull ^ s.size();
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = (h ^ w) * 0x100000001b3ull;
  }
  uint64_t tail = 0;
  if (i < s.size()) std::memcpy(&tail, s.data() + i, s.size() - i);
  h = (h ^ tail) * 0x100000001b3ull;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return static_cast<uint32_t>(h);
}

}  // namespace

void Dictionary::grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(std::max<size_t>(1024, old.size() * 2), Slot{});
  size_t mask = slots_.size() - 1;
  for (const Slot& o : old) {
    if (o.id == UINT32_MAX) continue;
    size_t i = o.hash & mask;
    while (slots_[i].id != UINT32_MAX) i = (i + 1) & mask;
    slots_[i] = o;
  }
}

uint32_t Dictionary::find(std::string_view s) const {
  if (unindexed_) {
    for (size_t i = 0; i < values_.size(); ++i)
      if (values_[i] == s) return static_cast<uint32_t>(i);
    return UINT32_MAX;
  }
  if (slots_.empty()) return UINT32_MAX;
  uint32_t h = hashOf(s);
  size_t mask = slots_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.id == UINT32_MAX) return UINT32_MAX;
    if (slot.hash == h && values_[slot.id] == s) return slot.id;
  }
}

char* Dictionary::store(std::string_view s) {
  if (blocks_.empty() || block_used_ + s.size() > block_size_) {
    block_size_ = std::max<size_t>(64 << 10, s.size());
    blocks_.push_back(std::make_unique<char[]>(block_size_));
    block_used_ = 0;
  }
  char* p = blocks_.back().get() + block_used_;
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  block_used_ += s.size();
  bytes_ += s.size();
  return p;
}

void Dictionary::appendUnindexed(std::string_view s) {
  values_.emplace_back(store(s), s.size());
  unindexed_ = true;
}

void Dictionary::buildIndex() {
  unindexed_ = false;
  size_t want = 1024;
  while (want < values_.size() * 2 + 2) want *= 2;
  slots_.assign(want, Slot{});
  size_t mask = want - 1;
  for (uint32_t id = 0; id < values_.size(); ++id) {
    uint32_t h = hashOf(values_[id]);
    size_t i = h & mask;
    while (slots_[i].id != UINT32_MAX) i = (i + 1) & mask;
    slots_[i] = Slot{h, id};
  }
}

uint32_t Dictionary::intern(std::string_view s) {
  if (s.empty() && !values_.empty() && values_[0].empty()) return 0;  // most optional strings
  if (unindexed_) buildIndex();
  if ((values_.size() + 1) * 2 > slots_.size()) grow();  // load factor ≤ 1/2
  uint32_t h = hashOf(s);
  size_t mask = slots_.size() - 1;
  size_t i = h & mask;
  for (;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.id == UINT32_MAX) break;
    if (slot.hash == h && values_[slot.id] == s) return slot.id;
  }
  char* p = store(s);
  uint32_t id = static_cast<uint32_t>(values_.size());
  values_.emplace_back(p, s.size());
  slots_[i] = Slot{h, id};
  return id;
}

Dictionary Dictionary::copy() const {
  Dictionary d;
  d.block_size_ = d.block_used_ = bytes_;
  d.bytes_ = bytes_;
  d.blocks_.push_back(std::make_unique<char[]>(std::max<size_t>(1, bytes_)));
  char* p = d.blocks_.back().get();
  d.values_.reserve(values_.size());
  for (std::string_view v : values_) {
    if (!v.empty()) std::memcpy(p, v.data(), v.size());
    d.values_.emplace_back(p, v.size());
    p += v.size();
  }
  d.slots_ = slots_;
  d.unindexed_ = unindexed_;
  return d;
}

}  // namespace periscope::storage
