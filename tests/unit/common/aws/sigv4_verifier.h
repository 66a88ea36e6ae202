// The receiving half of SigV4 for fake AWS endpoints in tests: recomputes the signature of a
// request the server received, with the secret the test knows, and compares Authorization.
#pragma once

#include <string>

#include "common/aws/sigv4.h"
#include "common/http/server.h"

namespace periscope::aws::testing {

struct Verification {
  bool ok = false;
  std::string access_key_id;
  std::string region;
  std::string service;
  std::string detail;  // why not ok, or the signed header names
};

inline Verification verifySigV4(const http::Request& request, const std::string& secret) {
  Verification v;
  std::string authorization(request.header("authorization"));
  const std::string prefix = "AWS4-HMAC-SHA256 Credential=";
  if (!authorization.starts_with(prefix)) {
    v.detail = "no SigV4 Authorization header";
    return v;
  }
  auto field = [&](const std::string& name) {
    auto start = authorization.find(name + "=");
    if (start == std::string::npos) return std::string();
    start += name.size() + 1;
    return authorization.substr(start, authorization.find(',', start) - start);
  };
  std::string credential = field("Credential");  // AK/date/region/service/aws4_request
  std::vector<std::string> scope;
  for (size_t start = 0, end; start <= credential.size(); start = end + 1) {
    end = credential.find('/', start);
    if (end == std::string::npos) end = credential.size();
    scope.push_back(credential.substr(start, end - start));
  }
  if (scope.size() != 5) {
    v.detail = "bad Credential " + credential;
    return v;
  }
  v.access_key_id = scope[0];
  v.region = scope[2];
  v.service = scope[3];
  std::string signed_headers = field("SignedHeaders");
  v.detail = signed_headers;
  SigningRequest rebuilt{request.method,
                         "http://" + std::string(request.header("host")) + request.target,
                         {},
                         request.body};
  for (size_t start = 0, end; start < signed_headers.size(); start = end + 1) {
    end = signed_headers.find(';', start);
    if (end == std::string::npos) end = signed_headers.size();
    std::string name = signed_headers.substr(start, end - start);
    if (name == "host" || name == "x-amz-date" || name == "x-amz-security-token") continue;
    rebuilt.headers.emplace_back(name, std::string(request.header(name)));
  }
  auto time = parseAmzDate(request.header("x-amz-date"));
  if (!time.isOk()) {
    v.detail = "bad X-Amz-Date";
    return v;
  }
  Credentials creds{
      v.access_key_id, secret, std::string(request.header("x-amz-security-token")), {}, ""};
  auto expected = signRequest(rebuilt, creds, {v.region, v.service, *time});
  v.ok = expected.isOk() && expected->authorization == authorization;
  if (!v.ok) v.detail = "signature mismatch; canonical request:\n" + expected->canonical_request;
  return v;
}

}  // namespace periscope::aws::testing
