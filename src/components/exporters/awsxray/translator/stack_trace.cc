#include "components/exporters/awsxray/translator/stack_trace.h"

#include <charconv>
#include <string>
#include <vector>

namespace periscope::components::awsxray_exporter::translator {

namespace {

std::vector<std::string_view> lines(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    auto nl = text.find('\n');
    auto line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<int64_t> number(std::string_view s) {
  int64_t v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

nlohmann::json frame(std::string_view path, std::optional<int64_t> line, std::string_view label) {
  nlohmann::json f = nlohmann::json::object();
  f["path"] = std::string(path);
  if (line) f["line"] = *line;
  f["label"] = std::string(label);
  return f;
}

// "\tat com.example.Foo.bar(Foo.java:42)"; each "Caused by: type: message" line starts the
// frames of a chained exception.
ParsedStack parseJava(std::string_view text) {
  ParsedStack out;
  nlohmann::json* frames = &out.frames;
  for (auto raw : lines(text)) {
    auto line = trim(raw);
    if (line.rfind("Caused by:", 0) == 0) {
      auto what = trim(line.substr(10));
      auto colon = what.find(": ");
      ChainedException cause;
      cause.type = std::string(what.substr(0, colon));
      if (colon != std::string_view::npos) cause.message = std::string(what.substr(colon + 2));
      out.causes.push_back(std::move(cause));
      frames = &out.causes.back().frames;
      continue;
    }
    if (line.rfind("at ", 0) != 0) continue;
    line.remove_prefix(3);
    auto open = line.rfind('(');
    if (open == std::string_view::npos || line.back() != ')') continue;
    auto label = line.substr(0, open);
    auto location = line.substr(open + 1, line.size() - open - 2);
    auto colon = location.rfind(':');
    if (colon == std::string_view::npos) {
      frames->push_back(frame(location, std::nullopt, label));  // "Native Method", "Unknown Source"
    } else {
      frames->push_back(
          frame(location.substr(0, colon), number(location.substr(colon + 1)), label));
    }
  }
  return out;
}

// '  File "/app/x.py", line 10, in handler' lines, outermost first: reversed for X-Ray.
nlohmann::json parsePython(std::string_view text) {
  nlohmann::json frames = nlohmann::json::array();
  std::vector<nlohmann::json> outer_first;
  for (auto raw : lines(text)) {
    auto line = trim(raw);
    if (line.rfind("File \"", 0) != 0) continue;
    line.remove_prefix(6);
    auto quote = line.find('"');
    if (quote == std::string_view::npos) continue;
    auto path = line.substr(0, quote);
    auto rest = line.substr(quote + 1);
    std::optional<int64_t> lineno;
    std::string_view label;
    if (auto l = rest.find("line "); l != std::string_view::npos) {
      auto digits = rest.substr(l + 5);
      auto end = digits.find(',');
      lineno = number(digits.substr(0, end));
    }
    if (auto in = rest.find(", in "); in != std::string_view::npos) label = rest.substr(in + 5);
    outer_first.push_back(frame(path, lineno, label));
  }
  for (auto it = outer_first.rbegin(); it != outer_first.rend(); ++it) frames.push_back(*it);
  return frames;
}

// "    at fn (/app/x.js:10:5)" or "    at /app/x.js:10:5".
nlohmann::json parseNode(std::string_view text) {
  nlohmann::json frames = nlohmann::json::array();
  for (auto raw : lines(text)) {
    auto line = trim(raw);
    if (line.rfind("at ", 0) != 0) continue;
    line.remove_prefix(3);
    std::string_view label;
    std::string_view location = line;
    if (line.back() == ')') {
      auto open = line.rfind(" (");
      if (open == std::string_view::npos) continue;
      label = line.substr(0, open);
      location = line.substr(open + 2, line.size() - open - 3);
    }
    // path:line:column
    auto col = location.rfind(':');
    if (col == std::string_view::npos) {
      frames.push_back(frame(location, std::nullopt, label));
      continue;
    }
    auto ln = location.rfind(':', col - 1);
    if (ln == std::string_view::npos) {
      frames.push_back(frame(location.substr(0, col), number(location.substr(col + 1)), label));
    } else {
      frames.push_back(
          frame(location.substr(0, ln), number(location.substr(ln + 1, col - ln - 1)), label));
    }
  }
  return frames;
}

// "   at Shop.Cart.Add(Int32 id) in /src/Cart.cs:line 42" (the location part is optional).
nlohmann::json parseDotnet(std::string_view text) {
  nlohmann::json frames = nlohmann::json::array();
  for (auto raw : lines(text)) {
    auto line = trim(raw);
    if (line.rfind("at ", 0) != 0) continue;
    line.remove_prefix(3);
    auto in = line.find(" in ");
    auto label = line.substr(0, in);
    if (in == std::string_view::npos) {
      frames.push_back(frame("", std::nullopt, label));
      continue;
    }
    auto location = line.substr(in + 4);
    auto ln = location.rfind(":line ");
    if (ln == std::string_view::npos) {
      frames.push_back(frame(location, std::nullopt, label));
    } else {
      frames.push_back(frame(location.substr(0, ln), number(location.substr(ln + 6)), label));
    }
  }
  return frames;
}

// Go panics/debug.Stack(): a "pkg.Func(args)" line followed by "\t/path/file.go:12 +0x1d".
nlohmann::json parseGo(std::string_view text) {
  nlohmann::json frames = nlohmann::json::array();
  std::string_view pending_label;
  bool have_label = false;
  for (auto raw : lines(text)) {
    if (raw.empty() || raw.rfind("goroutine ", 0) == 0) continue;
    if (raw.front() != '\t') {
      auto open = raw.rfind('(');
      pending_label = open == std::string_view::npos ? raw : raw.substr(0, open);
      have_label = true;
      continue;
    }
    if (!have_label) continue;
    auto location = trim(raw);
    if (auto space = location.find(" +"); space != std::string_view::npos) {
      location = location.substr(0, space);
    }
    auto colon = location.rfind(':');
    if (colon == std::string_view::npos) {
      frames.push_back(frame(location, std::nullopt, pending_label));
    } else {
      frames.push_back(
          frame(location.substr(0, colon), number(location.substr(colon + 1)), pending_label));
    }
    have_label = false;
  }
  return frames;
}

}  // namespace

ParsedStack parseStackTrace(std::string_view language, std::string_view stacktrace) {
  if (language == "java") return parseJava(stacktrace);
  ParsedStack out;
  if (language == "python") {
    out.frames = parsePython(stacktrace);
  } else if (language == "nodejs" || language == "javascript" || language == "webjs") {
    out.frames = parseNode(stacktrace);
  } else if (language == "dotnet") {
    out.frames = parseDotnet(stacktrace);
  } else if (language == "go") {
    out.frames = parseGo(stacktrace);
  }
  return out;
}

}  // namespace periscope::components::awsxray_exporter::translator
