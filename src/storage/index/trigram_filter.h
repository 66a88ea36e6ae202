// TrigramFilter: a one-hash Bloom filter of every 3-byte window of a set of lines, so a reader
// can skip a block of lines that cannot contain a substring: if the needle (≥ 3 bytes) is in a
// line, each of its trigrams is, so each of their bits is set. It may say "maybe" wrongly,
// never "no" wrongly. Needles shorter than 3 bytes prove nothing.
// Built at 2^18 bits, then folded in halves (bit = hash mod size, so folding ORs the halves)
// while the result stays at most ~30% full: a row group of repetitive lines costs a few
// hundred bytes, a varied one up to 32 KiB. A needle of n bytes checks n-2 bits, so even at
// 30% fill a 7-byte needle passes a block without it about 0.2% of the time.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace periscope::storage {

class TrigramFilter {
 public:
  // Starts building (all bits clear).
  void reset();
  void add(std::string_view line);
  // Folds to its final size; call once after the last add().
  void finish();
  // False only when no line added contains `needle`.
  bool mayContain(std::string_view needle) const;

  // Power-of-two number of words; empty = not built (mayContain is always true).
  std::vector<uint64_t> words;

 private:
  static uint32_t mix(uint32_t trigram);  // the 3 bytes as a little-endian 24-bit value
  static uint32_t hash(const char* p);
};

}  // namespace periscope::storage
