#include "components/processors/memory_limiter/config.h"

namespace periscope::components::memory_limiter {

const config::Schema<Config>& Config::schema() {
  static const auto s =
      config::Schema<Config>()
          .field("check_interval", &Config::check_interval,
                 "How often memory use is measured (required; 1s is typical).")
          .field("limit_mib", &Config::limit_mib, "Hard limit of resident memory in MiB.")
          .field("spike_limit_mib", &Config::spike_limit_mib,
                 "Headroom below the hard limit; data is refused above limit - spike (default 20% "
                 "of the limit).")
          .field("limit_percentage", &Config::limit_percentage,
                 "Hard limit as a percentage of total memory (cgroup limit or MemTotal); instead "
                 "of limit_mib.")
          .field("spike_limit_percentage", &Config::spike_limit_percentage,
                 "Spike headroom as a percentage of total memory.");
  return s;
}

Status Config::validate() const {
  if (check_interval.count() <= 0)
    return invalidArgument("check_interval must be greater than zero");
  if (limit_mib == 0 && limit_percentage == 0) {
    return invalidArgument("either limit_mib or limit_percentage must be set");
  }
  if (limit_mib > 0 && limit_percentage > 0) {
    return invalidArgument("limit_mib and limit_percentage are mutually exclusive");
  }
  if (limit_mib > 0 && spike_limit_mib >= limit_mib) {
    return invalidArgument("spike_limit_mib must be smaller than limit_mib");
  }
  if (limit_percentage > 100 || spike_limit_percentage > 100) {
    return invalidArgument("limit_percentage and spike_limit_percentage must be at most 100");
  }
  if (limit_percentage > 0 && spike_limit_percentage >= limit_percentage) {
    return invalidArgument("spike_limit_percentage must be smaller than limit_percentage");
  }
  return Status::ok();
}

}  // namespace periscope::components::memory_limiter
