#include "model/prometheus/text_format_parser.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace periscope::model::prom {
namespace {

bool isBlank(char c) {
  return c == ' ' || c == '\t';
}
bool isNameStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}
bool isNameChar(char c) {
  return isNameStart(c) || (c >= '0' && c <= '9');
}
bool isLabelStart(char c) {
  return isNameStart(c) && c != ':';
}
bool isLabelChar(char c) {
  return isNameChar(c) && c != ':';
}

// Go's strconv.ParseFloat for the forms exposition formats use: decimal, exponent, hex floats,
// Inf/Infinity/NaN in any case, with an optional sign.
bool parseGoFloat(std::string_view s, double& out) {
  if (s.empty()) return false;
  bool negative = false;
  if (s.front() == '+' || s.front() == '-') {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.empty() || s.front() == '+' || s.front() == '-') return false;
  std::chars_format fmt = std::chars_format::general;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    s.remove_prefix(2);
    fmt = std::chars_format::hex;
  }
  auto res = std::from_chars(s.data(), s.data() + s.size(), out, fmt);
  if (res.ec == std::errc::result_out_of_range) {
    // Go rounds overflow to ±Inf and underflow to 0 instead of failing.
    out = (s.find_first_of("eEpP") != std::string_view::npos &&
           s.find('-', s.find_first_of("eEpP")) != std::string_view::npos)
              ? 0.0
              : std::numeric_limits<double>::infinity();
  } else if (res.ec != std::errc() || res.ptr != s.data() + s.size()) {
    return false;
  }
  if (std::isnan(out) && s.size() > 3) return false;  // "nan(...)" is C, not Go
  if (negative) out = -out;
  return true;
}

MetricKind kindFromWord(std::string_view w, bool& known) {
  known = true;
  if (w == "counter") return MetricKind::kCounter;
  if (w == "gauge") return MetricKind::kGauge;
  if (w == "histogram") return MetricKind::kHistogram;
  if (w == "summary") return MetricKind::kSummary;
  if (w == "untyped" || w == "unknown" || w == "info" || w == "stateset" || w == "gaugehistogram")
    return MetricKind::kUnknown;
  known = false;
  return MetricKind::kUnknown;
}

}  // namespace

TextFormat textFormatFromContentType(std::string_view content_type) {
  constexpr std::string_view kOpenMetrics = "application/openmetrics-text";
  return content_type.substr(0, kOpenMetrics.size()) == kOpenMetrics ? TextFormat::kOpenMetrics
                                                                     : TextFormat::kPrometheus;
}

TextParser::TextParser(std::string_view input, TextFormat format) : in_(input), format_(format) {}

Status TextParser::error(size_t pos, std::string_view what) const {
  return invalidArgument(std::to_string(line_) + ":" + std::to_string(pos - line_start_ + 1) +
                         ": parse error: " + std::string(what));
}

void TextParser::skipBlanks() {
  while (pos_ < in_.size() && isBlank(in_[pos_])) ++pos_;
}

bool TextParser::atLineEnd() const {
  return pos_ >= in_.size() || in_[pos_] == '\n';
}

std::string_view TextParser::token() {
  size_t begin = pos_;
  while (pos_ < in_.size() && !isBlank(in_[pos_]) && in_[pos_] != '\n') ++pos_;
  return in_.substr(begin, pos_ - begin);
}

Status TextParser::finishLine() {
  skipBlanks();
  if (!atLineEnd()) return error(pos_, "unexpected text at the end of the line");
  if (pos_ < in_.size()) ++pos_;
  return Status::ok();
}

Result<TextParser::Entry> TextParser::next() {
  if (ended_) return Entry::kEnd;
  for (;;) {
    if (pos_ >= in_.size()) {
      ended_ = true;
      return Entry::kEnd;
    }
    ++line_;
    line_start_ = pos_;
    skipBlanks();
    if (pos_ < in_.size() && in_[pos_] == '\n') {  // blank line
      ++pos_;
      continue;
    }
    if (pos_ >= in_.size()) continue;
    if (in_[pos_] == '#') return parseComment();
    return parseSample();
  }
}

