#include "components/exporters/awsxray/translator/namespace_origin.h"

namespace periscope::components::awsxray_exporter::translator {

std::string segmentNamespace(const SpanContext& ctx, bool is_subsegment) {
  if (ctx.str({"rpc.system"}) == "aws-api" || ctx.attr({"aws.service"}) != nullptr) return "aws";
  const auto kind = ctx.kind();
  if (kind == model::SpanKind::kClient) return "remote";
  const bool outgoing = kind == model::SpanKind::kProducer || kind == model::SpanKind::kConsumer;
  if (is_subsegment && outgoing && ctx.attr({"aws.remote.service"}) != nullptr) return "remote";
  return {};
}

std::string segmentOrigin(const SpanContext& ctx) {
  if (ctx.resourceStr("cloud.provider") != "aws") return {};
  auto platform = ctx.resourceStr("cloud.platform").value_or("");
  if (platform == "aws_ec2") return "AWS::EC2::Instance";
  if (platform == "aws_ecs") {
    auto launch = ctx.resourceStr("aws.ecs.launchtype").value_or("");
    if (launch == "ec2") return "AWS::ECS::EC2";
    if (launch == "fargate") return "AWS::ECS::Fargate";
    return "AWS::ECS::Container";
  }
  if (platform == "aws_elastic_beanstalk") return "AWS::ElasticBeanstalk::Environment";
  if (platform == "aws_eks") return "AWS::EKS::Container";
  if (platform == "aws_app_runner") return "AWS::AppRunner::Service";
  return {};
}

}  // namespace periscope::components::awsxray_exporter::translator
