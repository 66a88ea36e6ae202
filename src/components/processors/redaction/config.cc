#include "components/processors/redaction/config.h"

#include "components/processors/redaction/detectors.h"
#include "components/processors/redaction/redactor.h"

namespace periscope::components::redaction {

const config::Schema<UrlSanitizerConfig>& UrlSanitizerConfig::schema() {
  static const auto s =
      config::Schema<UrlSanitizerConfig>()
          .field("enabled", &UrlSanitizerConfig::enabled,
                 "Mask query and fragment parameter values and the user-info (user name and "
                 "password) of URLs.")
          .field("attributes", &UrlSanitizerConfig::attributes,
                 "Attribute keys holding URLs (log bodies: every scheme:// URL in the text).");
  return s;
}

const config::Schema<SqlSanitizerConfig>& SqlSanitizerConfig::schema() {
  static const auto s =
      config::Schema<SqlSanitizerConfig>()
          .field("enabled", &SqlSanitizerConfig::enabled,
                 "Replace SQL string, numeric and dollar-quoted literals and "
                 "comment text by ?.")
          .field("attributes", &SqlSanitizerConfig::attributes,
                 "Attribute keys (and log body map keys) holding SQL.")
          .field("double_quoted_identifiers", &SqlSanitizerConfig::double_quoted_identifiers,
                 "Keep \"double-quoted\" text as an identifier (standard SQL, "
                 "PostgreSQL) instead of masking it as a string (MySQL).");
  return s;
}

const config::Schema<DbSanitizerConfig>& DbSanitizerConfig::schema() {
  static const auto s = config::Schema<DbSanitizerConfig>().field("sql", &DbSanitizerConfig::sql,
                                                                  "SQL literal sanitiser.");
  return s;
}

const config::Schema<Config>& Config::schema() {
  static const auto s =
      config::Schema<Config>()
          .field("allow_all_keys", &Config::allow_all_keys,
                 "Keep every attribute key (disables allowed_keys); values are still masked.")
          .field("allowed_keys", &Config::allowed_keys,
                 "Attribute keys kept; every other attribute is removed (fail-closed: an empty "
                 "list removes all unless allow_all_keys).")
          .field("ignored_keys", &Config::ignored_keys,
                 "Attribute keys passed through unchanged (neither removed nor masked).")
          .field("ignored_key_patterns", &Config::ignored_key_patterns,
                 "Regexes of attribute keys passed through unchanged.")
          .field("blocked_key_patterns", &Config::blocked_key_patterns,
                 "Regexes of attribute keys whose whole value is masked.")
          .field("blocked_values", &Config::blocked_values,
                 "Regexes (RE2); matching parts of values are masked with ****.")
          .field("allowed_values", &Config::allowed_values,
                 "Regexes; a value matching one is left unmasked (wins over blocked_values and "
                 "detectors).")
          .choice("hash_function", &Config::hash_function, {"", "md5", "sha1", "sha3"},
                  "Replace masked parts by their hex digest instead of ****; sha3 is SHA3-256.")
          .choice("summary", &Config::summary, {"debug", "info", "silent"},
                  "Summary attributes added: debug (keys and counts), info (counts), silent.")
          .field("redact_all_types", &Config::redact_all_types,
                 "Also scan int, double and bool attribute values as text (e.g. card numbers "
                 "sent as ints).")
          .field("detectors", &Config::detectors,
                 "Periscope: built-in detectors to switch on: " + detectorNames() + ".")
          .field("url_sanitizer", &Config::url_sanitizer, "URL query sanitiser.")
          .field("db_sanitizer", &Config::db_sanitizer, "Database statement sanitisers.");
  return s;
}

Status Config::validate() const {
  return Redactor::create(*this).status();
}

}  // namespace periscope::components::redaction
