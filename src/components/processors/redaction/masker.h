// What a masked part of a value becomes: "****", or the hex digest of the part when
// `hash_function` is set (as in the collector).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/digest.h"

namespace periscope::components::redaction {

class Masker {
 public:
  explicit Masker(std::optional<DigestAlgorithm> hash = std::nullopt) : hash_(hash) {}
  void append(std::string& out, std::string_view secret) const {
    if (hash_) {
      out += hexDigest(*hash_, secret);
    } else {
      out += "****";
    }
  }

 private:
  std::optional<DigestAlgorithm> hash_;
};

}  // namespace periscope::components::redaction
