#include "components/processors/resourcedetection/detectors/ecs_detector.h"

#include <nlohmann/json.hpp>

#include "components/processors/resourcedetection/detectors/unavailable.h"

namespace periscope::components::resourcedetection {
namespace {

using nlohmann::json;

std::string str(const json& obj, const char* name) {
  if (!obj.is_object()) return "";
  auto it = obj.find(name);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Result<json> fetchJson(MetadataClient& http, const std::string& url) {
  auto body = http.get(url);
  if (!body.isOk()) return body.status();
  json doc = json::parse(*body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return invalidArgument("GET " + url + ": not a JSON object");
  return doc;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// arn:aws:ecs:<region>:<account>:task/[<cluster>/]<id>
struct TaskArnParts {
  std::string region, account, task_id;
};
TaskArnParts parseTaskArn(const std::string& arn) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (parts.size() < 5) {
    size_t colon = arn.find(':', start);
    if (colon == std::string::npos) return {};
    parts.push_back(arn.substr(start, colon - start));
    start = colon + 1;
  }
  std::string resource = arn.substr(start);
  return {parts[3], parts[4], resource.substr(resource.rfind('/') + 1)};
}

}  // namespace

Result<DetectedResource> EcsDetector::detect(DetectContext& ctx) {
  std::string base = config_.endpoint;
  if (base.empty()) base = ctx.env.variable("ECS_CONTAINER_METADATA_URI_V4").value_or("");
  if (base.empty()) base = ctx.env.variable("ECS_CONTAINER_METADATA_URI").value_or("");
  if (base.empty()) {
    return metadataUnavailable(
        ctx, "ecs",
        unavailable("neither ECS_CONTAINER_METADATA_URI_V4 nor ECS_CONTAINER_METADATA_URI is set"));
  }
  while (base.ends_with('/')) base.pop_back();

  auto task = fetchJson(ctx.http, base + "/task");
  if (!task.isOk()) {
    return prefixed("unable to fetch task metadata: ", task.status());
  }
  auto self = fetchJson(ctx.http, base);
  if (!self.isOk()) {
    return prefixed("unable to fetch container metadata: ", self.status());
  }

  const auto& on = config_.resource_attributes;
  DetectedResource out;
  const std::string task_arn = str(*task, "TaskARN");
  const TaskArnParts arn = parseTaskArn(task_arn);
  putIfEnabled(out, on, "cloud.provider", std::string("aws"));
  putIfEnabled(out, on, "cloud.platform", std::string("aws_ecs"));
  putIfEnabled(out, on, "aws.ecs.task.arn", task_arn);
  putIfEnabled(out, on, "aws.ecs.task.family", str(*task, "Family"));
  putIfEnabled(out, on, "aws.ecs.task.revision", str(*task, "Revision"));
  if (!arn.account.empty()) putIfEnabled(out, on, "cloud.account.id", arn.account);
  if (!arn.region.empty()) putIfEnabled(out, on, "cloud.region", arn.region);
  if (!arn.task_id.empty()) putIfEnabled(out, on, "aws.ecs.task.id", arn.task_id);
  // The endpoint gives the cluster's short name or its ARN.
  std::string cluster = str(*task, "Cluster");
  if (cluster.find(':') == std::string::npos)
    cluster = "arn:aws:ecs:" + arn.region + ":" + arn.account + ":cluster/" + cluster;
  putIfEnabled(out, on, "aws.ecs.cluster.arn", cluster);
  if (std::string az = str(*task, "AvailabilityZone"); !az.empty())
    putIfEnabled(out, on, "cloud.availability_zone", az);
  if (std::string lt = lower(str(*task, "LaunchType")); lt == "ec2" || lt == "fargate")
    putIfEnabled(out, on, "aws.ecs.launchtype", lt);

  putIfEnabled(out, on, "aws.ecs.container.arn", str(*self, "ContainerARN"));
  putIfEnabled(out, on, "container.name", str(*self, "Name"));
  putIfEnabled(out, on, "container.id", str(*self, "DockerId"));

  // Log groups and streams of the task's other running awslogs containers (the collector runs as
  // a sidecar and reports for its neighbours), as the collector's detector does.
  std::vector<std::string> group_names, group_arns, stream_names, stream_arns;
  const std::string self_id = str(*self, "DockerId");
  auto containers = task->find("Containers");
  if (containers != task->end() && containers->is_array()) {
    for (const json& c : *containers) {
      if (str(c, "Type") != "NORMAL" || str(c, "KnownStatus") != "RUNNING" ||
          str(c, "LogDriver") != "awslogs" || str(c, "DockerId") == self_id)
        continue;
      auto opts = c.find("LogOptions");
      if (opts == c.end() || !opts->is_object() || opts->empty()) continue;
      std::string group = str(*opts, "awslogs-group");
      std::string region = str(*opts, "awslogs-region");
      std::string stream = str(*opts, "awslogs-stream");
      std::string group_arn = "arn:aws:logs:" + region + ":" + arn.account + ":log-group:" + group;
      group_names.push_back(group);
      group_arns.push_back(group_arn);
      stream_names.push_back(stream);
      stream_arns.push_back(group_arn + ":log-stream:" + stream);
    }
  }
  if (!group_names.empty()) {
    putIfEnabled(out, on, "aws.log.group.names", std::move(group_names));
    putIfEnabled(out, on, "aws.log.group.arns", std::move(group_arns));
    putIfEnabled(out, on, "aws.log.stream.names", std::move(stream_names));
    putIfEnabled(out, on, "aws.log.stream.arns", std::move(stream_arns));
  }
  return out;
}

}  // namespace periscope::components::resourcedetection
