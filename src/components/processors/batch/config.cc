#include "components/processors/batch/config.h"

namespace periscope::components::batch {

const config::Schema<Config>& Config::schema() {
  static const auto s =
      config::Schema<Config>()
          .field("timeout", &Config::timeout,
                 "A batch is sent this long after its first item arrived, whatever its size (0 = "
                 "send at once).")
          .field("send_batch_size", &Config::send_batch_size,
                 "A batch is sent as soon as it holds this many items (spans, points, records).")
          .field("send_batch_max_size", &Config::send_batch_max_size,
                 "Larger batches are split to this size (0 = no limit; else >= send_batch_size).");
  return s;
}

Status Config::validate() const {
  if (send_batch_max_size > 0 && send_batch_max_size < send_batch_size) {
    return invalidArgument("send_batch_max_size must be greater or equal to send_batch_size");
  }
  return Status::ok();
}

}  // namespace periscope::components::batch
