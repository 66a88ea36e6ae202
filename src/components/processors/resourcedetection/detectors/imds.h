// The EC2 instance metadata service (IMDS) as the ec2 and eks detectors use it: IMDSv2 (a
// session token from PUT /latest/api/token, sent on every GET), falling back to IMDSv1 when the
// token endpoint answers 404/405, as the AWS SDKs do.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "components/processors/resourcedetection/detectors/detector.h"

namespace periscope::components::resourcedetection {

// The fields of /latest/dynamic/instance-identity/document the detectors use.
struct InstanceIdentity {
  std::string account_id;
  std::string availability_zone;
  std::string image_id;
  std::string instance_id;
  std::string instance_type;
  std::string region;
};

// The identity document's attributes that are enabled in `on` (shared by ec2 and eks).
template <typename Spec>
void putInstanceIdentity(DetectedResource& out, const AttributeToggles<Spec>& on,
                         const InstanceIdentity& doc) {
  putIfEnabled(out, on, "cloud.region", doc.region);
  putIfEnabled(out, on, "cloud.account.id", doc.account_id);
  putIfEnabled(out, on, "cloud.availability_zone", doc.availability_zone);
  putIfEnabled(out, on, "host.id", doc.instance_id);
  putIfEnabled(out, on, "host.image.id", doc.image_id);
  putIfEnabled(out, on, "host.type", doc.instance_type);
}

class Imds {
 public:
  static constexpr std::string_view kDefaultEndpoint = "http://169.254.169.254";
  static constexpr std::string_view kEndpointVariable = "AWS_EC2_METADATA_SERVICE_ENDPOINT";
  static constexpr std::string_view kTokenTtlHeader = "X-aws-ec2-metadata-token-ttl-seconds";
  static constexpr std::string_view kTokenHeader = "X-aws-ec2-metadata-token";

  // `configured`, else $AWS_EC2_METADATA_SERVICE_ENDPOINT, else 169.254.169.254 (no trailing /).
  static std::string endpoint(const std::string& configured, const Environment& env);

  Imds(MetadataClient& http, std::string endpoint) : http_(http), base_(std::move(endpoint)) {}

  // Gets the session token and the instance id: fails (UNAVAILABLE when nothing answered) when
  // the service is not there.
  Status probe();
  Result<std::string> get(std::string_view path);  // e.g. "/latest/meta-data/hostname"
  Result<InstanceIdentity> identity();
  // The instance's tags (needs InstanceMetadataTags=enabled): keys in listing order.
  Result<std::vector<std::pair<std::string, std::string>>> tags();

 private:
  std::vector<std::string> headers() const;
  MetadataClient& http_;
  std::string base_;
  std::string token_;  // empty: IMDSv1
};

}  // namespace periscope::components::resourcedetection
