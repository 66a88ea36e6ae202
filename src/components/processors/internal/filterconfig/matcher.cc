#include "components/processors/internal/filterconfig/matcher.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <tuple>

#include "components/processors/internal/attraction/convert_value.h"

namespace periscope::components::filterconfig {
namespace {

using attraction::LiteralValue;
using model::AnyValue;

constexpr std::array<std::string_view, 6> kSpanKinds = {
    "SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER",
    "SPAN_KIND_CLIENT",      "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"};

Result<std::shared_ptr<const RE2>> compile(const std::string& pattern) {
  auto re = std::make_shared<const RE2>(pattern, RE2::Quiet);
  if (!re->ok()) {
    return invalidArgument("error parsing regexp \"" + pattern + "\": " + re->error());
  }
  return std::shared_ptr<const RE2>(std::move(re));
}

// The collector's attribute-to-string for regexp matching: only scalars have one.
bool scalarString(const AnyValue& v, std::string& out) {
  switch (v.type()) {
    case AnyValue::Type::kString:
      out.assign(v.str());
      return true;
    case AnyValue::Type::kBool:
      out = v.boolValue() ? "true" : "false";
      return true;
    case AnyValue::Type::kInt:
      out = std::to_string(v.intValue());
      return true;
    case AnyValue::Type::kDouble: {
      char buf[512];
      auto [end, ec] =
          std::to_chars(buf, buf + sizeof buf, v.doubleValue(), std::chars_format::fixed);
      if (ec != std::errc()) return false;
      out.assign(buf, end);
      return true;
    }
    default:
      return false;
  }
}

bool equalsLiteral(const AnyValue& v, const LiteralValue& lit) {
  switch (lit.type) {
    case LiteralValue::Type::kString:
      return v.type() == AnyValue::Type::kString && v.str() == lit.text;
    case LiteralValue::Type::kBool:
      return v.type() == AnyValue::Type::kBool && v.boolValue() == lit.b;
    case LiteralValue::Type::kInt:
      return v.type() == AnyValue::Type::kInt && v.intValue() == lit.i;
    case LiteralValue::Type::kDouble:
      return v.type() == AnyValue::Type::kDouble && v.doubleValue() == lit.d;
    case LiteralValue::Type::kUnset:
      return true;
  }
  return false;
}

std::string_view typeName(LiteralValue::Type t) {
  switch (t) {
    case LiteralValue::Type::kBool:
      return "Bool";
    case LiteralValue::Type::kInt:
      return "Int";
    case LiteralValue::Type::kDouble:
      return "Double";
    default:
      return "Str";
  }
}

Status signalErrors(const MatchProperties& p, component::Signal signal) {
  using component::Signal;
  auto notFor = [](std::string_view field, std::string_view what) {
    return invalidArgument(std::string(field) + " should not be specified for " +
                           std::string(what));
  };
  if (signal == Signal::kTraces) {
    if (!p.log_bodies.empty()) return notFor("log_bodies", "trace spans");
    if (!p.log_severity_texts.empty()) return notFor("log_severity_texts", "trace spans");
    if (p.log_severity_number) return notFor("log_severity_number", "trace spans");
    if (!p.metric_names.empty()) return notFor("metric_names", "trace spans");
    if (p.services.empty() && p.span_names.empty() && p.attributes.empty() && p.libraries.empty() &&
        p.resources.empty() && p.span_kinds.empty()) {
      return invalidArgument(
          "at least one of \"attributes\", \"libraries\",  or \"resources\" field must be "
          "specified");
    }
    if (!p.span_kinds.empty() && p.match_type == "strict") {
      for (const auto& kind : p.span_kinds) {
        if (kind == kSpanKinds[0] ||
            std::find(kSpanKinds.begin(), kSpanKinds.end(), kind) == kSpanKinds.end()) {
          return invalidArgument(
              "span_kinds string must match one of the standard span kinds when "
              "match_type=strict: [SPAN_KIND_CLIENT SPAN_KIND_CONSUMER SPAN_KIND_INTERNAL "
              "SPAN_KIND_PRODUCER SPAN_KIND_SERVER]");
        }
      }
    }
  } else if (signal == Signal::kLogs) {
    if (!p.span_names.empty() || !p.services.empty() || !p.span_kinds.empty()) {
      return invalidArgument("services, span_names, and span_kinds are not valid for log records");
    }
    if (!p.metric_names.empty()) return notFor("metric_names", "log records");
    if (p.attributes.empty() && p.libraries.empty() && p.resources.empty() &&
        p.log_bodies.empty() && p.log_severity_texts.empty() && !p.log_severity_number) {
      return invalidArgument(
          "at least one of \"attributes\", \"libraries\", \"span_kinds\", \"resources\", "
          "\"log_bodies\", \"log_severity_texts\" or \"log_severity_number\" field must be "
          "specified");
    }
  } else if (signal == Signal::kMetrics) {
    const std::pair<bool, std::string_view> others[] = {
        {!p.services.empty(), "services"},
        {!p.span_names.empty(), "span_names"},
        {!p.span_kinds.empty(), "span_kinds"},
        {!p.log_bodies.empty(), "log_bodies"},
        {!p.log_severity_texts.empty(), "log_severity_texts"},
        {p.log_severity_number.has_value(), "log_severity_number"},
        {!p.attributes.empty(), "attributes"},
        {!p.libraries.empty(), "libraries"},
    };
    for (const auto& [set, field] : others) {
      if (set) return notFor(field, "metrics");
    }
    if (p.metric_names.empty() && p.resources.empty()) {
      return invalidArgument(
          "at least one of \"metric_names\" or \"resources\" field must be specified");
    }
  }
  return Status::ok();
}

}  // namespace

std::string_view spanKindName(int32_t kind) {
  if (kind < 0 || kind >= static_cast<int32_t>(kSpanKinds.size())) return {};
  return kSpanKinds[static_cast<size_t>(kind)];
}

std::optional<int32_t> parseSeverityNumber(const std::string& s) {
  int32_t n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec == std::errc() && end == s.data() + s.size()) {
    if (n < 0 || n > 24) return std::nullopt;
    return n;
  }
  std::string upper;
  for (char c : s) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  static constexpr std::array<std::string_view, 6> kNames = {"TRACE", "DEBUG", "INFO",
                                                             "WARN",  "ERROR", "FATAL"};
  for (size_t i = 0; i < kNames.size(); ++i) {
    const std::string_view name = kNames[i];
    if (upper.compare(0, name.size(), name) != 0) continue;
    std::string_view rest = std::string_view(upper).substr(name.size());
    const int32_t base = static_cast<int32_t>(i * 4 + 1);
    if (rest.empty()) return base;
    if (rest.size() == 1 && rest[0] >= '2' && rest[0] <= '4') return base + (rest[0] - '1');
  }
  return std::nullopt;
}

