// W3C Baggage header (https://www.w3.org/TR/baggage/):
//   userId=alice,serverNode=DF%2028;region=eu,isProduction=false
// list-member = key OWS "=" OWS value *(OWS ";" OWS property); property = key [OWS "=" OWS value].
// Keys are RFC 7230 tokens; values are percent-encoded UTF-8.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace periscope::model::propagation {

// The limits OpenTelemetry's propagators apply (the spec's minimums to support).
inline constexpr size_t kBaggageMaxBytes = 8192;
inline constexpr size_t kBaggageMaxMembers = 180;
inline constexpr size_t kBaggageMaxMemberBytes = 4096;

struct BaggageMember {
  std::string key;
  std::string value;  // decoded
  // Properties as written after ";" (e.g. "metadata" or "k=v"), kept verbatim: their meaning is
  // up to the application.
  std::vector<std::string> properties;
  bool operator==(const BaggageMember&) const = default;
};

class Baggage {
 public:
  // INVALID_ARGUMENT (naming the member) for a malformed member, an invalid percent-escape, or a
  // header beyond the limits (8192 bytes, 180 members, 4096 bytes per member) — the whole header
  // is then discarded, as OpenTelemetry Go does. A repeated key keeps its first position and the
  // last value.
  static Result<Baggage> parse(std::string_view header);

  const std::vector<BaggageMember>& members() const { return members_; }
  std::optional<std::string_view> get(std::string_view key) const;
  // Adds or replaces `key`; INVALID_ARGUMENT when the key is not a token or a property is
  // malformed.
  Status put(std::string_view key, std::string_view value,
             std::vector<std::string> properties = {});
  void erase(std::string_view key);

  // Percent-encodes every value byte outside the spec's baggage-octet set, and "%" itself.
  // Members longer than 4096 bytes are left out, and so are members past 180 or past 8192 bytes
  // in total (what OpenTelemetry's propagators do on inject). "" when empty (omit the header).
  std::string format() const;

 private:
  std::vector<BaggageMember> members_;
};

}  // namespace periscope::model::propagation
