// include/exclude match properties of the attributes processor (and later span/filter
// processors), with the collector's keys (internal/filter/filterconfig).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "components/processors/internal/attraction/literal_value.h"
#include "config/schema.h"

namespace periscope::components::filterconfig {

struct AttributeMatch {
  std::string key;
  attraction::LiteralValue value;  // unset: the key only has to be present
  static const config::Schema<AttributeMatch>& schema();
};

struct LibraryMatch {
  std::string name;
  std::optional<std::string> version;  // unset: any version; "" only the empty version
  static const config::Schema<LibraryMatch>& schema();
};

struct SeverityNumberMatch {
  std::string min;  // a number 0..24 or a name (TRACE..FATAL4, any case)
  bool match_undefined = false;
  static const config::Schema<SeverityNumberMatch>& schema();
};

// Accepted for compatibility; RE2 matching needs no cache.
struct RegexpCacheConfig {
  bool cacheenabled = false;
  int64_t cachemaxnumentries = 0;
  static const config::Schema<RegexpCacheConfig>& schema();
};

struct MatchProperties {
  std::string match_type;
  std::optional<RegexpCacheConfig> regexp;
  std::vector<std::string> services;
  std::vector<std::string> span_names;
  std::vector<std::string> span_kinds;
  std::vector<std::string> log_bodies;
  std::vector<std::string> log_severity_texts;
  std::optional<SeverityNumberMatch> log_severity_number;
  std::vector<std::string> metric_names;
  std::vector<AttributeMatch> attributes;
  std::vector<AttributeMatch> resources;
  std::vector<LibraryMatch> libraries;
  static const config::Schema<MatchProperties>& schema();
};

}  // namespace periscope::components::filterconfig