Result<StringSet> StringSet::create(const std::vector<std::string>& items, bool regexp) {
  StringSet set;
  for (const auto& item : items) {
    if (!regexp) {
      set.strict_.push_back(item);
      continue;
    }
    auto re = compile(item);
    if (!re.isOk()) return re.status();
    set.regexes_.push_back(std::move(*re));
  }
  return set;
}

bool StringSet::matches(std::string_view s) const {
  for (const auto& item : strict_) {
    if (item == s) return true;
  }
  for (const auto& re : regexes_) {
    if (RE2::PartialMatch(s, *re)) return true;
  }
  return false;
}

Result<AttributesMatcher> AttributesMatcher::create(const std::vector<AttributeMatch>& items,
                                                    bool regexp) {
  AttributesMatcher m;
  for (const auto& item : items) {
    if (item.key.empty()) return invalidArgument("can't have empty key in the list of attributes");
    Entry e{item.key, item.value, nullptr};
    if (regexp && item.value.isSet()) {
      if (item.value.type != LiteralValue::Type::kString) {
        return invalidArgument("match_type=regexp for \"" + item.key +
                               "\" only supports Str, but found " +
                               std::string(typeName(item.value.type)));
      }
      auto re = compile(item.value.text);
      if (!re.isOk()) return re.status();
      e.regex = std::move(*re);
    }
    m.entries_.push_back(std::move(e));
  }
  return m;
}

bool AttributesMatcher::matches(model::Attributes attrs) const {
  std::string scratch;  // only filled for regexp matches of non-string values
  for (const Entry& e : entries_) {
    const AnyValue* v = model::findAttribute(attrs, e.key);
    if (v == nullptr) return false;
    if (e.regex) {
      if (v->type() == AnyValue::Type::kString) {
        if (!RE2::PartialMatch(v->str(), *e.regex)) return false;
      } else if (!scalarString(*v, scratch) || !RE2::PartialMatch(scratch, *e.regex)) {
        return false;
      }
    } else if (!equalsLiteral(*v, e.value)) {
      return false;
    }
  }
  return true;
}

