// StringInterner: small integer ids for the few distinct strings the service graph labels with
// (service names, peers, dimension values). Looking up a known string allocates nothing; ids are
// stable for the interner's life. Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "components/connectors/key_hash.h"

namespace periscope::components::servicegraph {

class StringInterner {
 public:
  uint32_t intern(std::string_view s) {
    if (auto it = ids_.find(s); it != ids_.end()) return it->second;
    auto id = static_cast<uint32_t>(strings_.size());
    strings_.push_back(std::make_unique<std::string>(s));
    ids_.emplace(*strings_.back(), id);
    return id;
  }
  std::string_view get(uint32_t id) const { return *strings_[id]; }
  size_t size() const { return strings_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return connectors::hashBytes(s); }
  };
  std::unordered_map<std::string_view, uint32_t, Hash, std::equal_to<>> ids_;
  std::vector<std::unique_ptr<std::string>> strings_;
};

}  // namespace periscope::components::servicegraph
