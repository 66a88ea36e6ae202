// Jaeger query API v3 over HTTP (Jaeger's api_v3 grpc-gateway): /api/v3/services,
// /api/v3/operations, /api/v3/traces, /api/v3/traces/{trace_id}. Traces are OTLP/JSON inside
// {"result":{"resourceSpans":[…]}}; errors are {"error":{"httpCode","message"}}. Parameters are
// accepted under Jaeger's canonical camelCase names and its deprecated snake_case aliases.
// Handlers are stateless and read only through query::TraceService, which must outlive the
// router; safe from any number of threads.
#pragma once

#include <string_view>

#include "api/http/router.h"
#include "query/traces/trace_service.h"

namespace periscope::api {

void registerJaegerV3(Router& router, query::TraceService& traces);

// {"error":{"httpCode":status,"message":message}}.
http::Response jaegerV3Error(int status, std::string_view message);

}  // namespace periscope::api
