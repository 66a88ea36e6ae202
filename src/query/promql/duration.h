// Prometheus durations as text: `1h30m`, `5m`, `100ms` (units y w d h m s ms, largest first,
// each at most once), as accepted in queries and in API parameters such as `step`.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace periscope::query::promql {

// Milliseconds; nullopt for bad syntax, units out of order, or overflow. "0" and "0s" are 0.
std::optional<int64_t> parseDurationMs(std::string_view text);

}  // namespace periscope::query::promql
