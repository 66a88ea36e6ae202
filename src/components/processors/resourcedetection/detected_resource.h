// DetectedResource: the attributes one detector (or the merge of all) found, owned (std::string),
// in the order they were set. Turned into arena attributes once detection is over.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/arena.h"
#include "model/any_value.h"

namespace periscope::components::resourcedetection {

using DetectedValue = std::variant<std::string, int64_t, std::vector<std::string>>;

class DetectedResource {
 public:
  // Sets `key` (replacing an earlier value of the same key).
  void put(std::string_view key, DetectedValue value);
  const DetectedValue* find(std::string_view key) const;
  bool empty() const { return attrs_.empty(); }
  size_t size() const { return attrs_.size(); }
  const std::vector<std::pair<std::string, DetectedValue>>& attributes() const { return attrs_; }

  // Adds the attributes of `later` that this one does not have: the earlier detector wins, as
  // in the collector's merge of detector results.
  void mergeMissing(const DetectedResource& later);

  // The attributes as model values in `arena`.
  model::Attributes toAttributes(Arena& arena) const;

 private:
  std::vector<std::pair<std::string, DetectedValue>> attrs_;
};

}  // namespace periscope::components::resourcedetection
