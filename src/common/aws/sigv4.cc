#include "common/aws/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <ctime>
#include <map>

#include "common/digest.h"
#include "common/hex.h"

namespace periscope::aws {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
constexpr std::chrono::seconds kMaxPresignExpiry = std::chrono::hours(24 * 7);

struct ParsedUrl {
  std::string host;  // with the port unless it is the scheme's default
  std::string path;
  std::string query;
};

Result<ParsedUrl> parseUrl(std::string_view url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos)
    return invalidArgument("SigV4: URL without scheme: " + std::string(url));
  std::string_view scheme = url.substr(0, scheme_end);
  std::string_view rest = url.substr(scheme_end + 3);
  if (auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  auto path_start = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, path_start);
  if (auto at = authority.rfind('@'); at != std::string_view::npos)
    authority = authority.substr(at + 1);
  if (authority.empty()) return invalidArgument("SigV4: URL without host: " + std::string(url));
  ParsedUrl out;
  out.host = std::string(authority);
  // A default port is not part of the Host header curl sends, so it must not be signed.
  if ((scheme == "https" && authority.ends_with(":443")) ||
      (scheme == "http" && authority.ends_with(":80")))
    out.host.resize(out.host.rfind(':'));
  std::string_view path_and_query =
      path_start == std::string_view::npos ? std::string_view() : rest.substr(path_start);
  auto q = path_and_query.find('?');
  out.path = std::string(path_and_query.substr(0, q));
  if (q != std::string_view::npos) out.query = std::string(path_and_query.substr(q + 1));
  return out;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percentDecode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size() && hexValue(in[i + 1]) >= 0 && hexValue(in[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hexValue(in[i + 1]) * 16 + hexValue(in[i + 2])));
      i += 2;
    } else {
      out.push_back(in[i]);
    }
  }
  return out;
}

// RFC 3986 dot-segment removal plus collapsing of empty segments ("//"), as the SDKs do for
// every service but S3. A trailing slash is kept.
std::string normalizePath(std::string_view path) {
  std::vector<std::string_view> segments;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view segment = path.substr(start, end - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = end + 1;
  }
  std::string out = "/";
  for (size_t i = 0; i < segments.size(); ++i) {
    if (i) out += '/';
    out += segments[i];
  }
  if (!segments.empty() && path.ends_with('/')) out += '/';
  return out;
}

std::string canonicalUri(std::string_view path, std::string_view service) {
  if (path.empty()) return "/";
  // S3 signs the path exactly as sent; every other service normalizes it and encodes it again.
  if (service == "s3") return std::string(path);
  return uriEncode(normalizePath(path), /*keep_slash=*/true);
}

using QueryPairs = std::vector<std::pair<std::string, std::string>>;

// Pairs already encoded the AWS way (unreserved characters kept, everything else %XX).
QueryPairs canonicalQueryPairs(std::string_view query) {
  QueryPairs pairs;
  size_t start = 0;
  while (start < query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    std::string_view part = query.substr(start, end - start);
    if (!part.empty()) {
      auto eq = part.find('=');
      std::string_view key = part.substr(0, eq);
      std::string_view value = eq == std::string_view::npos ? "" : part.substr(eq + 1);
      pairs.emplace_back(uriEncode(percentDecode(key), false),
                         uriEncode(percentDecode(value), false));
    }
    start = end + 1;
  }
  return pairs;
}

