#include "components/receivers/awsxray/segment_translator.h"

#include <re2/re2.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace periscope::components::awsxray_receiver {
namespace {

using nlohmann::json;

// Builds one attribute list; strings are copied into the batch arena when added.
class AttributeBuilder {
 public:
  explicit AttributeBuilder(Arena& arena) : arena_(arena) {}
  void str(std::string_view key, std::string_view v) {
    kvs_.push_back({key, model::AnyValue::string(arena_.copy(v))});
  }
  void integer(std::string_view key, int64_t v) {
    kvs_.push_back({key, model::AnyValue::integer(v)});
  }
  void boolean(std::string_view key, bool v) { kvs_.push_back({key, model::AnyValue::boolean(v)}); }
  void dbl(std::string_view key, double v) { kvs_.push_back({key, model::AnyValue::dbl(v)}); }
  void value(std::string_view key, const model::AnyValue& v) { kvs_.push_back({key, v}); }
  // Copies `key` too (annotation keys come from the document).
  std::string_view ownKey(std::string_view key) { return arena_.copy(key); }
  // Optional fields: added only when present with the expected JSON type.
  void optStr(const json& obj, const char* field, std::string_view key) {
    auto it = obj.find(field);
    if (it != obj.end() && it->is_string()) str(key, it->get_ref<const std::string&>());
  }
  void optBool(const json& obj, const char* field, std::string_view key) {
    auto it = obj.find(field);
    if (it != obj.end() && it->is_boolean()) boolean(key, it->get<bool>());
  }
  void optInt(const json& obj, const char* field, std::string_view key) {
    auto it = obj.find(field);
    if (it != obj.end() && it->is_number()) integer(key, it->get<int64_t>());
  }
  model::Attributes finish() {
    auto out = arena_.copyArray<model::KeyValue>(kvs_);
    kvs_.clear();
    return out;
  }

 private:
  Arena& arena_;
  std::vector<model::KeyValue> kvs_;
};

const json* member(const json& obj, const char* field) {
  auto it = obj.find(field);
  return it == obj.end() || it->is_null() ? nullptr : &*it;
}

const std::string* stringMember(const json& obj, const char* field) {
  const json* v = member(obj, field);
  return v != nullptr && v->is_string() ? &v->get_ref<const std::string&>() : nullptr;
}

bool hexDecode(std::string_view hex, char* out) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < hex.size() / 2; ++i) {
    int hi = nibble(hex[2 * i]);
    int lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<char>(hi << 4 | lo);
  }
  return true;
}

// "1-5759e988-bd862e3fe1be46a994272793" → 16 bytes (epoch part then the 24 random hex digits).
Result<std::string_view> decodeTraceId(const std::string& id, Arena& arena) {
  if (id.size() != 35 || id[0] != '1' || id[1] != '-' || id[10] != '-') {
    return invalidArgument("trace_id \"" + id + "\" is not 1-<8 hex>-<24 hex>");
  }
  char bytes[16];
  if (!hexDecode(std::string_view(id).substr(2, 8), bytes) ||
      !hexDecode(std::string_view(id).substr(11, 24), bytes + 4)) {
    return invalidArgument("trace_id \"" + id + "\" is not hex");
  }
  return arena.copy(std::string_view(bytes, 16));
}

Result<std::string_view> decodeSpanId(const std::string& id, const char* field, Arena& arena) {
  char bytes[8];
  if (id.size() != 16 || !hexDecode(id, bytes)) {
    return invalidArgument(std::string(field) + " \"" + id + "\" is not 16 hex digits");
  }
  return arena.copy(std::string_view(bytes, 8));
}

// Float epoch seconds → ns, kept to the microsecond: a double near 1.7e9 carries ~0.24 µs.
uint64_t epochSecondsToNanos(double seconds) {
  if (!(seconds > 0)) return 0;
  double whole = std::floor(seconds);
  auto micros = static_cast<int64_t>(std::llround((seconds - whole) * 1e6));
  return static_cast<uint64_t>(whole) * 1'000'000'000ULL + static_cast<uint64_t>(micros) * 1000ULL;
}