Result<TextParser::Entry> TextParser::parseComment() {
  ++pos_;  // '#'
  size_t after_hash = pos_;
  skipBlanks();
  bool spaced = pos_ > after_hash;
  size_t kw_pos = pos_;
  std::string_view keyword = spaced ? token() : std::string_view();
  if (keyword == "EOF" && atLineEnd()) {
    // Only blank lines may follow.
    size_t rest = pos_;
    while (rest < in_.size() && (isBlank(in_[rest]) || in_[rest] == '\n')) {
      if (in_[rest] == '\n') {
        ++line_;
        line_start_ = rest + 1;
      }
      ++rest;
    }
    if (rest < in_.size()) {
      pos_ = rest;
      return error(rest, "content after # EOF");
    }
    pos_ = in_.size();
    ended_ = true;
    return Entry::kEnd;
  }
  bool is_help = keyword == "HELP", is_type = keyword == "TYPE", is_unit = keyword == "UNIT";
  if (!is_help && !is_type && !is_unit) {
    while (!atLineEnd()) ++pos_;
    if (pos_ < in_.size()) ++pos_;
    return Entry::kComment;
  }
  if (pos_ < in_.size() && !isBlank(in_[pos_]) && in_[pos_] != '\n')
    return error(kw_pos, "unexpected keyword");
  skipBlanks();
  size_t name_pos = pos_;
  if (pos_ >= in_.size() || !isNameStart(in_[pos_]))
    return error(name_pos, "expected a metric name after # " + std::string(keyword));
  while (pos_ < in_.size() && isNameChar(in_[pos_])) ++pos_;
  name_ = in_.substr(name_pos, pos_ - name_pos);
  if (!atLineEnd() && !isBlank(in_[pos_])) return error(pos_, "invalid character in metric name");
  if (is_help) {
    // The rest of the line after the blanks is the text.
    skipBlanks();
    scratch_.clear();
    while (!atLineEnd()) {
      char c = in_[pos_];
      if (c == '\\' && pos_ + 1 < in_.size() && (in_[pos_ + 1] == '\\' || in_[pos_ + 1] == 'n')) {
        scratch_ += in_[pos_ + 1] == 'n' ? '\n' : '\\';
        pos_ += 2;
        continue;
      }
      scratch_ += c;
      ++pos_;
    }
    help_ = scratch_;
    if (pos_ < in_.size()) ++pos_;
    return Entry::kHelp;
  }
  skipBlanks();
  size_t word_pos = pos_;
  std::string_view word = token();
  if (is_unit) {
    unit_ = word;
    PERISCOPE_RETURN_IF_ERROR(finishLine());
    return Entry::kUnit;
  }
  bool known = false;
  kind_ = kindFromWord(word, known);
  if (!known) {
    return error(word_pos, word.empty() ? std::string("expected a metric type")
                                        : "unknown metric type \"" + std::string(word) + "\"");
  }
  type_ = word;
  PERISCOPE_RETURN_IF_ERROR(finishLine());
  return Entry::kType;
}

Result<TextParser::Entry> TextParser::parseSample() {
  size_t name_pos = pos_;
  if (!isNameStart(in_[pos_])) return error(pos_, "expected a metric name");
  while (pos_ < in_.size() && isNameChar(in_[pos_])) ++pos_;
  name_ = in_.substr(name_pos, pos_ - name_pos);
  labels_.clear();
  skipBlanks();
  if (pos_ < in_.size() && in_[pos_] == '{') PERISCOPE_RETURN_IF_ERROR(parseLabels());
  PERISCOPE_RETURN_IF_ERROR(parseValue());
  timestamp_ms_.reset();
  skipBlanks();
  if (!atLineEnd() && in_[pos_] != '#') PERISCOPE_RETURN_IF_ERROR(parseTimestamp());
  skipBlanks();
  if (format_ == TextFormat::kOpenMetrics && !atLineEnd() && in_[pos_] == '#') {
    while (!atLineEnd()) ++pos_;  // exemplar: not kept
  }
  PERISCOPE_RETURN_IF_ERROR(finishLine());
  return Entry::kSample;
}