std::string joinQuery(QueryPairs pairs) {
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& [key, value] : pairs) {
    if (!out.empty()) out += '&';
    out += key;
    out += '=';
    out += value;
  }
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Trims and collapses runs of spaces/tabs to one space (the suite's get-header-value-trim).
std::string canonicalHeaderValue(std::string_view value) {
  std::string out;
  bool pending_space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

// Headers that proxies or the transport change, or that we set ourselves: never signed.
bool isUnsignedHeader(std::string_view lower_name) {
  return lower_name == "authorization" || lower_name == "user-agent" ||
         lower_name == "x-amzn-trace-id" || lower_name == "expect" ||
         lower_name == "content-length" || lower_name == "transfer-encoding" ||
         lower_name == "connection" || lower_name == "x-amz-date" ||
         lower_name == "x-amz-security-token" || lower_name == "x-amz-content-sha256";
}

struct Canonical {
  std::string request;
  std::string signed_headers;
};

Canonical buildCanonical(std::string_view method, const ParsedUrl& url, std::string_view query,
                         const std::map<std::string, std::string>& headers,
                         std::string_view service, std::string_view payload_hash) {
  Canonical c;
  c.request.append(method).append("\n");
  c.request.append(canonicalUri(url.path, service)).append("\n");
  c.request.append(query).append("\n");
  for (const auto& [name, value] : headers) {
    c.request.append(name).append(":").append(value).append("\n");
    if (!c.signed_headers.empty()) c.signed_headers += ';';
    c.signed_headers += name;
  }
  c.request.append("\n").append(c.signed_headers).append("\n").append(payload_hash);
  return c;
}

std::map<std::string, std::string> headersToSign(const SigningRequest& request,
                                                 const ParsedUrl& url) {
  std::map<std::string, std::string> out;
  for (const auto& [name, value] : request.headers) {
    std::string key = lower(name);
    if (isUnsignedHeader(key)) continue;
    std::string v = canonicalHeaderValue(value);
    auto [it, inserted] = out.emplace(key, v);
    if (!inserted) it->second += "," + v;  // repeated headers: values in order, comma-joined
  }
  out.emplace("host", url.host);
  return out;
}

Status checkCredentials(const Credentials& credentials) {
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty())
    return invalidArgument("SigV4: credentials without access key id or secret access key");
  return Status::ok();
}

std::string credentialScope(std::string_view date, const SigningParams& params) {
  return std::string(date) + "/" + params.region + "/" + params.service + "/aws4_request";
}

std::string stringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request) {
  std::string out(kAlgorithm);
  out.append("\n").append(amz_date).append("\n").append(scope).append("\n");
  out.append(sha256Hex(canonical_request));
  return out;
}

}  // namespace

std::string uriEncode(std::string_view bytes, bool keep_slash) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size());
  for (char ch : bytes) {
    auto c = static_cast<unsigned char>(ch);
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved || (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kDigits[c >> 4];
      out += kDigits[c & 15];
    }
  }
  return out;
}

std::string sha256Hex(std::string_view data) {
  return hexDigest(DigestAlgorithm::kSha256, data);
}

std::string hmacSha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  return std::string(reinterpret_cast<const char*>(out), len);
}

std::string deriveSigningKey(std::string_view secret, std::string_view date,
                             std::string_view region, std::string_view service) {
  std::string k = hmacSha256("AWS4" + std::string(secret), date);
  k = hmacSha256(k, region);
  k = hmacSha256(k, service);
  return hmacSha256(k, "aws4_request");
}

std::string formatAmzDate(std::chrono::system_clock::time_point time) {
  std::time_t t = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[20];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

namespace {
Result<std::chrono::system_clock::time_point> fromFields(int y, int mo, int d, int h, int mi,
                                                         int s) {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
    return invalidArgument("date out of range");
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

bool digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}
}  // namespace

Result<std::chrono::system_clock::time_point> parseAmzDate(std::string_view s) {
  int y, mo, d, h, mi, sec;
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z' || !digits(s, 0, 4, y) ||
      !digits(s, 4, 2, mo) || !digits(s, 6, 2, d) || !digits(s, 9, 2, h) || !digits(s, 11, 2, mi) ||
      !digits(s, 13, 2, sec))
    return invalidArgument("not an X-Amz-Date (YYYYMMDDTHHMMSSZ): " + std::string(s));
  return fromFields(y, mo, d, h, mi, sec);
}

Result<std::chrono::system_clock::time_point> parseIso8601(std::string_view s) {
  int y, mo, d, h, mi, sec;
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') ||
      s[13] != ':' || s[16] != ':' || !digits(s, 0, 4, y) || !digits(s, 5, 2, mo) ||
      !digits(s, 8, 2, d) || !digits(s, 11, 2, h) || !digits(s, 14, 2, mi) ||
      !digits(s, 17, 2, sec))
    return invalidArgument("not an ISO 8601 UTC time: " + std::string(s));
  std::string_view tail = s.substr(19);
  if (!tail.empty() && tail[0] == '.') {
    size_t i = 1;
    while (i < tail.size() && tail[i] >= '0' && tail[i] <= '9') ++i;
    tail = tail.substr(i);
  }
  if (tail != "Z" && tail != "+00:00")
    return invalidArgument("not a UTC time (want ...Z): " + std::string(s));
  return fromFields(y, mo, d, h, mi, sec);
}

