#include "components/processors/resourcedetection/metadata_client.h"

namespace periscope::components::resourcedetection {

Result<MetadataResponse> MetadataClient::send(std::string_view method, const std::string& url,
                                              const std::vector<std::string>& headers) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now());
  if (left.count() <= 0)
    return unavailable(std::string(method) + " " + url + ": detection timeout reached");
  auto r = client_.request(method, url, "", headers, left, /*direct=*/true);
  if (!r.isOk())
    return unavailable(std::string(method) + " " + url + ": " + std::string(r.status().message()));
  return MetadataResponse{r->status, std::move(r->body)};
}

Result<std::string> MetadataClient::get(const std::string& url,
                                        const std::vector<std::string>& headers) {
  auto r = send("GET", url, headers);
  if (!r.isOk()) return r.status();
  if (r->status < 200 || r->status > 299) return httpStatusError("GET", url, *r);
  return std::move(r->body);
}

Status httpStatusError(std::string_view method, const std::string& url,
                       const MetadataResponse& response) {
  std::string m = std::string(method) + " " + url + ": HTTP " + std::to_string(response.status);
  std::string body = response.body.substr(0, 200);
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.pop_back();
  if (!body.empty() && body.find('\0') == std::string::npos) m += ": " + body;
  return Status(response.status == 404 ? StatusCode::kNotFound : StatusCode::kFailedPrecondition,
                std::move(m));
}

}  // namespace periscope::components::resourcedetection
