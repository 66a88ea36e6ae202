#include "components/exporters/awsemf/delta_calculator.h"

namespace periscope::components::awsemf_exporter {

DeltaCalculator::Delta DeltaCalculator::update(const std::string& key, double a, double b,
                                               int64_t time_ms) {
  auto [it, added] = series_.try_emplace(key, Entry{a, b, time_ms});
  if (added) return {false, a, b};
  Entry& prev = it->second;
  Delta d{true, a - prev.a, b - prev.b};
  if (d.a < 0 || d.b < 0) d = {true, a, b};  // reset
  prev = Entry{a, b, time_ms};
  return d;
}

void DeltaCalculator::expireBefore(int64_t time_ms) {
  std::erase_if(series_, [&](const auto& kv) { return kv.second.time_ms < time_ms; });
}

}  // namespace periscope::components::awsemf_exporter
