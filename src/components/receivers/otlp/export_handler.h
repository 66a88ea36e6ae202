// The transport-independent half of an OTLP export: decode (protobuf or JSON), drop invalid
// items (partial success), push into the pipeline, count accepted/refused, and report back.
// Called on the transport's thread; `reply` may run later on a pipeline thread.
#pragma once

#include <functional>
#include <string>

#include "common/status.h"
#include "pipeline/consumer.h"
#include "pipeline/obsreport.h"

namespace periscope::components::otlp_receiver {

enum class WireFormat { kProtobuf, kJson };

struct ExportResult {
  Status status;         // OK, or why the whole request failed
  int64_t rejected = 0;  // items dropped as invalid (partial success)
  std::string message;   // partial-success error message
};

using Reply = std::function<void(ExportResult)>;

template <typename T>
void handleExport(std::string&& body, WireFormat format, pipeline::Consumer<T>* next,
                  pipeline::ReceiverObs& obs, Reply reply);

}  // namespace periscope::components::otlp_receiver
