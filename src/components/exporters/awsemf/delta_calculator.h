// Cumulative → delta conversion, keyed by series, as the collector's awsemfexporter does for
// cumulative sums (and for summaries scraped by Prometheus): the first value of a series has no
// delta; a value below the previous one is a reset and is sent as is.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

namespace periscope::components::awsemf_exporter {

class DeltaCalculator {
 public:
  // Two values per series (a sum's value; a summary's sum and count).
  struct Delta {
    bool has_previous = false;
    double a = 0;
    double b = 0;
  };
  // Records (a, b) for `key` and returns the difference to the previous values. A decrease of
  // `a` or `b` is taken as a counter reset: the current values are returned as the delta.
  Delta update(const std::string& key, double a, double b, int64_t time_ms);
  // Forgets series last updated before `time_ms` (series that stopped reporting).
  void expireBefore(int64_t time_ms);
  size_t size() const { return series_.size(); }

 private:
  struct Entry {
    double a = 0;
    double b = 0;
    int64_t time_ms = 0;
  };
  std::unordered_map<std::string, Entry> series_;
};

}  // namespace periscope::components::awsemf_exporter
