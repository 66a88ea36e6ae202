// The PutTraceSegments transport: POST {endpoint}/TraceSegments, SigV4-signed (service "xray")
// with credentials from the standard chain (or an assumed `role_arn`), through the shared
// aws::AwsJsonClient. Throttling and 5xx answers are retryable (the exporter helper retries);
// other errors are permanent. Documents X-Ray reports as unprocessed are logged and counted,
// not resent: a retry would resend the processed ones too.
#pragma once

#include <memory>
#include <span>
#include <string>

#include "common/aws/aws_client.h"
#include "common/telemetry/metrics.h"
#include "components/exporters/awsxray/segment_sender.h"

namespace periscope::components::awsxray_exporter {

// {"TraceSegmentDocuments":["<doc>",...]}: each document is a JSON string inside the body.
std::string putTraceSegmentsBody(std::span<const std::string> documents);

class PutTraceSegmentsSender final : public SegmentSender {
 public:
  PutTraceSegmentsSender(aws::AwsClientOptions options,
                         std::shared_ptr<aws::CredentialsChain> credentials,
                         telemetry::Counter* unprocessed);
  size_t maxDocumentBytes() const override { return 64 * 1024; }
  Status send(std::span<const std::string> documents) override;

 private:
  aws::AwsJsonClient client_;
  telemetry::Counter* unprocessed_;
};

}  // namespace periscope::components::awsxray_exporter
