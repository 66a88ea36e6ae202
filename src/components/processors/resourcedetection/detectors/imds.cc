#include "components/processors/resourcedetection/detectors/imds.h"

#include <nlohmann/json.hpp>

namespace periscope::components::resourcedetection {

std::string Imds::endpoint(const std::string& configured, const Environment& env) {
  std::string url = configured;
  if (url.empty()) url = env.variable(kEndpointVariable).value_or("");
  if (url.empty()) url = kDefaultEndpoint;
  while (url.ends_with('/')) url.pop_back();
  return url;
}

std::vector<std::string> Imds::headers() const {
  if (token_.empty()) return {};
  return {std::string(kTokenHeader) + ": " + token_};
}

Status Imds::probe() {
  std::string url = base_ + "/latest/api/token";
  auto r = http_.send("PUT", url, {std::string(kTokenTtlHeader) + ": 21600"});
  if (!r.isOk()) return r.status();
  if (r->status >= 200 && r->status <= 299) {
    token_ = r->body;
  } else if (r->status != 404 && r->status != 405) {
    return httpStatusError("PUT", url, *r);
  }
  auto id = get("/latest/meta-data/instance-id");
  return id.isOk() ? Status::ok() : id.status();
}

Result<std::string> Imds::get(std::string_view path) {
  return http_.get(base_ + std::string(path), headers());
}

Result<InstanceIdentity> Imds::identity() {
  const std::string path = "/latest/dynamic/instance-identity/document";
  auto body = get(path);
  if (!body.isOk()) return body.status();
  auto doc = nlohmann::json::parse(*body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return invalidArgument("GET " + base_ + path + ": not a JSON object");
  auto field = [&](const char* name) {
    auto it = doc.find(name);
    return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  return InstanceIdentity{field("accountId"),  field("availabilityZone"), field("imageId"),
                          field("instanceId"), field("instanceType"),     field("region")};
}

Result<std::vector<std::pair<std::string, std::string>>> Imds::tags() {
  auto listing = get("/latest/meta-data/tags/instance");
  if (!listing.isOk()) return listing.status();
  std::vector<std::pair<std::string, std::string>> out;
  size_t start = 0;
  const std::string& text = *listing;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    std::string key = text.substr(start, nl - start);
    start = nl + 1;
    if (!key.empty() && key.back() == '\r') key.pop_back();
    if (key.empty()) continue;
    auto value = get("/latest/meta-data/tags/instance/" + key);
    if (!value.isOk()) return value.status();
    out.emplace_back(std::move(key), std::move(value.value()));
  }
  return out;
}

}  // namespace periscope::components::resourcedetection
