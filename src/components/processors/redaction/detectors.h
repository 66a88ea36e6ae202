// Periscope's built-in secret and PII detectors for the redaction processor (not in the
// collector). Each is an RE2 pattern plus an optional check of the match in its context, so the
// regex stays simple and linear while look-alikes (Luhn-failing numbers, version strings) are left
// alone.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace periscope::components::redaction {

struct Detector {
  std::string_view name;
  std::string_view pattern;  // RE2 syntax, searched leftmost-longest
  // 0: mask the whole match; 1: mask only capture group 1 (e.g. the token after "Bearer ").
  int mask_group = 0;
  // Accepts or rejects the masked range [begin, end) of `text`; nullptr accepts every match.
  bool (*accept)(std::string_view text, size_t begin, size_t end) = nullptr;
};

std::span<const Detector> builtinDetectors();
const Detector* findDetector(std::string_view name);
// "credit_card, email, ..." for error messages and docs.
std::string detectorNames();

// Exposed for tests: the Luhn checksum over the digits of `s` (separators ignored).
bool luhnValid(std::string_view s);

// The aws_secret_access_key detector also masks a bare 40-character secret when the attribute
// (or body map) key names a secret, e.g. `aws_secret_access_key: wJalr...`.
bool isSecretKeyName(std::string_view key);
bool looksLikeAwsSecret(std::string_view value);

}  // namespace periscope::components::redaction
