// Per-item validation of decoded OTLP data, applied by receivers before data enters a pipeline.
// Invalid items are removed alone, so the rest of the request is accepted and the client gets an
// OTLP partial-success answer (rejected count + the first error) instead of losing everything.
#pragma once

#include <string>

#include "model/batch.h"

namespace periscope::model {

struct Rejection {
  size_t rejected = 0;
  std::string first_error;  // names the item: "resourceSpans[0].scopeSpans[1].spans[3]: ..."
};

// Spans: trace_id 16 non-zero bytes, span_id 8 non-zero bytes, parent_span_id empty or 8 bytes,
// link ids likewise.
Rejection removeInvalid(Traces& batch);
// Log records: trace_id empty or 16 bytes, span_id empty or 8 bytes.
Rejection removeInvalid(Logs& batch);
// Metrics: exemplar ids empty or the right length; points with bad exemplars are rejected.
Rejection removeInvalid(Metrics& batch);

}  // namespace periscope::model