Status TextParser::parseLabels() {
  ++pos_;  // '{'
  pending_.clear();
  scratch_.clear();
  for (;;) {
    skipBlanks();
    if (pos_ >= in_.size()) return error(pos_, "unexpected end of input in label set");
    if (in_[pos_] == '}') {
      ++pos_;
      break;
    }
    size_t lname_pos = pos_;
    if (!isLabelStart(in_[pos_])) return error(pos_, "expected a label name");
    while (pos_ < in_.size() && isLabelChar(in_[pos_])) ++pos_;
    std::string_view lname = in_.substr(lname_pos, pos_ - lname_pos);
    if (lname == kMetricNameLabel) return error(lname_pos, "label name __name__ is reserved");
    for (const PendingLabel& p : pending_) {
      if (p.name == lname)
        return error(lname_pos, "duplicate label name \"" + std::string(lname) + "\"");
    }
    skipBlanks();
    if (pos_ >= in_.size() || in_[pos_] != '=')
      return error(pos_, "expected '=' after label name \"" + std::string(lname) + "\"");
    ++pos_;
    skipBlanks();
    PendingLabel label{lname, 0, 0, false};
    PERISCOPE_RETURN_IF_ERROR(parseLabelValue(label.begin, label.size, label.in_scratch));
    pending_.push_back(label);
    skipBlanks();
    if (pos_ < in_.size() && in_[pos_] == ',') {
      ++pos_;
      continue;
    }
    if (pos_ < in_.size() && in_[pos_] == '}') continue;
    return error(pos_, "expected ',' or '}' in label set");
  }
  // Views are taken only now: scratch_ no longer grows.
  for (const PendingLabel& p : pending_) {
    std::string_view src = p.in_scratch ? std::string_view(scratch_) : in_;
    labels_.push_back({p.name, src.substr(p.begin, p.size)});
  }
  return Status::ok();
}

Status TextParser::parseLabelValue(size_t& begin, size_t& size, bool& in_scratch) {
  if (pos_ >= in_.size() || in_[pos_] != '"')
    return error(pos_, "expected '\"' to open a label value");
  size_t start = ++pos_;
  // Fast path: no escapes, the value is a view into the input.
  while (pos_ < in_.size() && in_[pos_] != '"' && in_[pos_] != '\\' && in_[pos_] != '\n') ++pos_;
  if (pos_ < in_.size() && in_[pos_] == '"') {
    begin = start;
    size = pos_ - start;
    in_scratch = false;
    ++pos_;
    return Status::ok();
  }
  begin = scratch_.size();
  scratch_.append(in_.substr(start, pos_ - start));
  while (pos_ < in_.size() && in_[pos_] != '"' && in_[pos_] != '\n') {
    if (in_[pos_] == '\\' && pos_ + 1 < in_.size() && in_[pos_ + 1] != '\n') {
      char e = in_[pos_ + 1];
      if (e == 'n') {
        scratch_ += '\n';
      } else if (e == '\\' || e == '"') {
        scratch_ += e;
      } else {
        scratch_.append(in_.substr(pos_, 2));
      }
      pos_ += 2;
      continue;
    }
    scratch_ += in_[pos_++];
  }
  if (pos_ >= in_.size() || in_[pos_] != '"') return error(pos_, "unterminated label value");
  ++pos_;
  size = scratch_.size() - begin;
  in_scratch = true;
  return Status::ok();
}

Status TextParser::parseValue() {
  skipBlanks();
  size_t value_pos = pos_;
  std::string_view word = token();
  if (word.empty()) return error(value_pos, "expected a sample value");
  if (!parseGoFloat(word, value_))
    return error(value_pos, "invalid sample value \"" + std::string(word) + "\"");
  return Status::ok();
}

Status TextParser::parseTimestamp() {
  size_t ts_pos = pos_;
  std::string_view word = token();
  if (format_ == TextFormat::kOpenMetrics) {
    double seconds = 0;
    if (!parseGoFloat(word, seconds) || !std::isfinite(seconds) || std::fabs(seconds) > 9e15)
      return error(ts_pos, "invalid timestamp \"" + std::string(word) + "\"");
    timestamp_ms_ = static_cast<int64_t>(std::llround(seconds * 1000.0));
    return Status::ok();
  }
  int64_t ms = 0;
  std::string_view digits = word;
  if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
  auto res = std::from_chars(digits.data(), digits.data() + digits.size(), ms);
  if (digits.empty() || res.ec != std::errc() || res.ptr != digits.data() + digits.size())
    return error(ts_pos, "invalid timestamp \"" + std::string(word) + "\"");
  timestamp_ms_ = ms;
  return Status::ok();
}

}  // namespace periscope::model::prom
