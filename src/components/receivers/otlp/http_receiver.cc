#include "components/receivers/otlp/http_receiver.h"

#include <algorithm>

#include "common/compression.h"
#include "components/receivers/otlp/export_handler.h"
#include "model/otlp/json_encoder.h"
#include "model/otlp/proto_encoder.h"

namespace periscope::components::otlp_receiver {
namespace {

int httpStatusFor(const Status& st) {
  switch (st.code()) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
    case StatusCode::kFailedPrecondition:
      return 400;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kUnimplemented:
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kResourceExhausted:
      return 429;
    default:
      return st.isRetryable() ? 503 : 500;
  }
}

std::string_view mediaType(std::string_view content_type) {
  auto semi = content_type.find(';');
  auto t = content_type.substr(0, semi);
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  return t;
}

http::Response errorResponse(int status, const Status& st, bool json) {
  http::Response r;
  r.status = status;
  if (json) {
    r.body = model::otlp::encodeRpcStatusJson(static_cast<int32_t>(st.code()), st.message());
    r.setHeader("Content-Type", "application/json");
  } else {
    r.body = model::otlp::encodeRpcStatus(static_cast<int32_t>(st.code()), st.message(),
                                          st.retryAfterSeconds());
    r.setHeader("Content-Type", "application/x-protobuf");
  }
  return r;
}

}  // namespace

