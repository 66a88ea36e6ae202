#include "components/processors/resourcedetection/environment.h"

#include <netdb.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>

namespace periscope::components::resourcedetection {
namespace {

struct AddrInfoDeleter {
  void operator()(addrinfo* ai) const { freeaddrinfo(ai); }
};
using AddrInfoPtr = std::unique_ptr<addrinfo, AddrInfoDeleter>;

Result<AddrInfoPtr> resolve(const std::string& host, int flags) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = flags;
  addrinfo* out = nullptr;
  int rc = getaddrinfo(host.c_str(), nullptr, &hints, &out);
  if (rc != 0) return unavailable("resolving \"" + host + "\": " + gai_strerror(rc));
  return AddrInfoPtr(out);
}

}  // namespace

std::optional<std::string> ProcessEnvironment::variable(std::string_view name) const {
  const char* v = std::getenv(std::string(name).c_str());
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

Result<std::string> ProcessEnvironment::hostname() const {
  char buf[256] = {};
  if (gethostname(buf, sizeof(buf) - 1) != 0) return unavailable("gethostname failed");
  return std::string(buf);
}

Result<std::string> ProcessEnvironment::canonicalName(const std::string& host) const {
  auto ai = resolve(host, AI_CANONNAME);
  if (!ai.isOk()) return ai.status();
  const addrinfo* first = ai.value().get();
  if (first == nullptr || first->ai_canonname == nullptr || first->ai_canonname[0] == '\0')
    return notFound("no canonical name for \"" + host + "\"");
  return std::string(first->ai_canonname);
}

Result<std::string> ProcessEnvironment::reverseLookup(const std::string& host) const {
  auto ai = resolve(host, 0);
  if (!ai.isOk()) return ai.status();
  const addrinfo* first = ai.value().get();
  if (first == nullptr) return notFound("no address for \"" + host + "\"");
  char name[NI_MAXHOST] = {};
  int rc =
      getnameinfo(first->ai_addr, first->ai_addrlen, name, sizeof(name), nullptr, 0, NI_NAMEREQD);
  if (rc != 0) return unavailable("reverse lookup of \"" + host + "\": " + gai_strerror(rc));
  return std::string(name);
}

Result<std::string> ProcessEnvironment::readFile(const std::string& path) const {
  std::ifstream in(path);
  if (!in) return notFound("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string ProcessEnvironment::machine() const {
  utsname u{};
  if (uname(&u) != 0) return "";
  return u.machine;
}

std::optional<std::string> StaticEnvironment::variable(std::string_view name) const {
  auto it = variables.find(name);
  if (it == variables.end()) return std::nullopt;
  return it->second;
}

Result<std::string> StaticEnvironment::hostname() const {
  if (host_name.empty()) return unavailable("gethostname failed");
  return host_name;
}

Result<std::string> StaticEnvironment::canonicalName(const std::string& host) const {
  if (canonical_name.empty()) return notFound("no canonical name for \"" + host + "\"");
  return canonical_name;
}

Result<std::string> StaticEnvironment::reverseLookup(const std::string& host) const {
  if (reverse_name.empty()) return unavailable("reverse lookup of \"" + host + "\" failed");
  return reverse_name;
}

Result<std::string> StaticEnvironment::readFile(const std::string& path) const {
  auto it = files.find(path);
  if (it == files.end()) return notFound("cannot read " + path);
  return it->second;
}

}  // namespace periscope::components::resourcedetection
