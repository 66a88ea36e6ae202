// ComponentId: "type[/name]" as written in the collector's YAML (e.g. "otlp", "otlp/backup").
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace periscope::component {

struct ComponentId {
  std::string type;
  std::string name;

  static Result<ComponentId> parse(std::string_view text);
  std::string toString() const { return name.empty() ? type : type + "/" + name; }
  bool operator==(const ComponentId&) const = default;
  auto operator<=>(const ComponentId&) const = default;
};

enum class Kind { kReceiver, kProcessor, kExporter, kConnector, kExtension };
std::string_view kindName(Kind kind);         // "receiver"
std::string_view kindSectionName(Kind kind);  // "receivers"

enum class Signal { kTraces, kMetrics, kLogs };
std::string_view signalName(Signal s);  // "traces"
bool parseSignal(std::string_view text, Signal& out);

}  // namespace periscope::component
