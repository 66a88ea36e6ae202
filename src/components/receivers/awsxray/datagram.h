// The X-Ray daemon wire format: one UDP datagram = the header line
// `{"format": "json", "version": 1}` + '\n' + one segment document.
#pragma once

#include <cstddef>
#include <string_view>

#include "common/status.h"

namespace periscope::components::awsxray_receiver {

// The daemon's receive buffer: larger datagrams are refused.
inline constexpr size_t kMaxDatagramBytes = 64 * 1024;

// The segment document of `datagram`, or why the datagram is malformed. `size_on_wire` is the
// datagram's real length (recv with MSG_TRUNC reports it even when the buffer was smaller).
Result<std::string_view> splitDatagram(std::string_view datagram, size_t size_on_wire);

}  // namespace periscope::components::awsxray_receiver
