// `awsxray` exporter: OpenTelemetry spans → AWS X-Ray segment documents (translator/), sent
// to an X-Ray daemon over UDP (local_mode) or, once wired, to the PutTraceSegments API.
// Traces only.
#pragma once

#include <memory>

#include "pipeline/factories.h"

namespace periscope::components::awsxray_exporter {

std::unique_ptr<pipeline::ExporterFactory> makeFactory();

}  // namespace periscope::components::awsxray_exporter
