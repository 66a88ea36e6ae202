// Entry: one log entry while the operators work on it (the collector's stanza entry): a body
// (the line as a string, or parsed fields), attributes and resource as JSON objects, and the
// record fields parsers fill in. Only built when operators are configured; without operators
// lines go straight into the batch's arena.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace periscope::components::filelog {

struct Entry {
  nlohmann::json body;
  nlohmann::json attributes = nlohmann::json::object();
  nlohmann::json resource = nlohmann::json::object();
  uint64_t time_unix_nano = 0;
  int32_t severity_number = 0;
  std::string severity_text;
  std::string trace_id;  // 16 raw bytes, or empty
  std::string span_id;   // 8 raw bytes, or empty
  uint32_t flags = 0;
};

// A field of an entry as operators name it: body, body.a.b, attributes.a, resource.a, and
// keys with dots in brackets: attributes["http.method"], resource["service.name"].
class FieldPath {
 public:
  enum class Root { kBody, kAttributes, kResource };
  static std::optional<FieldPath> parse(const std::string& text);

  // The value, or nullptr when absent.
  const nlohmann::json* get(const Entry& e) const;
  // Sets the value, creating intermediate objects (a non-object in the way is replaced).
  void set(Entry& e, nlohmann::json value) const;
  // Removes and returns the value (nullopt when absent).
  std::optional<nlohmann::json> take(Entry& e) const;
  // Merges the members of `object` into the field (parse_to).
  void merge(Entry& e, nlohmann::json object) const;

 private:
  nlohmann::json& rootOf(Entry& e) const;
  const nlohmann::json& rootOf(const Entry& e) const;
  Root root_ = Root::kBody;
  std::vector<std::string> keys_;
};

}  // namespace periscope::components::filelog
