// `awsemf` exporter: turns metrics into CloudWatch Embedded Metric Format log events
// (emf_translator.h) and hands them to a LogEventSink: stdout, a file, or CloudWatch Logs.
#pragma once

#include <memory>

#include "components/exporters/awsemf/config.h"
#include "components/exporters/awsemf/log_event_sink.h"
#include "pipeline/factories.h"

namespace periscope::components::awsemf_exporter {

std::unique_ptr<pipeline::ExporterFactory> makeFactory();

// The sink for config.output_destination. `cloudwatch` needs the CloudWatch Logs client, which
// is not part of this build yet: an error naming the field.
Result<std::unique_ptr<LogEventSink>> makeSink(const Config& config);

}  // namespace periscope::components::awsemf_exporter
