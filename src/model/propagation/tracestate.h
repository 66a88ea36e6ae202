// W3C Trace Context `tracestate` header (https://www.w3.org/TR/trace-context/#tracestate-header):
// up to 32 comma-separated `key=value` list-members, most recently updated vendor first.
// This is the general-purpose form (owned strings, edit and format); the probabilistic sampler
// keeps its own allocation-free view for its hot path but validates keys and values with the
// functions below.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace periscope::model::propagation {

inline constexpr size_t kTraceStateMaxMembers = 32;

// key = simple-key / multi-tenant-key: lcalpha 0*255(lcalpha / DIGIT / "_" / "-" / "*" / "/"), or
// tenant-id "@" system-id (tenant ≤ 241 chars starting with lcalpha or DIGIT, system ≤ 14).
bool isValidTraceStateKey(std::string_view key);
// value = 0*255(chr) nblk-chr; chr = %x20 / nblk-chr; nblk-chr = %x21-2B / %x2D-3C / %x3E-7E.
bool isValidTraceStateValue(std::string_view value);

struct TraceStateMember {
  std::string key;
  std::string value;
  bool operator==(const TraceStateMember&) const = default;
};

class TraceState {
 public:
  // Empty list-members and optional whitespace around members are allowed. An invalid key or
  // value, a member without "=", more than 32 members or a key that appears twice make the whole
  // header invalid (INVALID_ARGUMENT naming the member), as the spec lets a parser discard it.
  static Result<TraceState> parse(std::string_view header);

  const std::vector<TraceStateMember>& members() const { return members_; }
  std::optional<std::string_view> get(std::string_view key) const;
  // Adds or updates `key` and moves it to the front (the spec's rule for a vendor's own entry);
  // the rightmost members are dropped beyond 32. INVALID_ARGUMENT for an invalid key or value.
  Status put(std::string_view key, std::string_view value);
  void erase(std::string_view key);

  // "k1=v1,k2=v2" with no whitespace; "" for an empty list (then omit the header).
  std::string format() const;

 private:
  std::vector<TraceStateMember> members_;
};

}  // namespace periscope::model::propagation
