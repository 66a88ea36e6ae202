// Jaeger query HTTP API v1 — the API of the Jaeger UI and of Grafana's Jaeger data source:
// /api/services, /api/services/{service}/operations, /api/operations, /api/traces,
// /api/traces/{traceID}, /api/dependencies. Answers use Jaeger's envelope
// {"data","total","limit","offset","errors"}. Handlers are stateless and read only through
// query::TraceService, which must outlive the router; safe from any number of threads.
#pragma once

#include <string_view>

#include "api/http/router.h"
#include "common/status.h"
#include "query/traces/trace_service.h"

namespace periscope::api {

void registerJaegerV1(Router& router, query::TraceService& traces);

// {"data":null,"total":0,"limit":0,"offset":0,"errors":[{"code":status,"msg":message}]}.
http::Response jaegerV1Error(int status, std::string_view message);

}  // namespace periscope::api
