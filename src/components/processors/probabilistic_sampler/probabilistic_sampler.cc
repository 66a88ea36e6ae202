#include "components/processors/probabilistic_sampler/probabilistic_sampler.h"

#include "model/batch_filter.h"

namespace periscope::components::probabilistic_sampler {

DecisionCounters::DecisionCounters(const component::ComponentId& id, component::Signal signal,
                                   const Sampler& sampler, telemetry::Registry& registry) {
  std::vector<std::pair<std::string, std::string>> names;
  if (signal == component::Signal::kLogs) {
    names = {{"otelcol_processor_probabilistic_sampler_count_logs_sampled",
              "Count of logs that were sampled or not"}};
  } else {
    names = {{"otelcol_processor_probabilistic_sampler_count_traces_sampled",
              "Count of spans that were sampled or not (deprecated name)"},
             {"otelcol_processor_probabilistic_sampler_count_spans_processed",
              "Count of spans that were sampled or not"}};
  }
  for (size_t p = 0; p < kPolicyCount; ++p) {
    auto policy = static_cast<Policy>(p);
    // The attribute policy exists only for logs with from_attribute set.
    if (policy == Policy::kAttribute && sampler.policyName(policy).empty()) continue;
    for (int sampled = 0; sampled < 2; ++sampled) {
      telemetry::Labels labels = {{"processor", id.toString()},
                                  {"policy", std::string(sampler.policyName(policy))},
                                  {"sampled", sampled ? "true" : "false"}};
      for (const auto& [name, help] : names) {
        counters_[p][sampled].push_back(&registry.counter(name, help, labels));
      }
    }
  }
}

void DecisionCounters::add(const Tally& tally) {
  for (size_t p = 0; p < kPolicyCount; ++p) {
    for (int sampled = 0; sampled < 2; ++sampled) {
      if (tally[p][sampled] == 0) continue;
      for (telemetry::Counter* c : counters_[p][sampled]) {
        c->add(static_cast<double>(tally[p][sampled]));
      }
    }
  }
}

template <>
Status ProbabilisticSampler<model::Traces>::process(model::Traces& data) {
  DecisionCounters::Tally tally{};
  Arena& arena = data.arena();
  model::removeSpansIf(
      data, [&](const model::ResourceSpans&, const model::ScopeSpans&, const model::Span& span) {
        // removeSpansIf hands out const views of spans the processor owns (mutatesData()).
        Decision d = sampler_.sampleSpan(arena, const_cast<model::Span&>(span));
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
  model::removeLogRecordsIf(data, [&](const model::ResourceLogs&, const model::ScopeLogs&,
                                      const model::LogRecord& record) {
    Decision d = sampler_.sampleLog(arena, const_cast<model::LogRecord&>(record));
    ++tally[static_cast<size_t>(d.policy)][d.sampled ? 1 : 0];
    return !d.sampled;
  });
  counters_.add(tally);
  return Status::ok();
}

}  // namespace periscope::components::probabilistic_sampler
