#include "components/receivers/filelog/config.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "components/receivers/filelog/entry.h"

namespace periscope::components::filelog {

const config::Schema<MultilineConfig>& MultilineConfig::schema() {
  static const auto s =
      config::Schema<MultilineConfig>()
          .field("line_start_pattern", &MultilineConfig::line_start_pattern,
                 "RE2 that matches the first line of an entry (exclusive with line_end_pattern).")
          .field("line_end_pattern", &MultilineConfig::line_end_pattern,
                 "RE2 that matches the last line of an entry.")
          .field("omit_pattern", &MultilineConfig::omit_pattern,
                 "Drop the matched start/end text from the entry.");
  return s;
}

const config::Schema<TimeParserConfig>& TimeParserConfig::schema() {
  static const auto s =
      config::Schema<TimeParserConfig>()
          .field("parse_from", &TimeParserConfig::parse_from,
                 "Field holding the time, e.g. attributes.time (required).")
          .choice("layout_type", &TimeParserConfig::layout_type, {"strptime", "gotime", "epoch"},
                  "How `layout` is written.")
          .field("layout", &TimeParserConfig::layout,
                 "strptime: e.g. %Y-%m-%dT%H:%M:%S.%f%z (%L ms, %f µs, %s ns fractions); gotime: "
                 "Go reference layout, e.g. 2006-01-02T15:04:05Z07:00; epoch: s|ms|us|ns|s.ms|"
                 "s.us|s.ns.")
          .field("location", &TimeParserConfig::location,
                 "Time zone for layouts without an offset; only UTC is supported.");
  return s;
}

const config::Schema<SeverityConfig>& SeverityConfig::schema() {
  static const auto s =
      config::Schema<SeverityConfig>()
          .field("parse_from", &SeverityConfig::parse_from,
                 "Field holding the level, e.g. attributes.level (required).")
          .choice("preset", &SeverityConfig::preset, {"default", "none"},
                  "Built-in names (trace, debug, info, warn/warning, error/err, fatal/critical, "
                  "…; any case) before `mapping`.")
          .field("mapping", &SeverityConfig::mapping,
                 "Severity name (trace, debug, info, warn, error, fatal, or with 2-4) → value, "
                 "list of values, {min, max} integer range, or 2xx..5xx.")
          .field("overwrite_text", &SeverityConfig::overwrite_text,
                 "Set severity_text to the severity's name instead of the original value.");
  return s;
}

const config::Schema<ParseFromConfig>& ParseFromConfig::schema() {
  static const auto s = config::Schema<ParseFromConfig>().field(
      "parse_from", &ParseFromConfig::parse_from, "Field to read.");
  return s;
}

const config::Schema<TraceConfig>& TraceConfig::schema() {
  static const auto s =
      config::Schema<TraceConfig>()
          .field("trace_id", &TraceConfig::trace_id, "32 hex digits (16 bytes).")
          .field("span_id", &TraceConfig::span_id, "16 hex digits (8 bytes).")
          .field("trace_flags", &TraceConfig::trace_flags, "2 hex digits, or an integer.");
  return s;
}

namespace {

// Keys every operator has; decoded apart from the type's own keys.
const config::Schema<OperatorConfig>& commonOperatorSchema() {
  static const auto s =
      config::Schema<OperatorConfig>()
          .field("type", &OperatorConfig::type, "Operator type.")
          .field("id", &OperatorConfig::id, "Operator id (accepted; operators run in order).")
          .field("output", &OperatorConfig::output,
                 "Accepted only when it names the next operator (operators run in order).")
          .choice("on_error", &OperatorConfig::on_error,
                  {"send", "send_quiet", "drop", "drop_quiet"},
                  "On a parse failure: pass the entry on unchanged (send) or drop it.");
  return s;
}

config::Schema<OperatorConfig> parserSchema() {
  return config::Schema<OperatorConfig>()
      .field("parse_from", &OperatorConfig::parse_from, "Field to parse (default body).")
      .field("parse_to", &OperatorConfig::parse_to,
             "Where parsed fields go: attributes (default), body, resource, or a sub-field.")
      .field("timestamp", &OperatorConfig::timestamp, "Time of the record from a parsed field.")
      .field("severity", &OperatorConfig::severity, "Severity from a parsed field.")
      .field("trace", &OperatorConfig::trace, "Trace context from parsed fields.");
}

const config::Schema<OperatorConfig>& jsonParserSchema() {
  static const auto s = parserSchema();
  return s;
}
const config::Schema<OperatorConfig>& regexParserSchema() {
  static const auto s = parserSchema().field("regex", &OperatorConfig::regex,
                                             "RE2 with named groups (?P<name>...) (required).");
  return s;
}
const config::Schema<OperatorConfig>& moveSchema() {
  static const auto s = config::Schema<OperatorConfig>()
                            .field("from", &OperatorConfig::from, "Field to move.")
                            .field("to", &OperatorConfig::to, "Where it goes.");
  return s;
}
const config::Schema<OperatorConfig>& addSchema() {
  static const auto s = config::Schema<OperatorConfig>()
                            .field("field", &OperatorConfig::field, "Field to set.")
                            .field("value", &OperatorConfig::value, "String value.");
  return s;
}
const config::Schema<OperatorConfig>& removeSchema() {
  static const auto s =
      config::Schema<OperatorConfig>().field("field", &OperatorConfig::field, "Field to remove.");
  return s;
}

// Every key of every operator, for the reference docs.
const config::Schema<OperatorConfig>& operatorDocSchema() {
  static const auto s =
      parserSchema()
          .field("type", &OperatorConfig::type,
                 "json_parser | regex_parser | time_parser | severity_parser | trace_parser | "
                 "move | add | remove.")
          .field("id", &OperatorConfig::id, "Operator id (accepted; operators run in order).")
          .field("output", &OperatorConfig::output, "Only the id of the next operator.")
          .field("on_error", &OperatorConfig::on_error, "send | send_quiet | drop | drop_quiet.")
          .field("regex", &OperatorConfig::regex, "regex_parser: RE2 with named groups.")
          .field("from", &OperatorConfig::from, "move: field to move.")
          .field("to", &OperatorConfig::to, "move: destination.")
          .field("field", &OperatorConfig::field, "add/remove: the field.")
          .field("value", &OperatorConfig::value, "add: string value.");
  return s;
}

const std::vector<std::string>& operatorTypes() {
  static const std::vector<std::string> t = {
      "json_parser",  "regex_parser", "time_parser", "severity_parser",
      "trace_parser", "move",         "add",         "remove"};
  return t;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

const config::Schema<Config>& Config::schema() {
  static const auto s =
      config::Schema<Config>()
          .field("include", &Config::include,
                 "Globs of files to read (glob(3): *, ?, [..], {a,b}; no **) (required).")
          .field("exclude", &Config::exclude, "Globs (fnmatch) of files to skip.")
          .choice("start_at", &Config::start_at, {"end", "beginning"},
                  "Where to start in files found at startup that have no checkpoint; files "
                  "that appear later are read from the beginning.")
          .field("poll_interval", &Config::poll_interval, "How often files are checked.")
          .field("fingerprint_size", &Config::fingerprint_size,
                 "Bytes at the start of a file that identify it across renames.")
          .field("max_log_size", &Config::max_log_size,
                 "Longer entries are cut into pieces of this size.")
          .field("max_concurrent_files", &Config::max_concurrent_files,
                 "Files read per poll cycle at most (others wait for the next cycle).")
          .field("encoding", &Config::encoding,
                 "utf-8 (default; also ascii) or nop (body is bytes).")
          .field("include_file_name", &Config::include_file_name,
                 "Add the attribute log.file.name.")
          .field("include_file_path", &Config::include_file_path,
                 "Add the attribute log.file.path.")
          .field("multiline", &Config::multiline,
                 "Entries of several lines, split by a start or end pattern.")
          .field("force_flush_period", &Config::force_flush_period,
                 "An unfinished last entry (no newline yet, or a multiline entry) is sent "
                 "after the file has not grown for this long.")
          .field("storage", &Config::storage,
                 "Storage extension (file_storage) for checkpoints; without it, a restart "
                 "falls back to start_at.")
          .field("operators", &Config::operators,
                 "Parsers and transformers applied to each entry in order.")
          .field("attributes", &Config::attributes, "Attributes added to every record.")
          .field("resource", &Config::resource, "Resource attributes of every record.");
  return s;
}

bool parseByteSize(const std::string& text, uint64_t& out) {
  size_t i = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  if (i == 0 || i > 15) return false;
  uint64_t n = std::stoull(text.substr(0, i));
  std::string unit = lower(text.substr(i));
  static const std::pair<const char*, uint64_t> kUnits[] = {
      {"", 1},         {"b", 1},         {"kb", 1000},       {"kib", 1024},
      {"mb", 1000000}, {"mib", 1 << 20}, {"gb", 1000000000}, {"gib", 1ull << 30}};
  for (const auto& [u, m] : kUnits) {
    if (unit == u) {
      out = n * m;
      return true;
    }
  }
  return false;
}

uint64_t Config::fingerprintBytes() const {
  uint64_t n = 1000;
  parseByteSize(fingerprint_size, n);
  return n;
}

uint64_t Config::maxLogBytes() const {
  uint64_t n = 1 << 20;
  parseByteSize(max_log_size, n);
  return n;
}

int32_t severityNumberOfName(std::string_view name) {
  static const std::pair<const char*, int32_t> kBase[] = {
      {"trace", 1}, {"debug", 5}, {"info", 9}, {"warn", 13}, {"error", 17}, {"fatal", 21}};
  std::string n = lower(std::string(name));
  for (const auto& [base, number] : kBase) {
    std::string_view b = base;
    if (n == b) return number;
    if (n.size() == b.size() + 1 && n.compare(0, b.size(), b) == 0 && n.back() >= '2' &&
        n.back() <= '4')
      return number + (n.back() - '1');
  }
  return 0;
}

namespace {

Status checkField(const std::string& where, const std::string& key, const std::string& path,
                  bool required) {
  if (path.empty()) {
    if (required) return invalidArgument(where + key + " is required");
    return Status::ok();
  }
  if (!FieldPath::parse(path).has_value())
    return invalidArgument(where + key + ": invalid field \"" + path +
                           "\" (expected body, body.<key>, attributes.<key>, resource.<key> or "
                           "attributes[\"<key>\"])");
  return Status::ok();
}

Status checkTime(const std::string& where, const TimeParserConfig& t) {
  PERISCOPE_RETURN_IF_ERROR(checkField(where, "parse_from", t.parse_from, true));
  if (t.layout_type == "epoch") {
    static const std::set<std::string> kEpoch = {"s", "ms", "us", "ns", "s.ms", "s.us", "s.ns"};
    if (!kEpoch.count(t.layout))
      return invalidArgument(where +
                             "layout: epoch layout must be one of s, ms, us, ns, s.ms, "
                             "s.us, s.ns; got \"" +
                             t.layout + "\"");
  } else if (t.layout.empty()) {
    return invalidArgument(where + "layout is required");
  }
  if (t.location != "UTC" && t.location != "" && t.location != "Etc/UTC")
    return invalidArgument(where +
                           "location: only UTC is supported (put the offset in the "
                           "layout, e.g. %z); got \"" +
                           t.location + "\"");
  return Status::ok();
}

Status checkSeverity(const std::string& where, const SeverityConfig& s) {
  return checkField(where, "parse_from", s.parse_from, true);
}

Status checkTrace(const std::string& where, const TraceConfig& t) {
  PERISCOPE_RETURN_IF_ERROR(checkField(where, "trace_id.parse_from", t.trace_id.parse_from, false));
  PERISCOPE_RETURN_IF_ERROR(checkField(where, "span_id.parse_from", t.span_id.parse_from, false));
  return checkField(where, "trace_flags.parse_from", t.trace_flags.parse_from, false);
}

Status checkRegex(const std::string& where, const std::string& pattern, bool need_groups) {
  RE2 re(pattern, RE2::Quiet);
  if (!re.ok()) return invalidArgument(where + ": invalid RE2 \"" + pattern + "\": " + re.error());
  if (need_groups && re.NamedCapturingGroups().empty())
    return invalidArgument(where + ": needs at least one named group (?P<name>...)");
  return Status::ok();
}

Status checkOperator(size_t i, const OperatorConfig& op, const std::vector<OperatorConfig>& all) {
  std::string where = "operators[" + std::to_string(i) + "] (" + op.type + "): ";
  if (!op.output.empty() && (i + 1 >= all.size() || all[i + 1].id != op.output))
    return invalidArgument(where + "output: operators run in order; \"" + op.output +
                           "\" is not the id of the next operator");
  if (op.type == "json_parser" || op.type == "regex_parser") {
    PERISCOPE_RETURN_IF_ERROR(checkField(where, "parse_from", op.parse_from, true));
    PERISCOPE_RETURN_IF_ERROR(checkField(where, "parse_to", op.parse_to, true));
    if (op.type == "regex_parser") {
      if (op.regex.empty()) return invalidArgument(where + "regex is required");
      PERISCOPE_RETURN_IF_ERROR(checkRegex(where + "regex", op.regex, true));
    }
    if (op.timestamp) PERISCOPE_RETURN_IF_ERROR(checkTime(where + "timestamp.", *op.timestamp));
    if (op.severity) PERISCOPE_RETURN_IF_ERROR(checkSeverity(where + "severity.", *op.severity));
    if (op.trace) PERISCOPE_RETURN_IF_ERROR(checkTrace(where + "trace.", *op.trace));
  } else if (op.type == "time_parser") {
    PERISCOPE_RETURN_IF_ERROR(checkTime(where, op.time));
  } else if (op.type == "severity_parser") {
    PERISCOPE_RETURN_IF_ERROR(checkSeverity(where, op.sev));
  } else if (op.type == "trace_parser") {
    PERISCOPE_RETURN_IF_ERROR(checkTrace(where, op.trace_ids));
  } else if (op.type == "move") {
    PERISCOPE_RETURN_IF_ERROR(checkField(where, "from", op.from, true));
    PERISCOPE_RETURN_IF_ERROR(checkField(where, "to", op.to, true));
  } else if (op.type == "add") {
    PERISCOPE_RETURN_IF_ERROR(checkField(where, "field", op.field, true));
    if (!op.value) return invalidArgument(where + "value is required");
  } else if (op.type == "remove") {
    PERISCOPE_RETURN_IF_ERROR(checkField(where, "field", op.field, true));
  }
  return Status::ok();
}

}  // namespace

Status Config::validate() const {
  if (include.empty()) return invalidArgument("include must list at least one glob");
  uint64_t n;
  if (!parseByteSize(fingerprint_size, n))
    return invalidArgument("fingerprint_size: invalid byte size \"" + fingerprint_size + "\"");
  if (n < 16) return invalidArgument("fingerprint_size must be at least 16 bytes");
  if (!parseByteSize(max_log_size, n) || n == 0)
    return invalidArgument("max_log_size: invalid byte size \"" + max_log_size + "\"");
  if (max_concurrent_files < 1) return invalidArgument("max_concurrent_files must be at least 1");
  if (poll_interval.count() <= 0) return invalidArgument("poll_interval must be positive");
  static const std::set<std::string> kEncodings = {"utf-8", "utf8", "ascii", "us-ascii", "nop"};
  if (!kEncodings.count(lower(encoding)))
    return invalidArgument("encoding: \"" + encoding + "\" is not supported (utf-8, ascii or nop)");
  if (multiline) {
    bool start = !multiline->line_start_pattern.empty();
    bool end = !multiline->line_end_pattern.empty();
    if (start == end)
      return invalidArgument(
          "multiline: exactly one of line_start_pattern and line_end_pattern is required");
    PERISCOPE_RETURN_IF_ERROR(
        start ? checkRegex("multiline.line_start_pattern", multiline->line_start_pattern, false)
              : checkRegex("multiline.line_end_pattern", multiline->line_end_pattern, false));
  }
  for (size_t i = 0; i < operators.size(); ++i)
    PERISCOPE_RETURN_IF_ERROR(checkOperator(i, operators[i], operators));
  return Status::ok();
}

}  // namespace periscope::components::filelog

namespace periscope::config {

using components::filelog::OperatorConfig;
using components::filelog::SeverityAlias;

void FieldCodec<components::filelog::SeverityMapping>::decode(
    const Value& v, components::filelog::SeverityMapping& out, Diagnostics& d) {
  if (v.isNull()) return;
  if (!v.isMap()) {
    d.error(v, "expected a map of severity name to values, got " + v.kindName());
    return;
  }
  out.aliases.clear();
  for (const auto& [name, value] : v.entries) {
    int32_t number = components::filelog::severityNumberOfName(name);
    if (number == 0) {
      d.errorAtKey(value, "unknown severity \"" + name +
                              "\" (trace, debug, info, warn, error, fatal, optionally 2-4)");
      continue;
    }
    auto one = [&](const Value& item) {
      if (item.isMap()) {
        SeverityAlias a{number, "", true, 0, 0};
        const Value* min = item.find("min");
        const Value* max = item.find("max");
        for (const auto& [k, child] : item.entries) {
          if (k != "min" && k != "max") d.errorAtKey(child, "unknown key; expected min or max");
        }
        if (min == nullptr || max == nullptr) {
          d.error(item, "a range needs both min and max");
          return;
        }
        if (decodeInt(*min, INT64_MIN, INT64_MAX, a.min, d) &&
            decodeInt(*max, INT64_MIN, INT64_MAX, a.max, d))
          out.aliases.push_back(a);
        return;
      }
      std::string s;
      if (!decodeString(item, s, d)) return;
      std::string l = s;
      for (char& c : l) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      // "2xx".."5xx": the HTTP status ranges, as the collector's mapping allows.
      if (l.size() == 3 && l[0] >= '1' && l[0] <= '5' && l.substr(1) == "xx") {
        int64_t base = (l[0] - '0') * 100;
        out.aliases.push_back({number, "", true, base, base + 99});
        return;
      }
      out.aliases.push_back({number, l, false, 0, 0});
    };
    if (value.isSequence()) {
      for (const auto& item : value.items) one(item);
    } else {
      one(value);
    }
  }
}

std::vector<FieldDoc> FieldCodec<OperatorConfig>::children() {
  return components::filelog::operatorDocSchema().docs();
}

void FieldCodec<OperatorConfig>::decode(const Value& v, OperatorConfig& out, Diagnostics& d) {
  if (!v.isMap()) {
    d.error(v, "expected an operator map with a type, got " + v.kindName());
    return;
  }
  const Value* type = v.find("type");
  if (type == nullptr) {
    d.error(v,
            "operator without type (one of json_parser, regex_parser, time_parser, "
            "severity_parser, trace_parser, move, add, remove)");
    return;
  }
  std::string t;
  if (!decodeString(*type, t, d)) return;
  const auto& types = components::filelog::operatorTypes();
  if (std::find(types.begin(), types.end(), t) == types.end()) {
    std::string list;
    for (const auto& x : types) list += (list.empty() ? "" : ", ") + x;
    d.error(*type, "unsupported operator type \"" + t + "\"; supported: " + list);
    return;
  }
  Value common = v, own = v;
  common.entries.clear();
  own.entries.clear();
  for (const auto& e : v.entries) {
    if (e.first == "if") {
      d.errorAtKey(e.second, "`if` expressions are not supported");
      continue;
    }
    bool is_common =
        e.first == "type" || e.first == "id" || e.first == "output" || e.first == "on_error";
    (is_common ? common : own).entries.push_back(e);
  }
  components::filelog::commonOperatorSchema().decode(common, out, d);
  if (t == "json_parser") {
    components::filelog::jsonParserSchema().decode(own, out, d);
  } else if (t == "regex_parser") {
    components::filelog::regexParserSchema().decode(own, out, d);
  } else if (t == "time_parser") {
    components::filelog::TimeParserConfig::schema().decode(own, out.time, d);
  } else if (t == "severity_parser") {
    components::filelog::SeverityConfig::schema().decode(own, out.sev, d);
  } else if (t == "trace_parser") {
    components::filelog::TraceConfig::schema().decode(own, out.trace_ids, d);
  } else if (t == "move") {
    components::filelog::moveSchema().decode(own, out, d);
  } else if (t == "add") {
    components::filelog::addSchema().decode(own, out, d);
  } else if (t == "remove") {
    components::filelog::removeSchema().decode(own, out, d);
  }
}

}  // namespace periscope::config
