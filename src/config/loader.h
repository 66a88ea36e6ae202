// Loads YAML into config::Value with ${env:VAR}, ${VAR} and ${env:VAR:-default} expanded in
// scalars (after parsing, so line:column stay exact). `$$` is a literal `$`. Syntax errors and
// undefined variables without a default are reported to Diagnostics with file:line:column.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "config/diagnostics.h"
#include "config/value.h"

namespace periscope::config {

// Looks an environment variable up; tests inject their own.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
EnvLookup processEnv();

Value loadYamlString(const std::string& text, const std::string& file_name, Diagnostics& diags,
                     const EnvLookup& env = processEnv());
Value loadYamlFile(const std::string& path, Diagnostics& diags,
                   const EnvLookup& env = processEnv());

// Expands variables in one scalar; errors go to `diags` at `at`.
std::string expandEnv(const std::string& text, const Value& at, Diagnostics& diags,
                      const EnvLookup& env);

}  // namespace periscope::config
