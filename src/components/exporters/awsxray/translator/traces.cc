#include "components/exporters/awsxray/translator/traces.h"

#include "components/exporters/awsxray/translator/document_size.h"

namespace periscope::components::awsxray_exporter::translator {

std::vector<std::string> translateTraces(const model::Traces& traces, const BatchOptions& options,
                                         int64_t now_unix_seconds, const IdSource& ids,
                                         TranslationStats& stats) {
  const size_t max_bytes =
      options.max_document_bytes == 0 ? kMaxDocumentBytes : options.max_document_bytes;
  std::vector<std::string> out;
  std::vector<nlohmann::json> docs;
  for (const auto& rs : traces.resources()) {
    for (const auto& ss : rs.scope_spans) {
      for (const auto& span : ss.spans) {
        ++stats.spans;
        if (span.trace_id.size() != 16 || span.span_id.size() != 8) {
          ++stats.dropped_invalid_trace_id;
          continue;
        }
        if (!hasRecentEpoch(span.trace_id, now_unix_seconds)) {
          if (options.invalid_trace_id == InvalidTraceIdPolicy::kDrop) {
            ++stats.dropped_invalid_trace_id;
            continue;
          }
          ++stats.passed_invalid_trace_id;
        }
        docs.clear();
        translateSpan(span, rs.resource, options.translate, ids, docs);
        for (auto& doc : docs) {
          SizeOutcome outcome;
          auto text = serializeWithinLimit(doc, max_bytes, outcome);
          if (outcome == SizeOutcome::kTrimmed) ++stats.trimmed_too_large;
          if (!text) {
            ++stats.dropped_too_large;
            continue;
          }
          out.push_back(std::move(*text));
        }
      }
    }
  }
  return out;
}

}  // namespace periscope::components::awsxray_exporter::translator
