// Config of the `resourcedetection` processor (collector keys): the ordered detector list,
// `timeout`, `override`, `fail_on_missing_metadata` and one section per detector.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "component/component.h"
#include "components/processors/resourcedetection/attribute_toggles.h"
#include "config/schema.h"

namespace periscope::components::resourcedetection {

// A string restricted to Spec::values() (checked where it is written in the YAML).
template <typename Spec>
struct OneOf {
  std::string value;
  bool operator==(const OneOf&) const = default;
};

struct DetectorNames {
  static std::span<const std::string_view> values();
};
struct HostnameSources {
  static std::span<const std::string_view> values();
};
using DetectorName = OneOf<DetectorNames>;
using HostnameSource = OneOf<HostnameSources>;

// The attributes each detector can set, with the collector's defaults.
struct SystemAttributes {
  static constexpr std::string_view kDetector = "system";
  static std::span<const AttributeSpec> attributes();
};
struct Ec2Attributes {
  static constexpr std::string_view kDetector = "ec2";
  static std::span<const AttributeSpec> attributes();
};
struct EcsAttributes {
  static constexpr std::string_view kDetector = "ecs";
  static std::span<const AttributeSpec> attributes();
};
struct EksAttributes {
  static constexpr std::string_view kDetector = "eks";
  static std::span<const AttributeSpec> attributes();
};
struct LambdaAttributes {
  static constexpr std::string_view kDetector = "lambda";
  static std::span<const AttributeSpec> attributes();
};

struct SystemConfig {
  std::vector<HostnameSource> hostname_sources = {{"dns"}, {"os"}};
  AttributeToggles<SystemAttributes> resource_attributes;
  static const config::Schema<SystemConfig>& schema();
};

struct Ec2Config {
  std::string
      endpoint;  // IMDS base URL; empty: $AWS_EC2_METADATA_SERVICE_ENDPOINT or 169.254.169.254
  std::vector<std::string> tags;  // regexes of tag keys to add as ec2.tag.<key>
  bool tags_from_imds = false;
  AttributeToggles<Ec2Attributes> resource_attributes;
  static const config::Schema<Ec2Config>& schema();
};

struct EcsConfig {
  std::string endpoint;  // task metadata base URL; empty: $ECS_CONTAINER_METADATA_URI_V4 (or _URI)
  AttributeToggles<EcsAttributes> resource_attributes;
  static const config::Schema<EcsConfig>& schema();
};

struct EksConfig {
  std::string endpoint;      // IMDS base URL, as ec2.endpoint
  std::string cluster_name;  // k8s.cluster.name when set (else from IMDS instance tags)
  AttributeToggles<EksAttributes> resource_attributes;
  static const config::Schema<EksConfig>& schema();
};

struct LambdaConfig {
  AttributeToggles<LambdaAttributes> resource_attributes;
  static const config::Schema<LambdaConfig>& schema();
};

struct Config : component::Config {
  std::vector<DetectorName> detectors = {{"env"}};
  config::Duration timeout = std::chrono::seconds(5);
  bool override_existing = true;  // `override`
  bool fail_on_missing_metadata = false;
  SystemConfig system;
  Ec2Config ec2;
  EcsConfig ecs;
  EksConfig eks;
  LambdaConfig lambda;
  static const config::Schema<Config>& schema();
  Status validate() const override;
};

}  // namespace periscope::components::resourcedetection

namespace periscope::config {

template <typename Spec>
struct FieldCodec<components::resourcedetection::OneOf<Spec>> {
  using T = components::resourcedetection::OneOf<Spec>;
  static std::string typeName() { return "string"; }
  static std::string show(const T& v) { return v.value; }
  static std::vector<FieldDoc> children() { return {}; }
  static void decode(const Value& v, T& out, Diagnostics& d) {
    std::string s;
    if (!decodeString(v, s, d)) return;
    std::string allowed;
    for (std::string_view a : Spec::values()) {
      if (a == s) {
        out.value = s;
        return;
      }
      allowed += (allowed.empty() ? "" : ", ") + std::string(a);
    }
    d.error(v, "invalid value \"" + s + "\"; expected one of " + allowed);
  }
};

}  // namespace periscope::config
