// TailSamplingProcessor: buffers spans per trace (compactly, see trace_buffer.h) for
// decision_wait after a trace's first span, then evaluates the policies on the whole trace and
// forwards sampled traces. consume() answers `done` once spans are buffered; decisions run on a
// ticker thread (or tick() in tests, with an injected clock). Late spans of a decided trace
// follow the remembered decision at once. When num_traces is reached the oldest traces are
// decided early (counted), never dropped undecided.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "common/telemetry/metrics.h"
#include "components/processors/tail_sampling/config.h"
#include "components/processors/tail_sampling/decision_cache.h"
#include "components/processors/tail_sampling/policy.h"
#include "components/processors/tail_sampling/trace_buffer.h"
#include "pipeline/helpers/batch_processor.h"

namespace periscope::components::tail_sampling {

class TailSamplingProcessor final : public pipeline::ConsumerComponent,
                                    public pipeline::Consumer<model::Traces> {
 public:
  struct Options {
    Clock clock;             // default: steady_clock
    bool run_ticker = true;  // false: the caller calls tick()
    std::chrono::nanoseconds tick_interval = std::chrono::seconds(1);
    telemetry::Registry* registry = nullptr;  // default: the global registry
    // Tests: runs in tick() after traces are taken out of the buffer, before they are decided.
    std::function<void()> before_evaluate;
  };

  static Result<std::unique_ptr<TailSamplingProcessor>> create(
      const component::Settings& settings, const Config& config,
      pipeline::Consumer<model::Traces>* next, Options options);
  ~TailSamplingProcessor() override;

  Status start(component::Host& host) override;
  void beginShutdown() override;
  Status shutdown(component::Deadline deadline) override;
  pipeline::Consumers input() override;
  bool mutatesData() const override { return true; }
  void consume(model::Traces&& data, pipeline::Done done) override;

  // Decides every trace whose decision_wait has elapsed and forwards the sampled ones.
  void tick();

  size_t pendingTraces() const;
  uint64_t pendingSpans() const;

 private:
  struct PolicyEntry {
    std::string name;
    std::unique_ptr<Policy> policy;
    telemetry::Counter* traces[3];  // by decision label: sampled, not_sampled, dropped
    telemetry::Counter* spans[3];
    telemetry::Histogram* latency_us;  // sampling_decision_latency{policy}
  };
  // Forwarded batches whose `done` has not run yet. Shared with the callbacks, so a `done`
  // that comes after shutdown() gave up at its deadline and the processor is gone is harmless.
  struct Inflight {
    std::mutex mu;
    std::condition_variable cv;
    size_t count = 0;
  };

  TailSamplingProcessor(const component::Settings& settings, const Config& config,
                        pipeline::Consumer<model::Traces>* next, Options options);
  void registerMetrics(const component::Settings& settings, telemetry::Registry& registry);

  // A decision in three steps, so that receivers wait for the buffer lock only while traces are
  // taken out and while decisions are recorded, not while they are decoded and evaluated:
  //   extractLocked (mu_)  removes the traces from the buffer as one OTLP body;
  //   evaluate (policy_mu_) decodes each trace on its own (a bad one affects only itself), runs
  //                        the policies, and copies the sampled traces into `kept` (a batch of
  //                        its own, sized by the sampled data only);
  //   recordLocked (mu_)   remembers the decisions; spans of those traces that arrived meanwhile
  //                        (buffered as a new entry) follow the decision at once.
  struct Pending {
    std::vector<TraceKey> keys;
    std::vector<TraceBuffer::Extracted> extracted;
    std::string body;
    std::vector<bool> sampled;
    model::Traces kept;
  };
  void extractLocked(std::vector<TraceKey> keys, Pending& pending);
  void evaluate(Pending& pending);
  void recordLocked(Pending& pending, model::Traces& out);
  // Decodes the trace body parts of `body` into `into` one by one; a part that does not decode
  // is counted and logged, the others go on. Answers how many parts decoded.
  size_t decodeParts(std::string_view body, std::span<const TraceBuffer::Extracted> parts,
                     model::Traces& into, std::string_view what);
  // A trace over maximum_trace_size_bytes: decided not sampled now (the collector's rule).
  void dropTooLargeLocked(const TraceKey& key, int64_t now);
  Decision evaluatePolicies(const TraceData& trace);
  void decideAllPending(model::Traces& out);
  void decideLocked(std::vector<TraceKey> keys, model::Traces& out);
  void forward(model::Traces&& batch, pipeline::Done done);
  void tickerLoop();

  Config config_;
  pipeline::Consumer<model::Traces>* next_;
  Options options_;
  pipeline::ProcessorObs obs_;
  std::vector<PolicyEntry> policies_;

  std::mutex policy_mu_;  // policies are stateful (rates); taken after mu_ when both are held
  mutable std::mutex mu_;
  TraceBuffer buffer_;
  DecisionCache sampled_;
  DecisionCache not_sampled_;
  std::vector<std::pair<TraceKey, uint32_t>> pending_;  // consume() scratch: key, span index
  std::vector<model::Span> run_;
  std::vector<TraceKey> too_large_;  // consume() scratch: traces over maximum_trace_size_bytes
  std::vector<TraceKey> due_;

  std::mutex ticker_mu_;
  std::condition_variable ticker_cv_;
  bool ticker_stop_ = false;
  std::thread ticker_;

  std::shared_ptr<Inflight> inflight_ = std::make_shared<Inflight>();

  telemetry::Counter* global_[3];
  telemetry::Counter* new_trace_ids_;
  telemetry::Counter* dropped_too_early_;
  telemetry::Counter* evaluation_errors_;
  telemetry::Counter* dropped_too_large_;
  telemetry::Counter* invalid_trace_id_spans_;
  telemetry::Counter* early_release_sampled_;
  telemetry::Counter* early_release_not_sampled_;
  telemetry::Gauge* traces_on_memory_;
  telemetry::Histogram* timer_latency_ms_;
  telemetry::Histogram* late_span_age_s_;
  telemetry::Histogram* removal_age_s_;
};

}  // namespace periscope::components::tail_sampling
