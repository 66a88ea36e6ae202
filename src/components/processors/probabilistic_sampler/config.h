// Config of the `probabilistic_sampler` processor (the collector's keys and defaults).
#pragma once

#include <string>

#include "component/component.h"
#include "config/schema.h"

namespace periscope::components::probabilistic_sampler {

struct Config : component::Config {
  double sampling_percentage = 0;  // applied as float32, as in the collector
  uint32_t hash_seed = 0;
  std::string mode = "hash_seed";  // hash_seed | proportional | equalizing
  int32_t sampling_precision = 4;
  bool fail_closed = true;
  // Logs only.
  std::string attribute_source = "traceID";  // traceID | record
  std::string from_attribute;
  std::string sampling_priority;

  static const config::Schema<Config>& schema();
  Status validate() const override;
};

}  // namespace periscope::components::probabilistic_sampler
