// Turns datagrams into trace batches for the pipeline, with the receiver's self-metrics:
// otelcol_receiver_{accepted,refused}_spans{transport="udp"} and
// periscope_awsxray_malformed_datagrams (framing errors and unparsable documents).
// A bad datagram is counted and dropped alone; the datagrams batched with it still go through.
#pragma once

#include <cstddef>
#include <string_view>

#include "common/telemetry/metrics.h"
#include "component/component_id.h"
#include "model/batch.h"
#include "pipeline/consumer.h"
#include "pipeline/obsreport.h"

namespace periscope::components::awsxray_receiver {

class SegmentIngest {
 public:
  SegmentIngest(const component::ComponentId& id, pipeline::TracesConsumer* next,
                telemetry::Registry& registry = telemetry::globalRegistry());

  // Translates one datagram into the pending batch, or counts it refused.
  void add(std::string_view datagram, size_t size_on_wire);
  // Hands the pending batch to the pipeline and waits for its outcome (back-pressure: while the
  // pipeline is slow, datagrams wait in the socket buffer, as in the daemon).
  void flush();
  size_t pendingSpans() const { return pending_spans_; }

 private:
  std::string id_;
  pipeline::TracesConsumer* next_;
  pipeline::ReceiverObs obs_;
  telemetry::Counter* malformed_;
  model::Traces pending_;
  size_t pending_spans_ = 0;
};

}  // namespace periscope::components::awsxray_receiver
