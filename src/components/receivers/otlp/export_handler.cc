#include "components/receivers/otlp/export_handler.h"

#include "model/otlp/json_decoder.h"
#include "model/otlp/proto_decoder.h"
#include "model/validate.h"

namespace periscope::components::otlp_receiver {
namespace {

Result<model::Traces> decodeBody(std::string&& body, WireFormat f, model::Traces*) {
  return f == WireFormat::kJson ? model::otlp::decodeTracesJson(std::move(body))
                                : model::otlp::decodeTraces(std::move(body));
}
Result<model::Metrics> decodeBody(std::string&& body, WireFormat f, model::Metrics*) {
  return f == WireFormat::kJson ? model::otlp::decodeMetricsJson(std::move(body))
                                : model::otlp::decodeMetrics(std::move(body));
}
Result<model::Logs> decodeBody(std::string&& body, WireFormat f, model::Logs*) {
  return f == WireFormat::kJson ? model::otlp::decodeLogsJson(std::move(body))
                                : model::otlp::decodeLogs(std::move(body));
}

}  // namespace

template <typename T>
void handleExport(std::string&& body, WireFormat format, pipeline::Consumer<T>* next,
                  pipeline::ReceiverObs& obs, Reply reply) {
  constexpr auto signal = pipeline::signalOf<T>();
  if (next == nullptr) {
    reply({Status(StatusCode::kUnimplemented,
                  std::string(component::signalName(signal)) + " are not enabled on this receiver"),
           0, ""});
    return;
  }
  auto decoded = decodeBody(std::move(body), format, static_cast<T*>(nullptr));
  if (!decoded.isOk()) {
    reply(
        {invalidArgument("cannot decode request body: " + std::string(decoded.status().message())),
         0, ""});
    return;
  }
  T data = std::move(decoded).value();
  model::Rejection rejection = model::removeInvalid(data);
  if (rejection.rejected > 0) obs.refused(signal, rejection.rejected);
  size_t items = data.itemCount();
  if (items == 0) {  // empty (or fully rejected) requests succeed without touching the pipeline
    reply({Status::ok(), static_cast<int64_t>(rejection.rejected), rejection.first_error});
    return;
  }
  next->consume(std::move(data), [&obs, items, rejection, reply = std::move(reply)](Status st) {
    if (st.isOk()) {
      obs.accepted(signal, items);
    } else {
      obs.refused(signal, items);
    }
    reply({std::move(st), static_cast<int64_t>(rejection.rejected), rejection.first_error});
  });
}

template void handleExport(std::string&&, WireFormat, pipeline::Consumer<model::Traces>*,
                           pipeline::ReceiverObs&, Reply);
template void handleExport(std::string&&, WireFormat, pipeline::Consumer<model::Metrics>*,
                           pipeline::ReceiverObs&, Reply);
template void handleExport(std::string&&, WireFormat, pipeline::Consumer<model::Logs>*,
                           pipeline::ReceiverObs&, Reply);

}  // namespace periscope::components::otlp_receiver
