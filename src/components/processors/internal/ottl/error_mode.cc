#include "components/processors/internal/ottl/error_mode.h"

#include "common/logging.h"

namespace periscope::ottl {

ErrorMode parseErrorMode(std::string_view name) {
  if (name == "ignore") return ErrorMode::kIgnore;
  if (name == "silent") return ErrorMode::kSilent;
  return ErrorMode::kPropagate;
}

bool onError(ErrorMode mode, std::string_view component, const std::string& statement,
             const std::string& error, Status& status) {
  switch (mode) {
    case ErrorMode::kSilent:
      return true;
    case ErrorMode::kIgnore:
      log::warn(component, "failed to execute OTTL; skipping",
                {{"statement", statement}, {"error", error}});
      return true;
    case ErrorMode::kPropagate:
      break;
  }
  status = invalidArgument("failed to execute statement: " + statement + ": " + error);
  return false;
}

}  // namespace periscope::ottl
