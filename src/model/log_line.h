// A log record's "line": what log line filters (`|=`, `|~`) and bytes_over_time see, and what
// the log store's token index is built from — one definition so that store and query agree.
#pragma once

#include <string>

#include "model/log_record.h"

namespace periscope::model {

// A string body as is; any other body as compact JSON (model/any_value_json.h), e.g.
// {"msg":"x","n":1}; no body: empty. Clears `out` first.
void logLine(const LogRecord& record, std::string& out);

}  // namespace periscope::model
