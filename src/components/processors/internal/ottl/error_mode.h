// error_mode of the OTTL processors (filter, transform), as in the collector:
//   propagate (default): a runtime error fails the whole batch, which goes back to the receiver;
//   ignore: the error is logged and processing goes on with the next condition or statement;
//   silent: as ignore, without the log line.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace periscope::ottl {

enum class ErrorMode { kPropagate, kIgnore, kSilent };

inline const std::vector<std::string>& errorModeNames() {
  static const std::vector<std::string> names = {"propagate", "ignore", "silent"};
  return names;
}
ErrorMode parseErrorMode(std::string_view name);

// Handles one runtime error of `statement` in processor `component`: true to go on (ignore,
// silent), false to stop, with `status` set (propagate).
bool onError(ErrorMode mode, std::string_view component, const std::string& statement,
             const std::string& error, Status& status);

}  // namespace periscope::ottl
