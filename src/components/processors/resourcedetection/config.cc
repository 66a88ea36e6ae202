#include "components/processors/resourcedetection/config.h"

#include <re2/re2.h>

#include <array>

namespace periscope::components::resourcedetection {
namespace {

constexpr std::array<std::string_view, 6> kDetectorNames = {"env", "system", "ec2",
                                                            "ecs", "eks",    "lambda"};
constexpr std::array<std::string_view, 4> kHostnameSources = {"dns", "os", "cname", "lookup"};

constexpr std::array<AttributeSpec, 4> kSystem = {{
    {"host.name", true},
    {"os.type", true},
    {"host.arch", false},
    {"host.id", false},
}};
constexpr std::array<AttributeSpec, 9> kEc2 = {{
    {"cloud.provider", true},
    {"cloud.platform", true},
    {"cloud.region", true},
    {"cloud.account.id", true},
    {"cloud.availability_zone", true},
    {"host.id", true},
    {"host.image.id", true},
    {"host.type", true},
    {"host.name", true},
}};
constexpr std::array<AttributeSpec, 18> kEcs = {{
    {"cloud.provider", true},
    {"cloud.platform", true},
    {"cloud.account.id", true},
    {"cloud.region", true},
    {"cloud.availability_zone", true},
    {"aws.ecs.cluster.arn", true},
    {"aws.ecs.task.arn", true},
    {"aws.ecs.task.family", true},
    {"aws.ecs.task.id", true},
    {"aws.ecs.task.revision", true},
    {"aws.ecs.launchtype", true},
    {"aws.log.group.names", true},
    {"aws.log.group.arns", true},
    {"aws.log.stream.names", true},
    {"aws.log.stream.arns", true},
    // Not set by the collector's ecs detector; opt-in here.
    {"aws.ecs.container.arn", false},
    {"container.name", false},
    {"container.id", false},
}};
constexpr std::array<AttributeSpec, 10> kEks = {{
    {"cloud.provider", true},
    {"cloud.platform", true},
    {"cloud.account.id", false},
    {"cloud.availability_zone", false},
    {"cloud.region", false},
    {"host.id", false},
    {"host.image.id", false},
    {"host.name", false},
    {"host.type", false},
    {"k8s.cluster.name", false},
}};
constexpr std::array<AttributeSpec, 9> kLambda = {{
    {"cloud.provider", true},
    {"cloud.platform", true},
    {"cloud.region", true},
    {"faas.name", true},
    {"faas.version", true},
    {"faas.instance", true},
    {"faas.max_memory", true},
    {"aws.log.group.names", true},
    {"aws.log.stream.names", true},
}};

}  // namespace

std::span<const std::string_view> DetectorNames::values() {
  return kDetectorNames;
}
std::span<const std::string_view> HostnameSources::values() {
  return kHostnameSources;
}
std::span<const AttributeSpec> SystemAttributes::attributes() {
  return kSystem;
}
std::span<const AttributeSpec> Ec2Attributes::attributes() {
  return kEc2;
}
std::span<const AttributeSpec> EcsAttributes::attributes() {
  return kEcs;
}
std::span<const AttributeSpec> EksAttributes::attributes() {
  return kEks;
}
std::span<const AttributeSpec> LambdaAttributes::attributes() {
  return kLambda;
}

const config::Schema<SystemConfig>& SystemConfig::schema() {
  static const auto s =
      config::Schema<SystemConfig>()
          .field("hostname_sources", &SystemConfig::hostname_sources,
                 "Where host.name comes from, first success wins: dns (canonical name of the "
                 "host), os (kernel host name), cname, lookup (reverse lookup of the host's "
                 "address).")
          .field("resource_attributes", &SystemConfig::resource_attributes,
                 "Per attribute {enabled: bool}: host.name, os.type (on), host.arch, host.id "
                 "(off).");
  return s;
}

const config::Schema<Ec2Config>& Ec2Config::schema() {
  static const auto s =
      config::Schema<Ec2Config>()
          .field("endpoint", &Ec2Config::endpoint,
                 "Instance metadata service base URL (default: $AWS_EC2_METADATA_SERVICE_ENDPOINT "
                 "or http://169.254.169.254).")
          .field("tags", &Ec2Config::tags,
                 "Regexes of instance tag keys to add as ec2.tag.<key> (needs tags_from_imds).")
          .field("tags_from_imds", &Ec2Config::tags_from_imds,
                 "Read tags from the instance metadata service (InstanceMetadataTags=enabled).")
          .field("resource_attributes", &Ec2Config::resource_attributes,
                 "Per attribute {enabled: bool} (all on by default).");
  return s;
}

const config::Schema<EcsConfig>& EcsConfig::schema() {
  static const auto s =
      config::Schema<EcsConfig>()
          .field("endpoint", &EcsConfig::endpoint,
                 "Task metadata endpoint base URL (default: $ECS_CONTAINER_METADATA_URI_V4, then "
                 "$ECS_CONTAINER_METADATA_URI).")
          .field("resource_attributes", &EcsConfig::resource_attributes,
                 "Per attribute {enabled: bool}; aws.ecs.container.arn, container.name and "
                 "container.id are off by default.");
  return s;
}

const config::Schema<EksConfig>& EksConfig::schema() {
  static const auto s =
      config::Schema<EksConfig>()
          .field("endpoint", &EksConfig::endpoint,
                 "Instance metadata service base URL, as ec2.endpoint.")
          .field("cluster_name", &EksConfig::cluster_name,
                 "k8s.cluster.name to report (else read from the instance's eks:cluster-name "
                 "or kubernetes.io/cluster/<name> tag in the instance metadata).")
          .field("resource_attributes", &EksConfig::resource_attributes,
                 "Per attribute {enabled: bool}; only cloud.provider and cloud.platform are on by "
                 "default.");
  return s;
}

const config::Schema<LambdaConfig>& LambdaConfig::schema() {
  static const auto s = config::Schema<LambdaConfig>().field(
      "resource_attributes", &LambdaConfig::resource_attributes,
      "Per attribute {enabled: bool} (all on by default).");
  return s;
}

const config::Schema<Config>& Config::schema() {
  static const auto s =
      config::Schema<Config>()
          .field("detectors", &Config::detectors,
                 "Detectors to run, in precedence order (an earlier detector wins when two set "
                 "the same attribute): env, system, ec2, ecs, eks, lambda.")
          .field("timeout", &Config::timeout,
                 "Time budget of each detector at start (they run concurrently), metadata requests "
                 "included.")
          .field("override", &Config::override_existing,
                 "Detected attributes replace attributes already on the data (else existing ones "
                 "are kept).")
          .field("fail_on_missing_metadata", &Config::fail_on_missing_metadata,
                 "An unreachable metadata service (ec2, ecs, eks) is an error instead of 'not on "
                 "this platform'.")
          .field("system", &Config::system, "system detector settings.")
          .field("ec2", &Config::ec2, "ec2 detector settings.")
          .field("ecs", &Config::ecs, "ecs detector settings.")
          .field("eks", &Config::eks, "eks detector settings.")
          .field("lambda", &Config::lambda, "lambda detector settings.");
  return s;
}

Status Config::validate() const {
  if (timeout.count() <= 0) return invalidArgument("timeout must be greater than zero");
  for (size_t i = 0; i < ec2.tags.size(); ++i) {
    RE2 re(ec2.tags[i], RE2::Quiet);
    if (!re.ok()) {
      return invalidArgument("ec2.tags[" + std::to_string(i) + "]: invalid regular expression \"" +
                             ec2.tags[i] + "\": " + re.error());
    }
  }
  if (!ec2.tags.empty() && !ec2.tags_from_imds) {
    return invalidArgument(
        "ec2.tags needs ec2.tags_from_imds: true (reading tags with the EC2 DescribeTags API "
        "needs SigV4 request signing, which is not supported yet)");
  }
  if (system.hostname_sources.empty())
    return invalidArgument("system.hostname_sources must not be empty");
  return Status::ok();
}

}  // namespace periscope::components::resourcedetection
