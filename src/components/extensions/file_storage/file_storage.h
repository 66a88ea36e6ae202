// `file_storage` extension: disk space for exporters' persistent sending queues
// (`sending_queue.storage: file_storage`). Each exporter signal gets its own directory
// `<directory>/exporter_<type>[_<name>]_<signal>/` holding a storage::DurableQueue, locked
// (flock) so that two processes never share one queue.
#pragma once

#include <memory>
#include <string>

#include "config/schema.h"
#include "pipeline/factories.h"

namespace periscope::components::file_storage {

struct Compaction {
  bool on_start = false;
  bool on_rebound = true;
  std::string directory;
  uint64_t max_transaction_size = 65536;
  uint64_t rebound_needed_threshold_mib = 10;
  uint64_t rebound_trigger_threshold_mib = 5;
  config::Duration check_interval = std::chrono::seconds(5);
  static const config::Schema<Compaction>& schema();
};

struct Config : component::Config {
  std::string directory = "/var/lib/periscope/file_storage";
  bool create_directory = false;
  bool fsync = false;
  config::Duration timeout = std::chrono::seconds(1);
  Compaction compaction;
  static const config::Schema<Config>& schema();
  Status validate() const override;
};

std::unique_ptr<pipeline::ExtensionFactory> makeFactory();

}  // namespace periscope::components::file_storage
