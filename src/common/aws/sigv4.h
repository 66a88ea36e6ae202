// AWS Signature Version 4 (header and presigned-URL variants) with OpenSSL HMAC-SHA256, for the
// AWS exporters (X-Ray, CloudWatch Logs/EMF) and the STS calls of the credentials chain.
// Pure functions: the caller passes the time, so signing is reproducible (published vectors).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/aws/credentials.h"
#include "common/status.h"

namespace periscope::aws {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct SigningRequest {
  std::string method;  // "GET", "POST"...
  // The request URL as it goes on the wire: scheme://host[:port]/path?query. For services
  // other than S3 the path is URI-encoded once more (so "/a%3Ab" signs as "/a%253Ab"), as
  // AWS requires; a raw path ("/example space/") is thus encoded once.
  std::string url;
  HeaderList headers;  // any case; Host is taken from `url` unless given here
  std::string_view body;
};

struct SigningParams {
  std::string region;
  std::string service;
  std::chrono::system_clock::time_point time;
  // Hash the payload as "UNSIGNED-PAYLOAD" (S3 streaming, presigned S3 URLs).
  bool unsigned_payload = false;
  // Add and sign X-Amz-Content-Sha256 (S3 requires it; other services ignore it).
  bool add_content_sha256_header = false;
  // Sign X-Amz-Security-Token (the default; "post-sts-header-before"). When false the token is
  // still added to the request, after signing ("post-sts-header-after").
  bool sign_session_token = true;
};

struct SignedRequest {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;      // lowercase hex
  std::string authorization;  // the Authorization header value (empty for presigned URLs)
  HeaderList
      headers_to_add;  // X-Amz-Date, X-Amz-Security-Token, X-Amz-Content-Sha256, Authorization
  std::string url;     // the URL to send: unchanged, or presigned with the X-Amz-* query
};

// Signs with the Authorization header. INVALID_ARGUMENT for an unparseable URL or empty keys.
Result<SignedRequest> signRequest(const SigningRequest& request, const Credentials& credentials,
                                  const SigningParams& params);

// Query-string signing (a presigned URL valid for `expires`, 1 s to 7 days): X-Amz-Algorithm,
// X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders, X-Amz-Security-Token and
// X-Amz-Signature are appended to the URL; no header is added.
Result<SignedRequest> presignRequest(const SigningRequest& request, const Credentials& credentials,
                                     const SigningParams& params, std::chrono::seconds expires);

// Building blocks, exposed for tests and for verifying a signature (fake AWS endpoints).
std::string uriEncode(std::string_view bytes, bool keep_slash);
std::string sha256Hex(std::string_view data);
std::string hmacSha256(std::string_view key, std::string_view data);  // raw bytes
std::string deriveSigningKey(std::string_view secret, std::string_view date,
                             std::string_view region, std::string_view service);
std::string formatAmzDate(std::chrono::system_clock::time_point time);  // 20150830T123600Z
Result<std::chrono::system_clock::time_point> parseAmzDate(std::string_view amz_date);
// ISO 8601 UTC as the credential endpoints write expirations: 2019-11-09T13:34:41Z, optional
// fractional seconds.
Result<std::chrono::system_clock::time_point> parseIso8601(std::string_view text);

}  // namespace periscope::aws
