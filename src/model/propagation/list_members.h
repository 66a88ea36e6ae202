// The comma-separated list syntax `tracestate` and `baggage` share (RFC 7230 #rule): members
// separated by "," with optional whitespace around them. Internal to model/propagation.
#pragma once

#include <string_view>

#include "common/ows.h"
#include "common/status.h"

namespace periscope::model::propagation {

// Calls fn(member, position) for each OWS-trimmed member (empty ones included; position counts
// from 1) and stops at, and returns, the first error fn returns.
template <typename Fn>
Status forEachListMember(std::string_view header, Fn fn) {
  size_t position = 0;
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view member = trimOws(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    Status status = fn(member, ++position);
    if (!status.isOk()) return status;
  }
  return Status::ok();
}

}  // namespace periscope::model::propagation
