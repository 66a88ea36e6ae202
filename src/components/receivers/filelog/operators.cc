#include "components/receivers/filelog/operators.h"

#include <re2/re2.h>

#include <cctype>

#include "components/receivers/filelog/timestamp.h"
#include "model/xray_trace_header.h"

namespace periscope::components::filelog {
namespace {

using nlohmann::json;

FieldPath mustParse(const std::string& path) {
  return *FieldPath::parse(path);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The text a value stands for ("42" for 42), for severity_text and string matching.
std::string scalarText(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

// The preset aliases beyond the names themselves (trace..fatal4 always map).
int32_t presetAlias(const std::string& l) {
  static const std::pair<const char*, int32_t> kAliases[] = {
      {"warning", 13},    {"err", 17},          {"notice", 10}, {"critical", 21}, {"crit", 21},
      {"alert", 22},      {"emergency", 23},    {"emerg", 23},  {"panic", 23},    {"dpanic", 22},
      {"information", 9}, {"informational", 9}, {"dbg", 5},     {"trc", 1},       {"wrn", 13},
      {"eror", 17},       {"ftl", 21},          {"inf", 9}};
  for (const auto& [name, n] : kAliases) {
    if (l == name) return n;
  }
  return 0;
}

class TimeParser final : public Operator {
 public:
  explicit TimeParser(const TimeParserConfig& c) : from_(mustParse(c.parse_from)), layout_(c) {}
  Status apply(Entry& e) const override {
    const json* v = from_.get(e);
    if (v == nullptr) return invalidArgument("timestamp: field is missing");
    Result<uint64_t> t =
        v->is_string()           ? layout_.parse(v->get<std::string>())
        : v->is_number_integer() ? layout_.parseInteger(v->get<int64_t>())
        : v->is_number()         ? layout_.parseNumber(v->get<double>())
                         : Result<uint64_t>(invalidArgument("timestamp: not a string or number"));
    if (!t.isOk()) return t.status();
    e.time_unix_nano = *t;
    return Status::ok();
  }

 private:
  FieldPath from_;
  TimeLayout layout_;
};

bool hexField(const json* v, uint8_t* out, size_t n) {
  return v != nullptr && v->is_string() &&
         model::parseHexBytes(v->get_ref<const std::string&>(), out, n);
}

// trace_id: 32 hex digits, or an X-Ray trace id "1-xxxxxxxx-yyyyyyyyyyyyyyyyyyyyyyyy".
bool traceIdOf(const json* v, std::string& out) {
  if (v == nullptr || !v->is_string()) return false;
  const std::string& s = v->get_ref<const std::string&>();
  uint8_t id[16];
  if (model::parseHexBytes(s, id, 16)) {
    out.assign(reinterpret_cast<char*>(id), 16);
    return true;
  }
  if (auto h = model::parseXrayTraceHeader("Root=" + s)) {
    out.assign(reinterpret_cast<const char*>(h->trace_id.data()), 16);
    return true;
  }
  return false;
}

bool flagsOf(const json* v, uint32_t& out) {
  if (v == nullptr) return false;
  if (v->is_number_unsigned() || v->is_number_integer()) {
    int64_t f = v->get<int64_t>();
    if (f < 0 || f > 255) return false;
    out = static_cast<uint32_t>(f);
    return true;
  }
  uint8_t b;
  if (!hexField(v, &b, 1)) return false;
  out = b;
  return true;
}

class TraceParser final : public Operator {
 public:
  explicit TraceParser(const TraceConfig& c) {
    if (!c.trace_id.parse_from.empty()) trace_ = FieldPath::parse(c.trace_id.parse_from);
    if (!c.span_id.parse_from.empty()) span_ = FieldPath::parse(c.span_id.parse_from);
    if (!c.trace_flags.parse_from.empty()) flags_ = FieldPath::parse(c.trace_flags.parse_from);
  }
  Status apply(Entry& e) const override {
    if (trace_) {
      const json* v = trace_->get(e);
      if (v != nullptr && !traceIdOf(v, e.trace_id))
        return invalidArgument("trace_id: not 32 hex digits");
    }
    if (span_) {
      const json* v = span_->get(e);
      uint8_t id[8];
      if (v != nullptr) {
        if (!hexField(v, id, 8)) return invalidArgument("span_id: not 16 hex digits");
        e.span_id.assign(reinterpret_cast<char*>(id), 8);
      }
    }
    if (flags_) {
      const json* v = flags_->get(e);
      if (v != nullptr && !flagsOf(v, e.flags))
        return invalidArgument("trace_flags: not 2 hex digits or 0-255");
    }
    return Status::ok();
  }

 private:
  std::optional<FieldPath> trace_, span_, flags_;
};

class JsonParser final : public Operator {
 public:
  JsonParser(const std::string& from, const std::string& to)
      : from_(mustParse(from)), to_(mustParse(to)) {}
  Status apply(Entry& e) const override {
    const json* v = from_.get(e);
    if (v == nullptr) return invalidArgument("field to parse is missing");
    if (!v->is_string()) return invalidArgument("field to parse is not a string");
    json parsed = json::parse(v->get_ref<const std::string&>(), nullptr, false);
    if (parsed.is_discarded()) return invalidArgument("not valid JSON");
    if (!parsed.is_object()) return invalidArgument("JSON is not an object");
    to_.merge(e, std::move(parsed));
    return Status::ok();
  }

 private:
  FieldPath from_, to_;
};

class RegexParser final : public Operator {
 public:
  RegexParser(const std::string& from, const std::string& to, const std::string& regex)
      : from_(mustParse(from)), to_(mustParse(to)), re_(std::make_unique<RE2>(regex)) {
    for (const auto& [name, index] : re_->NamedCapturingGroups()) groups_.emplace_back(name, index);
  }
  Status apply(Entry& e) const override {
    const json* v = from_.get(e);
    if (v == nullptr) return invalidArgument("field to parse is missing");
    if (!v->is_string()) return invalidArgument("field to parse is not a string");
    const std::string& text = v->get_ref<const std::string&>();
    int n = re_->NumberOfCapturingGroups() + 1;
    std::vector<re2::StringPiece> m(static_cast<size_t>(n));
    if (!re_->Match(text, 0, text.size(), RE2::UNANCHORED, m.data(), n))
      return invalidArgument("regex does not match");
    json out = json::object();
    for (const auto& [name, index] : groups_) {
      const re2::StringPiece& g = m[static_cast<size_t>(index)];
      if (g.data() != nullptr) out[name] = std::string(g.data(), g.size());
    }
    to_.merge(e, std::move(out));
    return Status::ok();
  }

 private:
  FieldPath from_, to_;
  std::unique_ptr<RE2> re_;
  std::vector<std::pair<std::string, int>> groups_;
};

class MoveOp final : public Operator {
 public:
  MoveOp(const std::string& from, const std::string& to)
      : from_(mustParse(from)), to_(mustParse(to)) {}
  Status apply(Entry& e) const override {
    auto v = from_.take(e);
    if (!v) return invalidArgument("move: field to move is missing");
    to_.set(e, std::move(*v));
    return Status::ok();
  }

 private:
  FieldPath from_, to_;
};

class AddOp final : public Operator {
 public:
  AddOp(const std::string& field, const std::string& value)
      : field_(mustParse(field)), value_(value) {}
  Status apply(Entry& e) const override {
    field_.set(e, value_);
    return Status::ok();
  }

 private:
  FieldPath field_;
  std::string value_;
};

class RemoveOp final : public Operator {
 public:
  explicit RemoveOp(const std::string& field) : field_(mustParse(field)) {}
  Status apply(Entry& e) const override {
    if (!field_.take(e)) return invalidArgument("remove: field is missing");
    return Status::ok();
  }

 private:
  FieldPath field_;
};

}  // namespace

SeverityParser::SeverityParser(const SeverityConfig& config)
    : from_(mustParse(config.parse_from)),
      default_preset_(config.preset == "default"),
      overwrite_text_(config.overwrite_text),
      mapping_(config.mapping) {}

int32_t SeverityParser::map(const json& value) const {
  std::string text = lower(scalarText(value));
  bool is_int = value.is_number_integer();
  int64_t as_int = 0;
  if (is_int) {
    as_int = value.get<int64_t>();
  } else if (!text.empty() && text.size() < 19 &&
             text.find_first_not_of("0123456789") == std::string::npos) {
    is_int = true;
    as_int = std::stoll(text);
  }
  for (const auto& a : mapping_.aliases) {
    if (a.is_range ? (is_int && as_int >= a.min && as_int <= a.max) : a.text == text)
      return a.number;
  }
  if (!default_preset_) return 0;
  if (int32_t n = severityNumberOfName(text); n != 0) return n;
  return presetAlias(text);
}

Status SeverityParser::apply(Entry& e) const {
  const json* v = from_.get(e);
  if (v == nullptr) return invalidArgument("severity: field is missing");
  if (!v->is_string() && !v->is_number_integer())
    return invalidArgument("severity: not a string or integer");
  int32_t n = map(*v);
  if (n == 0) return invalidArgument("severity: \"" + scalarText(*v) + "\" is not mapped");
  e.severity_number = n;
  if (overwrite_text_) {
    static const char* kNames[] = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"};
    int base = (n - 1) / 4, rank = (n - 1) % 4;
    e.severity_text = std::string(kNames[base]) + (rank == 0 ? "" : std::to_string(rank + 1));
  } else {
    e.severity_text = scalarText(*v);
  }
  return Status::ok();
}

OperatorChain OperatorChain::build(const std::vector<OperatorConfig>& operators) {
  OperatorChain chain;
  for (size_t i = 0; i < operators.size(); ++i) {
    const OperatorConfig& op = operators[i];
    Step step;
    step.where = "operators[" + std::to_string(i) + "] (" + op.type + ")";
    step.on_error = op.on_error;
    if (op.type == "json_parser") {
      step.parts.push_back(std::make_unique<JsonParser>(op.parse_from, op.parse_to));
    } else if (op.type == "regex_parser") {
      step.parts.push_back(std::make_unique<RegexParser>(op.parse_from, op.parse_to, op.regex));
    } else if (op.type == "time_parser") {
      step.parts.push_back(std::make_unique<TimeParser>(op.time));
    } else if (op.type == "severity_parser") {
      step.parts.push_back(std::make_unique<SeverityParser>(op.sev));
    } else if (op.type == "trace_parser") {
      step.parts.push_back(std::make_unique<TraceParser>(op.trace_ids));
    } else if (op.type == "move") {
      step.parts.push_back(std::make_unique<MoveOp>(op.from, op.to));
    } else if (op.type == "add") {
      step.parts.push_back(std::make_unique<AddOp>(op.field, *op.value));
    } else if (op.type == "remove") {
      step.parts.push_back(std::make_unique<RemoveOp>(op.field));
    }
    if (op.timestamp) step.parts.push_back(std::make_unique<TimeParser>(*op.timestamp));
    if (op.severity) step.parts.push_back(std::make_unique<SeverityParser>(*op.severity));
    if (op.trace) step.parts.push_back(std::make_unique<TraceParser>(*op.trace));
    chain.steps_.push_back(std::move(step));
  }
  return chain;
}

OperatorChain::Outcome OperatorChain::apply(Entry& e) const {
  Outcome out;
  for (const auto& step : steps_) {
    for (const auto& part : step.parts) {
      Status st = part->apply(e);
      if (st.isOk()) continue;
      bool quiet = step.on_error == "send_quiet" || step.on_error == "drop_quiet";
      if (!quiet && !out.error) {
        out.error = true;
        out.first_error = step.where + ": " + std::string(st.message());
      }
      if (step.on_error == "drop" || step.on_error == "drop_quiet") {
        out.drop = true;
        return out;
      }
      break;  // send: the entry goes on as it is, without this step's remaining parts
    }
  }
  return out;
}

void liftTraceContext(Entry& e) {
  if (!e.trace_id.empty()) return;
  auto find = [&](std::initializer_list<const char*> keys) -> const json* {
    for (const json* obj : {&e.attributes, &e.body}) {
      if (!obj->is_object()) continue;
      for (const char* k : keys) {
        auto it = obj->find(k);
        if (it != obj->end()) return &*it;
      }
    }
    return nullptr;
  };
  std::string trace;
  if (traceIdOf(find({"trace_id", "traceId", "traceid", "TraceId"}), trace)) {
    e.trace_id = std::move(trace);
    uint8_t span[8];
    if (hexField(find({"span_id", "spanId", "spanid", "SpanId"}), span, 8))
      e.span_id.assign(reinterpret_cast<char*>(span), 8);
    flagsOf(find({"trace_flags", "traceFlags", "traceflags", "TraceFlags"}), e.flags);
    return;
  }
  const json* xray = find({"X-Amzn-Trace-Id", "x-amzn-trace-id", "x_amzn_trace_id"});
  if (xray == nullptr || !xray->is_string()) return;
  auto h = model::parseXrayTraceHeader(xray->get_ref<const std::string&>());
  if (!h) return;
  e.trace_id.assign(reinterpret_cast<const char*>(h->trace_id.data()), 16);
  if (h->has_parent) e.span_id.assign(reinterpret_cast<const char*>(h->parent_id.data()), 8);
  if (h->sampled) e.flags = *h->sampled ? 1 : 0;
}

}  // namespace periscope::components::filelog
