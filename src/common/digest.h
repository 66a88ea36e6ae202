// Message digests through OpenSSL (EVP), for processors that replace values by their hash
// (attributes `hash`, redaction `hash_function`) and anything else needing a stable fingerprint.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace periscope {

enum class DigestAlgorithm { kMd5, kSha1, kSha256, kSha3_256 };

// "md5", "sha1", "sha256", "sha3" (= SHA3-256), as config keys name them; nullopt otherwise.
std::optional<DigestAlgorithm> parseDigestAlgorithm(std::string_view name);

// What hexDigest returns when OpenSSL refuses the algorithm (e.g. MD5 under FIPS): a mask, so a
// value that was to be hashed is still hidden.
inline constexpr std::string_view kDigestFailed = "****";

// The lowercase hex digest of `data`, or kDigestFailed.
std::string hexDigest(DigestAlgorithm algorithm, std::string_view data);

}  // namespace periscope
