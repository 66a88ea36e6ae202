// One span → its X-Ray document(s): a segment (SERVER spans and spans without a parent) or a
// subsegment (`"type":"subsegment"`), or, for `aws.span.kind=LOCAL_ROOT` CLIENT/PRODUCER/
// CONSUMER spans, a service segment plus a dependency subsegment under it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "components/exporters/awsxray/translator/annotations.h"
#include "components/exporters/awsxray/translator/ids.h"
#include "model/span.h"

namespace periscope::components::awsxray_exporter::translator {

struct TranslateOptions {
  AnnotationOptions annotations;
  std::vector<std::string> log_groups;  // the aws_log_groups setting
};

// Appends the span's documents to `out`.
void translateSpan(const model::Span& span, const model::Resource& resource,
                   const TranslateOptions& options, const IdSource& ids,
                   std::vector<nlohmann::json>& out);

}  // namespace periscope::components::awsxray_exporter::translator
