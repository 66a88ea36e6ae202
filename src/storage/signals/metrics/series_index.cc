#include "storage/signals/metrics/series_index.h"

#include <re2/re2.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace periscope::storage::metrics {
namespace {

uint32_t loadU32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

void appendU32(std::string& out, size_t v) {
  auto u = static_cast<uint32_t>(v);
  out.append(reinterpret_cast<const char*>(&u), sizeof u);
}

std::vector<LabelRef> refs(const Labels& labels) {
  std::vector<LabelRef> out;
  out.reserve(labels.size());
  for (const Label& l : labels) out.push_back({l.name, l.value});
  return out;
}

std::vector<SeriesId> unionOf(std::vector<std::vector<SeriesId>> lists) {
  std::vector<SeriesId> out;
  for (auto& l : lists) out.insert(out.end(), l.begin(), l.end());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// One compiled matcher; regexes are anchored (RE2 full match), as Prometheus's are.
class CompiledMatcher {
 public:
  explicit CompiledMatcher(const Matcher& m) : m_(m) {
    if (m.op == Matcher::Op::kRegexMatch || m.op == Matcher::Op::kRegexNoMatch) {
      re_ = std::make_unique<RE2>(m.value, RE2::Quiet);
    }
  }
  Status status() const {
    if (re_ && !re_->ok()) {
      return Status(StatusCode::kInvalidArgument, "invalid regex \"" + m_.value + "\" for label " +
                                                      m_.name + ": " + re_->error());
    }
    return Status::ok();
  }
  bool matches(std::string_view v) const {
    switch (m_.op) {
      case Matcher::Op::kEqual:
        return v == m_.value;
      case Matcher::Op::kNotEqual:
        return v != m_.value;
      case Matcher::Op::kRegexMatch:
        return RE2::FullMatch(v, *re_);
      case Matcher::Op::kRegexNoMatch:
        return !RE2::FullMatch(v, *re_);
    }
    return false;
  }

 private:
  const Matcher& m_;
  std::unique_ptr<RE2> re_;
};

}  // namespace

bool SeriesIndex::keyEquals(SeriesId id, std::span<const LabelRef> labels) const {
  const ArenaKey& k = keys_[id];
  if (k.count != labels.size()) return false;
  const char* p = arena_.data() + k.offset;
  for (const LabelRef& l : labels) {
    if (loadU32(p) != l.name.size() || loadU32(p + 4) != l.value.size()) return false;
    p += 8;
    if (std::memcmp(p, l.name.data(), l.name.size()) != 0) return false;
    p += l.name.size();
    if (std::memcmp(p, l.value.data(), l.value.size()) != 0) return false;
    p += l.value.size();
  }
  return true;
}

SeriesId SeriesIndex::find(std::span<const LabelRef> labels, uint64_t hash) const {
  if (slots_.empty()) return kNoSeries;
  const size_t mask = slots_.size() - 1;
  for (size_t i = slotOf(hash);; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.id == kNoSeries) return kNoSeries;
    if (s.hash == hash && keyEquals(s.id, labels)) return s.id;
  }
}

void SeriesIndex::grow() {
  std::vector<Slot> old = std::move(slots_);
  shift_ = old.empty() ? 54 : shift_ - 1;  // 1024 slots to start, then doubling
  slots_.assign(size_t{1} << (64 - shift_), Slot{});
  const size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.id == kNoSeries) continue;
    size_t i = slotOf(s.hash);
    while (slots_[i].id != kNoSeries) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

SeriesId SeriesIndex::find(const Labels& labels) const {
  auto r = refs(labels);
  return find(r, model::prom::hashLabels(r));
}

