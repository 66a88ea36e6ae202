#include "components/processors/resourcedetection/detectors/lambda_detector.h"

#include <charconv>

namespace periscope::components::resourcedetection {

Result<DetectedResource> LambdaDetector::detect(DetectContext& ctx) {
  DetectedResource out;
  auto function = ctx.env.variable("AWS_LAMBDA_FUNCTION_NAME");
  if (!function || function->empty()) return out;  // not on Lambda

  const auto& on = config_.resource_attributes;
  putIfEnabled(out, on, "cloud.provider", std::string("aws"));
  putIfEnabled(out, on, "cloud.platform", std::string("aws_lambda"));
  if (auto region = ctx.env.variable("AWS_REGION")) putIfEnabled(out, on, "cloud.region", *region);
  putIfEnabled(out, on, "faas.name", *function);
  if (auto version = ctx.env.variable("AWS_LAMBDA_FUNCTION_VERSION"))
    putIfEnabled(out, on, "faas.version", *version);
  auto stream = ctx.env.variable("AWS_LAMBDA_LOG_STREAM_NAME");
  if (stream) putIfEnabled(out, on, "faas.instance", *stream);
  if (auto memory = ctx.env.variable("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")) {
    // MB in the environment; semantic conventions want bytes as an int.
    int64_t mb = 0;
    auto [end, ec] = std::from_chars(memory->data(), memory->data() + memory->size(), mb);
    if (ec != std::errc() || end != memory->data() + memory->size() || mb < 0) {
      return invalidArgument("AWS_LAMBDA_FUNCTION_MEMORY_SIZE: not a number of MB: \"" + *memory +
                             "\"");
    }
    putIfEnabled(out, on, "faas.max_memory", mb * 1024 * 1024);
  }
  if (auto group = ctx.env.variable("AWS_LAMBDA_LOG_GROUP_NAME"))
    putIfEnabled(out, on, "aws.log.group.names", std::vector<std::string>{*group});
  if (stream) putIfEnabled(out, on, "aws.log.stream.names", std::vector<std::string>{*stream});
  return out;
}

}  // namespace periscope::components::resourcedetection