bool globMatch(std::string_view pattern, std::string_view text) {
  // Greedy matching with one backtrack point: linear in practice, never exponential, since the
  // text (an Origin header) is controlled by the client.
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

HttpReceiver::HttpReceiver(const HttpServerConfig& config, const pipeline::Consumers& next,
                           const component::ComponentId& id)
    : config_(config), next_(next), obs_(id, "http") {}

HttpReceiver::~HttpReceiver() {
  shutdown(std::chrono::steady_clock::now());
}

Status HttpReceiver::start() {
  http::ServerOptions opts;
  opts.endpoint = config_.endpoint;
  // The raw body may not exceed the decompressed limit either; decompression re-checks.
  opts.max_body_bytes = static_cast<size_t>(config_.max_request_body_size);
  opts.read_header_timeout =
      std::chrono::duration_cast<std::chrono::milliseconds>(config_.read_header_timeout);
  opts.idle_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(config_.idle_timeout);
  opts.name = "otlp-http";
  auto server = http::Server::start(opts, [this](http::Request&& req, http::Respond respond) {
    handle(std::move(req), std::move(respond));
  });
  if (!server.isOk()) return server.status();
  server_ = std::move(server).value();
  return Status::ok();
}

void HttpReceiver::shutdown(std::chrono::steady_clock::time_point deadline) {
  if (!server_) return;
  server_->drain(deadline);
  server_->stop();
  server_.reset();
}

bool HttpReceiver::originAllowed(std::string_view origin) const {
  return std::any_of(config_.cors.allowed_origins.begin(), config_.cors.allowed_origins.end(),
                     [&](const std::string& p) { return globMatch(p, origin); });
}

void HttpReceiver::handle(http::Request&& req, http::Respond respond_plain) {
  // Every answer to an allowed browser origin carries the CORS headers, errors included, so
  // that a browser client can read why it was refused.
  std::string origin(req.header("origin"));
  http::Respond respond = [this, origin,
                           respond_plain = std::move(respond_plain)](http::Response r) {
    if (!origin.empty() && originAllowed(origin)) {
      bool has = false;
      for (const auto& [k, v] : r.headers) has = has || k == "Access-Control-Allow-Origin";
      if (!has) {
        r.setHeader("Access-Control-Allow-Origin", origin);
        r.setHeader("Vary", "Origin");
      }
    }
    respond_plain(std::move(r));
  };
  enum class Target { kTraces, kMetrics, kLogs, kNone };
  Target target = req.path == config_.traces_url_path    ? Target::kTraces
                  : req.path == config_.metrics_url_path ? Target::kMetrics
                  : req.path == config_.logs_url_path    ? Target::kLogs
                                                         : Target::kNone;
  if (target == Target::kNone) {
    respond(http::Response::text(404, "404 page not found\n"));
    return;
  }
  if (req.method == "OPTIONS") {  // CORS preflight
    http::Response r;
    r.status = 204;
    std::string_view origin = req.header("origin");
    if (!origin.empty() && originAllowed(origin)) {
      r.setHeader("Access-Control-Allow-Origin", std::string(origin));
      r.setHeader("Access-Control-Allow-Methods", "POST");
      std::string headers = "Content-Type, Content-Encoding";
      for (const auto& h : config_.cors.allowed_headers) headers += ", " + h;
      r.setHeader("Access-Control-Allow-Headers", headers);
      if (config_.cors.max_age > 0)
        r.setHeader("Access-Control-Max-Age", std::to_string(config_.cors.max_age));
      r.setHeader("Vary", "Origin");
    }
    respond(std::move(r));
    return;
  }
  if (req.method != "POST") {
    http::Response r =
        http::Response::text(405, req.method + " method not allowed, supported: [POST]\n");
    r.setHeader("Allow", "POST");
    respond(std::move(r));
    return;
  }
  std::string_view type = mediaType(req.header("content-type"));
  WireFormat format;
  if (type == "application/x-protobuf" || type == "application/protobuf") {
    format = WireFormat::kProtobuf;
  } else if (type == "application/json") {
    format = WireFormat::kJson;
  } else {
    respond(http::Response::text(
        415,
        "415 unsupported media type, supported: [application/json, application/x-protobuf]\n"));
    return;
  }
  bool json = format == WireFormat::kJson;

  std::string enc_name(req.header("content-encoding"));
  for (char& c : enc_name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  compression::Encoding enc;
  bool allowed = compression::parseEncoding(enc_name, enc) &&
                 std::any_of(config_.compression_algorithms.begin(),
                             config_.compression_algorithms.end(), [&](const std::string& a) {
                               compression::Encoding e;
                               return compression::parseEncoding(a, e) && e == enc;
                             });
  if (!allowed) {
    respond(errorResponse(
        400, invalidArgument("unsupported Content-Encoding \"" + std::string(enc_name) + "\""),
        json));
    return;
  }
  std::string body;
  if (enc == compression::Encoding::kIdentity) {
    body = std::move(req.body);
  } else {
    auto d =
        compression::decompress(enc, req.body, static_cast<size_t>(config_.max_request_body_size));
    if (!d.isOk()) {
      StatusCode c = d.status().code();
      int code = c == StatusCode::kResourceExhausted ? 413
                 : c == StatusCode::kInvalidArgument ? 400
                                                     : 500;
      respond(errorResponse(code, d.status(), json));
      return;
    }
    body = std::move(d).value();
    req.body = std::string();
  }

  const char* signal = target == Target::kTraces    ? "traces"
                       : target == Target::kMetrics ? "metrics"
                                                    : "logs";
  auto reply = [json, signal, respond = std::move(respond)](ExportResult r) {
    http::Response resp;
    if (!r.status.isOk()) {
      resp = errorResponse(httpStatusFor(r.status), r.status, json);
      if (r.status.isRetryable() || r.status.code() == StatusCode::kResourceExhausted) {
        int after = r.status.retryAfterSeconds();
        resp.setHeader("Retry-After", std::to_string(after > 0 ? after : 1));
      }
    } else if (json) {
      resp.body = model::otlp::encodeExportResponseJson(signal, r.rejected, r.message);
      resp.setHeader("Content-Type", "application/json");
    } else {
      resp.body = model::otlp::encodeExportResponse(r.rejected, r.message);
      resp.setHeader("Content-Type", "application/x-protobuf");
    }
    respond(std::move(resp));
  };
  switch (target) {
    case Target::kTraces:
      handleExport(std::move(body), format, next_.traces, obs_, std::move(reply));
      break;
    case Target::kMetrics:
      handleExport(std::move(body), format, next_.metrics, obs_, std::move(reply));
      break;
    case Target::kLogs:
      handleExport(std::move(body), format, next_.logs, obs_, std::move(reply));
      break;
    case Target::kNone:
      break;
  }
}

}  // namespace periscope::components::otlp_receiver
