// OTLP protobuf encoder: model::Batch → ExportTrace/Metrics/LogsServiceRequest bytes.
// Writes fields in field-number order and omits proto3 default values (as libprotobuf does),
// but keeps presence for message fields (has_resource, has_scope, has_status, AnyValue kEmpty).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "model/batch.h"

namespace periscope::model::otlp {

// Appends the encoding of `batch` to `out`.
void encode(const Traces& batch, std::string& out);
void encode(const Metrics& batch, std::string& out);
void encode(const Logs& batch, std::string& out);

// ExportXServiceResponse: partial_success {rejected = 1, error_message = 2}; identical wire shape
// for all three signals. Empty when nothing was rejected and there is no message.
std::string encodeExportResponse(int64_t rejected, std::string_view error_message);

}  // namespace periscope::model::otlp
