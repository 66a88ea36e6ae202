#include "components/processors/internal/filterconfig/match_config.h"

namespace periscope::components::filterconfig {

const config::Schema<AttributeMatch>& AttributeMatch::schema() {
  static const auto s =
      config::Schema<AttributeMatch>()
          .field("key", &AttributeMatch::key, "Attribute key.")
          .field("value", &AttributeMatch::value,
                 "Value to match (typed from the YAML; a pattern for match_type regexp); absent: "
                 "the key only has to be present.");
  return s;
}

const config::Schema<LibraryMatch>& LibraryMatch::schema() {
  static const auto s =
      config::Schema<LibraryMatch>()
          .field("name", &LibraryMatch::name, "Instrumentation scope name.")
          .field("version", &LibraryMatch::version,
                 "Scope version; absent: any version, \"\": only an empty version.");
  return s;
}

const config::Schema<SeverityNumberMatch>& SeverityNumberMatch::schema() {
  static const auto s =
      config::Schema<SeverityNumberMatch>()
          .field("min", &SeverityNumberMatch::min,
                 "Lowest severity that matches: a number 0-24 or a name such as INFO or WARN2.")
          .field("match_undefined", &SeverityNumberMatch::match_undefined,
                 "Whether records without a severity number match.");
  return s;
}

const config::Schema<RegexpCacheConfig>& RegexpCacheConfig::schema() {
  static const auto s = config::Schema<RegexpCacheConfig>()
                            .field("cacheenabled", &RegexpCacheConfig::cacheenabled,
                                   "Accepted for compatibility; ignored.")
                            .field("cachemaxnumentries", &RegexpCacheConfig::cachemaxnumentries,
                                   "Accepted for compatibility; ignored.");
  return s;
}

const config::Schema<MatchProperties>& MatchProperties::schema() {
  static const auto s =
      config::Schema<MatchProperties>()
          .field("match_type", &MatchProperties::match_type, "strict or regexp (required).")
          .field("regexp", &MatchProperties::regexp, "Regexp cache options (ignored).")
          .field("services", &MatchProperties::services,
                 "Spans: service.name must match one of these.")
          .field("span_names", &MatchProperties::span_names,
                 "Spans: the span name must match one of these.")
          .field("span_kinds", &MatchProperties::span_kinds,
                 "Spans: the kind (SPAN_KIND_SERVER, ...) must match one of these.")
          .field("log_bodies", &MatchProperties::log_bodies,
                 "Logs: the body (its string form) must match one of these.")
          .field("log_severity_texts", &MatchProperties::log_severity_texts,
                 "Logs: the severity text must match one of these.")
          .field("log_severity_number", &MatchProperties::log_severity_number,
                 "Logs: minimum severity number.")
          .field("metric_names", &MatchProperties::metric_names,
                 "Metrics: the metric name must match one of these.")
          .field("attributes", &MatchProperties::attributes,
                 "Spans and logs: all of these attributes must match.")
          .field("resources", &MatchProperties::resources,
                 "All of these resource attributes must match.")
          .field("libraries", &MatchProperties::libraries,
                 "Spans and logs: the instrumentation scope must match every entry (as the "
                 "collector's code does).");
  return s;
}

}  // namespace periscope::components::filterconfig
