// The aggregation state of the spanmetrics connector: one Series per distinct set of dimension
// values (its key), holding the call count, the duration histogram and pending exemplars.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "components/connectors/spanmetrics/exponential_histogram.h"

namespace periscope::components::spanmetrics {

struct ExemplarRecord {
  std::array<char, 16> trace_id{};
  std::array<char, 8> span_id{};
  uint8_t trace_id_size = 0;
  uint8_t span_id_size = 0;
  uint64_t time_unix_nano = 0;
  double value = 0;
};

struct Series {
  std::string key;  // the dimension values (dimension_key.h)
  uint64_t hash = 0;
  uint32_t resource = 0;
  bool live = false;
  bool overflow = false;
  uint64_t start_time = 0;
  uint64_t last_seen = 0;
  uint64_t calls = 0;
  // Explicit-bucket histogram (when configured): bounds.size() + 1 counts.
  std::vector<uint64_t> buckets;
  uint64_t count = 0;
  double sum = 0;
  std::unique_ptr<ExponentialHistogram> exponential;
  std::vector<ExemplarRecord> exemplars;  // since the last flush
};

}  // namespace periscope::components::spanmetrics
