// The segment's `namespace` ("aws" for AWS SDK calls, "remote" for other downstream calls)
// and `origin` (the AWS resource type the service runs on, from resource cloud.platform).
#pragma once

#include <string>

#include "components/exporters/awsxray/translator/span_context.h"

namespace periscope::components::awsxray_exporter::translator {

// Empty when the segment has no namespace.
std::string segmentNamespace(const SpanContext& ctx, bool is_subsegment);
// Empty unless cloud.provider=aws and cloud.platform is a known platform.
std::string segmentOrigin(const SpanContext& ctx);

}  // namespace periscope::components::awsxray_exporter::translator
