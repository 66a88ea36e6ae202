#include "components/receivers/filelog/entry.h"

namespace periscope::components::filelog {

std::optional<FieldPath> FieldPath::parse(const std::string& text) {
  FieldPath p;
  size_t i = text.find_first_of(".[");
  std::string root = text.substr(0, i);
  if (root == "body") {
    p.root_ = Root::kBody;
  } else if (root == "attributes") {
    p.root_ = Root::kAttributes;
  } else if (root == "resource") {
    p.root_ = Root::kResource;
  } else {
    return std::nullopt;
  }
  while (i < text.size()) {
    if (text[i] == '.') {
      size_t j = text.find_first_of(".[", i + 1);
      std::string key = text.substr(i + 1, j == std::string::npos ? std::string::npos : j - i - 1);
      if (key.empty()) return std::nullopt;
      p.keys_.push_back(std::move(key));
      i = j == std::string::npos ? text.size() : j;
    } else {  // ["key.with.dots"] or ['key']
      if (i + 1 >= text.size() || (text[i + 1] != '"' && text[i + 1] != '\'')) return std::nullopt;
      char quote = text[i + 1];
      size_t close = text.find(quote, i + 2);
      if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ']')
        return std::nullopt;
      p.keys_.push_back(text.substr(i + 2, close - i - 2));
      i = close + 2;
    }
  }
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
