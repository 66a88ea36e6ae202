// Environment: everything the detectors read from the machine (environment variables, host name,
// files, CPU architecture) behind one interface, so tests inject a fake and never depend on the
// machine they run on.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace periscope::components::resourcedetection {

class Environment {
 public:
  virtual ~Environment() = default;
  // The variable's value; nullopt when unset (set-but-empty is "").
  virtual std::optional<std::string> variable(std::string_view name) const = 0;
  // The kernel's host name (gethostname).
  virtual Result<std::string> hostname() const = 0;
  // The canonical (fully qualified) name of `host` from the resolver (getaddrinfo AI_CANONNAME).
  virtual Result<std::string> canonicalName(const std::string& host) const = 0;
  // The name a reverse lookup of `host`'s first address gives (getnameinfo NI_NAMEREQD).
  virtual Result<std::string> reverseLookup(const std::string& host) const = 0;
  virtual Result<std::string> readFile(const std::string& path) const = 0;
  // The machine hardware name as uname(2) reports it, e.g. "x86_64", "aarch64".
  virtual std::string machine() const = 0;
};

// The real process environment and machine.
class ProcessEnvironment final : public Environment {
 public:
  std::optional<std::string> variable(std::string_view name) const override;
  Result<std::string> hostname() const override;
  Result<std::string> canonicalName(const std::string& host) const override;
  Result<std::string> reverseLookup(const std::string& host) const override;
  Result<std::string> readFile(const std::string& path) const override;
  std::string machine() const override;
};

// A fixed environment for tests: variables, files and names given up front; anything missing
// is unset / not found.
class StaticEnvironment final : public Environment {
 public:
  std::map<std::string, std::string, std::less<>> variables;
  std::map<std::string, std::string> files;
  std::string host_name;       // empty: hostname() fails
  std::string canonical_name;  // empty: canonicalName() fails
  std::string reverse_name;    // empty: reverseLookup() fails
  std::string machine_name = "x86_64";

  std::optional<std::string> variable(std::string_view name) const override;
  Result<std::string> hostname() const override;
  Result<std::string> canonicalName(const std::string& host) const override;
  Result<std::string> reverseLookup(const std::string& host) const override;
  Result<std::string> readFile(const std::string& path) const override;
  std::string machine() const override { return machine_name; }
};

}  // namespace periscope::components::resourcedetection
