#include "components/processors/probabilistic_sampler/config.h"

#include <cmath>
#include <cstdio>

#include "components/processors/probabilistic_sampler/threshold.h"

namespace periscope::components::probabilistic_sampler {

const config::Schema<Config>& Config::schema() {
  static const auto s =
      config::Schema<Config>()
          .field("sampling_percentage", &Config::sampling_percentage,
                 "Percentage of items kept; >= 100 keeps everything, 0 drops everything.")
          .field("hash_seed", &Config::hash_seed,
                 "Seed of the FNV hash in hash_seed mode; every instance of a tier must use the "
                 "same seed to make the same decisions.")
          .choice("mode", &Config::mode, {"hash_seed", "proportional", "equalizing"},
                  "hash_seed: FNV hash of seed and trace id (14 bits); proportional: multiplies "
                  "the arriving tracestate probability; equalizing: lowers it to the configured "
                  "one.")
          .field("sampling_precision", &Config::sampling_precision,
                 "Hex digits of the threshold written as ot=th:... (1..14).")
          .field("fail_closed", &Config::fail_closed,
                 "Drop items whose sampling information is missing or invalid (else keep them).")
          .choice("attribute_source", &Config::attribute_source, {"traceID", "record"},
                  "Logs: randomness from the trace id, or from the from_attribute record "
                  "attribute.")
          .field("from_attribute", &Config::from_attribute,
                 "Logs: record attribute hashed when attribute_source is record or the trace id "
                 "is absent.")
          .field("sampling_priority", &Config::sampling_priority,
                 "Logs: record attribute holding a percentage that overrides sampling_percentage "
                 "(0 drops, >= 100 keeps).");
  return s;
}

Status Config::validate() const {
  // The collector's messages (config.go), %f and %g formatted the way Go prints a float32,
  // prefixed with the field they are about (the collector's messages do not name it).
  char buf[96];
  float pct = static_cast<float>(sampling_percentage);
  if (std::isinf(pct) || std::isnan(pct)) {
    std::snprintf(buf, sizeof buf, "sampling_percentage: sampling rate is invalid: %f%%",
                  static_cast<double>(pct));
    return invalidArgument(buf);
  }
  double ratio = static_cast<double>(pct) / 100.0;
  if (ratio < 0) {
    std::snprintf(buf, sizeof buf, "sampling_percentage: sampling rate is negative: %f%%",
                  static_cast<double>(pct));
    return invalidArgument(buf);
  }
  if (ratio > 0 && ratio < kMinSamplingProbability) {
    std::snprintf(buf, sizeof buf, "sampling_percentage: sampling rate is too small: %g%%",
                  static_cast<double>(pct));
    return invalidArgument(buf);
  }
  if (sampling_precision == 0)
    return invalidArgument("sampling_precision: invalid sampling precision: 0");
  if (sampling_precision < 0) {
    std::snprintf(buf, sizeof buf,
                  "sampling_precision: sampling precision must be between 1 and 14: %d",
                  sampling_precision);
    return invalidArgument(buf);
  }
  if (sampling_precision > kNumHexDigits) {
    std::snprintf(buf, sizeof buf,
                  "sampling_precision: sampling precision is too great, should be <= 14: %d",
                  sampling_precision);
    return invalidArgument(buf);
  }
  if (attribute_source == "record" && from_attribute.empty()) {
    return invalidArgument("from_attribute must be set when attribute_source is record");
  }
  return Status::ok();
}

}  // namespace periscope::components::probabilistic_sampler
