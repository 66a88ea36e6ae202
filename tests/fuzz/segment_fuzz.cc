// libFuzzer target: arbitrary bytes as a trace-store segment file. The footer, every row group
// and every decoded table must be handled without a crash: damage is reported as a Status,
// and whatever decodes must be consistent enough to turn back into OTLP spans.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "row_group_reads.h"
#include "storage/signals/traces/segment.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace storage = periscope::storage;
  std::string_view file(reinterpret_cast<const char*>(data), size);
  (void)storage::checkSegmentHeader(file);
  auto meta = storage::decodeSegmentMeta(file, file.size());
  if (meta.isOk()) {
    for (const storage::RowGroupMeta& rg : meta->row_groups) {
      if (rg.offset > file.size() || rg.length > file.size() - rg.offset) continue;
      auto group = storage::decodeRowGroup(file.substr(rg.offset, rg.length), rg);
      if (group.isOk()) periscope::fuzz::readWholeRowGroup(**group);
    }
  }
  (void)storage::decodeSegment(file);
  return 0;
}
