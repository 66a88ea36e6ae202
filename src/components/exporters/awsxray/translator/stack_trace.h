// Stack-trace parsing for exception events: exception.stacktrace text → X-Ray stack frames
// ({path, line, label}, innermost first), for java, python, nodejs, dotnet and go
// (`telemetry.sdk.language`); Java "Caused by:" sections become chained exceptions. Other
// languages (php) and unparseable text give no frames; the exception is still reported.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace periscope::components::awsxray_exporter::translator {

// An exception named inside a stack trace (Java "Caused by: type: message").
struct ChainedException {
  std::string type;
  std::string message;
  nlohmann::json frames = nlohmann::json::array();
};

struct ParsedStack {
  nlohmann::json frames = nlohmann::json::array();  // of the thrown exception
  std::vector<ChainedException> causes;             // outermost cause first
};

ParsedStack parseStackTrace(std::string_view language, std::string_view stacktrace);

}  // namespace periscope::components::awsxray_exporter::translator
