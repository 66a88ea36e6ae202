// The key-value side of a storage extension, as components see it (the collector's
// storage.Client): receivers keep small state that must survive restarts here, e.g. the
// filelog receiver's file checkpoints. A storage extension (file_storage) implements
// KeyValueStorage; a component opens one StorageClient by a name unique to it at start.
// Keeps components free of the storage engine (layering), like queue_storage.h.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "component/component.h"

namespace periscope::pipeline {

class StorageClient {
 public:
  virtual ~StorageClient() = default;
  // The value stored under `key`, or nullopt.
  virtual Result<std::optional<std::string>> get(std::string_view key) = 0;
  // OK = the new value survives a crash of the process (and power loss if the extension
  // syncs). A failed set leaves the previous value in place.
  virtual Status set(std::string_view key, std::string_view value) = 0;
  virtual Status remove(std::string_view key) = 0;
};

class KeyValueStorage {
 public:
  virtual ~KeyValueStorage() = default;
  // `name` is unique per component, e.g. "receiver_filelog_app".
  virtual Result<std::unique_ptr<StorageClient>> openClient(const std::string& name) = 0;
};

// The client name for a component: "<kind>_<type>[_<name>]", e.g. "receiver_filelog_app";
// characters other than [A-Za-z0-9_.-] become "_".
std::string storageClientName(component::Kind kind, const component::ComponentId& id);

// Opens the client of component `id` in the extension named by a `storage:` key (e.g.
// "file_storage"). Errors name `field` (e.g. "storage") and say what is wrong.
Result<std::unique_ptr<StorageClient>> openStorageClient(component::Host& host,
                                                         std::string_view field,
                                                         const std::string& extension,
                                                         component::Kind kind,
                                                         const component::ComponentId& id);

}  // namespace periscope::pipeline
