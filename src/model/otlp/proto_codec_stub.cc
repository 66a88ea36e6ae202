#include "model/otlp/proto_decoder.h"
#include "model/otlp/proto_encoder.h"
namespace periscope::model::otlp {
Status decode(std::string_view, Traces&) { return internalError("unimplemented"); }
Status decode(std::string_view, Metrics&) { return internalError("unimplemented"); }
Status decode(std::string_view, Logs&) { return internalError("unimplemented"); }
void encode(const Traces&, std::string&) {}
void encode(const Metrics&, std::string&) {}
void encode(const Logs&, std::string&) {}
}  // namespace periscope::model::otlp
