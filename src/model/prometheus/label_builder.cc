#include "model/prometheus/label_builder.h"

#include <algorithm>
#include <charconv>

#include "model/any_value_json.h"
#include "model/otlp/json_bytes.h"
#include "model/prometheus/translate.h"

namespace periscope::model::prom {
namespace {

constexpr std::string_view kServiceName = "service.name";
constexpr std::string_view kServiceNamespace = "service.namespace";
constexpr std::string_view kServiceInstanceId = "service.instance.id";

bool isIdentity(std::string_view key) {
  return key == kServiceName || key == kServiceNamespace || key == kServiceInstanceId;
}

bool isLabelChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Already a valid label name that sanitising would leave unchanged (the common case: no copy).
bool isCleanLabelName(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    if (!isLabelChar(name[i])) return false;
    if (name[i] == '_' && i > 0 && name[i - 1] == '_') return false;
  }
  return true;
}

}  // namespace

void appendSanitizedLabelName(std::string_view name, std::string& out) {
  size_t start = out.size();
  if (!name.empty() && name[0] >= '0' && name[0] <= '9') out += "key_";
  for (char c : name) {
    char o = isLabelChar(c) ? c : '_';
    if (o == '_' && out.size() > start && out.back() == '_') continue;
    out += o;
  }
}

void appendAttributeText(const AnyValue& v, std::string& out) {
  char buf[32];
  switch (v.type()) {
    case AnyValue::Type::kString:
      out += v.str();
      return;
    case AnyValue::Type::kBool:
      out += v.boolValue() ? "true" : "false";
      return;
    case AnyValue::Type::kInt: {
      auto r = std::to_chars(buf, buf + sizeof buf, v.intValue());
      out.append(buf, r.ptr);
      return;
    }
    case AnyValue::Type::kDouble:
      out += formatFloat(v.doubleValue()).view();
      return;
    case AnyValue::Type::kBytes:
      otlp::appendBase64(v.str(), out);
      return;
    case AnyValue::Type::kArray:
    case AnyValue::Type::kKvList:
      appendCompactJson(v, out);
      return;
    case AnyValue::Type::kAbsent:
    case AnyValue::Type::kEmpty:
      return;
  }
}

std::string& LabelBuilder::Pool::next() {
  if (used == strings.size()) strings.emplace_back();
  std::string& s = strings[used++];
  s.clear();
  return s;
}

void LabelBuilder::addAttributes(Attributes attrs, uint8_t priority, std::vector<Entry>& to,
                                 Pool& pool, bool skip_identity) {
  for (const KeyValue& kv : attrs) {
    if (skip_identity && isIdentity(kv.key)) continue;
    Entry e{kv.key, {}, kv.key, priority};
    if (!isCleanLabelName(kv.key)) {
      std::string& s = pool.next();
      appendSanitizedLabelName(kv.key, s);
      e.name = s;
    }
    if (kv.value.type() == AnyValue::Type::kString) {
      e.value = kv.value.str();
    } else {
      std::string& s = pool.next();
      appendAttributeText(kv.value, s);
      e.value = s;
    }
    if (!e.name.empty()) to.push_back(e);
  }
}

bool LabelBuilder::entryLess(const Entry& a, const Entry& b) {
  if (a.name != b.name) return a.name < b.name;
  if (a.priority != b.priority) return a.priority < b.priority;
  return a.key < b.key;
}

void LabelBuilder::merge(std::vector<Entry>& entries, std::vector<LabelRef>& out, Pool& pool) {
  std::sort(entries.begin(), entries.end(), entryLess);
  mergeSorted(entries, out, pool);
}