SeriesId SeriesIndex::add(std::span<const LabelRef> labels, uint64_t hash, SeriesId id) {
  if (id == kNoSeries) id = static_cast<SeriesId>(labels_.size());
  if (id < labels_.size() && !labels_[id].empty()) return kNoSeries;
  if (id >= labels_.size()) labels_.resize(id + 1);
  if (id >= keys_.size()) keys_.resize(id + 1);
  Labels& owned = labels_[id];
  owned.reserve(labels.size());
  ArenaKey& key = keys_[id];
  key.offset = arena_.size();
  key.count = labels.size();
  for (const LabelRef& l : labels) {
    owned.push_back({std::string(l.name), std::string(l.value)});
    appendU32(arena_, l.name.size());
    appendU32(arena_, l.value.size());
    arena_.append(l.name);
    arena_.append(l.value);
  }
  if ((used_ + 1) * 2 > slots_.size()) grow();
  const size_t mask = slots_.size() - 1;
  size_t slot = slotOf(hash);
  while (slots_[slot].id != kNoSeries) slot = (slot + 1) & mask;
  slots_[slot] = {hash, id};
  ++used_;
  for (const Label& l : owned) {
    auto name_it = postings_.find(l.name);
    if (name_it == postings_.end()) name_it = postings_.emplace(l.name, ValuePostings{}).first;
    auto value_it = name_it->second.find(l.value);
    if (value_it == name_it->second.end()) {
      value_it = name_it->second.emplace(l.value, std::vector<SeriesId>{}).first;
    }
    std::vector<SeriesId>& ids = value_it->second;
    if (ids.empty() || ids.back() < id) {
      ids.push_back(id);
    } else {
      ids.insert(std::lower_bound(ids.begin(), ids.end(), id), id);
    }
  }
  std::string_view metric = model::prom::labelValue(owned, model::prom::kMetricNameLabel);
  auto m = per_metric_.find(metric);
  if (m == per_metric_.end()) m = per_metric_.emplace(std::string(metric), 0).first;
  ++m->second;
  return id;
}

size_t SeriesIndex::seriesOfMetric(std::string_view metric_name) const {
  auto it = per_metric_.find(metric_name);
  return it == per_metric_.end() ? 0 : it->second;
}

Result<std::vector<SeriesId>> SeriesIndex::select(std::span<const Matcher> matchers) const {
  std::vector<CompiledMatcher> compiled;
  compiled.reserve(matchers.size());
  for (const Matcher& m : matchers) {
    compiled.emplace_back(m);
    PERISCOPE_RETURN_IF_ERROR(compiled.back().status());
  }
  // Matchers that reject the empty value select by union of their values' postings; the others
  // (e.g. `a!="x"`) remove the series whose value they reject.
  std::vector<SeriesId> result;
  bool have_result = false;
  std::vector<size_t> subtractive;
  for (size_t i = 0; i < matchers.size(); ++i) {
    if (compiled[i].matches("")) {
      subtractive.push_back(i);
      continue;
    }
    std::vector<std::vector<SeriesId>> lists;
    auto name_it = postings_.find(matchers[i].name);
    if (name_it != postings_.end()) {
      if (matchers[i].op == Matcher::Op::kEqual) {
        auto v = name_it->second.find(matchers[i].value);
        if (v != name_it->second.end()) lists.push_back(v->second);
      } else {
        for (const auto& [value, ids] : name_it->second) {
          if (compiled[i].matches(value)) lists.push_back(ids);
        }
      }
    }
    std::vector<SeriesId> ids = lists.size() == 1 ? std::move(lists[0]) : unionOf(std::move(lists));
    if (!have_result) {
      result = std::move(ids);
      have_result = true;
    } else {
      std::vector<SeriesId> both;
      std::set_intersection(result.begin(), result.end(), ids.begin(), ids.end(),
                            std::back_inserter(both));
      result = std::move(both);
    }
    if (result.empty()) return result;
  }
  if (!have_result) {
    for (SeriesId id = 0; id < labels_.size(); ++id) {
      if (!labels_[id].empty()) result.push_back(id);
    }
  }
  for (size_t i : subtractive) {
    auto name_it = postings_.find(matchers[i].name);
    if (name_it == postings_.end()) continue;
    std::vector<std::vector<SeriesId>> rejected;
    for (const auto& [value, ids] : name_it->second) {
      if (!compiled[i].matches(value)) rejected.push_back(ids);
    }
    if (rejected.empty()) continue;
    std::vector<SeriesId> drop = unionOf(std::move(rejected));
    std::vector<SeriesId> kept;
    std::set_difference(result.begin(), result.end(), drop.begin(), drop.end(),
                        std::back_inserter(kept));
    result = std::move(kept);
  }
  return result;
}

}  // namespace periscope::storage::metrics
