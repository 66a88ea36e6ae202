#include "query/logs/json_lifter.h"

#include <simdjson.h>

#include <charconv>

namespace periscope::query::logs {

namespace dom = simdjson::dom;

// The DOM parser validates the whole line (trailing bytes included) before anything is lifted,
// so a malformed line never leaves half its fields behind.
struct JsonLifter::State {
  dom::parser parser;
  std::string buffer;  // the line plus simdjson's padding
  std::string path;    // the flattened name being built
  std::string text;    // a number's or array's text
};

namespace {

bool isListed(const std::vector<std::string>& only, std::string_view path) {
  for (const auto& name : only) {
    if (name == path) return true;
  }
  return false;
}

// Whether some listed name lies below `path` (so its object must be walked).
bool hasListedBelow(const std::vector<std::string>& only, std::string_view path) {
  for (const auto& name : only) {
    if (name.size() > path.size() && name.starts_with(path) && name[path.size()] == '.') {
      return true;
    }
  }
  return false;
}

// A value's text: strings unescaped, numbers in shortest form, true/false, null as "", arrays
// (and objects lifted whole by name) as compact JSON in `text`.
std::string_view valueText(const dom::element& value, char (&num)[64], std::string& text) {
  std::to_chars_result r{};
  switch (value.type()) {
    case dom::element_type::STRING:
      return std::string_view(value);
    case dom::element_type::INT64:
      r = std::to_chars(num, num + sizeof num, int64_t(value));
      break;
    case dom::element_type::UINT64:
      r = std::to_chars(num, num + sizeof num, uint64_t(value));
      break;
    case dom::element_type::DOUBLE:
      r = std::to_chars(num, num + sizeof num, double(value));
      break;
    case dom::element_type::BOOL:
      return bool(value) ? "true" : "false";
    case dom::element_type::NULL_VALUE:
      return {};
    default:
      text = simdjson::to_string(value);
      return text;
  }
  return {num, static_cast<size_t>(r.ptr - num)};
}

struct Walk {
  JsonLifter::Select select;
  const std::vector<std::string>& names;
  std::string& path;
  std::string& text;
  LiftedFields& out;
};

void flatten(const dom::element& value, Walk& w) {
  bool all = w.select == JsonLifter::Select::kAll;
  bool whole = w.select == JsonLifter::Select::kListed && isListed(w.names, w.path);
  if (value.type() == dom::element_type::OBJECT && !whole) {
    if (!all && !w.path.empty() && !hasListedBelow(w.names, w.path)) return;
    for (dom::key_value_pair field : dom::object(value)) {
      size_t mark = w.path.size();
      if (mark != 0) w.path += '.';
      w.path += field.key;
      flatten(field.value, w);
      w.path.resize(mark);
    }
    return;
  }
  if (!all && !isListed(w.names, w.path)) return;
  char num[64];
  w.out.set(w.path, valueText(value, num, w.text));
}

}  // namespace

JsonLifter::JsonLifter() : state_(std::make_unique<State>()) {}
JsonLifter::~JsonLifter() = default;

bool JsonLifter::lift(std::string_view line, Select select, const std::vector<std::string>& names,
                      LiftedFields& out) {
  State& s = *state_;
  s.buffer.resize(line.size() + simdjson::SIMDJSON_PADDING);
  line.copy(s.buffer.data(), line.size());
  dom::element root;
  if (s.parser.parse(s.buffer.data(), line.size(), false).get(root) != simdjson::SUCCESS ||
      root.type() != dom::element_type::OBJECT) {
    out.set(kErrorField, kJsonParserError);
    return false;
  }
  s.path.clear();
  Walk walk{select, names, s.path, s.text, out};
  flatten(root, walk);
  return true;
}

}  // namespace periscope::query::logs
