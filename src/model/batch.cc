#include "model/batch.h"

#include <algorithm>
#include <string>

#include "model/any_value_copy.h"
#include "model/otlp/proto_decoder.h"
#include "model/otlp/proto_encoder.h"

namespace periscope::model {
namespace {

// How each signal's resource → scope → item levels are walked and cut.
template <typename ResourceT>
struct Levels;

template <>
struct Levels<ResourceSpans> {
  using Scope = ScopeSpans;
  static std::span<ScopeSpans>& scopes(ResourceSpans& r) { return r.scope_spans; }
  static size_t count(const ScopeSpans& s) { return s.spans.size(); }
  static void cut(Arena&, Arena&, ScopeSpans& head, ScopeSpans& tail, size_t n) {
    head.spans = tail.spans.first(n);
    tail.spans = tail.spans.subspan(n);
  }
};

template <>
struct Levels<ResourceLogs> {
  using Scope = ScopeLogs;
  static std::span<ScopeLogs>& scopes(ResourceLogs& r) { return r.scope_logs; }
  static size_t count(const ScopeLogs& s) { return s.log_records.size(); }
  static void cut(Arena&, Arena&, ScopeLogs& head, ScopeLogs& tail, size_t n) {
    head.log_records = tail.log_records.first(n);
    tail.log_records = tail.log_records.subspan(n);
  }
};

template <typename T>
void cutPoints(std::span<T>& head, std::span<T>& tail, size_t n) {
  head = tail.first(n);
  tail = tail.subspan(n);
}

template <>
struct Levels<ResourceMetrics> {
  using Scope = ScopeMetrics;
  static std::span<ScopeMetrics>& scopes(ResourceMetrics& r) { return r.scope_metrics; }
  static size_t count(const ScopeMetrics& s) {
    size_t n = 0;
    for (const Metric& m : s.metrics) n += m.pointCount();
    return n;
  }
  // Metrics are cut at data-point granularity: a metric may be split into two halves.
  // `tail` must be private to this batch; the metric array it points to may be shared
  // (fan-out), so the part that changes is copied into `tail_arena` first.
  static void cut(Arena& head_arena, Arena& tail_arena, ScopeMetrics& head, ScopeMetrics& tail,
                  size_t n) {
    size_t whole = 0;
    while (whole < tail.metrics.size() && tail.metrics[whole].pointCount() <= n) {
      n -= tail.metrics[whole].pointCount();
      ++whole;
    }
    auto metrics = head_arena.allocArray<Metric>(whole + (n > 0 ? 1 : 0));
    for (size_t i = 0; i < whole; ++i) metrics[i] = tail.metrics[i];
    std::span<Metric> rest = tail.metrics.subspan(whole);
    if (n > 0) {
      auto copy = tail_arena.allocArray<Metric>(rest.size());
      std::copy(rest.begin(), rest.end(), copy.begin());
      rest = copy;
      Metric& src = rest[0];
      Metric& dst = metrics[whole];
      dst = src;
      cutPoints(dst.number_points, src.number_points, std::min(n, src.number_points.size()));
      cutPoints(dst.histogram_points, src.histogram_points,
                std::min(n, src.histogram_points.size()));
      cutPoints(dst.exponential_points, src.exponential_points,
                std::min(n, src.exponential_points.size()));
      cutPoints(dst.summary_points, src.summary_points, std::min(n, src.summary_points.size()));
    }
    head.metrics = metrics;
    tail.metrics = rest;
  }
};

template <typename ResourceT>
size_t countResource(ResourceT& r) {
  size_t n = 0;
  for (const auto& s : Levels<ResourceT>::scopes(r)) n += Levels<ResourceT>::count(s);
  return n;
}

}  // namespace

template <typename ResourceT>
size_t Batch<ResourceT>::itemCount() const {
  size_t n = 0;
  for (const auto& r : resources_) n += countResource(const_cast<ResourceT&>(r));
  return n;
}

template <typename ResourceT>
void Batch<ResourceT>::append(Batch&& other) {
  for (auto& a : other.arenas_) arenas_.push_back(std::move(a));
  resources_.insert(resources_.end(), other.resources_.begin(), other.resources_.end());
  other.arenas_.clear();
  other.resources_.clear();
  other.arenas_.push_back(std::make_shared<Arena>());
}

template <typename ResourceT>
Batch<ResourceT> Batch<ResourceT>::splitFront(size_t n) {
  using L = Levels<ResourceT>;
  using Scope = typename L::Scope;
  // The head batch shares every arena; new header arrays go into a small arena of its own.
  Batch head;
  for (auto& a : arenas_) head.arenas_.push_back(a);
  Arena& arena = head.arena();
  size_t taken = 0;
  while (taken < resources_.size() && n > 0) {
    ResourceT& r = resources_[taken];
    size_t rc = countResource(r);
    if (rc <= n) {
      head.resources_.push_back(r);
      n -= rc;
      ++taken;
      continue;
    }
    // Cut inside this resource: whole scopes first, then part of one scope.
    std::span<Scope>& scopes = L::scopes(r);
    size_t whole = 0;
    while (whole < scopes.size() && L::count(scopes[whole]) <= n) {
      n -= L::count(scopes[whole]);
      ++whole;
    }
    auto head_scopes = arena.allocArray<Scope>(whole + (n > 0 ? 1 : 0));
    for (size_t i = 0; i < whole; ++i) head_scopes[i] = scopes[i];
    std::span<Scope> rest = scopes.subspan(whole);
    if (n > 0) {
      // The scope array may be shared with other batches (fan-out shares arrays between
      // readers): cut a private copy of the remaining scopes, never the shared elements.
      auto copy = this->arena().template allocArray<Scope>(rest.size());
      std::copy(rest.begin(), rest.end(), copy.begin());
      rest = copy;
      head_scopes[whole] = rest[0];
      // Both halves keep this scope: give the head its own attributes so a processor editing
      // one half's scope attributes in place cannot change the other's.
      head_scopes[whole].scope.attributes = copyAttributes(arena, rest[0].scope.attributes);
      L::cut(arena, this->arena(), head_scopes[whole], rest[0], n);
      n = 0;
    }
    ResourceT head_resource = r;
    // Both halves keep this resource: the head gets its own attribute list (see above).
    head_resource.resource.attributes = copyAttributes(arena, r.resource.attributes);
    L::scopes(head_resource) = head_scopes;
    scopes = rest;
    head.resources_.push_back(head_resource);
  }
  resources_.erase(resources_.begin(), resources_.begin() + static_cast<ptrdiff_t>(taken));
  return head;
}

template <typename ResourceT>
Batch<ResourceT> Batch<ResourceT>::share() const {
  Batch out;
  out.arenas_.insert(out.arenas_.end(), arenas_.begin(), arenas_.end());
  out.resources_ = resources_;
  return out;
}

template <typename ResourceT>
Batch<ResourceT> Batch<ResourceT>::clone() const {
  std::string bytes;
  otlp::encode(*this, bytes);
  Batch copy;
  std::string_view view = copy.arena().adopt(std::move(bytes));
  // Our own encoding of valid data always decodes; a failure here is a programming error.
  Status st = otlp::decode(view, copy);
  (void)st;
  return copy;
}

template class Batch<ResourceSpans>;
template class Batch<ResourceMetrics>;
template class Batch<ResourceLogs>;

}  // namespace periscope::model
