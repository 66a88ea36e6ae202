// The `probabilistic_sampler` processor for traces and logs: a BatchProcessor that drops the
// items the Sampler rejects (model::removeSpansIf / removeLogRecordsIf) and counts decisions:
//   otelcol_processor_probabilistic_sampler_count_traces_sampled{processor, policy, sampled}
//   otelcol_processor_probabilistic_sampler_count_spans_processed{...}  (its newer name)
//   otelcol_processor_probabilistic_sampler_count_logs_sampled{processor, policy, sampled}
// Counts are summed per batch and added once per (policy, sampled) pair; a series is
// registered when first used, so only decisions that happened are exported (as the collector).
#pragma once

#include <array>
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "common/telemetry/metrics.h"
#include "components/processors/probabilistic_sampler/sampler.h"
#include "pipeline/helpers/batch_processor.h"

namespace periscope::components::probabilistic_sampler {

// The decision counters of one processor instance and signal.
class DecisionCounters {
 public:
  DecisionCounters(const component::ComponentId& id, component::Signal signal,
                   const Sampler& sampler,
                   telemetry::Registry& registry = telemetry::globalRegistry());
  using Tally = std::array<std::array<size_t, 2>, kPolicyCount>;
  void add(const Tally& tally);

 private:
  struct Name {
    std::string name;
    std::string help;
  };
  static constexpr size_t kMaxNames = 2;  // spans: the deprecated and the current name
  using Slot = std::array<std::atomic<telemetry::Counter*>, kMaxNames>;

  telemetry::Registry& registry_;
  std::vector<Name> names_;
  std::string processor_;
  std::array<std::string, kPolicyCount> policies_;
  std::array<std::array<Slot, 2>, kPolicyCount> counters_{};  // [policy][sampled][name]
};

template <typename T>
class ProbabilisticSampler final : public pipeline::BatchProcessor<T> {
 public:
  ProbabilisticSampler(const component::Settings& settings, const Config& config,
                       pipeline::Consumer<T>* next)
      : pipeline::BatchProcessor<T>(settings, next),
        sampler_(config),
        counters_(settings.id, pipeline::signalOf<T>(), sampler_) {}

 protected:
  Status process(T& data) override;

 private:
  Sampler sampler_;
  DecisionCounters counters_;
};

}  // namespace periscope::components::probabilistic_sampler