// `origin` → resource cloud.platform (the inverse of the exporter's origin rule).
std::string_view platformOf(std::string_view origin) {
  if (origin == "AWS::EC2::Instance") return "aws_ec2";
  if (origin.starts_with("AWS::ECS::")) return "aws_ecs";
  if (origin == "AWS::ElasticBeanstalk::Environment") return "aws_elastic_beanstalk";
  if (origin == "AWS::EKS::Container") return "aws_eks";
  if (origin == "AWS::AppRunner::Service") return "aws_app_runner";
  if (origin == "AWS::Lambda::Function") return "aws_lambda";
  return {};
}

Status assign(Result<std::string_view> r, std::string_view& out) {
  if (!r.isOk()) return r.status();
  out = r.value();
  return Status::ok();
}

size_t countSegments(const json& seg) {
  size_t n = 1;
  if (const json* subs = member(seg, "subsegments"); subs != nullptr && subs->is_array()) {
    for (const json& s : *subs) n += countSegments(s);
  }
  return n;
}

class Translator {
 public:
  Translator(model::Traces& out, std::span<model::Span> spans)
      : arena_(out.arena()), spans_(spans), attrs_(arena_) {}

  // Depth-first: the (sub)segment, then each embedded subsegment parented to it.
  Status walk(const json& seg, std::string_view trace_id, std::string_view parent_id,
              bool is_subsegment) {
    if (!seg.is_object()) return invalidArgument("subsegments[] entries must be objects");
    model::Span& span = spans_[next_++];
    PERISCOPE_RETURN_IF_ERROR(fill(seg, trace_id, parent_id, is_subsegment, span));
    if (const json* subs = member(seg, "subsegments"); subs != nullptr && subs->is_array()) {
      for (const json& child : *subs) {
        PERISCOPE_RETURN_IF_ERROR(walk(child, span.trace_id, span.span_id, true));
      }
    }
    return Status::ok();
  }

  model::Attributes resource(const json& seg) {
    if (const std::string* name = stringMember(seg, "name")) attrs_.str("service.name", *name);
    const json* aws = member(seg, "aws");
    if (aws == nullptr || !aws->is_object()) {
      attrs_.str("cloud.provider", "unknown");
    } else {
      attrs_.str("cloud.provider", "aws");
      attrs_.optStr(*aws, "account_id", "cloud.account.id");
      if (const json* ec2 = member(*aws, "ec2"); ec2 != nullptr && ec2->is_object()) {
        attrs_.optStr(*ec2, "availability_zone", "cloud.availability_zone");
        attrs_.optStr(*ec2, "instance_id", "host.id");
        attrs_.optStr(*ec2, "instance_size", "host.type");
        attrs_.optStr(*ec2, "ami_id", "host.image.id");
      }
      if (const json* ecs = member(*aws, "ecs"); ecs != nullptr && ecs->is_object()) {
        attrs_.optStr(*ecs, "container", "container.name");
        attrs_.optStr(*ecs, "availability_zone", "cloud.availability_zone");
        attrs_.optStr(*ecs, "container_id", "container.id");
      }
      if (const json* bs = member(*aws, "elastic_beanstalk"); bs != nullptr && bs->is_object()) {
        attrs_.optStr(*bs, "environment_name", "service.namespace");
        if (const json* d = member(*bs, "deployment_id"); d != nullptr && d->is_number()) {
          attrs_.str("service.instance.id", std::to_string(d->get<int64_t>()));
        }
        attrs_.optStr(*bs, "version_label", "service.version");
      }
      if (const json* eks = member(*aws, "eks"); eks != nullptr && eks->is_object()) {
        attrs_.optStr(*eks, "container_id", "container.id");
        attrs_.optStr(*eks, "cluster_name", "k8s.cluster.name");
        attrs_.optStr(*eks, "pod", "k8s.pod.name");
      }
      if (const json* xr = member(*aws, "xray"); xr != nullptr && xr->is_object()) {
        attrs_.optStr(*xr, "sdk_version", "telemetry.sdk.version");
        if (const std::string* sdk = stringMember(*xr, "sdk")) {
          attrs_.str("telemetry.sdk.name", *sdk);
          // "X-Ray for Node.js" → "Node.js"
          if (size_t at = sdk->find("for "); at != std::string::npos) {
            attrs_.str("telemetry.sdk.language", sdk->substr(at + 4));
          }
        }
      }
    }
    if (const std::string* origin = stringMember(seg, "origin")) {
      std::string_view platform = platformOf(*origin);
      if (!platform.empty()) attrs_.str("cloud.platform", platform);
    }
    if (const json* service = member(seg, "service"); service != nullptr && service->is_object()) {
      attrs_.optStr(*service, "version", "service.version");
    }
    attrs_.optStr(seg, "resource_arn", "aws.xray.resource_arn");
    return attrs_.finish();
  }

