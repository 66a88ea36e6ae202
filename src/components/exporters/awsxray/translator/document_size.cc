#include "components/exporters/awsxray/translator/document_size.h"

namespace periscope::components::awsxray_exporter::translator {

namespace {

std::string dump(const nlohmann::json& doc) {
  // Invalid UTF-8 in attribute values is replaced rather than failing the whole batch.
  return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::optional<std::string> serializeWithinLimit(nlohmann::json& doc, size_t max_bytes,
                                                SizeOutcome& outcome) {
  outcome = SizeOutcome::kFits;
  std::string text = dump(doc);
  if (text.size() <= max_bytes) return text;
  outcome = SizeOutcome::kTrimmed;
  doc.erase("metadata");
  text = dump(doc);
  if (text.size() <= max_bytes) return text;
  if (doc.contains("cause") && doc["cause"].contains("exceptions")) {
    for (auto& ex : doc["cause"]["exceptions"]) ex.erase("stack");
    text = dump(doc);
    if (text.size() <= max_bytes) return text;
  }
  outcome = SizeOutcome::kTooLarge;
  return std::nullopt;
}

}  // namespace periscope::components::awsxray_exporter::translator