void LabelBuilder::mergeSorted(const std::vector<Entry>& entries, std::vector<LabelRef>& out,
                               Pool& pool) {
  out.clear();
  for (size_t i = 0; i < entries.size();) {
    size_t j = i + 1;
    while (j < entries.size() && entries[j].name == entries[i].name) ++j;
    size_t k = j - 1;
    while (k > i && entries[k - 1].priority == entries[j - 1].priority) --k;
    std::string_view value = entries[k].value;
    if (j - k > 1) {
      std::string& joined = pool.next();
      for (size_t x = k; x < j; ++x) {
        if (x > k) joined += ';';
        joined += entries[x].value;
      }
      value = joined;
    }
    if (!value.empty() || entries[k].priority == kReserved) {
      if (entries[k].priority == kReserved) {
        (entries[k].name == kMetricNameLabel ? name_index_ : extra_index_) = out.size();
      }
      out.push_back({entries[k].name, value});
    }
    i = j;
  }
}

void LabelBuilder::beginResource(Attributes resource, bool copy_all) {
  fixed_dirty_ = true;
  resource_pool_.used = 0;
  resource_entries_.clear();
  if (copy_all) addAttributes(resource, kResourceAttr, resource_entries_, resource_pool_, false);

  const AnyValue* name = findAttribute(resource, kServiceName);
  const AnyValue* ns = findAttribute(resource, kServiceNamespace);
  const AnyValue* instance = findAttribute(resource, kServiceInstanceId);
  if (name != nullptr) {
    std::string& job = resource_pool_.next();
    if (ns != nullptr) {
      appendAttributeText(*ns, job);
      if (!job.empty()) job += '/';
    }
    appendAttributeText(*name, job);
    resource_entries_.push_back({"job", job, "job", kIdentity});
  }
  if (instance != nullptr) {
    std::string& text = resource_pool_.next();
    appendAttributeText(*instance, text);
    resource_entries_.push_back({"instance", text, "instance", kIdentity});
  }

  target_entries_.clear();
  addAttributes(resource, kResourceAttr, target_entries_, resource_pool_, true);
  has_target_info_ = !target_entries_.empty();
  if (!has_target_info_) return;
  for (const Entry& e : resource_entries_) {
    if (e.priority == kIdentity) target_entries_.push_back(e);
  }
  target_entries_.push_back({kMetricNameLabel, "target_info", {}, kReserved});
  merge(target_entries_, target_info_, resource_pool_);
}

void LabelBuilder::beginScope(std::string_view name, std::string_view version) {
  fixed_dirty_ = true;
  scope_entries_.clear();
  if (!name.empty()) scope_entries_.push_back({"otel_scope_name", name, {}, kScope});
  if (!version.empty()) scope_entries_.push_back({"otel_scope_version", version, {}, kScope});
}

std::span<const LabelRef> LabelBuilder::point(Attributes attrs, std::string_view metric_name,
                                              std::string_view extra) {
  point_pool_.used = 0;
  if (fixed_dirty_) {
    fixed_sorted_.assign(resource_entries_.begin(), resource_entries_.end());
    fixed_sorted_.insert(fixed_sorted_.end(), scope_entries_.begin(), scope_entries_.end());
    std::sort(fixed_sorted_.begin(), fixed_sorted_.end(), entryLess);
    fixed_dirty_ = false;
  }
  attr_entries_.clear();
  addAttributes(attrs, kPointAttr, attr_entries_, point_pool_, false);
  if (!std::is_sorted(attr_entries_.begin(), attr_entries_.end(), entryLess))
    std::sort(attr_entries_.begin(), attr_entries_.end(), entryLess);
  reserved_.clear();
  reserved_.push_back({kMetricNameLabel, metric_name, {}, kReserved});
  if (!extra.empty()) {
    reserved_.push_back({extra, {}, {}, kReserved});
    if (entryLess(reserved_[1], reserved_[0])) std::swap(reserved_[0], reserved_[1]);
  }
  merged_two_.resize(fixed_sorted_.size() + attr_entries_.size());
  std::merge(fixed_sorted_.begin(), fixed_sorted_.end(), attr_entries_.begin(), attr_entries_.end(),
             merged_two_.begin(), entryLess);
  entries_.resize(merged_two_.size() + reserved_.size());
  std::merge(merged_two_.begin(), merged_two_.end(), reserved_.begin(), reserved_.end(),
             entries_.begin(), entryLess);
  mergeSorted(entries_, out_, point_pool_);
  return out_;
}

}  // namespace periscope::model::prom
