// Time parsing for `timestamp:` blocks and the time_parser operator: strptime layouts through
// libc strptime/timegm (plus the collector's fraction directives %L, %f, %s), Go reference
// layouts translated to strptime, and epoch numbers (s, ms, us, ns, s.ms, s.us, s.ns).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "components/receivers/filelog/config.h"

namespace periscope::components::filelog {

class TimeLayout {
 public:
  // `config` must have passed Config::validate().
  explicit TimeLayout(const TimeParserConfig& config);
  // Unix nanoseconds of `text`; INVALID_ARGUMENT naming the layout when it does not match.
  Result<uint64_t> parse(std::string_view text) const;
  // Numbers (epoch layouts) as JSON gives them.
  Result<uint64_t> parseNumber(double value) const;
  Result<uint64_t> parseInteger(int64_t value) const;

 private:
  Result<uint64_t> parseStrptime(std::string_view text) const;
  Result<uint64_t> parseEpoch(std::string_view text) const;

  bool epoch_ = false;
  uint64_t epoch_unit_ns_ = 1;  // of the integer part
  std::string layout_;          // strptime form (gotime translated)
  std::string original_;
};

// A Go reference layout ("2006-01-02T15:04:05.000Z07:00") as a strptime layout
// ("%Y-%m-%dT%H:%M:%S.%s%z"; fractions read any number of digits).
std::string goLayoutToStrptime(std::string_view go);

}  // namespace periscope::components::filelog
