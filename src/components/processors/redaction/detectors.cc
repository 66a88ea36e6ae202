#include "components/processors/redaction/detectors.h"

#include <array>

namespace periscope::components::redaction {
namespace {

bool isDigit(char c) {
  return c >= '0' && c <= '9';
}
bool isAlnum(char c) {
  return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool acceptCard(std::string_view text, size_t begin, size_t end) {
  return luhnValid(text.substr(begin, end - begin));
}

// "1.2.3.4.5" and "10.0.0.1.2" are version strings, not addresses: no dotted digits around.
bool acceptIpv4(std::string_view text, size_t begin, size_t end) {
  if (begin >= 2 && text[begin - 1] == '.' && isDigit(text[begin - 2])) return false;
  if (end + 1 < text.size() && text[end] == '.' && isDigit(text[end + 1])) return false;
  return true;
}

// Rejects C++ "std::vector"-like tokens: an address is not glued to letters, digits or colons,
// and has at least one decimal digit ("a::b" is not masked, "fe80::1" is).
bool acceptIpv6(std::string_view text, size_t begin, size_t end) {
  auto glued = [](char c) { return isAlnum(c) || c == ':' || c == '_' || c == '.'; };
  if (begin > 0 && glued(text[begin - 1])) return false;
  if (end < text.size() && glued(text[end])) return false;
  for (size_t i = begin; i < end; ++i) {
    if (isDigit(text[i])) return true;
  }
  return false;
}

// "bearer of bad news" is prose: a token has at least 8 characters and is not a lowercase word.
bool acceptBearer(std::string_view text, size_t begin, size_t end) {
  if (end - begin < 8) return false;
  for (size_t i = begin; i < end; ++i) {
    char c = text[i];
    if (!(c >= 'a' && c <= 'z')) return true;
  }
  return false;
}

// Card numbers: 13-19 digits starting 2-6 (the issuer ranges of Visa, Mastercard, Amex, Discover,
// JCB, Diners, UnionPay; 1, 7, 8, 9 are airline/oil/telecom/national ranges and make epoch
// timestamps look like cards), contiguous or in groups of 4 (or Amex's 4-6-5).
constexpr std::string_view kCard =
    R"(\b(?:[2-6]\d{12,18}|[2-6]\d{3}[ -]\d{4}[ -]\d{4}[ -]\d{1,7}|3\d{3}[ -]\d{6}[ -]\d{4,5})\b)";
constexpr std::string_view kEmail =
    R"(\b[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}\b)";
constexpr std::string_view kAwsKeyId = R"(\b(?:AKIA|ASIA)[A-Z0-9]{16}\b)";
// A 40-character secret right after a name saying so: aws_secret_access_key=..., "SecretAccessKey":
// "...", secret_key: ... Only the value is masked.
constexpr std::string_view kAwsSecret =
    R"((?i:secret_?access_?key|aws_?secret(?:_?key)?|secret_?key)["']?\s*[:=]\s*["']?([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$))";
constexpr std::string_view kJwt = R"(\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)";
constexpr std::string_view kBearer = R"(\b[Bb]earer\s+([A-Za-z0-9._~+/-]+=*))";
constexpr std::string_view kIpv4 =
    R"(\b(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\b)";
// RFC 4291 text forms: full, "::"-compressed, and with an embedded IPv4 tail.
constexpr std::string_view kIpv6 =
    R"((?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4})"
    R"(|(?:[0-9A-Fa-f]{1,4}:){1,7}:)"
    R"(|(?:[0-9A-Fa-f]{1,4}:){1,6}:[0-9A-Fa-f]{1,4})"
    R"(|(?:[0-9A-Fa-f]{1,4}:){1,5}(?::[0-9A-Fa-f]{1,4}){1,2})"
    R"(|(?:[0-9A-Fa-f]{1,4}:){1,4}(?::[0-9A-Fa-f]{1,4}){1,3})"
    R"(|(?:[0-9A-Fa-f]{1,4}:){1,3}(?::[0-9A-Fa-f]{1,4}){1,4})"
    R"(|(?:[0-9A-Fa-f]{1,4}:){1,2}(?::[0-9A-Fa-f]{1,4}){1,5})"
    R"(|[0-9A-Fa-f]{1,4}:(?::[0-9A-Fa-f]{1,4}){1,6})"
    R"(|:(?::[0-9A-Fa-f]{1,4}){1,7})"
    R"(|(?:[0-9A-Fa-f]{1,4}:){6}(?:\d{1,3}\.){3}\d{1,3})"
    R"(|(?:(?:[0-9A-Fa-f]{1,4}:){1,5}|:):(?:[0-9A-Fa-f]{1,4}:)?(?:\d{1,3}\.){3}\d{1,3}))";

constexpr std::array<Detector, 8> kDetectors{{
    {"credit_card", kCard, 0, acceptCard},
    {"email", kEmail, 0, nullptr},
    {"aws_access_key_id", kAwsKeyId, 0, nullptr},
    {"aws_secret_access_key", kAwsSecret, 1, nullptr},
    {"jwt", kJwt, 0, nullptr},
    {"bearer_token", kBearer, 1, acceptBearer},
    {"ipv4", kIpv4, 0, acceptIpv4},
    {"ipv6", kIpv6, 0, acceptIpv6},
}};

}  // namespace

std::span<const Detector> builtinDetectors() {
  return kDetectors;
}

const Detector* findDetector(std::string_view name) {
  for (const Detector& d : kDetectors) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

std::string detectorNames() {
  std::string out;
  for (const Detector& d : kDetectors) {
    if (!out.empty()) out += ", ";
    out += d.name;
  }
  return out;
}

bool luhnValid(std::string_view s) {
  int sum = 0;
  int digits = 0;
  for (size_t i = s.size(); i-- > 0;) {
    if (!isDigit(s[i])) continue;
    int d = s[i] - '0';
    if (digits % 2 == 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    ++digits;
  }
  return digits > 0 && sum % 10 == 0;
}

bool isSecretKeyName(std::string_view key) {
  constexpr std::string_view kSecret = "secret";
  if (key.size() < kSecret.size()) return false;
  for (size_t i = 0; i + kSecret.size() <= key.size(); ++i) {
    size_t j = 0;
    while (j < kSecret.size() && lower(key[i + j]) == kSecret[j]) ++j;
    if (j == kSecret.size()) return true;
  }
  return false;
}

bool looksLikeAwsSecret(std::string_view value) {
  if (value.size() != 40) return false;
  for (char c : value) {
    if (!isAlnum(c) && c != '/' && c != '+') return false;
  }
  return true;
}

}  // namespace periscope::components::redaction
