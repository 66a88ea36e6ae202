// libFuzzer target: arbitrary bytes into the OTLP/JSON decoders (all three signals).
// - Round trip: what decodes must re-encode to JSON that decodes again to the same JSON.
// - Differential against libprotobuf's JsonStringToMessage: when it accepts the input too (given
//   as proto3 JSON, see toProto3Json), our decode → protobuf encode must parse to the same message.
// Inputs only one side accepts are not failures. libprotobuf 3.21 also takes unknown enum names
// (dropped, with ignore_unknown_fields), ids that are base64 but not hex, null array elements and
// numbers like "+5" or "0x10"; we reject those. We take several members of one oneof (the last
// wins, as on the wire) and base64 with non-zero trailing bits ("AY"), which it rejects.
#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/util/field_comparator.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/otlp/json_bytes.h"
#include "model/otlp/json_decoder.h"
#include "model/otlp/json_encoder.h"
#include "model/otlp/proto_encoder.h"
#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "proto_oracle.h"

namespace {

using google::protobuf::Message;
using nlohmann::json;

// "trace_id" → "traceId": both spellings name one field, for libprotobuf and for us.
std::string camelCase(const std::string& key) {
  std::string out;
  bool upper = false;
  for (char c : key) {
    if (c == '_') {
      upper = true;
      continue;
    }
    out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
  }
  return out;
}

// Every id key of OTLP (spans, links, exemplars, log records) is one of these, and every enum
// key one of the others. Elsewhere such a key can only be an unknown field, which both sides
// ignore whatever it holds.
bool isIdKey(const std::string& key) {
  return key == "traceId" || key == "spanId" || key == "parentSpanId";
}
bool isEnumKey(const std::string& key) {
  return key == "kind" || key == "code" || key == "severityNumber" ||
         key == "aggregationTemporality";
}

// Rewrites OTLP/JSON into proto3 JSON as libprotobuf 3.21 reads it, in place:
// - ids are hex in OTLP/JSON, base64 (as for all bytes) in proto3 JSON. What is not hex is left
//   alone: where we read an id we reject it.
// - an enum written as a numeric string ("kind": "7") we take as that number; libprotobuf does so
//   only for declared values and drops the others (with ignore_unknown_fields), so it is given the
//   number itself. Names and numbers are read alike on both sides.
void toProto3Json(json& j) {
  if (j.is_array()) {
    for (json& e : j) toProto3Json(e);
    return;
  }
  if (!j.is_object()) return;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!it->is_string()) {
      toProto3Json(*it);
      continue;
    }
    const std::string key = camelCase(it.key());
    const std::string& s = it->get_ref<const std::string&>();
    if (isIdKey(key)) {
      std::string raw(s.size() / 2, '\0');
      if (!periscope::model::otlp::decodeHex(s, raw.data())) continue;
      std::string b64;
      periscope::model::otlp::appendBase64(raw, b64);
      *it = b64;
    } else if (isEnumKey(key)) {
      int32_t n = 0;
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
      if (ec == std::errc() && end == s.data() + s.size()) *it = n;
    }
  }
}

// libprotobuf 3.21 reads the number -0 as the integer 0, so a double written so loses its sign
// (we keep it, as JavaScript and Go's protojson do); written -0.0 it keeps it. nlohmann would
// drop the sign of -0 as well: the input is valid JSON (we accepted it), so outside strings
// every "-0" not followed by a fraction, exponent or digit is rewritten to "-0.0".
std::string negativeZeroAsDouble(std::string_view in) {
  constexpr std::string_view kNumberChars = ".eE0123456789";
  std::string out;
  out.reserve(in.size());
  bool in_string = false;
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    out += c;
    if (in_string) {
      if (c == '\\' && i + 1 < in.size()) {
        out += in[++i];
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '-' && i + 1 < in.size() && in[i + 1] == '0' &&
               (i + 2 == in.size() || kNumberChars.find(in[i + 2]) == std::string_view::npos)) {
      out += "0.0";
      ++i;
    }
  }
  return out;
}

// The input as libprotobuf should see it, or nullopt when no comparison is meaningful:
// - nlohmann does not parse it (not expected: we accept only valid JSON);
// - an object names a field twice (as "traceId" and "trace_id" too). RFC 8259 leaves that to
//   the parser: we merge repeated objects and keep the last array or scalar, libprotobuf 3.21
//   concatenates arrays as well, nlohmann keeps the last value;
// - a key is "": libprotobuf 3.21 renders an object under it into the enclosing message
//   ({"resourceLogs":[{"":{}}]} gets an empty resource), where it is an unknown key to us.
std::optional<std::string> forLibprotobuf(std::string_view input) {
  std::vector<std::set<std::string>> keys;
  bool skip = false;
  auto on_event = [&](int, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) {
      keys.emplace_back();
    } else if (event == json::parse_event_t::object_end) {
      keys.pop_back();
    } else if (event == json::parse_event_t::key && !keys.empty()) {
      const std::string& key = parsed.get_ref<const std::string&>();
      skip |= key.empty() || !keys.back().insert(camelCase(key)).second;
    }
    return true;
  };
  std::string text = negativeZeroAsDouble(input);
  json doc = json::parse(text, on_event, /*allow_exceptions=*/false);
  if (doc.is_discarded() || skip) return std::nullopt;
  toProto3Json(doc);
  return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

template <typename B, typename Pb>
void check(std::string_view input, std::optional<std::optional<std::string>>& lib_input) {
  B batch;
  if (!periscope::model::otlp::decodeJson(input, batch).isOk()) return;
  std::string once;
  periscope::model::otlp::encodeJson(batch, once);
  B again;
  if (!periscope::model::otlp::decodeJson(once, again).isOk()) std::abort();
  std::string twice;
  periscope::model::otlp::encodeJson(again, twice);
  if (once != twice) std::abort();

  if (!lib_input) lib_input = forLibprotobuf(input);  // once per input, for all three signals
  if (!*lib_input) return;
  Pb theirs;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  if (!google::protobuf::util::JsonStringToMessage(**lib_input, &theirs, options).ok()) return;
  std::string bytes;
  periscope::model::otlp::encode(batch, bytes);
  periscope::fuzz::requireEncodes(theirs, bytes);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace collector = opentelemetry::proto::collector;
  // libprotobuf logs every input it rejects; mutants are full of them.
  static const bool quiet = (google::protobuf::SetLogHandler(nullptr), true);
  (void)quiet;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::optional<std::optional<std::string>> lib_input;
  check<periscope::model::Traces, collector::trace::v1::ExportTraceServiceRequest>(input,
                                                                                   lib_input);
  check<periscope::model::Metrics, collector::metrics::v1::ExportMetricsServiceRequest>(input,
                                                                                        lib_input);
  check<periscope::model::Logs, collector::logs::v1::ExportLogsServiceRequest>(input, lib_input);
  return 0;
}
