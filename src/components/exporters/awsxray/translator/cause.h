// error / fault / throttle flags and the `cause` block: 4xx → error (429 also throttle),
// 5xx → fault, otherwise span status ERROR → fault. Exceptions come from `exception` events
// (type, message, parsed stack); without such an event, an ERROR status message becomes the
// single exception. `remote` marks exceptions of CLIENT and PRODUCER spans.
#pragma once

#include <nlohmann/json.hpp>

#include "components/exporters/awsxray/translator/ids.h"
#include "components/exporters/awsxray/translator/span_context.h"

namespace periscope::components::awsxray_exporter::translator {

struct Fault {
  bool error = false;
  bool fault = false;
  bool throttle = false;
  nlohmann::json cause;  // null when there is no cause
};

Fault makeFault(const SpanContext& ctx, const IdSource& ids);

}  // namespace periscope::components::awsxray_exporter::translator
