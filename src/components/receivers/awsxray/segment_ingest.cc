#include "components/receivers/awsxray/segment_ingest.h"

#include <future>

#include "common/logging.h"
#include "components/receivers/awsxray/datagram.h"
#include "components/receivers/awsxray/segment_translator.h"

namespace periscope::components::awsxray_receiver {

using component::Signal;

SegmentIngest::SegmentIngest(const component::ComponentId& id, pipeline::TracesConsumer* next,
                             telemetry::Registry& registry)
    : id_(id.toString()),
      next_(next),
      obs_(id, "udp", registry),
      malformed_(&registry.counter("periscope_awsxray_malformed_datagrams",
                                   "X-Ray datagrams dropped: oversize, bad header, or a segment "
                                   "document that is not valid JSON or lacks required fields.",
                                   {{"receiver", id_}})) {}

void SegmentIngest::add(std::string_view datagram, size_t size_on_wire) {
  auto body = splitDatagram(datagram, size_on_wire);
  if (!body.isOk()) {
    malformed_->add();
    obs_.refused(Signal::kTraces, 1);  // the collector counts an unreadable datagram as 1 span
    log::debug(id_, "X-Ray datagram dropped", {{"reason", std::string(body.status().message())}});
    return;
  }
  // A refused document adds no ResourceSpans (only unused arena bytes).
  TranslatedDocument t = translateSegment(body.value(), pending_);
  if (!t.status.isOk()) {
    malformed_->add();
    obs_.refused(Signal::kTraces, t.spans);
    log::debug(id_, "X-Ray segment dropped", {{"reason", std::string(t.status.message())}});
    return;
  }
  pending_spans_ += t.spans;
}

void SegmentIngest::flush() {
  if (pending_spans_ == 0) return;
  size_t spans = pending_spans_;
  model::Traces batch = std::move(pending_);
  pending_ = model::Traces();
  pending_spans_ = 0;
  if (next_ == nullptr) {
    obs_.refused(Signal::kTraces, spans);
    return;
  }
  std::promise<Status> outcome;
  auto result = outcome.get_future();
  next_->consume(std::move(batch), [&outcome](Status st) { outcome.set_value(std::move(st)); });
  Status st = result.get();
  if (st.isOk()) {
    obs_.accepted(Signal::kTraces, spans);
  } else {
    obs_.refused(Signal::kTraces, spans);
    log::debug(id_, "X-Ray spans refused by the pipeline", {{"error", std::string(st.message())}});
  }
}

}  // namespace periscope::components::awsxray_receiver
