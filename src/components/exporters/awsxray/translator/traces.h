// A batch of OTel traces → serialised X-Ray documents, applying the trace-id epoch policy and
// the per-document size limit, and counting what was dropped or trimmed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "components/exporters/awsxray/translator/segment.h"
#include "model/batch.h"

namespace periscope::components::awsxray_exporter::translator {

// What to do with a trace id X-Ray would reject (first 4 bytes not a recent epoch).
enum class InvalidTraceIdPolicy { kPassThrough, kDrop };

struct TranslationStats {
  size_t spans = 0;
  size_t dropped_invalid_trace_id = 0;  // policy drop, or ids of the wrong length
  size_t passed_invalid_trace_id = 0;   // policy pass_through
  size_t trimmed_too_large = 0;         // metadata / stacks removed to fit
  size_t dropped_too_large = 0;
};

struct BatchOptions {
  TranslateOptions translate;
  InvalidTraceIdPolicy invalid_trace_id = InvalidTraceIdPolicy::kPassThrough;
  size_t max_document_bytes = 0;  // 0: kMaxDocumentBytes
};

std::vector<std::string> translateTraces(const model::Traces& traces, const BatchOptions& options,
                                         int64_t now_unix_seconds, const IdSource& ids,
                                         TranslationStats& stats);

}  // namespace periscope::components::awsxray_exporter::translator
