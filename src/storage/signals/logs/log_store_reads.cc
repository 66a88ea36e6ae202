// LogStore: scan, traceLogs, resourceValues (see log_store.h, log_reader.h).
#include <re2/re2.h>

#include <algorithm>
#include <cstring>
#include <future>
#include <set>
#include <thread>

#include "common/logging.h"
#include "model/log_line.h"
#include "storage/signals/logs/log_store.h"
#include "storage/signals/logs/log_store_internal.h"

namespace periscope::storage::logs {
namespace {

// The resource matchers of a scan, regexes compiled once. A resource "may match" unless a
// matcher provably fails on it; an attribute that is not a string proves nothing.
class ResourceMatch {
 public:
  explicit ResourceMatch(const std::vector<AttributeMatcher>& matchers) : matchers_(matchers) {
    for (const AttributeMatcher& m : matchers) {
      bool regex =
          m.op == AttributeMatcher::Op::kRegexMatch || m.op == AttributeMatcher::Op::kRegexNoMatch;
      regexes_.push_back(regex ? std::make_unique<RE2>(m.value, RE2::Quiet) : nullptr);
    }
  }
  bool empty() const { return matchers_.empty(); }

  bool mayMatch(const model::Resource& r) const {
    for (size_t i = 0; i < matchers_.size(); ++i) {
      const AttributeMatcher& m = matchers_[i];
      const model::AnyValue* v = model::findAttribute(r.attributes, m.name);
      if (v != nullptr && v->type() != model::AnyValue::Type::kString) continue;
      std::string_view value = v != nullptr ? v->str() : std::string_view();
      bool ok = true;
      switch (m.op) {
        case AttributeMatcher::Op::kEqual:
          ok = value == m.value;
          break;
        case AttributeMatcher::Op::kNotEqual:
          ok = value != m.value;
          break;
        case AttributeMatcher::Op::kRegexMatch:
        case AttributeMatcher::Op::kRegexNoMatch: {
          const RE2* re = regexes_[i].get();
          if (re == nullptr || !re->ok()) continue;  // the query layer reports bad regexes
          bool full = RE2::FullMatch(re2::StringPiece(value.data(), value.size()), *re);
          ok = m.op == AttributeMatcher::Op::kRegexMatch ? full : !full;
          break;
        }
      }
      if (!ok) return false;
    }
    return true;
  }

