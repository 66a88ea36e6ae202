// A SigV4-signed JSON POST to an AWS API (X-Ray PutTraceSegments, CloudWatch Logs
// PutLogEvents), shared by the AWS exporters. Returns status + body so the caller classifies
// errors; throttling and 5xx are retryable. Thread-safe (the HTTP client and the credentials
// chain are).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "common/aws/credentials.h"
#include "common/http/client.h"
#include "common/status.h"

namespace periscope::aws {

struct AwsClientOptions {
  std::string region;    // required unless `endpoint` is set and the region resolves
  std::string service;   // signing name: "xray", "logs"
  std::string endpoint;  // override, e.g. "http://127.0.0.1:4566"; default
                         // https://<service>.<region>.amazonaws.com (.com.cn in China)
  std::chrono::milliseconds timeout{10'000};
};

struct AwsResponse {
  long status = 0;
  std::string body;
  std::string error_type;   // "ThrottlingException" (from the JSON "__type", namespace cut off)
  std::string message;      // the JSON "message"/"Message"
  std::string retry_after;  // Retry-After header, if any
  bool ok() const { return status >= 200 && status < 300; }
  // Throttling, 5xx, or expired credentials (retried after a credentials refresh).
  bool retryable() const;
};

class AwsJsonClient {
 public:
  AwsJsonClient(AwsClientOptions options, std::shared_ptr<CredentialsChain> credentials);
  // POSTs `body` to endpoint + `path` with Content-Type `content_type` and, when not empty,
  // X-Amz-Target `target`. An error Status only when no answer arrived (no credentials, network):
  // UNAVAILABLE (retryable) or the credentials error; an AWS error answer is an AwsResponse.
  Result<AwsResponse> post(std::string_view path, std::string_view body,
                           std::string_view content_type = "application/json",
                           std::string_view target = "");
  const std::string& endpoint() const { return endpoint_; }

 private:
  AwsClientOptions options_;
  std::string endpoint_;
  std::shared_ptr<CredentialsChain> credentials_;
  http::Client http_;
};

// https://<prefix>.<region>.amazonaws.com (amazonaws.com.cn for cn-* regions).
std::string defaultEndpoint(std::string_view prefix, std::string_view region);

}  // namespace periscope::aws
