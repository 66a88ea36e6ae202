#include "common/aws/aws_client.h"

#include <nlohmann/json.hpp>

#include "common/aws/sigv4.h"

namespace periscope::aws {
namespace {

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

}  // namespace

bool AwsResponse::retryable() const {
  if (status == 429 || status >= 500) return true;
  for (std::string_view t :
       {"Throttling", "ThrottledException", "TooManyRequests", "RequestLimitExceeded",
        "ProvisionedThroughputExceeded", "ServiceUnavailable", "ExpiredToken", "RequestExpired"})
    if (contains(error_type, t)) return true;
  return false;
}

std::string defaultEndpoint(std::string_view prefix, std::string_view region) {
  std::string suffix = region.starts_with("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com";
  return "https://" + std::string(prefix) + "." + std::string(region) + suffix;
}

AwsJsonClient::AwsJsonClient(AwsClientOptions options,
                             std::shared_ptr<CredentialsChain> credentials)
    : options_(std::move(options)), credentials_(std::move(credentials)) {
  endpoint_ = options_.endpoint.empty() ? defaultEndpoint(options_.service, options_.region)
                                        : options_.endpoint;
  while (endpoint_.ends_with('/')) endpoint_.pop_back();
}

Result<AwsResponse> AwsJsonClient::post(std::string_view path, std::string_view body,
                                        std::string_view content_type, std::string_view target) {
  auto creds = credentials_->get();
  if (!creds.isOk()) return creds.status();
  std::string url = endpoint_ + (path.starts_with('/') ? "" : "/") + std::string(path);
  SigningRequest request{"POST", url, {{"Content-Type", std::string(content_type)}}, body};
  if (!target.empty()) request.headers.emplace_back("X-Amz-Target", std::string(target));
  SigningParams params{options_.region, options_.service, std::chrono::system_clock::now()};
  auto signed_request = signRequest(request, *creds, params);
  if (!signed_request.isOk()) return signed_request.status();
  std::vector<std::string> headers;
  for (const auto& [name, value] : request.headers)
    headers.push_back(std::string(name).append(": ").append(value));
  for (const auto& [name, value] : signed_request->headers_to_add)
    headers.push_back(std::string(name).append(": ").append(value));
  auto response = http_.post(url, body, headers, options_.timeout);
  if (!response.isOk()) return unavailable(url + ": " + std::string(response.status().message()));
  AwsResponse out;
  out.status = response->status;
  out.body = std::move(response->body);
  out.retry_after = std::move(response->retry_after);
  if (!out.ok()) {
    auto json = nlohmann::json::parse(out.body, nullptr, /*allow_exceptions=*/false);
    if (json.is_object()) {
      for (const char* key : {"__type", "code", "Code"})
        if (auto it = json.find(key); it != json.end() && it->is_string()) {
          out.error_type = it->get<std::string>();
          break;
        }
      for (const char* key : {"message", "Message"})
        if (auto it = json.find(key); it != json.end() && it->is_string()) {
          out.message = it->get<std::string>();
          break;
        }
      // "com.amazonaws.logs#ThrottlingException" -> "ThrottlingException"
      if (auto hash = out.error_type.rfind('#'); hash != std::string::npos)
        out.error_type.erase(0, hash + 1);
    }
    if (contains(out.error_type, "ExpiredToken")) credentials_->invalidate();
  }
  return out;
}

}  // namespace periscope::aws
