// X-Ray segment document → OpenTelemetry spans, following the collector contrib
// awsxrayreceiver's translator (see README.md for each rule and Periscope's deviations).
// One document (a segment with nested subsegments, or a separately sent subsegment) becomes one
// ResourceSpans whose spans are the document flattened depth-first, children parented to the
// (sub)segment that embeds them.
#pragma once

#include <cstddef>
#include <string_view>

#include "common/status.h"
#include "model/batch.h"

namespace periscope::components::awsxray_receiver {

struct TranslatedDocument {
  Status status;     // not ok: the document was refused whole (bad JSON or a bad field)
  size_t spans = 0;  // spans added, or the (sub)segments refused (1 if the JSON did not parse)
};

// Appends the document's ResourceSpans to `out` (strings copied into its arena).
TranslatedDocument translateSegment(std::string_view document, model::Traces& out);

}  // namespace periscope::components::awsxray_receiver
