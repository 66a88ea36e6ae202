// Stack-trace parsing for exception events: exception.stacktrace text → X-Ray stack frames
// ({path, line, label}, innermost first), for java, python, nodejs, dotnet and go
// (`telemetry.sdk.language`). Other languages (php) and unparseable text give no frames; the
// exception is still reported.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace periscope::components::awsxray_exporter::translator {

// A JSON array of frames (possibly empty).
nlohmann::json parseStackTrace(std::string_view language, std::string_view stacktrace);

}  // namespace periscope::components::awsxray_exporter::translator
