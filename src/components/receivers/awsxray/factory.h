// Factory of the `awsxray` receiver (traces only): X-Ray SDKs send segment documents over UDP,
// as to the X-Ray daemon.
#pragma once

#include <memory>

#include "pipeline/factories.h"

namespace periscope::components::awsxray_receiver {

std::unique_ptr<pipeline::ReceiverFactory> makeFactory();

}  // namespace periscope::components::awsxray_receiver
