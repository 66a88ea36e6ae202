// The segment's `http` block: request (method, url, client_ip, x_forwarded_for, user_agent)
// and response (status, content_length), from the old and the new HTTP semantic conventions.
// The URL is http.url / url.full, or built from scheme, host, port (80/443 omitted) and target.
#pragma once

#include <nlohmann/json.hpp>

#include "components/exporters/awsxray/translator/span_context.h"

namespace periscope::components::awsxray_exporter::translator {

// Null when the span carries no HTTP attribute.
nlohmann::json httpBlock(const SpanContext& ctx);

}  // namespace periscope::components::awsxray_exporter::translator
