#include "components/processors/probabilistic_sampler/probabilistic_sampler.h"

#include "model/batch_filter.h"

namespace periscope::components::probabilistic_sampler {

DecisionCounters::DecisionCounters(const component::ComponentId& id, component::Signal signal,
                                   const Sampler& sampler, telemetry::Registry& registry)
    : registry_(registry), processor_(id.toString()) {
  if (signal == component::Signal::kLogs) {
    names_ = {{"otelcol_processor_probabilistic_sampler_count_logs_sampled",
               "Count of logs that were sampled or not"}};
  } else {
    names_ = {{"otelcol_processor_probabilistic_sampler_count_traces_sampled",
               "Count of spans that were sampled or not (deprecated name)"},
              {"otelcol_processor_probabilistic_sampler_count_spans_processed",
               "Count of spans that were sampled or not"}};
  }
  for (size_t p = 0; p < kPolicyCount; ++p) {
    policies_[p] = std::string(sampler.policyName(static_cast<Policy>(p)));
  }
}

void DecisionCounters::add(const Tally& tally) {
  for (size_t p = 0; p < kPolicyCount; ++p) {
    for (int sampled = 0; sampled < 2; ++sampled) {
      size_t n = tally[p][sampled];
      if (n == 0) continue;
      for (size_t i = 0; i < names_.size(); ++i) {
        std::atomic<telemetry::Counter*>& slot = counters_[p][sampled][i];
        telemetry::Counter* c = slot.load(std::memory_order_acquire);
        if (c == nullptr) {
          // First use of this series; concurrent first uses get the same counter back.
          c = &registry_.counter(names_[i].name, names_[i].help,
                                 {{"processor", processor_},
                                  {"policy", policies_[p]},
                                  {"sampled", sampled ? "true" : "false"}});
          slot.store(c, std::memory_order_release);
        }
        c->add(static_cast<double>(n));
      }
    }
  }
}

template <>
Status ProbabilisticSampler<model::Traces>::process(model::Traces& data) {
  DecisionCounters::Tally tally{};
  Arena& arena = data.arena();
  model::removeSpansIf(
      data, [&](const model::ResourceSpans&, const model::ScopeSpans&, model::Span& span) {
        Decision d = sampler_.sampleSpan(arena, span);
        ++tally[static_cast<size_t>(d.policy)][d.sampled ? 1 : 0];
        return !d.sampled;
      });
  counters_.add(tally);
  return Status::ok();
}

template <>
Status ProbabilisticSampler<model::Logs>::process(model::Logs& data) {
  DecisionCounters::Tally tally{};
  Arena& arena = data.arena();
  model::removeLogRecordsIf(
      data, [&](const model::ResourceLogs&, const model::ScopeLogs&, model::LogRecord& record) {
        Decision d = sampler_.sampleLog(arena, record);
        ++tally[static_cast<size_t>(d.policy)][d.sampled ? 1 : 0];
        return !d.sampled;
      });
  counters_.add(tally);
  return Status::ok();
}

}  // namespace periscope::components::probabilistic_sampler
