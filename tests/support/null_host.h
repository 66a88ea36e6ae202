// NullHost: a component::Host with no extensions that ignores fatal errors, for starting a
// single component in a unit test.
#pragma once

#include "component/component.h"

namespace periscope::testing {

class NullHost : public component::Host {
 public:
  component::Component* extension(const component::ComponentId&) override { return nullptr; }
  void reportFatalError(const component::ComponentId&, const Status&) override {}
};

}  // namespace periscope::testing