 private:
  Status fill(const json& seg, std::string_view trace_id, std::string_view parent_id,
              bool is_subsegment, model::Span& span) {
    const std::string* name = stringMember(seg, "name");
    const std::string* id = stringMember(seg, "id");
    const json* start = member(seg, "start_time");
    if (name == nullptr) return invalidArgument("segment \"name\" is missing");
    if (id == nullptr) return invalidArgument("segment \"id\" is missing");
    if (start == nullptr || !start->is_number()) {
      return invalidArgument("segment \"start_time\" is missing");
    }
    span.name = arena_.copy(*name);
    if (const std::string* tid = stringMember(seg, "trace_id")) {
      PERISCOPE_RETURN_IF_ERROR(assign(decodeTraceId(*tid, arena_), span.trace_id));
    } else if (!trace_id.empty()) {
      span.trace_id = trace_id;  // embedded subsegments inherit the segment's trace id
    } else {
      return invalidArgument("segment \"trace_id\" is missing");
    }
    PERISCOPE_RETURN_IF_ERROR(assign(decodeSpanId(*id, "id", arena_), span.span_id));
    if (!parent_id.empty()) {
      span.parent_span_id = parent_id;
    } else if (const std::string* pid = stringMember(seg, "parent_id")) {
      PERISCOPE_RETURN_IF_ERROR(
          assign(decodeSpanId(*pid, "parent_id", arena_), span.parent_span_id));
    }

    const json* http = member(seg, "http");
    const json* request = http != nullptr && http->is_object() ? member(*http, "request") : nullptr;
    bool has_client_ip = request != nullptr && request->is_object() &&
                         stringMember(*request, "client_ip") != nullptr;
    // Kind: the collector's order — client_ip → SERVER; a namespace → CLIENT; otherwise
    // INTERNAL; and every segment (not a subsegment) is SERVER.
    auto kind = has_client_ip ? model::SpanKind::kServer : model::SpanKind::kUnspecified;
    if (const std::string* ns = stringMember(seg, "namespace")) {
      kind = model::SpanKind::kClient;
      if (*ns == "aws") {
        attrs_.str("aws.service", *name);
      } else if (*ns != "remote") {
        return invalidArgument("unexpected namespace \"" + *ns + "\"");
      }
    } else if (kind == model::SpanKind::kUnspecified) {
      kind = model::SpanKind::kInternal;
    }
    if (!is_subsegment) kind = model::SpanKind::kServer;
    span.kind = static_cast<int32_t>(kind);

    span.start_time_unix_nano = epochSecondsToNanos(start->get<double>());
    const json* end = member(seg, "end_time");
    // In-progress documents have no end_time: zero duration (the collector leaves 0).
    span.end_time_unix_nano = end != nullptr && end->is_number()
                                  ? epochSecondsToNanos(end->get<double>())
                                  : span.start_time_unix_nano;
    attrs_.optBool(seg, "in_progress", "aws.xray.inprogress");
    attrs_.optStr(seg, "user", "enduser.id");

    addHttp(http, request, span);
    addCause(seg, span);
    addFlags(seg, span);
    if (const json* aws = member(seg, "aws"); aws != nullptr && aws->is_object()) {
      attrs_.optStr(*aws, "account_id", "aws.account_id");
      attrs_.optStr(*aws, "operation", "aws.operation");
      attrs_.optStr(*aws, "region", "aws.region");
      attrs_.optStr(*aws, "request_id", "aws.request_id");
      attrs_.optStr(*aws, "queue_url", "aws.queue_url");
      attrs_.optStr(*aws, "table_name", "aws.table_name");
      attrs_.optInt(*aws, "retries", "aws.xray.retries");
    }
    PERISCOPE_RETURN_IF_ERROR(addSql(seg));
    attrs_.optBool(seg, "traced", "aws.xray.traced");
    addPrecursors(seg);
    addAnnotations(seg);
    addMetadata(seg);
    span.attributes = attrs_.finish();
    return Status::ok();
  }