 private:
  const std::vector<AttributeMatcher>& matchers_;
  std::vector<std::unique_ptr<RE2>> regexes_;
};

bool overlaps(uint64_t lo, uint64_t hi, uint64_t start, uint64_t end) {
  return !(start != 0 && hi < start) && !(end != 0 && lo > end);
}

bool severityOverlaps(int32_t lo, int32_t hi, const LogScan& s) {
  return !(s.min_severity != 0 && hi < s.min_severity) &&
         !(s.max_severity != 0 && lo > s.max_severity);
}

// One piece a scan may visit: a head batch or a segment row group.
struct Unit {
  uint64_t min_time_ns = 0, max_time_ns = 0;
  const void* head = nullptr;  // LogStore::HeadBatch
  size_t segment = 0, group = 0;
};

}  // namespace

LogStore::Snapshot LogStore::snapshot() const {
  Snapshot s;
  // Both locks at once (flush's order): a head swapped into flushing_ between two separate
  // looks would be seen twice.
  std::shared_lock lock(head_mu_);
  auto add = [&s](const auto& batches) {
    for (const auto& b : batches)
      if (b->usable()) s.batches.push_back(b);  // not what the WAL refused
  };
  add(head_->batches);
  std::lock_guard state(state_mu_);
  for (const auto& h : flushing_) add(h->batches);
  s.segments = segments_;
  return s;
}

Result<size_t> LogStore::readRowGroup(const std::shared_ptr<SegmentHandle>& h, size_t g,
                                      const RowFilter& filter, model::Logs& out) const {
  stats_.row_groups_read++;
  BlockReader read = [&](const LogBlockRef& b) -> Result<std::string> {
    std::lock_guard lock(h->file_mu);
    return h->file->read(b.offset, static_cast<size_t>(b.size));
  };
  auto n = decodeLogRowGroup(h->meta.row_groups[g], read, filter, out);
  if (!n.isOk())
    return Status(n.status().code(), h->path + ": " + std::string(n.status().message()));
  return n;
}

Status LogStore::scan(const LogScan& s, const ChunkVisitor& visit) const {
  Snapshot snap = snapshot();
  ResourceMatch resources(s.resource_matchers);
  std::vector<Unit> units;
  for (const auto& b : snap.batches) {
    if (!overlaps(b->min_time_ns, b->max_time_ns, s.start_ns, s.end_ns) ||
        !severityOverlaps(b->min_severity, b->max_severity, s))
      continue;
    units.push_back({b->min_time_ns, b->max_time_ns, b.get(), 0, 0});
  }
  for (size_t i = 0; i < snap.segments.size(); ++i) {
    const LogSegmentMeta& m = snap.segments[i]->meta;
    if (!overlaps(m.min_time_ns, m.max_time_ns, s.start_ns, s.end_ns)) continue;
    for (size_t g = 0; g < m.row_groups.size(); ++g) {
      const LogRowGroupMeta& rg = m.row_groups[g];
      bool skip = !overlaps(rg.min_time_ns, rg.max_time_ns, s.start_ns, s.end_ns) ||
                  !severityOverlaps(rg.min_severity, rg.max_severity, s) ||
                  (!s.trace_id.empty() && !rg.trace_ids.mayContain(s.trace_id));
      for (const std::string& needle : s.line_contains) skip = skip || !rg.lines.mayContain(needle);
      if (!skip && !resources.empty()) {
        bool any = false;
        for (uint32_t r : rg.resources) any = any || resources.mayMatch(m.resources[r]);
        skip = !any;
      }
      if (skip) {
        stats_.row_groups_skipped++;
        continue;
      }
      units.push_back({rg.min_time_ns, rg.max_time_ns, nullptr, i, g});
    }
  }
  const bool forward = s.direction == ScanDirection::kForward;
  std::stable_sort(units.begin(), units.end(), [&](const Unit& a, const Unit& b) {
    return forward ? a.min_time_ns < b.min_time_ns : a.max_time_ns > b.max_time_ns;
  });

  RowFilter filter;
  filter.start_ns = s.start_ns;
  filter.end_ns = s.end_ns;
  filter.min_severity = s.min_severity;
  filter.max_severity = s.max_severity;
  filter.trace_id = s.trace_id;
  filter.line_contains = s.line_contains;
  if (!resources.empty())
    filter.resource_passes = [&](const model::Resource& r) { return resources.mayMatch(r); };

  // Segment row groups are decoded ahead on other cores while the caller visits in order
  // (the contract's order is kept: only the decoding runs ahead, at most `ahead` units).
  struct Decoding {
    model::Logs logs;
    std::future<Result<size_t>> done;
  };
  const size_t ahead =
      units.size() > 1 ? std::min<size_t>(4, std::thread::hardware_concurrency()) : 0;
  std::vector<std::unique_ptr<Decoding>> decoding(units.size());
  size_t launched = 0;
  auto launchUpTo = [&](size_t last) {
    for (; launched < units.size() && launched <= last; ++launched) {
      const Unit& u = units[launched];
      if (u.head != nullptr || ahead <= 1) continue;
      auto d = std::make_unique<Decoding>();
      const auto& h = snap.segments[u.segment];
      d->done = std::async(std::launch::async, [this, &h, &u, &filter, logs = &d->logs] {
        return readRowGroup(h, u.group, filter, *logs);
      });
      decoding[launched] = std::move(d);
    }
  };
  // Every decoding started must end before the locals it reads go away.
  auto drain = [&] {
    for (auto& d : decoding)
      if (d && d->done.valid()) d->done.wait();
  };

  std::string line;
  std::vector<RecordRef> refs;
  for (size_t i = 0; i < units.size(); ++i) {
    const Unit& u = units[i];
    launchUpTo(i + ahead);
    model::Logs filtered;
    const model::Logs* logs = &filtered;
    if (u.head != nullptr) {
      const auto& b = *static_cast<const HeadBatch*>(u.head);
      refs.clear();
      for (const auto& rl : b.logs.resources()) {
        if (!resources.empty() && !resources.mayMatch(rl.resource)) continue;
        for (const auto& sl : rl.scope_logs) {
          for (const auto& r : sl.log_records) {
            uint64_t t = recordTime(r);
            if ((s.start_ns != 0 && t < s.start_ns) || (s.end_ns != 0 && t > s.end_ns)) continue;
            if ((s.min_severity != 0 && r.severity_number < s.min_severity) ||
                (s.max_severity != 0 && r.severity_number > s.max_severity))
              continue;
            if (!s.trace_id.empty() && r.trace_id != s.trace_id) continue;
            if (!s.line_contains.empty()) {
              std::string_view view;
              if (r.body.type() == model::AnyValue::Type::kString) {
                view = r.body.str();
              } else {
                model::logLine(r, line);
                view = line;
              }
              bool all = true;
              for (const std::string& needle : s.line_contains)
                all = all && view.find(needle) != std::string_view::npos;
              if (!all) continue;
            }
            refs.push_back({&rl, &sl, &r, t});
          }
        }
      }
      if (refs.empty()) continue;
      if (refs.size() == b.records) {
        logs = &b.logs;  // the whole batch: no copy
      } else {
        buildLogs(refs, filtered);  // views into the batch, alive while we hold the snapshot
      }
    } else {
      const auto& h = snap.segments[u.segment];
      Result<size_t> n = size_t{0};
      if (decoding[i]) {
        n = decoding[i]->done.get();
        logs = &decoding[i]->logs;
      } else {
        n = readRowGroup(h, u.group, filter, filtered);
      }
      if (!n.isOk()) {
        if (n.status().code() != StatusCode::kDataLoss) {
          drain();
          return n.status();
        }
        quarantine(h, n.status());
        continue;
      }
      if (*n == 0) {
        decoding[i].reset();
        continue;
      }
    }
    ScanControl control = visit({u.min_time_ns, u.max_time_ns, logs});
    if (decoding[i]) decoding[i].reset();
    if (control == ScanControl::kStop) break;
  }
  drain();
  return Status::ok();
}

Result<model::Logs> LogStore::traceLogs(std::string_view trace_id, uint64_t start_ns,
                                        uint64_t end_ns) const {
  model::Logs all;  // owns every part's arenas
  if (trace_id.empty()) return all;
  Snapshot snap = snapshot();
  RowFilter filter;
  filter.trace_id = trace_id;
  for (const auto& h : snap.segments) {
    const LogSegmentMeta& m = h->meta;
    for (size_t g = 0; g < m.row_groups.size(); ++g) {
      const LogRowGroupMeta& rg = m.row_groups[g];
      if (!overlaps(rg.min_time_ns, rg.max_time_ns, start_ns, end_ns) ||
          !rg.trace_ids.mayContain(trace_id))
        continue;
      model::Logs part;
      auto n = readRowGroup(h, g, filter, part);
      if (!n.isOk()) {
        if (n.status().code() != StatusCode::kDataLoss) return n.status();
        quarantine(h, n.status());
        break;
      }
      all.append(std::move(part));
    }
  }
  std::vector<RecordRef> refs;
  for (const auto& b : snap.batches) {
    if (!overlaps(b->min_time_ns, b->max_time_ns, start_ns, end_ns)) continue;
    refs.clear();
    for (const auto& rl : b->logs.resources())
      for (const auto& sl : rl.scope_logs)
        for (const auto& r : sl.log_records)
          if (r.trace_id == trace_id) refs.push_back({&rl, &sl, &r, recordTime(r)});
    if (refs.empty()) continue;
    model::Logs part = b->logs.share();  // keeps the batch's bytes alive in the answer
    part.resources().clear();
    buildLogs(refs, part);
    all.append(std::move(part));
  }
  // Oldest first, as one batch.
  refs.clear();
  for (const auto& rl : all.resources())
    for (const auto& sl : rl.scope_logs)
      for (const auto& r : sl.log_records) refs.push_back({&rl, &sl, &r, recordTime(r)});
  std::stable_sort(refs.begin(), refs.end(),
                   [](const RecordRef& a, const RecordRef& b) { return a.time_ns < b.time_ns; });
  model::Logs out = all.share();
  out.resources().clear();
  buildLogs(refs, out);
  return out;
}

Result<std::vector<std::string>> LogStore::resourceValues(std::string_view key) const {
  Snapshot snap = snapshot();
  std::set<std::string, std::less<>> values;
  auto add = [&](const model::Resource& r) {
    const model::AnyValue* v = model::findAttribute(r.attributes, key);
    if (v != nullptr && v->type() == model::AnyValue::Type::kString && !values.contains(v->str()))
      values.emplace(v->str());
  };
  for (const auto& h : snap.segments)
    for (const model::Resource& r : h->meta.resources) add(r);
  for (const auto& b : snap.batches)
    for (const auto& rl : b->logs.resources()) add(rl.resource);
  return std::vector<std::string>(values.begin(), values.end());
}

}  // namespace periscope::storage::logs
