// IdBloomFilter: a Bloom filter of ids (trace ids: 16 raw bytes), k = 7 by double hashing, about
// 1% false positives at 10 bits per item. The trace and log stores keep one per segment and row
// group to skip data that cannot hold an id. The hash is part of their file formats: never
// change it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace periscope::storage {

class IdBloomFilter {
 public:
  void init(size_t items, int bits_per_item = 10);
  void add(std::string_view id);
  // True when the filter is empty (not built): it then proves nothing.
  bool mayContain(std::string_view id) const;
  std::vector<uint64_t> words;
};

}  // namespace periscope::storage
