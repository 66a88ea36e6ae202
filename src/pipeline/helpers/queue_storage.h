// The storage side of a persistent sending queue, as the exporter helper sees it. A storage
// extension (file_storage) implements QueueStorage; the helper opens one PersistentQueueLog per
// exporter and signal at start. Keeps the pipeline free of the storage engine (layering).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace periscope::pipeline {

class PersistentQueueLog {
 public:
  struct Item {
    uint64_t id = 0;
    uint32_t items = 0;
    std::string payload;
  };
  struct Size {
    uint64_t requests = 0;  // appended and not acknowledged (waiting or in flight)
    uint64_t items = 0;
    uint64_t bytes = 0;
  };
  virtual ~PersistentQueueLog() = default;
  // OK = on disk (synced if the extension says so). Failures are retryable (UNAVAILABLE).
  virtual Result<uint64_t> append(std::string_view payload, uint32_t items) = 0;
  // The oldest item not handed out yet, or nullopt. DATA_LOSS: an item was unreadable and is
  // gone (see lostItems()); call again. Any other error is transient (EIO, EMFILE): the item
  // stays queued.
  virtual Result<std::optional<Item>> next() = 0;
  // The item leaves the queue for good.
  virtual Status ack(uint64_t id) = 0;
  // Hands the item out again (a send was abandoned; the process goes on).
  virtual void requeue(uint64_t id) = 0;
  virtual Size size() const = 0;
  // Items (spans, points, records) of requests that no longer read back intact, since open;
  // the caller counts them as dropped.
  virtual uint64_t lostItems() const = 0;
  // Unacknowledged requests found on disk at open (delivered again: at-least-once).
  virtual uint64_t recovered() const = 0;
};

class QueueStorage {
 public:
  virtual ~QueueStorage() = default;
  // `name` is unique per exporter and signal, e.g. "exporter_otlp_backup_traces".
  virtual Result<std::unique_ptr<PersistentQueueLog>> openQueue(const std::string& name) = 0;
};

}  // namespace periscope::pipeline
