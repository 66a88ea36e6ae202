// Config of the `filelog` receiver, with the OpenTelemetry Collector's keys (filelogreceiver /
// stanza fileconsumer):
//   receivers: { filelog: { include: [...], exclude: [...], start_at: end, poll_interval: 200ms,
//                           multiline: {line_start_pattern: ...}, storage: file_storage,
//                           operators: [ {type: json_parser, timestamp: {...}, severity: {...}} ] }
//                           }
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "component/component.h"
#include "config/schema.h"

namespace periscope::components::filelog {

struct MultilineConfig {
  std::string line_start_pattern;
  std::string line_end_pattern;
  bool omit_pattern = false;
  static const config::Schema<MultilineConfig>& schema();
};

// `timestamp:` of a parser, or a `time_parser` operator.
struct TimeParserConfig {
  std::string parse_from;
  std::string layout_type = "strptime";  // strptime | gotime | epoch
  std::string layout;
  std::string location = "UTC";
  static const config::Schema<TimeParserConfig>& schema();
};

// One `mapping:` entry: text (compared case-insensitively) or an integer range → severity.
struct SeverityAlias {
  int32_t number = 0;  // OTLP SeverityNumber
  std::string text;    // lower-cased; empty for ranges
  bool is_range = false;
  int64_t min = 0, max = 0;
};
struct SeverityMapping {
  std::vector<SeverityAlias> aliases;
};

// `severity:` of a parser, or a `severity_parser` operator.
struct SeverityConfig {
  std::string parse_from;
  std::string preset = "default";  // default | none
  SeverityMapping mapping;
  bool overwrite_text = false;
  static const config::Schema<SeverityConfig>& schema();
};

struct ParseFromConfig {
  std::string parse_from;
  static const config::Schema<ParseFromConfig>& schema();
};

// `trace:` of a parser, or a `trace_parser` operator.
struct TraceConfig {
  ParseFromConfig trace_id{"attributes.trace_id"};
  ParseFromConfig span_id{"attributes.span_id"};
  ParseFromConfig trace_flags{"attributes.trace_flags"};
  static const config::Schema<TraceConfig>& schema();
};

// One entry of `operators:`. One struct for every type; each type accepts only its own keys
// (see operatorSchema in config.cc), so `regex:` on a json_parser is an error.
struct OperatorConfig {
  std::string type;
  std::string id;
  std::string output;
  std::string on_error = "send";  // send | send_quiet | drop | drop_quiet
  std::string parse_from = "body";
  std::string parse_to = "attributes";
  std::string regex;                          // regex_parser
  std::optional<TimeParserConfig> timestamp;  // parsers; time_parser uses `time`
  std::optional<SeverityConfig> severity;     // parsers
  std::optional<TraceConfig> trace;           // parsers
  TimeParserConfig time;                      // time_parser's own keys
  SeverityConfig sev;                         // severity_parser's own keys
  TraceConfig trace_ids;                      // trace_parser's own keys
  std::string from, to;                       // move
  std::string field;                          // add, remove
  std::optional<std::string> value;           // add
};

struct Config : component::Config {
  std::vector<std::string> include;
  std::vector<std::string> exclude;
  std::string start_at = "end";
  config::Duration poll_interval = std::chrono::milliseconds(200);
  std::string fingerprint_size = "1kb";
  std::string max_log_size = "1MiB";
  int max_concurrent_files = 1024;
  std::string encoding = "utf-8";
  bool include_file_name = true;
  bool include_file_path = false;
  std::optional<MultilineConfig> multiline;
  config::Duration force_flush_period = std::chrono::milliseconds(500);
  std::string storage;
  std::vector<OperatorConfig> operators;
  std::map<std::string, std::string> attributes;
  std::map<std::string, std::string> resource;

  static const config::Schema<Config>& schema();
  Status validate() const override;

  // Byte sizes after validate(): "1kb", "1KiB", "1048576".
  uint64_t fingerprintBytes() const;
  uint64_t maxLogBytes() const;
};

// "1kb" = 1000, "1KiB" = 1024, "16" = 16 (as the collector's helper.ByteSize); false if bad.
bool parseByteSize(const std::string& text, uint64_t& out);

// OTLP severity number of a name ("warn", "error3", "INFO"), or 0.
int32_t severityNumberOfName(std::string_view name);

}  // namespace periscope::components::filelog

namespace periscope::config {

template <>
struct FieldCodec<components::filelog::SeverityMapping> {
  static std::string typeName() { return "map"; }
  static std::string show(const components::filelog::SeverityMapping&) { return ""; }
  static std::vector<FieldDoc> children() { return {}; }
  static void decode(const Value& v, components::filelog::SeverityMapping& out, Diagnostics& d);
};

template <>
struct FieldCodec<components::filelog::OperatorConfig> {
  static std::string typeName() { return "operator"; }
  static std::string show(const components::filelog::OperatorConfig&) { return ""; }
  static std::vector<FieldDoc> children();
  static void decode(const Value& v, components::filelog::OperatorConfig& out, Diagnostics& d);
};

}  // namespace periscope::config
