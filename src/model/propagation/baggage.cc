#include "model/propagation/baggage.h"

#include <algorithm>
#include <cstring>

#include "common/ows.h"
#include "common/percent_decoding.h"
#include "model/propagation/list_members.h"

namespace periscope::model::propagation {
namespace {

// tchar per RFC 7230.
bool isTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return c != '\0' && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}
bool isToken(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), isTokenChar);
}
// baggage-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E: printable ASCII except space,
// DQUOTE, ",", ";" and "\".
bool isBaggageOctet(char c) {
  return c >= 0x21 && c <= 0x7e && c != '"' && c != ',' && c != ';' && c != '\\';
}

std::optional<std::string> decodeValue(std::string_view v) {
  std::string out;
  if (!std::all_of(v.begin(), v.end(), isBaggageOctet) || !percentDecode(v, out)) {
    return std::nullopt;
  }
  return out;
}

void percentEncode(std::string_view v, std::string& out) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  for (char c : v) {
    if (isBaggageOctet(c) && c != '%') {
      out += c;
    } else {
      auto b = static_cast<unsigned char>(c);
      out += '%';
      out += kDigits[b >> 4];
      out += kDigits[b & 15];
    }
  }
}

// property = key OWS "=" OWS value / key OWS; returns the canonical form (no whitespace).
std::optional<std::string> normalizeProperty(std::string_view p) {
  p = trimOws(p);
  size_t eq = p.find('=');
  if (eq == std::string_view::npos) {
    if (!isToken(p)) return std::nullopt;
    return std::string(p);
  }
  std::string_view key = trimOws(p.substr(0, eq)), value = trimOws(p.substr(eq + 1));
  if (!isToken(key) || !std::all_of(value.begin(), value.end(), isBaggageOctet)) {
    return std::nullopt;
  }
  return std::string(key) + "=" + std::string(value);
}

}  // namespace

Result<Baggage> Baggage::parse(std::string_view header) {
  if (header.size() > kBaggageMaxBytes) {
    return invalidArgument("baggage header is " + std::to_string(header.size()) +
                           " bytes, more than " + std::to_string(kBaggageMaxBytes));
  }
  Baggage b;
  Status status = forEachListMember(header, [&](std::string_view member, size_t index) {
    auto fail = [&](std::string_view why) {
      return invalidArgument("baggage member " + std::to_string(index) + " \"" +
                             std::string(member.substr(0, 64)) + "\": " + std::string(why));
    };
    if (member.empty()) return fail("empty list-member");
    if (member.size() > kBaggageMaxMemberBytes) return fail("longer than 4096 bytes");
    size_t semi = member.find(';');
    std::string_view pair = member.substr(0, semi);
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos) return fail("no '='");
    std::string_view key = trimOws(pair.substr(0, eq));
    if (!isToken(key)) return fail("key is not a token");
    std::optional<std::string> value = decodeValue(trimOws(pair.substr(eq + 1)));
    if (!value) return fail("invalid value or percent-escape");
    BaggageMember m{std::string(key), std::move(*value), {}};
    std::string_view rest =
        semi == std::string_view::npos ? std::string_view{} : member.substr(semi + 1);
    while (semi != std::string_view::npos) {
      semi = rest.find(';');
      std::optional<std::string> prop = normalizeProperty(rest.substr(0, semi));
      if (!prop) return fail("invalid property");
      m.properties.push_back(std::move(*prop));
      if (semi != std::string_view::npos) rest = rest.substr(semi + 1);
    }
    auto same = std::find_if(b.members_.begin(), b.members_.end(),
                             [&](const BaggageMember& o) { return o.key == m.key; });
    if (same != b.members_.end()) {
      *same = std::move(m);
      return Status::ok();
    }
    if (b.members_.size() == kBaggageMaxMembers) return fail("more than 180 list-members");
    b.members_.push_back(std::move(m));
    return Status::ok();
  });
  if (!status.isOk()) return status;
  return b;
}

std::optional<std::string_view> Baggage::get(std::string_view key) const {
  for (const BaggageMember& m : members_) {
    if (m.key == key) return m.value;
  }
  return std::nullopt;
}

Status Baggage::put(std::string_view key, std::string_view value,
                    std::vector<std::string> properties) {
  if (!isToken(key)) return invalidArgument("baggage key \"" + std::string(key) + "\" is invalid");
  for (std::string& p : properties) {
    std::optional<std::string> norm = normalizeProperty(p);
    if (!norm) {
      return invalidArgument("baggage property \"" + p + "\" of key \"" + std::string(key) +
                             "\" is invalid");
    }
    p = std::move(*norm);
  }
  BaggageMember m{std::string(key), std::string(value), std::move(properties)};
  for (BaggageMember& o : members_) {
    if (o.key == key) {
      o = std::move(m);
      return Status::ok();
    }
  }
  members_.push_back(std::move(m));
  return Status::ok();
}

void Baggage::erase(std::string_view key) {
  std::erase_if(members_, [&](const BaggageMember& m) { return m.key == key; });
}

std::string Baggage::format() const {
  std::string out, member;
  size_t written = 0;
  for (const BaggageMember& m : members_) {
    if (written == kBaggageMaxMembers) break;
    member = m.key;
    member += '=';
    percentEncode(m.value, member);
    for (const std::string& p : m.properties) {
      member += ';';
      member += p;
    }
    if (member.size() > kBaggageMaxMemberBytes) continue;
    if (out.size() + (out.empty() ? 0 : 1) + member.size() > kBaggageMaxBytes) continue;
    if (!out.empty()) out += ',';
    out += member;
    ++written;
  }
  return out;
}

}  // namespace periscope::model::propagation
