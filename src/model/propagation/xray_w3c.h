// Moving a trace context between AWS X-Ray (`X-Amzn-Trace-Id`, model/xray_trace_header.h) and
// W3C Trace Context (`traceparent`): the 16-byte trace id and 8-byte parent id are the same bytes
// in both (X-Ray's Root is "1-" + first 4 bytes + "-" + last 12 bytes, in hex), the sampled
// decision is flag 0x01. Also the SQS `AWSTraceHeader` message system attribute.
#pragma once

#include <optional>
#include <string_view>

#include "model/propagation/traceparent.h"
#include "model/xray_trace_header.h"

namespace periscope::model::propagation {

inline constexpr std::string_view kXrayHeaderName = "X-Amzn-Trace-Id";
inline constexpr std::string_view kTraceparentHeaderName = "traceparent";
inline constexpr std::string_view kTracestateHeaderName = "tracestate";
inline constexpr std::string_view kBaggageHeaderName = "baggage";
// SQS carries the X-Ray header string in this message *system* attribute (MessageSystemAttributes
// on SendMessage, Attributes on ReceiveMessage); it does not count toward the message size or
// attribute quotas.
inline constexpr std::string_view kSqsAwsTraceHeaderAttribute = "AWSTraceHeader";

// nullopt when the X-Ray header has no Parent or an all-zero id (traceparent requires both ids).
// Sampled=1 sets the sampled flag; Sampled=0 and "?" do not (W3C has no "undecided").
std::optional<Traceparent> xrayToTraceparent(const XrayTraceHeader& xray);

// Always succeeds syntactically. X-Ray itself rejects a trace id whose first 4 bytes are not a
// recent epoch time (see xray_trace_id.h isValidXrayTraceId); random W3C ids usually fail that.
XrayTraceHeader traceparentToXray(const Traceparent& tp);

// The trace header of an SQS message: the `AWSTraceHeader` system attribute overrides an
// `X-Amzn-Trace-Id` value carried any other way (e.g. the HTTP header of the SendMessage call, or
// a user message attribute), as SQS and Lambda do. nullopt when neither parses.
std::optional<XrayTraceHeader> sqsTraceHeader(std::optional<std::string_view> aws_trace_header,
                                              std::optional<std::string_view> http_header);

}  // namespace periscope::model::propagation
