// The fields `| json` lifted from one record's line. Keys and values are appended to one
// buffer reused from record to record, so lifting allocates nothing once the buffer has grown
// to the widest line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace periscope::query::logs {

// `__error__` is set (to kJsonParserError) on a record whose line `| json` could not parse,
// like LogQL's label of the same name; the record is kept.
inline constexpr std::string_view kErrorField = "__error__";
inline constexpr std::string_view kJsonParserError = "JSONParserErr";

class LiftedFields {
 public:
  void clear() {
    bytes_.clear();
    entries_.clear();
  }
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  std::string_view key(size_t i) const { return view(entries_[i].key, entries_[i].key_len); }
  std::string_view value(size_t i) const { return view(entries_[i].value, entries_[i].value_len); }

  // Sets `key` to `value`; a key lifted twice keeps its last value.
  void set(std::string_view key, std::string_view value) {
    auto value_at = static_cast<uint32_t>(bytes_.size());
    for (auto& e : entries_) {
      if (view(e.key, e.key_len) == key) {
        bytes_.append(value);
        e.value = value_at;
        e.value_len = static_cast<uint32_t>(value.size());
        return;
      }
    }
    bytes_.append(value);
    auto key_at = static_cast<uint32_t>(bytes_.size());
    bytes_.append(key);
    entries_.push_back(
        {key_at, static_cast<uint32_t>(key.size()), value_at, static_cast<uint32_t>(value.size())});
  }

  std::optional<std::string_view> find(std::string_view key) const {
    for (const auto& e : entries_) {
      if (view(e.key, e.key_len) == key) return view(e.value, e.value_len);
    }
    return std::nullopt;
  }

  std::vector<std::pair<std::string, std::string>> toVector() const {
    std::vector<std::pair<std::string, std::string>> out;
    out.reserve(entries_.size());
    for (size_t i = 0; i < entries_.size(); ++i) out.emplace_back(key(i), value(i));
    return out;
  }

 private:
  // Offsets, not views: the buffer moves when it grows.
  struct Entry {
    uint32_t key;
    uint32_t key_len;
    uint32_t value;
    uint32_t value_len;
  };
  std::string_view view(uint32_t at, uint32_t len) const { return {bytes_.data() + at, len}; }

  std::string bytes_;
  std::vector<Entry> entries_;
};

}  // namespace periscope::query::logs
