// LabelBuilder: the Prometheus label set of each OTLP data point (internal to the Translator).
// Resource and scope parts are prepared once per resource/scope; per point the attributes are
// sanitised and merged (three sorted runs merged in O(n); the attributes are sorted only when
// they do not arrive sorted, as remote write's do) into a reused vector whose `__name__` and extra
// (`le`, `quantile`) values can be swapped per sample. Built strings live in pooled std::strings
// that keep their capacity, so steady-state use does not allocate. Single-threaded.
#pragma once

#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/any_value.h"
#include "model/prometheus/labels.h"

namespace periscope::model::prom {

// Appends the sanitised form of a label name (see sanitizeLabelName) to `out`.
void appendSanitizedLabelName(std::string_view name, std::string& out);

// Appends an attribute value as text: strings as they are, numbers and booleans as literals,
// bytes as base64, arrays and maps as JSON (the spec's attribute-to-string rule).
void appendAttributeText(const AnyValue& v, std::string& out);

class LabelBuilder {
 public:
  // `copy_all`: resource attributes also become labels of every point
  // (resource_to_telemetry_conversion).
  void beginResource(Attributes resource, bool copy_all);
  void beginScope(std::string_view name, std::string_view version);

  // The sorted, unique labels of one point with `__name__` = `metric_name`; a non-empty
  // `extra` adds that label (value set later by setExtra). Valid until the next point().
  std::span<const LabelRef> point(Attributes attrs, std::string_view metric_name,
                                  std::string_view extra);
  void setName(std::string_view name) { out_[name_index_].value = name; }
  void setExtra(std::string_view value) { out_[extra_index_].value = value; }

  // `target_info` labels of the current resource: job, instance and the other resource
  // attributes. Only when the resource has attributes besides the service identity.
  bool hasTargetInfo() const { return has_target_info_; }
  std::span<const LabelRef> targetInfo() const { return target_info_; }

 private:
  enum Priority : uint8_t { kResourceAttr, kPointAttr, kScope, kIdentity, kReserved };
  struct Entry {
    std::string_view name;
    std::string_view value;
    std::string_view key;  // original attribute key: orders values joined on collision
    uint8_t priority;
  };
  struct Pool {
    std::deque<std::string> strings;
    size_t used = 0;
    std::string& next();
  };

  void addAttributes(Attributes attrs, uint8_t priority, std::vector<Entry>& to, Pool& pool,
                     bool skip_identity);
  static bool entryLess(const Entry& a, const Entry& b);
  // Sorts and merges `entries` into `out`: the highest priority wins, equal priorities are
  // joined with ';' (ordered by original key); empty values are dropped.
  void merge(std::vector<Entry>& entries, std::vector<LabelRef>& out, Pool& pool);
  // merge() of entries already in entryLess order.
  void mergeSorted(const std::vector<Entry>& entries, std::vector<LabelRef>& out, Pool& pool);

  Pool resource_pool_, point_pool_;
  std::vector<Entry> resource_entries_, scope_entries_, entries_;
  // Per point the three sorted parts — resource + scope entries (sorted once per scope), the
  // point's attributes (sorted as remote write sends them, else sorted here) and the reserved
  // labels — are merged in O(n) instead of sorting the whole set.
  std::vector<Entry> fixed_sorted_, attr_entries_, reserved_, merged_two_;
  bool fixed_dirty_ = true;
  std::vector<LabelRef> out_, target_info_;
  std::vector<Entry> target_entries_;
  size_t name_index_ = 0, extra_index_ = 0;
  bool has_target_info_ = false;
};

}  // namespace periscope::model::prom
