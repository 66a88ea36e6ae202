// Self-metrics with the OpenTelemetry Collector's names, one helper per component kind:
//   otelcol_receiver_{accepted,refused}_{spans,metric_points,log_records}{receiver,transport}
//   otelcol_exporter_{sent,send_failed}_{spans,metric_points,log_records}{exporter}
// Counters are registered once at construction; recording is a relaxed atomic add.
#pragma once

#include <array>
#include <string>

#include "common/telemetry/metrics.h"
#include "component/component_id.h"

namespace periscope::pipeline {

std::string_view itemUnit(component::Signal s);  // "spans", "metric_points", "log_records"

class ReceiverObs {
 public:
  ReceiverObs(const component::ComponentId& id, const std::string& transport,
              telemetry::Registry& registry = telemetry::globalRegistry());
  void accepted(component::Signal s, size_t n) { accepted_[idx(s)]->add(static_cast<double>(n)); }
  void refused(component::Signal s, size_t n) { refused_[idx(s)]->add(static_cast<double>(n)); }

 private:
  static size_t idx(component::Signal s) { return static_cast<size_t>(s); }
  std::array<telemetry::Counter*, 3> accepted_{};
  std::array<telemetry::Counter*, 3> refused_{};
};

class ExporterObs {
 public:
  explicit ExporterObs(const component::ComponentId& id,
                       telemetry::Registry& registry = telemetry::globalRegistry());
  void sent(component::Signal s, size_t n) { sent_[idx(s)]->add(static_cast<double>(n)); }
  void failed(component::Signal s, size_t n) { failed_[idx(s)]->add(static_cast<double>(n)); }

 private:
  static size_t idx(component::Signal s) { return static_cast<size_t>(s); }
  std::array<telemetry::Counter*, 3> sent_{};
  std::array<telemetry::Counter*, 3> failed_{};
};

}  // namespace periscope::pipeline
