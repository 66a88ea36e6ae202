// The segment's `aws` block: the AWS SDK call (operation, account_id, remote_region,
// request_id, queue_url, table_name), the platform the service runs on (ec2, ecs, eks,
// elastic_beanstalk, from resource attributes), the X-Ray SDK, and `cloudwatch_logs` for
// log correlation (aws.log.group.arns > aws.log.group.names > the aws_log_groups setting).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "components/exporters/awsxray/translator/span_context.h"

namespace periscope::components::awsxray_exporter::translator {

// Null when there is nothing to say. `include_operation`: false for the service segment of a
// LOCAL_ROOT pair, which describes the service, not the call.
nlohmann::json awsBlock(const SpanContext& ctx, const std::vector<std::string>& log_groups,
                        bool include_operation);

}  // namespace periscope::components::awsxray_exporter::translator
