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

void scalarText(const dom::element& value, std::string& out) {
  char buf[64];
  std::to_chars_result r{};
  switch (value.type()) {
    case dom::element_type::INT64:
      r = std::to_chars(buf, buf + sizeof buf, int64_t(value));
      break;
    case dom::element_type::UINT64:
      r = std::to_chars(buf, buf + sizeof buf, uint64_t(value));
      break;
    case dom::element_type::DOUBLE:
      r = std::to_chars(buf, buf + sizeof buf, double(value));
      break;
    case dom::element_type::BOOL:
      out.assign(bool(value) ? "true" : "false");
      return;
    case dom::element_type::NULL_VALUE:
      out.clear();
      return;
    default:  // arrays (and objects lifted whole by name): their compact JSON
      out = simdjson::to_string(value);
      return;
  }
  out.assign(buf, r.ptr);
}

void flatten(const dom::element& value, const std::vector<std::string>& only, std::string& path,
             std::string& text, LiftedFields& out) {
  bool all = only.empty();
  if (value.type() == dom::element_type::OBJECT && (all || !isListed(only, path))) {
    if (!all && !path.empty() && !hasListedBelow(only, path)) return;
    for (dom::key_value_pair field : dom::object(value)) {
      size_t mark = path.size();
      if (mark != 0) path += '.';
      path += field.key;
      flatten(field.value, only, path, text, out);
      path.resize(mark);
    }
    return;
  }
  if (!all && !isListed(only, path)) return;
  if (value.type() == dom::element_type::STRING) {
    out.set(path, std::string_view(value));
    return;
  }
  scalarText(value, text);
  out.set(path, text);
}

}  // namespace

JsonLifter::JsonLifter() : state_(std::make_unique<State>()) {}
JsonLifter::~JsonLifter() = default;

bool JsonLifter::lift(std::string_view line, const std::vector<std::string>& only,
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
  flatten(root, only, s.path, s.text, out);
  return true;
}

}  // namespace periscope::query::logs
