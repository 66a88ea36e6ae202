// The AWS X-Ray trace header (`X-Amzn-Trace-Id`), e.g.
//   Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1
// Root is "1-" + 8 hex digits (epoch seconds) + "-" + 24 hex digits; together the 32 hex
// digits are the W3C/OTLP 16-byte trace id. Parent is the 8-byte span id.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace periscope::model {

struct XrayTraceHeader {
  std::array<uint8_t, 16> trace_id{};
  bool has_parent = false;
  std::array<uint8_t, 8> parent_id{};
  std::optional<bool> sampled;  // Sampled=1 / 0; absent or "?" = not decided
};

// Parses the header value (keys case-sensitive as AWS writes them; spaces around ';' and '='
// allowed; unknown keys such as Self= or Lineage= ignored). nullopt when Root is missing or
// malformed, or Parent is present but malformed.
std::optional<XrayTraceHeader> parseXrayTraceHeader(std::string_view header);

// `Root=1-xxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx;Parent=xxxxxxxxxxxxxxxx;Sampled=1` in lower-case hex;
// Parent is left out when `has_parent` is false, an undecided `sampled` is written `Sampled=?`
// (asks the receiver to decide, as the X-Ray SDKs do).
std::string formatXrayTraceHeader(const XrayTraceHeader& header);

// Decodes exactly 2*N hex digits (either case) into `out`; false on any other input.
bool parseHexBytes(std::string_view hex, uint8_t* out, size_t n);

}  // namespace periscope::model
