// Go-style durations as the collector writes them ("200ms", "1m30s", "5s", "1h").
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace periscope::config {

using Duration = std::chrono::nanoseconds;

std::optional<Duration> parseDuration(std::string_view text);
std::string formatDuration(Duration d);

}  // namespace periscope::config
