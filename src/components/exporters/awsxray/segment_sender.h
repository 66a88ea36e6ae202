// SegmentSender: how serialised X-Ray documents leave the exporter (UDP to a daemon, or the
// PutTraceSegments API). send() gets at most kMaxDocumentsPerCall documents per call.
#pragma once

#include <span>
#include <string>

#include "common/status.h"

namespace periscope::components::awsxray_exporter {

// PutTraceSegments accepts at most 50 documents per call.
inline constexpr size_t kMaxDocumentsPerCall = 50;

class SegmentSender {
 public:
  virtual ~SegmentSender() = default;
  // Largest document this transport can carry (the UDP datagram limit is below 64 KB).
  virtual size_t maxDocumentBytes() const = 0;
  virtual Status send(std::span<const std::string> documents) = 0;
};

// Sends `documents` in calls of at most kMaxDocumentsPerCall; stops at the first failure.
Status sendInCalls(SegmentSender& sender, std::span<const std::string> documents);

}  // namespace periscope::components::awsxray_exporter
