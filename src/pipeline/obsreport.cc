#include "pipeline/obsreport.h"

namespace periscope::pipeline {

using component::Signal;

std::string_view itemUnit(Signal s) {
  switch (s) {
    case Signal::kTraces:
      return "spans";
    case Signal::kMetrics:
      return "metric_points";
    case Signal::kLogs:
      return "log_records";
  }
  return "items";
}

namespace {
constexpr std::array<Signal, 3> kSignals = {Signal::kTraces, Signal::kMetrics, Signal::kLogs};
}

ReceiverObs::ReceiverObs(const component::ComponentId& id, const std::string& transport,
                         telemetry::Registry& registry) {
  telemetry::Labels labels = {{"receiver", id.toString()}, {"transport", transport}};
  for (Signal s : kSignals) {
    std::string unit(itemUnit(s));
    accepted_[idx(s)] =
        &registry.counter("otelcol_receiver_accepted_" + unit,
                          "Number of " + unit + " successfully pushed into the pipeline.", labels);
    refused_[idx(s)] = &registry.counter(
        "otelcol_receiver_refused_" + unit,
        "Number of " + unit + " that could not be pushed into the pipeline.", labels);
  }
}

ExporterObs::ExporterObs(const component::ComponentId& id, telemetry::Registry& registry) {
  telemetry::Labels labels = {{"exporter", id.toString()}};
  for (Signal s : kSignals) {
    std::string unit(itemUnit(s));
    sent_[idx(s)] =
        &registry.counter("otelcol_exporter_sent_" + unit,
                          "Number of " + unit + " successfully sent to destination.", labels);
    failed_[idx(s)] = &registry.counter(
        "otelcol_exporter_send_failed_" + unit,
        "Number of " + unit + " in failed attempts to send to destination.", labels);
  }
}

}  // namespace periscope::pipeline
