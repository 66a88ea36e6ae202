#include "components/exporters/awsxray/translator/aws_block.h"

namespace periscope::components::awsxray_exporter::translator {

namespace {

void putResource(nlohmann::json& obj, const char* field, const SpanContext& ctx,
                 std::string_view key) {
  if (auto v = ctx.resourceStr(key)) obj[field] = *v;
}

// A resource attribute holding a string or a list of strings.
std::vector<std::string> resourceStrings(const SpanContext& ctx, std::string_view key) {
  std::vector<std::string> out;
  const auto* v = model::findAttribute(ctx.resource().attributes, key);
  if (v == nullptr) return out;
  if (v->type() == model::AnyValue::Type::kString) {
    out.emplace_back(v->str());
  } else if (v->type() == model::AnyValue::Type::kArray) {
    for (const auto& e : v->arrayValues()) {
      if (e.type() == model::AnyValue::Type::kString) out.emplace_back(e.str());
    }
  }
  return out;
}

nlohmann::json cloudwatchLogs(const SpanContext& ctx, const std::vector<std::string>& configured) {
  nlohmann::json out = nlohmann::json::array();
  auto arns = resourceStrings(ctx, "aws.log.group.arns");
  if (!arns.empty()) {
    for (const auto& arn : arns) {
      // arn:aws:logs:<region>:<account>:log-group:<name>[:*]
      std::string name = arn;
      if (auto pos = arn.find(":log-group:"); pos != std::string::npos) {
        name = arn.substr(pos + 11);
        if (name.size() > 2 && name.ends_with(":*")) name.resize(name.size() - 2);
      }
      out.push_back({{"log_group", name}, {"arn", arn}});
    }
    return out;
  }
  auto names = resourceStrings(ctx, "aws.log.group.names");
  if (names.empty()) names = configured;
  for (const auto& name : names) out.push_back({{"log_group", name}});
  return out;
}

}  // namespace

nlohmann::json awsBlock(const SpanContext& ctx, const std::vector<std::string>& log_groups,
                        bool include_operation) {
  nlohmann::json out = nlohmann::json::object();
  if (include_operation) {
    if (auto v = ctx.take({"aws.operation"})) {
      out["operation"] = *v;
    } else if (ctx.str({"rpc.system"}) == "aws-api") {
      if (auto m = ctx.take({"rpc.method"})) out["operation"] = *m;
    }
    if (auto v = ctx.take({"aws.account_id"})) out["account_id"] = *v;
    if (auto v = ctx.take({"aws.region"})) out["remote_region"] = *v;
    if (auto v = ctx.take({"aws.request_id", "aws.requestId"})) out["request_id"] = *v;
    if (auto v = ctx.take({"aws.queue_url", "aws.sqs.queue_url"})) out["queue_url"] = *v;
    if (auto v = ctx.take({"aws.table_name"})) {
      out["table_name"] = *v;
    } else if (const auto* names = ctx.attr({"aws.dynamodb.table_names", "aws.table_names"});
               names != nullptr && names->type() == model::AnyValue::Type::kArray &&
               names->arrayValues().size() == 1) {
      out["table_name"] = std::string(names->arrayValues()[0].str());
    }
  }
  if (ctx.resourceStr("cloud.provider") == "aws") {
    if (!out.contains("account_id")) putResource(out, "account_id", ctx, "cloud.account.id");
    auto platform = ctx.resourceStr("cloud.platform").value_or("");
    if (platform == "aws_ec2") {
      nlohmann::json ec2 = nlohmann::json::object();
      putResource(ec2, "instance_id", ctx, "host.id");
      putResource(ec2, "availability_zone", ctx, "cloud.availability_zone");
      putResource(ec2, "instance_size", ctx, "host.type");
      putResource(ec2, "ami_id", ctx, "host.image.id");
      if (!ec2.empty()) out["ec2"] = std::move(ec2);
    } else if (platform == "aws_ecs") {
      nlohmann::json ecs = nlohmann::json::object();
      putResource(ecs, "container", ctx, "host.name");
      putResource(ecs, "container_id", ctx, "container.id");
      putResource(ecs, "cluster", ctx, "aws.ecs.cluster.arn");
      putResource(ecs, "task_arn", ctx, "aws.ecs.task.arn");
      putResource(ecs, "task_family", ctx, "aws.ecs.task.family");
      putResource(ecs, "launch_type", ctx, "aws.ecs.launchtype");
      if (!ecs.empty()) out["ecs"] = std::move(ecs);
    } else if (platform == "aws_eks") {
      nlohmann::json eks = nlohmann::json::object();
      putResource(eks, "cluster_name", ctx, "k8s.cluster.name");
      putResource(eks, "pod", ctx, "k8s.pod.name");
      putResource(eks, "container_id", ctx, "container.id");
      if (!eks.empty()) out["eks"] = std::move(eks);
    } else if (platform == "aws_elastic_beanstalk") {
      nlohmann::json eb = nlohmann::json::object();
      putResource(eb, "environment_name", ctx, "service.namespace");
      putResource(eb, "version_label", ctx, "service.version");
      if (auto id = ctx.resourceStr("service.instance.id")) {
        char* end = nullptr;
        long long n = std::strtoll(id->c_str(), &end, 10);
        if (end != id->c_str() && *end == '\0') eb["deployment_id"] = n;
      }
      if (!eb.empty()) out["elastic_beanstalk"] = std::move(eb);
    }
  }
  nlohmann::json xray = nlohmann::json::object();
  putResource(xray, "sdk", ctx, "telemetry.sdk.name");
  putResource(xray, "sdk_version", ctx, "telemetry.sdk.version");
  if (ctx.resourceStr("telemetry.auto.version") || ctx.resourceStr("telemetry.distro.version")) {
    xray["auto_instrumentation"] = true;
  }
  if (!xray.empty()) out["xray"] = std::move(xray);
  auto logs = cloudwatchLogs(ctx, log_groups);
  if (!logs.empty()) out["cloudwatch_logs"] = std::move(logs);
  if (out.empty()) return nullptr;
  return out;
}

}  // namespace periscope::components::awsxray_exporter::translator
