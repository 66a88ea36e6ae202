// StringInterner: small integer ids for the few distinct strings the service graph labels with
// (service names, peers, dimension values). Looking up a known string allocates nothing; ids are
// stable for the interner's life. Not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "components/connectors/hash_index.h"
#include "components/connectors/key_hash.h"

namespace periscope::components::servicegraph {

class StringInterner {
 public:
  uint32_t intern(std::string_view s) {
    const uint64_t hash = connectors::hashBytes(s);
    uint32_t id =
        index_.find(hash, s, [this](uint32_t i) -> std::string_view { return strings_[i]; });
    if (id != connectors::HashIndex::kNotFound) return id;
    id = static_cast<uint32_t>(strings_.size());
    strings_.emplace_back(s);
    index_.insert(hash, id);
    return id;
  }
  std::string_view get(uint32_t id) const { return strings_[id]; }
  size_t size() const { return strings_.size(); }

 private:
  connectors::HashIndex index_;
  std::vector<std::string> strings_;
};

}  // namespace periscope::components::servicegraph
