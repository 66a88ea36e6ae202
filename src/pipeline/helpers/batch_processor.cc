#include "pipeline/helpers/batch_processor.h"

namespace periscope::pipeline {

ProcessorObs::ProcessorObs(const component::ComponentId& id, component::Signal signal,
                           telemetry::Registry& registry) {
  telemetry::Labels labels = {{"processor", id.toString()},
                              {"otel_signal", std::string(component::signalName(signal))}};
  incoming_ = &registry.counter("otelcol_processor_incoming_items",
                                "Number of items passed to the processor.", labels);
  outgoing_ = &registry.counter("otelcol_processor_outgoing_items",
                                "Number of items emitted from the processor.", labels);
}

}  // namespace periscope::pipeline
