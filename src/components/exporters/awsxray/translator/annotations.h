// Annotations (indexed, searchable) vs metadata (everything else) for a span's attributes.
// An attribute is an annotation when it is listed in `indexed_attributes`, when
// `index_all_attributes` is set, or when the span's `aws.xray.annotations` string array names
// it; only string, int, double and bool values qualify. Annotation keys are sanitised to
// [A-Za-z0-9_.] (the collector's allowDot gate, on by default). Other attributes go to
// metadata "default"; `aws.xray.metadata.<ns>` holding a JSON string becomes metadata[<ns>].
// Resource attributes become metadata `otel.resource.<key>` on segments only.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "components/exporters/awsxray/translator/span_context.h"

namespace periscope::components::awsxray_exporter::translator {

struct AnnotationOptions {
  std::vector<std::string> indexed_attributes;
  bool index_all_attributes = false;
};

// X-Ray's limits [S26]: 50 annotations (per trace; applied per document here), keys of 500
// characters, values of 1000.
inline constexpr size_t kMaxAnnotations = 50;
inline constexpr size_t kMaxAnnotationKeyLength = 500;
inline constexpr size_t kMaxAnnotationValueLength = 1000;

std::string sanitizeAnnotationKey(std::string_view key);

struct Annotated {
  nlohmann::json annotations;  // null when empty
  nlohmann::json metadata;     // null when empty
};

// `span_attributes`: include the span's own attributes (false for the service segment of a
// LOCAL_ROOT pair); `resource_metadata`: add otel.resource.* (segments only).
Annotated annotate(const SpanContext& ctx, const AnnotationOptions& options, bool span_attributes,
                   bool resource_metadata);

}  // namespace periscope::components::awsxray_exporter::translator
