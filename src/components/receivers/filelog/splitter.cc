#include "components/receivers/filelog/splitter.h"

#include <re2/re2.h>

#include <cstring>

namespace periscope::components::filelog {
namespace {

// Index of the next '\n' at or after `pos`, or npos.
size_t findNewline(std::string_view data, size_t pos) {
  const void* p = std::memchr(data.data() + pos, '\n', data.size() - pos);
  return p == nullptr ? std::string_view::npos
                      : static_cast<size_t>(static_cast<const char*>(p) - data.data());
}

// Drops a trailing '\r' (CRLF files) from [begin, end).
size_t trimCr(std::string_view data, size_t begin, size_t end) {
  return end > begin && data[end - 1] == '\r' ? end - 1 : end;
}

}  // namespace

Splitter::Splitter(const std::optional<MultilineConfig>& multiline, size_t max_log_size)
    : max_(max_log_size) {
  if (multiline) {
    omit_pattern_ = multiline->omit_pattern;
    if (!multiline->line_start_pattern.empty())
      start_ = std::make_unique<re2::RE2>(multiline->line_start_pattern);
    if (!multiline->line_end_pattern.empty())
      end_ = std::make_unique<re2::RE2>(multiline->line_end_pattern);
  }
}

Splitter::~Splitter() = default;

bool Splitter::lineMatches(const re2::RE2& re, std::string_view line) const {
  return re2::RE2::PartialMatch(re2::StringPiece(line.data(), line.size()), re);
}

bool Splitter::nextLineEntry(std::string_view data, size_t pos, bool force, Piece& p) const {
  size_t nl = findNewline(data, pos);
  size_t avail = (nl == std::string_view::npos ? data.size() : nl) - pos;
  if (avail > max_) {  // too long: cut, whether or not its newline has arrived
    p = {pos, pos + max_, pos + max_};
    return true;
  }
  if (nl != std::string_view::npos) {
    p = {pos, trimCr(data, pos, nl), nl + 1};
    return true;
  }
  if (force && pos < data.size()) {
    p = {pos, data.size(), data.size()};
    return true;
  }
  return false;
}

bool Splitter::nextMultilineEntry(std::string_view data, size_t pos, bool force, Piece& p) const {
  size_t line = pos;
  bool first = true;
  while (true) {
    size_t nl = findNewline(data, line);
    size_t line_end = nl == std::string_view::npos ? data.size() : nl;
    if (line_end - pos > max_) {
      p = {pos, pos + max_, pos + max_};
      return true;
    }
    if (nl == std::string_view::npos) break;  // an unfinished line ends no entry
    std::string_view text = data.substr(line, trimCr(data, line, nl) - line);
    if (start_ && !first && lineMatches(*start_, text)) {
      // This line starts the next entry; ours ends before it.
      p = {pos, trimCr(data, pos, line - 1), line};
      return true;
    }
    if (end_ && lineMatches(*end_, text)) {
      p = {pos, trimCr(data, pos, nl), nl + 1};
      return true;
    }
    first = false;
    line = nl + 1;
    if (line == data.size()) break;
  }
  if (force && pos < data.size()) {
    size_t end = data.size();
    if (data[end - 1] == '\n') end = trimCr(data, pos, end - 1);
    p = {pos, end, data.size()};
    return true;
  }
  return false;
}

size_t Splitter::split(std::string_view data, bool force, size_t max_entries,
                       std::vector<Piece>& out) const {
  size_t pos = 0;
  size_t n = 0;
  while (pos < data.size() && n < max_entries) {
    Piece p;
    bool ok = (start_ || end_) ? nextMultilineEntry(data, pos, force, p)
                               : nextLineEntry(data, pos, force, p);
    if (!ok) break;
    if (omit_pattern_) {
      re2::StringPiece text(data.data() + p.begin, p.end - p.begin), m;
      if (start_ && re2::RE2::PartialMatch(text, "(" + start_->pattern() + ")", &m) &&
          m.data() == text.data()) {
        p.begin += m.size();
      } else if (end_) {
        size_t last = std::string_view(data.data() + p.begin, p.end - p.begin).rfind('\n');
        size_t from = last == std::string_view::npos ? p.begin : p.begin + last + 1;
        re2::StringPiece tail(data.data() + from, p.end - from);
        if (re2::RE2::PartialMatch(tail, "(" + end_->pattern() + ")$", &m)) p.end -= m.size();
      }
    }
    out.push_back(p);
    pos = p.next;
    ++n;
  }
  return pos;
}

}  // namespace periscope::components::filelog
