#include "components/processors/resourcedetection/detectors/system_detector.h"

namespace periscope::components::resourcedetection {
namespace {

std::string firstLine(const std::string& text) {
  std::string s = text.substr(0, text.find('\n'));
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

std::string hostArch(std::string_view machine) {
  if (machine == "x86_64" || machine == "amd64") return "amd64";
  if (machine == "aarch64" || machine == "arm64") return "arm64";
  if (machine == "i386" || machine == "i486" || machine == "i586" || machine == "i686")
    return "x86";
  if (machine.starts_with("arm")) return "arm32";
  if (machine == "ppc" || machine == "ppcle") return "ppc32";
  if (machine == "ppc64" || machine == "ppc64le") return "ppc64";
  if (machine == "s390x") return "s390x";
  if (machine == "ia64") return "ia64";
  return std::string(machine);
}

Result<std::string> SystemDetector::hostName(const Environment& env) const {
  std::string errors;
  for (const HostnameSource& source : config_.hostname_sources) {
    Result<std::string> name = unavailable("");
    auto os = env.hostname();
    if (source.value == "os") {
      name = os;
    } else if (!os.isOk()) {
      name = os.status();
    } else if (source.value == "dns" || source.value == "cname") {
      name = env.canonicalName(*os);
    } else {  // lookup
      name = env.reverseLookup(*os);
    }
    if (name.isOk() && !name->empty()) return name;
    errors += (errors.empty() ? "" : "; ") + source.value + ": " +
              (name.isOk() ? std::string("empty name") : std::string(name.status().message()));
  }
  return unavailable("failed getting host name (" + errors + ")");
}

Result<DetectedResource> SystemDetector::detect(DetectContext& ctx) {
  const auto& on = config_.resource_attributes;
  DetectedResource out;
  if (on.enabled("host.name")) {
    auto name = hostName(ctx.env);
    if (!name.isOk()) return name.status();
    out.put("host.name", std::move(name.value()));
  }
  putIfEnabled(out, on, "os.type", std::string("linux"));
  if (on.enabled("host.arch")) out.put("host.arch", hostArch(ctx.env.machine()));
  if (on.enabled("host.id")) {
    for (const char* path : {"/etc/machine-id", "/var/lib/dbus/machine-id"}) {
      auto id = ctx.env.readFile(path);
      if (id.isOk() && !firstLine(*id).empty()) {
        out.put("host.id", firstLine(*id));
        break;
      }
    }
  }
  return out;
}

}  // namespace periscope::components::resourcedetection
