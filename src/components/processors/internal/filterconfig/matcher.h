// Compiled include/exclude matching (the collector's filterspan/filterlog/filtermetric
// "properties" matchers): strict or RE2 (unanchored) string sets, attribute and library lists
// that must all match, and log severity. Immutable after create(); safe to share between
// threads.
#pragma once

#include <re2/re2.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "component/component.h"
#include "components/processors/internal/filterconfig/match_config.h"
#include "model/log_record.h"
#include "model/metric.h"
#include "model/span.h"

namespace periscope::components::filterconfig {

// A set of strict strings or regexes; matches if any item does.
class StringSet {
 public:
  static Result<StringSet> create(const std::vector<std::string>& items, bool regexp);
  bool matches(std::string_view s) const;
  bool empty() const { return strict_.empty() && regexes_.empty(); }

 private:
  std::vector<std::string> strict_;
  std::vector<std::shared_ptr<const RE2>> regexes_;
};

// Every entry must be present (and equal, or match its regex).
class AttributesMatcher {
 public:
  static Result<AttributesMatcher> create(const std::vector<AttributeMatch>& items, bool regexp);
  bool matches(model::Attributes attrs) const;
  bool empty() const { return entries_.empty(); }

 private:
  struct Entry {
    std::string key;
    attraction::LiteralValue value;    // strict
    std::shared_ptr<const RE2> regex;  // regexp
  };
  std::vector<Entry> entries_;
};

class Matcher {
 public:
  // Checks `props` for `signal` (keys that do not apply are errors) and compiles it; without a
  // signal only what does not depend on it (match_type, regexes, severity).
  static Result<Matcher> create(const MatchProperties& props,
                                std::optional<component::Signal> signal);

  bool matchesSpan(const model::Resource& resource, const model::InstrumentationScope& scope,
                   const model::Span& span) const;
  bool matchesLog(const model::Resource& resource, const model::InstrumentationScope& scope,
                  const model::LogRecord& record) const;
  bool matchesMetric(const model::Resource& resource, const model::Metric& metric) const;

 private:
  bool matchesCommon(const model::Resource& resource, const model::InstrumentationScope& scope,
                     model::Attributes attrs) const;

  struct Library {
    StringSet name;
    std::optional<StringSet> version;
  };
  StringSet services_;
  StringSet span_names_;
  StringSet span_kinds_;
  StringSet log_bodies_;
  StringSet log_severity_texts_;
  std::optional<SeverityNumberMatch> severity_;
  int32_t severity_min_ = 0;
  StringSet metric_names_;
  AttributesMatcher attributes_;
  AttributesMatcher resources_;
  std::vector<Library> libraries_;
};

// include and exclude together: an item is processed if include (when set) matches and
// exclude (when set) does not; include is checked first, as in the collector.
struct MatchConfig {
  std::optional<MatchProperties> include;
  std::optional<MatchProperties> exclude;
};

class SkipMatcher {
 public:
  static Result<SkipMatcher> create(const MatchConfig& config,
                                    std::optional<component::Signal> signal);
  bool active() const { return include_.has_value() || exclude_.has_value(); }

  template <typename Match>
  bool skip(Match&& match) const {
    if (include_ && !match(*include_)) return true;
    return exclude_ && match(*exclude_);
  }

 private:
  std::optional<Matcher> include_;
  std::optional<Matcher> exclude_;
};

// Severity number from a config value: "9" or "INFO" (TRACE..FATAL4, any case); nullopt if bad.
std::optional<int32_t> parseSeverityNumber(const std::string& s);
// SPAN_KIND_UNSPECIFIED .. SPAN_KIND_CONSUMER ("" for values outside the enum).
std::string_view spanKindName(int32_t kind);

}  // namespace periscope::components::filterconfig
