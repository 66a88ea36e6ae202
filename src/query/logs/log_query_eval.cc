#include "query/logs/log_query_eval.h"

#include <algorithm>
#include <unordered_map>
#include <vector>

#include "query/logs/logs_assembler.h"

namespace periscope::query::logs {

namespace {

// A record of the chunk being visited (pointers valid during the visit only).
struct Candidate {
  uint64_t time = 0;
  uint64_t observed = 0;
  uint64_t seq = 0;
  const model::ResourceLogs* rl = nullptr;
  const model::ScopeLogs* sl = nullptr;
  const model::LogRecord* record = nullptr;
};

// A record kept so far, copied into the answer's arena.
struct Kept {
  uint64_t time = 0;
  uint64_t observed = 0;
  uint64_t seq = 0;
  uint32_t group = 0;
  model::LogRecord record;
  Fields fields;
};

class Selector {
 public:
  Selector(const LogPipeline& pipeline, const LogSelection& selection)
      : pipeline_(pipeline), sel_(selection), assembler_(out_) {
    scratch_.setLiftAll(false);
  }

  // True when `a` comes before `b` in the answer.
  template <typename A, typename B>
  bool before(const A& a, const B& b) const {
    if (a.time != b.time) return sel_.forward ? a.time < b.time : a.time > b.time;
    if (a.observed != b.observed) {
      return sel_.forward ? a.observed < b.observed : a.observed > b.observed;
    }
    return a.seq < b.seq;
  }

  storage::logs::ScanControl visit(const storage::logs::LogChunk& chunk) {
    if (full()) {
      const Kept& worst = kept_.front();
      bool past = sel_.forward ? chunk.min_time_ns > worst.time : chunk.max_time_ns < worst.time;
      if (past) {
        stopped_early_ = true;
        return storage::logs::ScanControl::kStop;
      }
    }
    ++stats_.chunks_read;
    candidates_.clear();
    for (const auto& rl : chunk.logs->resources()) {
      bool resource_ok = pipeline_.matchesResource(rl.resource);
      for (const auto& sl : rl.scope_logs) {
        stats_.records_scanned += sl.log_records.size();
        if (!resource_ok) continue;
        for (const auto& r : sl.log_records) consider(rl, sl, r);
      }
    }
    keepBest();
    return storage::logs::ScanControl::kContinue;
  }

  LogsResult finish() {
    std::sort(kept_.begin(), kept_.end(),
              [this](const Kept& a, const Kept& b) { return before(a, b); });
    std::vector<LogsAssembler::Entry> entries;
    entries.reserve(kept_.size());
    LogsResult result;
    result.fields.reserve(kept_.size());
    for (auto& k : kept_) {
      entries.push_back({k.group, k.record});
      result.fields.push_back(std::move(k.fields));
    }
    assembler_.assemble(entries);
    result.records = std::move(out_);
    result.forward = sel_.forward;
    result.limit = sel_.limit;
    result.truncated = stats_.records_matched > sel_.limit || stopped_early_;
    result.stats = stats_;
    return result;
  }

 private:
  bool full() const { return kept_.size() >= sel_.limit; }

  void consider(const model::ResourceLogs& rl, const model::ScopeLogs& sl,
                const model::LogRecord& r) {
    uint64_t t = recordTime(r);
    if ((sel_.start_ns != 0 && t < sel_.start_ns) || (sel_.end_ns != 0 && t > sel_.end_ns)) {
      return;
    }
    if (!pipeline_.matches(rl.resource, r, scratch_)) return;
    ++stats_.records_matched;
    Candidate c{t, r.observed_time_unix_nano, seq_++, &rl, &sl, &r};
    if (full() && !before(c, kept_.front())) return;
    candidates_.push_back(c);
    // Bound the memory of a chunk with many matches: only the best `limit` can be kept.
    if (candidates_.size() >= std::max<size_t>(4 * sel_.limit, 4096)) {
      auto nth = candidates_.begin() + static_cast<std::ptrdiff_t>(sel_.limit);
      std::nth_element(candidates_.begin(), nth, candidates_.end(),
                       [this](const Candidate& a, const Candidate& b) { return before(a, b); });
      candidates_.erase(nth, candidates_.end());
    }
  }

  // Merges the chunk's candidates into the kept records, copying only those that enter.
  void keepBest() {
    if (candidates_.empty()) return;
    std::sort(candidates_.begin(), candidates_.end(),
              [this](const Candidate& a, const Candidate& b) { return before(a, b); });
    groups_.clear();
    auto worseFirst = [this](const Kept& a, const Kept& b) { return before(a, b); };
    for (const Candidate& c : candidates_) {
      if (full()) {
        if (!before(c, kept_.front())) break;  // sorted: the rest are no better
        std::pop_heap(kept_.begin(), kept_.end(), worseFirst);
        kept_.pop_back();
      }
      kept_.push_back(copy(c));
      std::push_heap(kept_.begin(), kept_.end(), worseFirst);
    }
  }

  Kept copy(const Candidate& c) {
    Kept k{c.time, c.observed, c.seq, 0, assembler_.copyRecord(*c.record), {}};
    auto [it, added] = groups_.try_emplace(c.sl, 0);
    if (added) it->second = assembler_.copyGroup(*c.rl, *c.sl);
    k.group = it->second;
    if (pipeline_.hasJson()) {
      // Filtering lifted only the fields the query reads; lift them all for the records kept.
      scratch_.setLiftAll(true);
      pipeline_.matches(c.rl->resource, *c.record, scratch_);
      scratch_.setLiftAll(false);
      k.fields = scratch_.lifted().toVector();
    }
    return k;
  }

  const LogPipeline& pipeline_;
  LogSelection sel_;
  model::Logs out_;
  LogsAssembler assembler_;
  MatchScratch scratch_;
  std::vector<Candidate> candidates_;
  std::vector<Kept> kept_;  // a heap whose front is the worst kept record
  std::unordered_map<const model::ScopeLogs*, uint32_t> groups_;  // of the current chunk
  uint64_t seq_ = 0;
  bool stopped_early_ = false;
  LogsStats stats_;
};

}  // namespace

Result<LogsResult> selectLogs(const storage::logs::LogReader& reader, const LogPipeline& pipeline,
                              const LogSelection& selection) {
  storage::logs::LogScan scan;
  scan.start_ns = selection.start_ns;
  scan.end_ns = selection.end_ns;
  scan.direction = selection.forward ? storage::logs::ScanDirection::kForward
                                     : storage::logs::ScanDirection::kBackward;
  pipeline.pushdown(scan);
  Selector selector(pipeline, selection);
  Status st = reader.scan(
      scan, [&](const storage::logs::LogChunk& chunk) { return selector.visit(chunk); });
  if (!st.isOk()) return st;
  return selector.finish();
}

}  // namespace periscope::query::logs
