// The fields `| json` lifted from one record's line, reused from record to record so that
// filtering allocates nothing once the slots have grown to the widest line.
#pragma once

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
  void clear() { size_ = 0; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::string_view key(size_t i) const { return slots_[i].first; }
  std::string_view value(size_t i) const { return slots_[i].second; }
  void truncate(size_t n) { size_ = n < size_ ? n : size_; }

  // Sets `key` to `value`; a key lifted twice keeps its last value.
  void set(std::string_view key, std::string_view value) {
    for (size_t i = 0; i < size_; ++i) {
      if (slots_[i].first == key) {
        slots_[i].second.assign(value);
        return;
      }
    }
    if (size_ == slots_.size()) slots_.emplace_back();
    slots_[size_].first.assign(key);
    slots_[size_].second.assign(value);
    ++size_;
  }

  const std::string* find(std::string_view key) const {
    for (size_t i = 0; i < size_; ++i) {
      if (slots_[i].first == key) return &slots_[i].second;
    }
    return nullptr;
  }

  std::vector<std::pair<std::string, std::string>> toVector() const {
    return {slots_.begin(), slots_.begin() + static_cast<std::ptrdiff_t>(size_)};
  }

 private:
  std::vector<std::pair<std::string, std::string>> slots_;
  size_t size_ = 0;
};

}  // namespace periscope::query::logs
