#include "components/receivers/filelog/entry.h"

namespace periscope::components::filelog {

std::optional<FieldPath> FieldPath::parse(const std::string& text) {
  FieldPath p;
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t dot = text.find('.', start);
    parts.push_back(text.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  for (const auto& part : parts) {
    if (part.empty()) return std::nullopt;
  }
  if (parts[0] == "body") {
    p.root_ = Root::kBody;
  } else if (parts[0] == "attributes") {
    p.root_ = Root::kAttributes;
  } else if (parts[0] == "resource") {
    p.root_ = Root::kResource;
  } else {
    return std::nullopt;
  }
  p.keys_.assign(parts.begin() + 1, parts.end());
  return p;
}

nlohmann::json& FieldPath::rootOf(Entry& e) const {
  switch (root_) {
    case Root::kAttributes:
      return e.attributes;
    case Root::kResource:
      return e.resource;
    case Root::kBody:
      break;
  }
  return e.body;
}

const nlohmann::json& FieldPath::rootOf(const Entry& e) const {
  return rootOf(const_cast<Entry&>(e));
}

const nlohmann::json* FieldPath::get(const Entry& e) const {
  const nlohmann::json* cur = &rootOf(e);
  for (const auto& k : keys_) {
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(k);
    if (it == cur->end()) return nullptr;
    cur = &*it;
  }
  return cur->is_null() && keys_.empty() && root_ == Root::kBody ? nullptr : cur;
}

void FieldPath::set(Entry& e, nlohmann::json value) const {
  nlohmann::json* cur = &rootOf(e);
  for (const auto& k : keys_) {
    if (!cur->is_object()) *cur = nlohmann::json::object();
    cur = &(*cur)[k];
  }
  *cur = std::move(value);
}

std::optional<nlohmann::json> FieldPath::take(Entry& e) const {
  nlohmann::json* cur = &rootOf(e);
  if (keys_.empty()) {
    nlohmann::json out = std::move(*cur);
    *cur = root_ == Root::kBody ? nlohmann::json() : nlohmann::json::object();
    return out;
  }
  for (size_t i = 0; i + 1 < keys_.size(); ++i) {
    if (!cur->is_object()) return std::nullopt;
    auto it = cur->find(keys_[i]);
    if (it == cur->end()) return std::nullopt;
    cur = &*it;
  }
  if (!cur->is_object()) return std::nullopt;
  auto it = cur->find(keys_.back());
  if (it == cur->end()) return std::nullopt;
  nlohmann::json out = std::move(*it);
  cur->erase(it);
  return out;
}

void FieldPath::merge(Entry& e, nlohmann::json object) const {
  nlohmann::json* cur = &rootOf(e);
  for (const auto& k : keys_) {
    if (!cur->is_object()) *cur = nlohmann::json::object();
    cur = &(*cur)[k];
  }
  if (!cur->is_object()) *cur = nlohmann::json::object();
  for (auto& [k, v] : object.items()) (*cur)[k] = std::move(v);
}

}  // namespace periscope::components::filelog
