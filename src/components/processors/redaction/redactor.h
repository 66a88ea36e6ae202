// Redactor: the redaction processor's compiled rules, applied to one attribute list or log body
// at a time. Built once per processor from its Config (every regex compiled here, never per
// record); const and thread-safe afterwards.
//
// Value scanning: every configured value pattern (blocked_values + detectors) is in one RE2::Set,
// so a value that contains nothing sensitive costs one linear DFA scan and no heap allocation.
// Only values the set matches are searched pattern by pattern to find what to mask; masked parts
// are merged so overlapping matches are masked once. New strings are written to the batch arena.
#pragma once

#include <re2/re2.h>
#include <re2/set.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/arena.h"
#include "common/status.h"
#include "components/processors/redaction/config.h"
#include "components/processors/redaction/masker.h"
#include "components/processors/redaction/sql_literal_sanitizer.h"
#include "model/any_value.h"

namespace periscope::components::redaction {

class Redactor {
 public:
  // Errors name the config field, e.g. `blocked_values[1]: invalid regular expression "(":
  // missing ): (`.
  static Result<std::unique_ptr<Redactor>> create(const Config& config);

  // Redacts one attribute list (resource, scope, span, span event, link, log record, data point):
  // removes keys not allowed, masks values, then adds the summary attributes.
  void redactAttributes(Arena& arena, model::Attributes& attrs) const;

  // Redacts a log body (string, scalar, map or array body); the `redaction.body.*` summary goes
  // to the record's attributes.
  void redactBody(Arena& arena, model::AnyValue& body, model::Attributes& record_attrs) const;

  // The masked form of `value` seen under attribute `key` (detectors, blocked_values and the
  // sanitisers; not key rules); nullopt when nothing changes. For tests and the bench.
  std::optional<std::string> redactString(std::string_view key, std::string_view value) const;

  struct ValuePattern;
  Redactor();  // use create()
  ~Redactor();

 private:
  enum class Summary { kSilent, kInfo, kDebug };
  enum class Where { kAttribute, kBody };
  enum class Outcome { kUnchanged, kAllowed, kMasked };
  struct Tally;

  bool isIgnored(std::string_view key) const;
  bool isRedacted(std::string_view key) const;
  bool isKeyBlocked(std::string_view key) const;
  bool isValueAllowed(std::string_view value) const;
  // The rewritten string (a view into a thread-local buffer, valid until the next call) or
  // nullopt when `text` needs no change.
  std::optional<std::string_view> transform(std::string_view key, std::string_view text,
                                            Where where) const;
  bool findMasks(std::string_view key, std::string_view text) const;
  Outcome redactValue(Arena& arena, std::string_view key, bool key_blocked,
                      model::AnyValue& value) const;
  bool scanNested(Arena& arena, model::AnyValue& value, std::string_view key) const;
  void redactBodyValue(Arena& arena, std::string* path, std::string_view leaf_key,
                       model::AnyValue& value, Tally& tally) const;
  void redactBodyMap(Arena& arena, std::string* path, model::AnyValue& map, Tally& tally) const;
  void maskWhole(Arena& arena, model::AnyValue& value) const;
  void addSummary(Arena& arena, model::Attributes& attrs, const Tally& tally, bool body) const;

  bool allow_all_keys_ = false;
  bool redact_all_types_ = false;
  Summary summary_ = Summary::kSilent;
  Masker masker_;
  std::vector<std::string> allowed_keys_;  // sorted
  std::vector<std::string> ignored_keys_;  // sorted
  std::unique_ptr<RE2::Set> ignored_key_patterns_;
  std::unique_ptr<RE2::Set> blocked_key_patterns_;
  std::unique_ptr<RE2::Set> allowed_values_;
  std::unique_ptr<RE2::Set> value_set_;  // blocked_values then detectors, same order as patterns_
  std::vector<ValuePattern> patterns_;
  bool secret_key_context_ = false;  // aws_secret_access_key detector on
  bool url_enabled_ = false;
  std::vector<std::string> url_attributes_;  // sorted
  bool sql_enabled_ = false;
  std::vector<std::string> sql_attributes_;  // sorted
  SqlSanitizerOptions sql_options_;
};

}  // namespace periscope::components::redaction
