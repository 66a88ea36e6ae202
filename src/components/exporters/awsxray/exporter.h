// The awsxray exporter on the exporter helper: push() translates a batch, splits it into calls
// of at most 50 documents and hands them to the SegmentSender; the helper queues and retries.
// Self-metrics: periscope_awsxray_documents_dropped{exporter,reason=invalid_trace_id|too_large},
// periscope_awsxray_documents_trimmed{exporter},
// periscope_awsxray_invalid_trace_id_passed{exporter}.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include "common/telemetry/metrics.h"
#include "components/exporters/awsxray/config.h"
#include "components/exporters/awsxray/segment_sender.h"
#include "components/exporters/awsxray/translator/traces.h"
#include "pipeline/helpers/sync_exporter.h"

namespace periscope::components::awsxray_exporter {

class Exporter final : public pipeline::SyncExporter {
 public:
  using Clock = std::function<int64_t()>;  // unix seconds

  Exporter(const component::Settings& settings, const Config& config,
           const std::vector<pipeline::Signal>& signals);
  // For tests: an explicit sender, clock and id source.
  Exporter(const component::Settings& settings, const Config& config,
           const std::vector<pipeline::Signal>& signals, std::unique_ptr<SegmentSender> sender,
           Clock clock, translator::IdSource ids);
  Status start(component::Host& host) override;

 protected:
  Status push(const model::Traces& traces) override;

 private:
  Config config_;
  translator::BatchOptions options_;
  std::unique_ptr<SegmentSender> sender_;
  Status sender_error_;  // why there is no sender (reported by start())
  Clock clock_;
  translator::IdSource ids_;
  telemetry::Counter* dropped_invalid_ = nullptr;
  telemetry::Counter* dropped_too_large_ = nullptr;
  telemetry::Counter* trimmed_ = nullptr;
  telemetry::Counter* passed_invalid_ = nullptr;
};

}  // namespace periscope::components::awsxray_exporter
