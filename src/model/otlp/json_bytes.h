// Hex and base64 codecs for OTLP/JSON: trace/span ids are hex, AnyValue bytes are base64.
// Used by the JSON decoder and encoder (json_decoder.h, json_encoder.h). Pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace periscope::model::otlp {

// Appends `bytes` as lowercase hex.
void appendHex(std::string_view bytes, std::string& out);
// Decodes `hex` (either case) into `out`, which must hold hex.size() / 2 bytes.
// False on odd length or a non-hex character.
bool decodeHex(std::string_view hex, char* out);

// Appends `bytes` as standard base64 with padding.
void appendBase64(std::string_view bytes, std::string& out);
// Upper bound of the decoded size of `n` base64 characters.
inline size_t base64DecodedMaxSize(size_t n) {
  return n / 4 * 3 + 3;
}
// Decodes standard or url-safe base64, padding optional, into `out` (at least
// base64DecodedMaxSize(in.size()) bytes); sets `out_len`. False on invalid input.
bool decodeBase64(std::string_view in, char* out, size_t& out_len);

}  // namespace periscope::model::otlp
