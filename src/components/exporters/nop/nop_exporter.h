// `nop` exporter: accepts and discards everything (as the collector's nop exporter); used to
// measure the receive/process path alone and to terminate pipelines in tests.
#pragma once

#include <memory>

#include "pipeline/factories.h"

namespace periscope::components::nop_exporter {

std::unique_ptr<pipeline::ExporterFactory> makeFactory();

}  // namespace periscope::components::nop_exporter