Result<Matcher> Matcher::create(const MatchProperties& p, std::optional<component::Signal> signal) {
  if (p.match_type != "strict" && p.match_type != "regexp") {
    return invalidArgument("unrecognized match_type: '" + p.match_type +
                           "', valid types are: [regexp strict]");
  }
  if (signal) {
    if (Status st = signalErrors(p, *signal); !st.isOk()) return st;
  }
  const bool regexp = p.match_type == "regexp";
  Matcher m;
  // Errors are wrapped as the collector wraps them ("error creating span name filters: ...").
  auto wrap = [](std::string_view what, const Status& st) {
    return invalidArgument("error creating " + std::string(what) +
                           " filters: " + std::string(st.message()));
  };
  auto strings = [&](const std::vector<std::string>& items, StringSet& out,
                     std::string_view what) -> Status {
    auto set = StringSet::create(items, regexp);
    if (!set.isOk()) return wrap(what, set.status());
    out = std::move(*set);
    return Status::ok();
  };
  const std::tuple<const std::vector<std::string>*, StringSet*, std::string_view> sets[] = {
      {&p.services, &m.services_, "service name"},
      {&p.span_names, &m.span_names_, "span name"},
      {&p.span_kinds, &m.span_kinds_, "span kind"},
      {&p.log_bodies, &m.log_bodies_, "log record body"},
      {&p.log_severity_texts, &m.log_severity_texts_, "log record severity text"},
      {&p.metric_names, &m.metric_names_, "metric name"},
  };
  for (const auto& [items, out, what] : sets) {
    if (Status st = strings(*items, *out, what); !st.isOk()) return st;
  }
  if (p.log_severity_number) {
    std::optional<int32_t> min = parseSeverityNumber(p.log_severity_number->min);
    if (!min) {
      return invalidArgument("log_severity_number.min: invalid severity \"" +
                             p.log_severity_number->min +
                             "\"; expected 0-24 or a name such as INFO or WARN2");
    }
    m.severity_ = p.log_severity_number;
    m.severity_min_ = *min;
  }
  for (const auto& lib : p.libraries) {
    Library l;
    if (Status st = strings({lib.name}, l.name, "library name"); !st.isOk()) return st;
    if (lib.version) {
      StringSet version;
      if (Status st = strings({*lib.version}, version, "library version"); !st.isOk()) return st;
      l.version = std::move(version);
    }
    m.libraries_.push_back(std::move(l));
  }
  auto attrs = AttributesMatcher::create(p.attributes, regexp);
  if (!attrs.isOk()) return wrap("attribute", attrs.status());
  m.attributes_ = std::move(*attrs);
  auto resources = AttributesMatcher::create(p.resources, regexp);
  if (!resources.isOk()) return wrap("resource", resources.status());
  m.resources_ = std::move(*resources);
  return m;
}

bool Matcher::matchesCommon(const model::Resource& resource,
                            const model::InstrumentationScope& scope,
                            model::Attributes attrs) const {
  // Every library entry must match: the collector's code does so, although its README says
  // "at least one".
  for (const Library& l : libraries_) {
    if (!l.name.matches(scope.name)) return false;
    if (l.version && !l.version->matches(scope.version)) return false;
  }
  if (!resources_.empty() && !resources_.matches(resource.attributes)) return false;
  return attributes_.matches(attrs);
}

bool Matcher::matchesSpan(const model::Resource& resource, const model::InstrumentationScope& scope,
                          const model::Span& span) const {
  if (!services_.empty()) {
    // The collector matches "<nil-service-name>" when the resource has no service.name.
    const AnyValue* service = model::findAttribute(resource.attributes, "service.name");
    std::string formatted;  // only for a non-string service.name
    std::string_view name = "<nil-service-name>";
    if (service != nullptr) {
      if (service->type() == AnyValue::Type::kString) {
        name = service->str();
      } else {
        scalarString(*service, formatted);
        name = formatted;
      }
    }
    if (!services_.matches(name)) return false;
  }
  if (!span_names_.empty() && !span_names_.matches(span.name)) return false;
  if (!span_kinds_.empty() && !span_kinds_.matches(spanKindName(span.kind))) return false;
  return matchesCommon(resource, scope, span.attributes);
}

bool Matcher::matchesLog(const model::Resource& resource, const model::InstrumentationScope& scope,
                         const model::LogRecord& record) const {
  if (!log_bodies_.empty()) {
    // The collector matches the body's AsString(): other types are formatted (JSON, base64...).
    if (record.body.type() == AnyValue::Type::kString) {
      if (!log_bodies_.matches(record.body.str())) return false;
    } else {
      std::string body;
      attraction::appendAsString(record.body, body);
      if (!log_bodies_.matches(body)) return false;
    }
  }
  if (!log_severity_texts_.empty() && !log_severity_texts_.matches(record.severity_text)) {
    return false;
  }
  if (severity_) {
    if (record.severity_number == 0) {
      if (!severity_->match_undefined) return false;
    } else if (record.severity_number < severity_min_) {
      return false;
    }
  }
  return matchesCommon(resource, scope, record.attributes);
}

bool Matcher::matchesMetric(const model::Resource& resource, const model::Metric& metric) const {
  if (!metric_names_.empty() && !metric_names_.matches(metric.name)) return false;
  return resources_.empty() || resources_.matches(resource.attributes);
}

Result<SkipMatcher> SkipMatcher::create(const MatchConfig& config,
                                        std::optional<component::Signal> signal) {
  SkipMatcher m;
  if (config.include) {
    auto include = Matcher::create(*config.include, signal);
    if (!include.isOk())
      return invalidArgument("include: " + std::string(include.status().message()));
    m.include_ = std::move(*include);
  }
  if (config.exclude) {
    auto exclude = Matcher::create(*config.exclude, signal);
    if (!exclude.isOk())
      return invalidArgument("exclude: " + std::string(exclude.status().message()));
    m.exclude_ = std::move(*exclude);
  }
  return m;
}

}  // namespace periscope::components::filterconfig
