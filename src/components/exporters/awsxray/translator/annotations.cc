#include "components/exporters/awsxray/translator/annotations.h"

#include <algorithm>

#include "model/any_value_json.h"

namespace periscope::components::awsxray_exporter::translator {

namespace {

constexpr std::string_view kAnnotationsKey = "aws.xray.annotations";
constexpr std::string_view kMetadataPrefix = "aws.xray.metadata.";

nlohmann::json rawJson(const model::AnyValue& v) {
  std::string text;
  model::appendCompactJson(v, text);
  return nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
}

bool annotatable(const model::AnyValue& v) {
  using T = model::AnyValue::Type;
  return v.type() == T::kString || v.type() == T::kInt || v.type() == T::kDouble ||
         v.type() == T::kBool;
}

nlohmann::json annotationValue(const model::AnyValue& v) {
  using T = model::AnyValue::Type;
  switch (v.type()) {
    case T::kString:
      return std::string(v.str().substr(0, kMaxAnnotationValueLength));
    case T::kInt:
      return v.intValue();
    case T::kDouble:
      return v.doubleValue();
    default:
      return v.boolValue();
  }
}

std::vector<std::string_view> listedInSpan(const SpanContext& ctx) {
  std::vector<std::string_view> out;
  const auto* v = ctx.attr({kAnnotationsKey});
  if (v == nullptr) return out;
  if (v->type() == model::AnyValue::Type::kString) out.push_back(v->str());
  if (v->type() == model::AnyValue::Type::kArray) {
    for (const auto& e : v->arrayValues()) {
      if (e.type() == model::AnyValue::Type::kString) out.push_back(e.str());
    }
  }
  return out;
}

}  // namespace

std::string sanitizeAnnotationKey(std::string_view key) {
  std::string out;
  out.reserve(std::min(key.size(), kMaxAnnotationKeyLength));
  for (char c : key.substr(0, kMaxAnnotationKeyLength)) {
    const bool keep = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                      c == '_' || c == '.';
    out.push_back(keep ? c : '_');
  }
  return out;
}

Annotated annotate(const SpanContext& ctx, const AnnotationOptions& options, bool span_attributes,
                   bool resource_metadata) {
  nlohmann::json annotations = nlohmann::json::object();
  nlohmann::json metadata = nlohmann::json::object();
  nlohmann::json defaults = nlohmann::json::object();
  if (resource_metadata) {
    for (const auto& kv : ctx.resource().attributes) {
      defaults["otel.resource." + std::string(kv.key)] = rawJson(kv.value);
    }
  }
  if (span_attributes) {
    const auto listed = listedInSpan(ctx);
    auto indexed = [&](std::string_view key) {
      if (options.index_all_attributes) return true;
      for (const auto& k : options.indexed_attributes) {
        if (k == key) return true;
      }
      return std::find(listed.begin(), listed.end(), key) != listed.end();
    };
    for (const auto& kv : ctx.span().attributes) {
      if (kv.key == kAnnotationsKey || ctx.consumed(kv.key)) continue;
      if (kv.key.rfind(kMetadataPrefix, 0) == 0 &&
          kv.value.type() == model::AnyValue::Type::kString) {
        auto ns = std::string(kv.key.substr(kMetadataPrefix.size()));
        auto parsed = nlohmann::json::parse(kv.value.str(), nullptr, false);
        if (!ns.empty() && !parsed.is_discarded()) {
          metadata[ns] = std::move(parsed);
          continue;
        }
      }
      if (annotatable(kv.value) && indexed(kv.key) && annotations.size() < kMaxAnnotations) {
        annotations[sanitizeAnnotationKey(kv.key)] = annotationValue(kv.value);
        continue;
      }
      defaults[std::string(kv.key)] = rawJson(kv.value);
    }
  }
  if (!defaults.empty()) {
    // aws.xray.metadata.default (a JSON object) and plain attributes share the namespace.
    auto& target = metadata["default"];
    if (!target.is_object()) target = nlohmann::json::object();
    target.update(defaults);
  }
  Annotated out;
  if (!annotations.empty()) out.annotations = std::move(annotations);
  if (!metadata.empty()) out.metadata = std::move(metadata);
  return out;
}

}  // namespace periscope::components::awsxray_exporter::translator
