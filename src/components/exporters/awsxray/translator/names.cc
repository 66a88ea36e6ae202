#include "components/exporters/awsxray/translator/names.h"

namespace periscope::components::awsxray_exporter::translator {

namespace {

constexpr size_t kMaxNameLength = 200;

bool allowedNameChar(unsigned char c) {
  if (c >= 0x80) return true;  // UTF-8 letters (\p{L}); X-Ray validates the rest itself
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  switch (c) {
    case ' ':
    case '_':
    case '.':
    case ':':
    case '/':
    case '%':
    case '&':
    case '#':
    case '=':
    case '+':
    case '-':
    case '@':
      return true;
    default:
      return false;
  }
}

std::string stripAwsPrefix(std::string s) {
  for (std::string_view p : {"AWS.SDK.", "AWS::"}) {
    if (s.rfind(p, 0) == 0) return s.substr(p.size());
  }
  return s;
}

}  // namespace

std::string sanitizeSegmentName(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (unsigned char c : name) {
    if (allowedNameChar(c)) out.push_back(static_cast<char>(c));
  }
  if (out.size() > kMaxNameLength) {
    size_t cut = kMaxNameLength;
    // never split a UTF-8 sequence
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xc0) == 0x80) --cut;
    out.resize(cut);
  }
  return out.empty() ? "span" : out;
}

std::string connectionStringHost(std::string_view cs) {
  if (cs.rfind("jdbc:", 0) == 0) cs.remove_prefix(5);
  auto scheme = cs.find("://");
  if (scheme == std::string_view::npos) return {};
  cs.remove_prefix(scheme + 3);
  if (auto at = cs.find('@'); at != std::string_view::npos) cs.remove_prefix(at + 1);
  auto end = cs.find_first_of(":/?;");
  return std::string(cs.substr(0, end));
}

std::string segmentName(const SpanContext& ctx) {
  const auto kind = ctx.kind();
  const bool server = kind == model::SpanKind::kServer;
  const bool outgoing = kind == model::SpanKind::kClient || kind == model::SpanKind::kProducer ||
                        kind == model::SpanKind::kConsumer;
  std::optional<std::string> name;
  if (server) name = ctx.str({"aws.local.service"});
  if (!name && outgoing) {
    name = ctx.str({"aws.remote.service"});
    if (name && ctx.str({"rpc.system"}) == "aws-api") name = stripAwsPrefix(*name);
  }
  if (!name) name = ctx.str({"peer.service"});
  if (!name) name = ctx.str({"aws.service"});
  if (!name) {
    if (auto db = ctx.str({"db.name", "db.namespace"})) {
      name = *db;
      if (auto cs = ctx.str({"db.connection_string"})) {
        auto host = connectionStringHost(*cs);
        if (!host.empty()) *name += "@" + host;
      }
    }
  }
  if (!name && server) name = ctx.resourceStr("service.name");
  if (!name) name = ctx.str({"rpc.service"});
  if (!name) name = ctx.str({"http.host"});
  if (!name) name = ctx.str({"net.peer.name"});
  if (!name) name = std::string(ctx.span().name);
  return sanitizeSegmentName(*name);
}

}  // namespace periscope::components::awsxray_exporter::translator
