#include "config/loader.h"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace periscope::config {
namespace {

std::string childPath(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

Value convert(const YAML::Node& node, const std::string& path,
              const std::shared_ptr<const std::string>& file, Diagnostics& diags,
              const EnvLookup& env) {
  Value v;
  v.path = path;
  v.file = file;
  v.mark = {node.Mark().line + 1, node.Mark().column + 1};
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      v.kind = Value::Kind::kNull;
      break;
    case YAML::NodeType::Scalar:
      v.kind = Value::Kind::kScalar;
      v.scalar = expandEnv(node.Scalar(), v, diags, env);
      v.quoted = node.Tag() == "!";  // yaml-cpp tags every non-plain scalar "!"
      break;
    case YAML::NodeType::Sequence: {
      v.kind = Value::Kind::kSequence;
      size_t i = 0;
      for (const auto& item : node) {
        v.items.push_back(convert(item, path + "[" + std::to_string(i++) + "]", file, diags, env));
      }
      break;
    }
    case YAML::NodeType::Map:
      v.kind = Value::Kind::kMap;
      for (const auto& kv : node) {
        std::string key = kv.first.IsScalar() ? kv.first.Scalar() : std::string("?");
        Value child = convert(kv.second, childPath(path, key), file, diags, env);
        child.key_mark = {kv.first.Mark().line + 1, kv.first.Mark().column + 1};
        // A null value takes the key's position so errors about it point somewhere useful.
        if (child.isNull() || child.mark.line == 0) child.mark = child.key_mark;
        for (const auto& [existing, _] : v.entries) {
          if (existing == key) {
            diags.error(*file, {kv.first.Mark().line + 1, kv.first.Mark().column + 1},
                        childPath(path, key), "duplicate key");
          }
        }
        v.entries.push_back({std::move(key), std::move(child)});
      }
      break;
  }
  return v;
}

}  // namespace

EnvLookup processEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

std::string expandEnv(const std::string& text, const Value& at, Diagnostics& diags,
                      const EnvLookup& env) {
  if (text.find('$') == std::string::npos) return text;
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c != '$' || i + 1 >= text.size()) {
      out += c;
      continue;
    }
    if (text[i + 1] == '$') {  // "$$" → "$"
      out += '$';
      ++i;
      continue;
    }
    if (text[i + 1] != '{') {
      out += c;
      continue;
    }
    size_t close = text.find('}', i + 2);
    if (close == std::string::npos) {
      diags.error(at, "unterminated ${...} in \"" + text + "\"");
      return text;
    }
    std::string inner = text.substr(i + 2, close - i - 2);
    std::string fallback;
    bool has_fallback = false;
    if (size_t d = inner.find(":-"); d != std::string::npos) {
      fallback = inner.substr(d + 2);
      inner = inner.substr(0, d);
      has_fallback = true;
    }
    if (inner.rfind("env:", 0) == 0) inner = inner.substr(4);
    bool valid = !inner.empty() && !std::isdigit(static_cast<unsigned char>(inner[0]));
    for (char ch : inner)
      valid = valid && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_');
    if (!valid) {
      diags.error(at, "invalid environment variable name \"" + inner + "\"");
      return text;
    }
    auto v = env(inner);
    if (v && !v->empty()) {
      out += *v;
    } else if (has_fallback) {
      out += fallback;
    } else if (v) {
      // Set but empty: expands to "" like the collector.
    } else {
      diags.error(at, "environment variable " + inner + " is not set (use ${env:" + inner +
                          ":-default} for a default)");
    }
    i = close;
  }
  return out;
}

Value loadYamlString(const std::string& text, const std::string& file_name, Diagnostics& diags,
                     const EnvLookup& env) {
  auto file = std::make_shared<const std::string>(file_name);
  try {
    YAML::Node root = YAML::Load(text);
    Value v = convert(root, "", file, diags, env);
    if (!v.isMap() && !v.isNull()) {
      diags.error(v, "the top level of a config must be a map, got " + v.kindName());
    }
    return v;
  } catch (const YAML::Exception& e) {
    diags.error(file_name, {e.mark.line + 1, e.mark.column + 1}, "", "YAML syntax error: " + e.msg);
  }
  Value empty;
  empty.file = file;
  return empty;
}

Value loadYamlFile(const std::string& path, Diagnostics& diags, const EnvLookup& env) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diags.error(path, {}, "", "cannot read config file");
    Value empty;
    empty.file = std::make_shared<const std::string>(path);
    return empty;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return loadYamlString(ss.str(), path, diags, env);
}

}  // namespace periscope::config
