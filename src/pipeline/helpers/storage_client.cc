#include "pipeline/helpers/storage_client.h"

#include <cctype>

namespace periscope::pipeline {

std::string storageClientName(component::Kind kind, const component::ComponentId& id) {
  std::string name = std::string(component::kindName(kind)) + "_" + id.type +
                     (id.name.empty() ? "" : "_" + id.name);
  for (char& c : name) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
    if (!ok) c = '_';
  }
  return name;
}

Result<std::unique_ptr<StorageClient>> openStorageClient(component::Host& host,
                                                         std::string_view field,
                                                         const std::string& extension,
                                                         component::Kind kind,
                                                         const component::ComponentId& id) {
  auto ext_id = component::ComponentId::parse(extension);
  if (!ext_id.isOk())
    return invalidArgument(std::string(field) + ": " + std::string(ext_id.status().message()));
  auto* storage = dynamic_cast<KeyValueStorage*>(host.extension(*ext_id));
  if (storage == nullptr) {
    return invalidArgument(std::string(field) + ": \"" + extension +
                           "\" is not a storage extension listed in service.extensions "
                           "(e.g. file_storage)");
  }
  auto client = storage->openClient(storageClientName(kind, id));
  if (!client.isOk())
    return Status(client.status().code(), std::string(field) + " \"" + extension +
                                              "\": " + std::string(client.status().message()));
  return client;
}

}  // namespace periscope::pipeline
