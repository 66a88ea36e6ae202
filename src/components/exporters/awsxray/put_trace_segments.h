// The PutTraceSegments request: endpoint URL and JSON body. Sending it needs SigV4 signing
// and credentials (src/common/aws/, wired by the lead); until then the API transport refuses
// to start with a "not yet wired" error and local_mode (UDP daemon) is the working transport.
#pragma once

#include <span>
#include <string>

namespace periscope::components::awsxray_exporter {

// `endpoint` if set (a trailing "/" is dropped), else https://xray.<region>.amazonaws.com;
// "/TraceSegments" is appended.
std::string putTraceSegmentsUrl(const std::string& endpoint, const std::string& region);
// {"TraceSegmentDocuments":["<doc>",...]}: each document is a JSON string inside the body.
std::string putTraceSegmentsBody(std::span<const std::string> documents);

inline constexpr const char* kApiNotWired =
    "awsxray: the PutTraceSegments (HTTPS + SigV4) transport is not yet wired in this build; "
    "set local_mode: true to send to an X-Ray daemon over UDP";

}  // namespace periscope::components::awsxray_exporter
