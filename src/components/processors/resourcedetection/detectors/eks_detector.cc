#include "components/processors/resourcedetection/detectors/eks_detector.h"

#include "common/logging.h"
#include "components/processors/resourcedetection/detectors/imds.h"

namespace periscope::components::resourcedetection {
namespace {

constexpr std::string_view kClusterTagPrefix = "kubernetes.io/cluster/";
constexpr std::string_view kClusterNameTag = "eks:cluster-name";

// The cluster name from the instance's tags: the eks:cluster-name tag EKS node groups carry, or
// the key of a kubernetes.io/cluster/<name> tag (the tag the collector reads through the EC2 API).
std::string clusterFromTags(const std::vector<std::pair<std::string, std::string>>& tags) {
  for (const auto& [key, value] : tags) {
    if (key == kClusterNameTag && !value.empty()) return value;
  }
  for (const auto& [key, value] : tags) {
    if (key.starts_with(kClusterTagPrefix)) return key.substr(kClusterTagPrefix.size());
  }
  return "";
}

}  // namespace

bool EksDetector::needsInstanceMetadata() const {
  const auto& on = config_.resource_attributes;
  for (std::string_view a : {"cloud.account.id", "cloud.availability_zone", "cloud.region",
                             "host.id", "host.image.id", "host.name", "host.type"}) {
    if (on.enabled(a)) return true;
  }
  return on.enabled("k8s.cluster.name") && config_.cluster_name.empty();
}

Result<DetectedResource> EksDetector::detect(DetectContext& ctx) {
  DetectedResource out;
  if (ctx.env.variable("KUBERNETES_SERVICE_HOST").value_or("").empty()) return out;

  const auto& on = config_.resource_attributes;
  putIfEnabled(out, on, "cloud.provider", std::string("aws"));
  putIfEnabled(out, on, "cloud.platform", std::string("aws_eks"));
  if (!config_.cluster_name.empty())
    putIfEnabled(out, on, "k8s.cluster.name", config_.cluster_name);
  if (!needsInstanceMetadata()) return out;

  Imds imds(ctx.http, Imds::endpoint(config_.endpoint, ctx.env));
  if (Status st = imds.probe(); !st.isOk()) {
    // The collector falls back to the Kubernetes and EC2 APIs here (not available yet).
    if (ctx.fail_on_missing_metadata)
      return prefixed("eks: EC2 instance metadata unavailable: ", st);
    log::warn("resourcedetection",
              "eks: EC2 instance metadata unavailable; host attributes skipped",
              {{"error", std::string(st.message())}});
    return out;
  }
  auto doc = imds.identity();
  if (!doc.isOk()) return doc.status();
  putInstanceIdentity(out, on, *doc);
  if (on.enabled("host.name")) {
    auto hostname = imds.get("/latest/meta-data/hostname");
    if (!hostname.isOk()) return hostname.status();
    out.put("host.name", *hostname);
  }
  if (on.enabled("k8s.cluster.name") && config_.cluster_name.empty()) {
    auto tags = imds.tags();
    if (!tags.isOk()) {
      return prefixed(
          "eks: k8s.cluster.name needs the instance tags in the instance metadata "
          "(InstanceMetadataTags=enabled) or eks.cluster_name: ",
          tags.status());
    }
    std::string cluster = clusterFromTags(*tags);
    if (cluster.empty()) {
      return Status(StatusCode::kNotFound,
                    "eks: no eks:cluster-name or kubernetes.io/cluster/<name> instance tag; set "
                    "eks.cluster_name");
    }
    out.put("k8s.cluster.name", cluster);
  }
  return out;
}

}  // namespace periscope::components::resourcedetection
