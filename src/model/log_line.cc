#include "model/log_line.h"

#include "model/any_value_json.h"

namespace periscope::model {

void logLine(const LogRecord& record, std::string& out) {
  out.clear();
  switch (record.body.type()) {
    case AnyValue::Type::kAbsent:
      return;
    case AnyValue::Type::kString:
      out.assign(record.body.str());
      return;
    default:
      appendCompactJson(record.body, out);
  }
}

}  // namespace periscope::model