Result<SignedRequest> signRequest(const SigningRequest& request, const Credentials& credentials,
                                  const SigningParams& params) {
  PERISCOPE_RETURN_IF_ERROR(checkCredentials(credentials));
  auto url = parseUrl(request.url);
  if (!url.isOk()) return url.status();
  const std::string amz_date = formatAmzDate(params.time);
  const std::string date = amz_date.substr(0, 8);
  const std::string payload_hash =
      params.unsigned_payload ? std::string(kUnsignedPayload) : sha256Hex(request.body);

  auto headers = headersToSign(request, *url);
  SignedRequest out;
  out.url = request.url;
  out.headers_to_add.emplace_back("X-Amz-Date", amz_date);
  headers["x-amz-date"] = amz_date;
  if (params.add_content_sha256_header) {
    headers["x-amz-content-sha256"] = payload_hash;
    out.headers_to_add.emplace_back("X-Amz-Content-Sha256", payload_hash);
  }
  if (!credentials.session_token.empty()) {
    if (params.sign_session_token) headers["x-amz-security-token"] = credentials.session_token;
    out.headers_to_add.emplace_back("X-Amz-Security-Token", credentials.session_token);
  }
  Canonical canonical =
      buildCanonical(request.method, *url, joinQuery(canonicalQueryPairs(url->query)), headers,
                     params.service, payload_hash);
  const std::string scope = credentialScope(date, params);
  out.canonical_request = std::move(canonical.request);
  out.string_to_sign = stringToSign(amz_date, scope, out.canonical_request);
  out.signature = hexEncode(hmacSha256(
      deriveSigningKey(credentials.secret_access_key, date, params.region, params.service),
      out.string_to_sign));
  out.authorization = std::string(kAlgorithm) + " Credential=" + credentials.access_key_id + "/" +
                      scope + ", SignedHeaders=" + canonical.signed_headers +
                      ", Signature=" + out.signature;
  out.headers_to_add.emplace_back("Authorization", out.authorization);
  return out;
}

Result<SignedRequest> presignRequest(const SigningRequest& request, const Credentials& credentials,
                                     const SigningParams& params, std::chrono::seconds expires) {
  PERISCOPE_RETURN_IF_ERROR(checkCredentials(credentials));
  if (expires < std::chrono::seconds(1) || expires > kMaxPresignExpiry)
    return invalidArgument("SigV4: presigned URL expiry must be 1 s to 7 days");
  auto url = parseUrl(request.url);
  if (!url.isOk()) return url.status();
  const std::string amz_date = formatAmzDate(params.time);
  const std::string date = amz_date.substr(0, 8);
  const std::string scope = credentialScope(date, params);
  const std::string payload_hash =
      params.unsigned_payload ? std::string(kUnsignedPayload) : sha256Hex(request.body);
  auto headers = headersToSign(request, *url);
  std::string signed_headers;
  for (const auto& entry : headers)
    signed_headers += (signed_headers.empty() ? "" : ";") + entry.first;

  QueryPairs added = {{"X-Amz-Algorithm", std::string(kAlgorithm)},
                      {"X-Amz-Credential", credentials.access_key_id + "/" + scope},
                      {"X-Amz-Date", amz_date},
                      {"X-Amz-Expires", std::to_string(expires.count())},
                      {"X-Amz-SignedHeaders", signed_headers}};
  if (!credentials.session_token.empty())
    added.emplace_back("X-Amz-Security-Token", credentials.session_token);
  QueryPairs all = canonicalQueryPairs(url->query);
  std::string appended;
  for (const auto& [key, value] : added) {
    all.emplace_back(key, uriEncode(value, false));
    appended += "&" + key + "=" + uriEncode(value, false);
  }
  Canonical canonical =
      buildCanonical(request.method, *url, joinQuery(all), headers, params.service, payload_hash);
  SignedRequest out;
  out.canonical_request = std::move(canonical.request);
  out.string_to_sign = stringToSign(amz_date, scope, out.canonical_request);
  out.signature = hexEncode(hmacSha256(
      deriveSigningKey(credentials.secret_access_key, date, params.region, params.service),
      out.string_to_sign));
  std::string base = request.url.substr(0, request.url.find('#'));
  if (base.find('?') == std::string::npos) {
    appended[0] = '?';
  } else if (base.ends_with('?') || base.ends_with('&')) {
    appended.erase(0, 1);
  }
  out.url = base + appended + "&X-Amz-Signature=" + out.signature;
  return out;
}

}  // namespace periscope::aws
