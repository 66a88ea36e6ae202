#include "components/exporters/awsxray/segment_sender.h"

#include <algorithm>

namespace periscope::components::awsxray_exporter {

Status sendInCalls(SegmentSender& sender, std::span<const std::string> documents) {
  for (size_t i = 0; i < documents.size(); i += kMaxDocumentsPerCall) {
    const size_t n = std::min(kMaxDocumentsPerCall, documents.size() - i);
    if (Status st = sender.send(documents.subspan(i, n)); !st.isOk()) return st;
  }
  return Status::ok();
}

}  // namespace periscope::components::awsxray_exporter
