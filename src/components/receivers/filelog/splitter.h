// Splitter: cuts the bytes read from a file into entries — one per line, or several lines per
// entry with `multiline` (a start or an end pattern, RE2, matched per line) — and cuts entries
// longer than max_log_size. Only complete entries are returned unless `force` (the file has
// stopped growing for force_flush_period): then the unfinished tail is an entry too.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

#include "components/receivers/filelog/config.h"

namespace re2 {
class RE2;
}

namespace periscope::components::filelog {

class Splitter {
 public:
  struct Piece {
    size_t begin = 0;  // the entry's text is data[begin, end), without its final newline
    size_t end = 0;
    size_t next = 0;  // where the next entry starts (after the newline)
  };

  Splitter(const std::optional<MultilineConfig>& multiline, size_t max_log_size);
  ~Splitter();

  // Appends up to `max_entries` entries of `data` to `out`; returns the bytes they consume.
  size_t split(std::string_view data, bool force, size_t max_entries,
               std::vector<Piece>& out) const;

 private:
  bool lineMatches(const re2::RE2& re, std::string_view line) const;
  // The entry starting at `pos`, or false when it is not complete yet.
  bool nextLineEntry(std::string_view data, size_t pos, bool force, Piece& p) const;
  bool nextMultilineEntry(std::string_view data, size_t pos, bool force, Piece& p) const;

  std::unique_ptr<re2::RE2> start_;
  std::unique_ptr<re2::RE2> end_;
  bool omit_pattern_ = false;
  size_t max_;
};

}  // namespace periscope::components::filelog
