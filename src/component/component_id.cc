#include "component/component_id.h"

#include <cctype>

namespace periscope::component {

Result<ComponentId> ComponentId::parse(std::string_view text) {
  ComponentId id;
  size_t slash = text.find('/');
  id.type = std::string(text.substr(0, slash));
  if (slash != std::string_view::npos) {
    id.name = std::string(text.substr(slash + 1));
    if (id.name.empty())
      return invalidArgument("component id \"" + std::string(text) + "\": name after '/' is empty");
  }
  if (id.type.empty())
    return invalidArgument("component id \"" + std::string(text) + "\": type is empty");
  for (char c : id.type) {
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '_')) {
      return invalidArgument("component id \"" + std::string(text) +
                             "\": type may contain only a-z, 0-9 and _");
    }
  }
  for (char c : id.name) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == '/') {
      return invalidArgument("component id \"" + std::string(text) +
                             "\": name may not contain spaces or '/'");
    }
  }
  return id;
}

std::string_view kindName(Kind kind) {
  switch (kind) {
    case Kind::kReceiver:
      return "receiver";
    case Kind::kProcessor:
      return "processor";
    case Kind::kExporter:
      return "exporter";
    case Kind::kConnector:
      return "connector";
    case Kind::kExtension:
      return "extension";
  }
  return "?";
}

std::string_view kindSectionName(Kind kind) {
  switch (kind) {
    case Kind::kReceiver:
      return "receivers";
    case Kind::kProcessor:
      return "processors";
    case Kind::kExporter:
      return "exporters";
    case Kind::kConnector:
      return "connectors";
    case Kind::kExtension:
      return "extensions";
  }
  return "?";
}

std::string_view signalName(Signal s) {
  switch (s) {
    case Signal::kTraces:
      return "traces";
    case Signal::kMetrics:
      return "metrics";
    case Signal::kLogs:
      return "logs";
  }
  return "?";
}

bool parseSignal(std::string_view text, Signal& out) {
  if (text == "traces")
    out = Signal::kTraces;
  else if (text == "metrics")
    out = Signal::kMetrics;
  else if (text == "logs")
    out = Signal::kLogs;
  else
    return false;
  return true;
}

}  // namespace periscope::component
