// Config of the `redaction` processor: the collector's keys (contrib redactionprocessor) plus
// Periscope's built-in `detectors`. Regexes are RE2 syntax (the collector uses Go regexp, which
// is RE2 syntax too).
#pragma once

#include <string>
#include <vector>

#include "component/component.h"
#include "config/schema.h"

namespace periscope::components::redaction {

struct UrlSanitizerConfig {
  bool enabled = false;
  std::vector<std::string> attributes = {"url.full", "http.url"};
  static const config::Schema<UrlSanitizerConfig>& schema();
};

struct SqlSanitizerConfig {
  bool enabled = false;
  std::vector<std::string> attributes = {"db.statement", "db.query.text"};
  // "…" is a string in MySQL and an identifier in standard SQL: masked unless this is set.
  bool double_quoted_identifiers = false;
  static const config::Schema<SqlSanitizerConfig>& schema();
};

struct DbSanitizerConfig {
  SqlSanitizerConfig sql;
  static const config::Schema<DbSanitizerConfig>& schema();
};

struct Config : component::Config {
  bool allow_all_keys = false;
  std::vector<std::string> allowed_keys;  // fail-closed: empty means every attribute is removed
  std::vector<std::string> ignored_keys;
  std::vector<std::string> ignored_key_patterns;
  std::vector<std::string> blocked_key_patterns;
  std::vector<std::string> blocked_values;
  std::vector<std::string> allowed_values;
  std::string hash_function;  // "" (mask with ****), md5, sha1, sha3
  std::string summary = "silent";
  bool redact_all_types = false;
  std::vector<std::string> detectors;  // Periscope: built-in detectors by name
  UrlSanitizerConfig url_sanitizer;
  DbSanitizerConfig db_sanitizer;

  static const config::Schema<Config>& schema();
  // Compiles every regex once to report RE2's error with the list and index it came from.
  Status validate() const override;
};

}  // namespace periscope::components::redaction