  void addHttp(const json* http, const json* request, model::Span& span) {
    if (http == nullptr || !http->is_object()) return;
    if (request != nullptr && request->is_object()) {
      attrs_.optStr(*request, "method", "http.method");
      attrs_.optStr(*request, "client_ip", "http.client_ip");
      attrs_.optStr(*request, "user_agent", "http.user_agent");
      attrs_.optStr(*request, "url", "http.url");
      attrs_.optBool(*request, "x_forwarded_for", "aws.xray.x_forwarded_for");
    }
    const json* response = member(*http, "response");
    if (response == nullptr || !response->is_object()) return;
    if (const json* status = member(*response, "status");
        status != nullptr && status->is_number()) {
      int64_t code = status->get<int64_t>();
      if (code >= 400) setError(span);  // the collector's StatusCodeFromHTTP
      attrs_.integer("http.status_code", code);
    }
    attrs_.optInt(*response, "content_length", "http.response_content_length");
  }

  void setError(model::Span& span) {
    span.has_status = true;
    span.status.code = model::StatusCode::kError;
    span.status_code_raw = static_cast<int32_t>(model::StatusCode::kError);
  }

  void addFlags(const json& seg, model::Span& span) {
    bool flagged = false;
    for (const char* flag : {"error", "fault", "throttle"}) {
      if (const json* v = member(seg, flag); v != nullptr && v->is_boolean() && v->get<bool>()) {
        flagged = true;
      }
    }
    if (flagged) setError(span);
  }

  void addCause(const json& seg, model::Span& span) {
    const json* cause = member(seg, "cause");
    if (cause == nullptr) return;
    setError(span);
    if (cause->is_string()) {  // a 16-hex exception id recorded elsewhere
      span.status.message = arena_.copy(cause->get_ref<const std::string&>());
      return;
    }
    if (!cause->is_object()) return;
    const json* exceptions = member(*cause, "exceptions");
    if (exceptions == nullptr || !exceptions->is_array() || exceptions->empty()) return;
    auto events = arena_.allocArray<model::SpanEvent>(exceptions->size());
    AttributeBuilder ev_attrs(arena_);  // the span's own list is still being built
    size_t n = 0;
    for (const json& ex : *exceptions) {
      if (!ex.is_object()) continue;
      model::SpanEvent& ev = events[n++];
      ev.name = "exception";
      ev.time_unix_nano = span.start_time_unix_nano;
      ev_attrs.optStr(ex, "id", "aws.xray.exception.id");
      ev_attrs.optStr(ex, "message", "exception.message");
      ev_attrs.optStr(ex, "type", "exception.type");
      ev_attrs.optBool(ex, "remote", "aws.xray.exception.remote");
      ev_attrs.optInt(ex, "truncated", "aws.xray.exception.truncated");
      ev_attrs.optInt(ex, "skipped", "aws.xray.exception.skipped");
      ev_attrs.optStr(ex, "cause", "aws.xray.exception.cause");
      if (const json* stack = member(ex, "stack");
          stack != nullptr && stack->is_array() && !stack->empty()) {
        ev_attrs.str("exception.stacktrace", stackTrace(ex, *stack));
      }
      ev.attributes = ev_attrs.finish();
      if (span.status.message.empty()) {
        if (const std::string* m = stringMember(ex, "message")) {
          span.status.message = arena_.copy(*m);
        }
      }
    }
    span.events = events.first(n);
  }

  // "<type>: <message>\n\tat <label>(<path>: <line>)\n…", the collector's rendering.
  static std::string stackTrace(const json& ex, const json& stack) {
    auto text = [](const json& obj, const char* field) {
      const std::string* s = stringMember(obj, field);
      return s != nullptr ? *s : std::string();
    };
    std::string out = text(ex, "type") + ": " + text(ex, "message") + "\n";
    for (const json& frame : stack) {
      if (!frame.is_object()) continue;
      const json* line = member(frame, "line");
      out += "\tat " + text(frame, "label") + "(" + text(frame, "path") + ": " +
             (line != nullptr && line->is_number() ? std::to_string(line->get<int64_t>())
                                                   : std::string("<unknown>")) +
             ")\n";
    }
    return out;
  }

