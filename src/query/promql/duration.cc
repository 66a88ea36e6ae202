#include "query/promql/duration.h"

#include <limits>

#include "query/promql/lexer.h"

namespace periscope::query::promql {

std::optional<int64_t> parseDurationMs(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (text == "0") return 0;
  int64_t total = 0;
  size_t next_unit = 0;  // units must appear largest first, each once
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    int64_t n = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (n > (std::numeric_limits<int64_t>::max() - 9) / 10) return std::nullopt;
      n = n * 10 + (text[i] - '0');
      ++i;
    }
    if (i == start) return std::nullopt;
    // "ms" before "m": the longest unit that matches at this point.
    size_t best = std::size(kDurationUnits);
    for (size_t u = 0; u < std::size(kDurationUnits); ++u) {
      std::string_view unit = kDurationUnits[u].unit;
      if (text.substr(i, unit.size()) == unit &&
          (best == std::size(kDurationUnits) || unit.size() > kDurationUnits[best].unit.size()))
        best = u;
    }
    if (best == std::size(kDurationUnits) || best < next_unit) return std::nullopt;
    i += kDurationUnits[best].unit.size();
    next_unit = best + 1;
    int64_t ms = kDurationUnits[best].ms;
    if (n > (std::numeric_limits<int64_t>::max() - total) / ms) return std::nullopt;
    total += n * ms;
  }
  return total;
}

}  // namespace periscope::query::promql
