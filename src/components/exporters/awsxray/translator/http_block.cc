#include "components/exporters/awsxray/translator/http_block.h"

namespace periscope::components::awsxray_exporter::translator {

namespace {

std::string hostWithPort(const std::string& host, std::optional<int64_t> port) {
  if (!port || *port == 80 || *port == 443) return host;
  return host + ":" + std::to_string(*port);
}

std::optional<std::string> buildUrl(const SpanContext& ctx) {
  if (auto url = ctx.take({"http.url", "url.full"})) return url;
  auto scheme = ctx.take({"http.scheme", "url.scheme"});
  auto target = ctx.take({"http.target"});
  if (!target) {
    if (auto path = ctx.take({"url.path"})) {
      target = *path;
      if (auto query = ctx.take({"url.query"})) *target += "?" + *query;
    }
  }
  std::optional<std::string> host = ctx.take({"http.host"});
  if (!host) {
    if (ctx.kind() == model::SpanKind::kServer) {
      auto name = ctx.take({"http.server_name", "net.host.name", "server.address"});
      if (!name) name = ctx.resourceStr("host.name");
      if (name) host = hostWithPort(*name, ctx.takeInt({"net.host.port", "server.port"}));
    } else {
      auto name = ctx.take({"net.peer.name", "server.address", "net.peer.ip"});
      if (name) host = hostWithPort(*name, ctx.takeInt({"net.peer.port", "server.port"}));
    }
  }
  if (!host) return std::nullopt;
  return scheme.value_or("http") + "://" + *host + target.value_or("");
}

// The payload size of a `message.type=RECEIVED` event (gRPC instrumentations).
std::optional<int64_t> receivedContentLength(const SpanContext& ctx) {
  for (const auto& event : ctx.span().events) {
    const auto* type = model::findAttribute(event.attributes, "message.type");
    if (type == nullptr || type->str() != "RECEIVED") continue;
    for (std::string_view key :
         {"message.uncompressed_size", "messaging.message.payload_size_bytes",
          "message.compressed_size"}) {
      const auto* size = model::findAttribute(event.attributes, key);
      if (size != nullptr && size->type() == model::AnyValue::Type::kInt) return size->intValue();
    }
  }
  return std::nullopt;
}

}  // namespace

nlohmann::json httpBlock(const SpanContext& ctx) {
  nlohmann::json request = nlohmann::json::object();
  nlohmann::json response = nlohmann::json::object();
  if (auto m = ctx.take({"http.method", "http.request.method"})) request["method"] = *m;
  if (auto ip = ctx.take({"http.client_ip", "client.address"})) {
    request["client_ip"] = *ip;
    request["x_forwarded_for"] = true;
  } else if (auto peer = ctx.take({"net.peer.ip", "net.sock.peer.addr", "network.peer.address"})) {
    request["client_ip"] = *peer;
  }
  if (auto ua = ctx.take({"http.user_agent", "user_agent.original"})) request["user_agent"] = *ua;
  if (auto status = ctx.takeInt({"http.status_code", "http.response.status_code"})) {
    response["status"] = *status;
  }
  if (auto len = ctx.takeInt({"http.response_content_length", "http.response.body.size"})) {
    response["content_length"] = *len;
  } else if (auto received = receivedContentLength(ctx)) {
    response["content_length"] = *received;
  }
  // A URL alone (net.peer.name on a database span) is no reason for an http block.
  const bool explicit_url = ctx.attr({"http.url", "url.full"}) != nullptr;
  if (request.empty() && response.empty() && !explicit_url) return nullptr;
  if (auto url = buildUrl(ctx)) request["url"] = *url;
  nlohmann::json out = nlohmann::json::object();
  if (!request.empty()) out["request"] = std::move(request);
  if (!response.empty()) out["response"] = std::move(response);
  return out;
}

}  // namespace periscope::components::awsxray_exporter::translator