  Status addSql(const json& seg) {
    const json* sql = member(seg, "sql");
    if (sql == nullptr || !sql->is_object()) return Status::ok();
    if (const std::string* url = stringMember(*sql, "url")) {
      // protocol+transport://host:port/dbName?queryParam
      static const RE2 re(R"(^(.+//.+)/([^?]+)\??.*$)");
      std::string base, db;
      if (!RE2::FullMatch(*url, re, &base, &db)) {
        return invalidArgument("sql.url \"" + *url + "\" has no database name");
      }
      attrs_.str("db.connection_string", base);
      attrs_.str("db.name", db);
    }
    attrs_.optStr(*sql, "database_type", "db.system");
    attrs_.optStr(*sql, "sanitized_query", "db.statement");
    attrs_.optStr(*sql, "user", "db.user");
    return Status::ok();
  }

  void addPrecursors(const json& seg) {
    const json* ids = member(seg, "precursor_ids");
    if (ids == nullptr || !ids->is_array() || ids->empty()) return;
    auto values = arena_.allocArray<model::AnyValue>(ids->size());
    size_t n = 0;
    for (const json& id : *ids) {
      if (id.is_string()) values[n++] = model::AnyValue::string(arena_.copy(id.get<std::string>()));
    }
    attrs_.value("aws.xray.precursor_ids", model::AnyValue::array(values.first(n)));
  }

  void addAnnotations(const json& seg) {
    const json* annotations = member(seg, "annotations");
    if (annotations == nullptr || !annotations->is_object() || annotations->empty()) return;
    auto keys = arena_.allocArray<model::AnyValue>(annotations->size());
    size_t n = 0;
    for (const auto& [k, v] : annotations->items()) {
      std::string_view key = attrs_.ownKey(k);
      keys[n++] = model::AnyValue::string(key);
      if (v.is_string()) {
        attrs_.str(key, v.get_ref<const std::string&>());
      } else if (v.is_boolean()) {
        attrs_.boolean(key, v.get<bool>());
      } else if (v.is_number_integer()) {
        attrs_.integer(key, v.get<int64_t>());
      } else if (v.is_number_float()) {
        attrs_.dbl(key, v.get<double>());
      }
    }
    attrs_.value("aws.xray.annotations", model::AnyValue::array(keys.first(n)));
  }

  void addMetadata(const json& seg) {
    const json* metadata = member(seg, "metadata");
    if (metadata == nullptr || !metadata->is_object()) return;
    for (const auto& [ns, v] : metadata->items()) {
      attrs_.str(attrs_.ownKey("aws.xray.metadata." + ns), v.dump());
    }
  }

  Arena& arena_;
  std::span<model::Span> spans_;
  size_t next_ = 0;
  AttributeBuilder attrs_;
};

}  // namespace

TranslatedDocument translateSegment(std::string_view document, model::Traces& out) {
  json seg = json::parse(document, nullptr, /*allow_exceptions=*/false);
  if (seg.is_discarded() || !seg.is_object()) {
    return {invalidArgument("segment document is not a JSON object"), 1};
  }
  const size_t count = countSegments(seg);
  const std::string* type = stringMember(seg, "type");
  bool is_subsegment =
      member(seg, "parent_id") != nullptr && type != nullptr && *type == "subsegment";
  if (stringMember(seg, "trace_id") == nullptr) {
    return {invalidArgument("segment \"trace_id\" is missing"), count};
  }
  Arena& arena = out.arena();
  auto spans = arena.allocArray<model::Span>(count);
  Translator translator(out, spans);
  if (Status st = translator.walk(seg, {}, {}, is_subsegment); !st.isOk()) return {st, count};
  auto scopes = arena.allocArray<model::ScopeSpans>(1);
  scopes[0].spans = spans;
  model::ResourceSpans rs;
  rs.has_resource = true;
  rs.resource.attributes = translator.resource(seg);
  rs.scope_spans = scopes;
  out.resources().push_back(rs);
  return {Status::ok(), count};
}

}  // namespace periscope::components::awsxray_receiver
