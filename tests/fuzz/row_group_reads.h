// What the segment fuzz targets do with a row group that decoded: every read the store makes of
// one (all rows back to OTLP spans, every trace's rows), so hostile columns meet every reader.
#pragma once

#include <cstdint>
#include <vector>

#include "storage/signals/traces/segment.h"

namespace periscope::fuzz {

inline void readWholeRowGroup(const storage::LoadedRowGroup& group) {
  const storage::SpanTable& t = group.table;
  std::vector<uint32_t> rows(t.rows());
  for (uint32_t i = 0; i < rows.size(); ++i) rows[i] = i;
  model::Traces out;
  t.toTraces(rows, out);
  for (const auto& id : group.trace_ids) (void)group.traceRows(id);
}

}  // namespace periscope::fuzz
