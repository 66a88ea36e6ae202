// `serve --demo`: feeds the running server a gentle synthetic workload (the loadgen's shop
// topology at ~200 spans/s over OTLP/gRPC) so a new user sees data flowing at once.
#pragma once

#include <memory>

namespace periscope::app {

class Demo {
 public:
  virtual ~Demo() = default;
};

std::unique_ptr<Demo> startDemo();

}  // namespace periscope::app
