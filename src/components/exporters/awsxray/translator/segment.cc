#include "components/exporters/awsxray/translator/segment.h"

#include "components/exporters/awsxray/translator/aws_block.h"
#include "components/exporters/awsxray/translator/cause.h"
#include "components/exporters/awsxray/translator/http_block.h"
#include "components/exporters/awsxray/translator/names.h"
#include "components/exporters/awsxray/translator/namespace_origin.h"
#include "components/exporters/awsxray/translator/sql_block.h"

namespace periscope::components::awsxray_exporter::translator {

namespace {

// Whole seconds and the fraction converted apart: one division of the full nanosecond count
// rounds away microseconds (1700000001.25 would become 1700000001.2499998).
double seconds(uint64_t unix_nano) {
  constexpr uint64_t kNanos = 1'000'000'000;
  return static_cast<double>(unix_nano / kNanos) +
         static_cast<double>(unix_nano % kNanos) / static_cast<double>(kNanos);
}

bool outgoing(model::SpanKind k) {
  return k == model::SpanKind::kClient || k == model::SpanKind::kProducer ||
         k == model::SpanKind::kConsumer;
}

void setIfPresent(nlohmann::json& doc, const char* field, nlohmann::json value) {
  if (!value.is_null()) doc[field] = std::move(value);
}

nlohmann::json skeleton(const model::Span& span, std::string name, std::string id) {
  nlohmann::json doc = nlohmann::json::object();
  doc["name"] = std::move(name);
  doc["id"] = std::move(id);
  doc["trace_id"] = xrayTraceId(span.trace_id);
  doc["start_time"] = seconds(span.start_time_unix_nano);
  doc["end_time"] = seconds(span.end_time_unix_nano);
  return doc;
}

// Everything that describes the span itself: http/aws/sql blocks, user, error flags and cause,
// annotations and metadata. Blocks run first so that the keys they render are not repeated
// as metadata.
void fillSpanBody(nlohmann::json& doc, const SpanContext& ctx, const TranslateOptions& options,
                  const IdSource& ids, bool resource_metadata) {
  setIfPresent(doc, "http", httpBlock(ctx));
  setIfPresent(doc, "aws", awsBlock(ctx, options.log_groups, /*include_operation=*/true));
  setIfPresent(doc, "sql", sqlBlock(ctx));
  if (auto user = ctx.take({"enduser.id"})) doc["user"] = *user;
  auto fault = makeFault(ctx, ids);
  if (fault.error) doc["error"] = true;
  if (fault.fault) doc["fault"] = true;
  if (fault.throttle) doc["throttle"] = true;
  setIfPresent(doc, "cause", std::move(fault.cause));
  auto annotated = annotate(ctx, options.annotations, /*span_attributes=*/true, resource_metadata);
  setIfPresent(doc, "annotations", std::move(annotated.annotations));
  setIfPresent(doc, "metadata", std::move(annotated.metadata));
}

// LOCAL_ROOT: the service's own segment (no call details, resource metadata only) and the
// call as a subsegment of it.
void translateLocalRoot(const SpanContext& ctx, const TranslateOptions& options,
                        const IdSource& ids, std::vector<nlohmann::json>& out) {
  const auto& span = ctx.span();
  auto service_name = ctx.str({"aws.local.service"});
  if (!service_name) service_name = ctx.resourceStr("service.name");
  const std::string service_id = ids();
  auto service = skeleton(span, sanitizeSegmentName(service_name.value_or(std::string(span.name))),
                          service_id);
  if (!span.parent_span_id.empty()) service["parent_id"] = hexOf(span.parent_span_id);
  if (auto origin = segmentOrigin(ctx); !origin.empty()) service["origin"] = origin;
  setIfPresent(service, "aws", awsBlock(ctx, options.log_groups, /*include_operation=*/false));
  auto annotated = annotate(ctx, options.annotations, /*span_attributes=*/false,
                            /*resource_metadata=*/true);
  setIfPresent(service, "metadata", std::move(annotated.metadata));
  out.push_back(std::move(service));

  auto dependency = skeleton(span, segmentName(ctx), hexOf(span.span_id));
  dependency["parent_id"] = service_id;
  dependency["type"] = "subsegment";
  auto ns = segmentNamespace(ctx, /*is_subsegment=*/true);
  dependency["namespace"] = ns.empty() ? "remote" : ns;
  fillSpanBody(dependency, ctx, options, ids, /*resource_metadata=*/false);
  out.push_back(std::move(dependency));
}

}  // namespace

void translateSpan(const model::Span& span, const model::Resource& resource,
                   const TranslateOptions& options, const IdSource& ids,
                   std::vector<nlohmann::json>& out) {
  SpanContext ctx(span, resource);
  const auto kind = ctx.kind();
  if (outgoing(kind) && ctx.str({"aws.span.kind"}) == "LOCAL_ROOT") {
    ctx.consume("aws.span.kind");
    translateLocalRoot(ctx, options, ids, out);
    return;
  }
  const bool has_parent = !span.parent_span_id.empty();
  const bool subsegment = kind != model::SpanKind::kServer && has_parent;
  auto doc = skeleton(span, segmentName(ctx), hexOf(span.span_id));
  if (has_parent) doc["parent_id"] = hexOf(span.parent_span_id);
  if (subsegment) doc["type"] = "subsegment";
  if (auto ns = segmentNamespace(ctx, subsegment); !ns.empty()) doc["namespace"] = ns;
  if (auto origin = segmentOrigin(ctx); !origin.empty()) doc["origin"] = origin;
  fillSpanBody(doc, ctx, options, ids, /*resource_metadata=*/!subsegment);
  out.push_back(std::move(doc));
}

}  // namespace periscope::components::awsxray_exporter::translator
