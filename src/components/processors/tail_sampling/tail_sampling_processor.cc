#include "components/processors/tail_sampling/tail_sampling_processor.h"

#include <algorithm>

#include "common/logging.h"
#include "model/batch_filter.h"
#include "model/otlp/proto_decoder.h"

namespace periscope::components::tail_sampling {
namespace {

constexpr std::string_view kMetricPrefix = "otelcol_processor_tail_sampling_";
constexpr const char* kDecisionLabels[3] = {"sampled", "not_sampled", "dropped"};

// Index of the collector's `decision` label value for a policy decision, or -1.
int decisionLabel(Decision d) {
  switch (d) {
    case Decision::kSampled:
      return 0;
    case Decision::kNotSampled:
      return 1;
    case Decision::kDropped:
      return 2;
    case Decision::kUnspecified:
      break;
  }
  return -1;
}

std::string metricName(std::string_view suffix) {
  return std::string(kMetricPrefix) + std::string(suffix);
}

double seconds(int64_t nanos) {
  return static_cast<double>(nanos) / 1e9;
}

int64_t steadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Result<std::unique_ptr<TailSamplingProcessor>> TailSamplingProcessor::create(
    const component::Settings& settings, const Config& config,
    pipeline::Consumer<model::Traces>* next, Options options) {
  if (!options.clock) options.clock = steadyNanos;
  std::unique_ptr<TailSamplingProcessor> p(
      new TailSamplingProcessor(settings, config, next, std::move(options)));
  // The collector evaluates drop policies first (a drop vetoes everything, and then evaluation
  // stops), the others in the listed order.
  for (bool drops : {true, false}) {
    for (const PolicyCfg& cfg : config.policies) {
      if ((cfg.type == "drop") != drops) continue;
      auto policy = makePolicy(cfg, p->options_.clock);
      if (!policy.isOk()) return policy.status();
      PolicyEntry e;
      e.name = cfg.name;
      e.policy = std::move(*policy);
      p->policies_.push_back(std::move(e));
    }
  }
  p->registerMetrics(settings, p->options_.registry != nullptr ? *p->options_.registry
                                                               : telemetry::globalRegistry());
  return p;
}

TailSamplingProcessor::TailSamplingProcessor(const component::Settings& settings,
                                             const Config& config,
                                             pipeline::Consumer<model::Traces>* next,
                                             Options options)
    : config_(config),
      next_(next),
      options_(std::move(options)),
      obs_(settings.id, component::Signal::kTraces,
           options_.registry != nullptr ? *options_.registry : telemetry::globalRegistry()),
      buffer_(config.expected_new_traces_per_sec > 0
                  ? std::min<uint64_t>(
                        config.num_traces,
                        config.expected_new_traces_per_sec *
                            std::max<int64_t>(1, std::chrono::duration_cast<std::chrono::seconds>(
                                                     config.decision_wait)
                                                     .count()))
                  : 0),
      // A size of 0 remembers as many decisions as the collector keeps decided traces in
      // memory: the last num_traces.
      sampled_(config.decision_cache.sampled_cache_size > 0
                   ? config.decision_cache.sampled_cache_size
                   : config.num_traces),
      not_sampled_(config.decision_cache.non_sampled_cache_size > 0
                       ? config.decision_cache.non_sampled_cache_size
                       : config.num_traces) {}

TailSamplingProcessor::~TailSamplingProcessor() {
  {
    std::lock_guard lock(ticker_mu_);
    ticker_stop_ = true;
  }
  ticker_cv_.notify_all();
  if (ticker_.joinable()) ticker_.join();
}

void TailSamplingProcessor::registerMetrics(const component::Settings& settings,
                                            telemetry::Registry& reg) {
  std::string id = settings.id.toString();
  for (PolicyEntry& e : policies_) {
    for (int d = 0; d < 3; ++d) {
      telemetry::Labels labels = {{"processor", id},
                                  {"policy", e.name},
                                  {"sampled", d == 0 ? "true" : "false"},
                                  {"decision", kDecisionLabels[d]}};
      e.traces[d] =
          &reg.counter(metricName("count_traces_sampled"),
                       "Count of traces that were sampled or not per sampling policy", labels);
      e.spans[d] =
          &reg.counter(metricName("count_spans_sampled"),
                       "Count of spans that were sampled or not per sampling policy", labels);
    }
    e.latency_us =
        &reg.histogram(metricName("sampling_decision_latency"),
                       "Latency (in microseconds) of a given sampling policy",
                       {{"processor", id}, {"policy", e.name}},
                       {1,   2,   5,    10,   25,   50,   75,   100,   150,   200,   300,  400,
                        500, 750, 1000, 2000, 3000, 4000, 5000, 10000, 20000, 30000, 50000});
  }
  for (int d = 0; d < 3; ++d) {
    global_[d] =
        &reg.counter(metricName("global_count_traces_sampled"),
                     "Global count of traces that were sampled or not by at least one policy",
                     {{"processor", id},
                      {"sampled", d == 0 ? "true" : "false"},
                      {"decision", kDecisionLabels[d]}});
  }
  new_trace_ids_ = &reg.counter(metricName("new_trace_id_received"),
                                "Counts the arrival of new traces", {{"processor", id}});
  dropped_too_early_ = &reg.counter(
      metricName("sampling_trace_dropped_too_early"),
      "Count of traces that had to leave the buffer before decision_wait (num_traces reached); "
      "Periscope decides them early instead of dropping them",
      {{"processor", id}});
  evaluation_errors_ =
      &reg.counter(metricName("sampling_policy_evaluation_error"),
                   "Count of sampling policy evaluation errors", {{"processor", id}});
  dropped_too_large_ = &reg.counter(metricName("traces_dropped_too_large"),
                                    "Count of traces that were dropped because they were too large",
                                    {{"processor", id}});
  invalid_trace_id_spans_ = &reg.counter(
      metricName("spans_invalid_trace_id"),
      "Spans dropped because their trace id is neither 16 bytes nor empty (Periscope only)",
      {{"processor", id}});
  early_release_sampled_ = &reg.counter(
      metricName("early_releases_from_cache_decision"),
      "Number of spans that were able to be immediately released due to a decision cache hit.",
      {{"processor", id}, {"sampled", "true"}});
  early_release_not_sampled_ = &reg.counter(
      metricName("early_releases_from_cache_decision"),
      "Number of spans that were able to be immediately released due to a decision cache hit.",
      {{"processor", id}, {"sampled", "false"}});
  traces_on_memory_ =
      &reg.gauge(metricName("sampling_traces_on_memory"),
                 "Tracks the number of traces current on memory", {{"processor", id}});
  timer_latency_ms_ = &reg.histogram(
      metricName("sampling_decision_timer_latency"),
      "Latency (in milliseconds) of each run of the sampling decision timer", {{"processor", id}},
      {1,   2,   5,    10,   25,   50,   75,   100,   150,   200,   300,  400,
       500, 750, 1000, 2000, 3000, 4000, 5000, 10000, 20000, 30000, 50000});
  late_span_age_s_ = &reg.histogram(
      metricName("sampling_late_span_age"),
      "Time (in seconds) from the sampling decision was taken and the arrival of a late span",
      {{"processor", id}}, {1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600});
  removal_age_s_ =
      &reg.histogram(metricName("sampling_trace_removal_age"),
                     "Time (in seconds) from arrival of a new trace until its removal from memory",
                     {{"processor", id}}, {1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600});
}

Status TailSamplingProcessor::start(component::Host&) {
  if (options_.run_ticker && !ticker_.joinable()) {
    ticker_ = std::thread([this] { tickerLoop(); });
  }
  return Status::ok();
}

void TailSamplingProcessor::tickerLoop() {
  std::unique_lock lock(ticker_mu_);
  while (!ticker_cv_.wait_for(lock, options_.tick_interval, [this] { return ticker_stop_; })) {
    lock.unlock();
    tick();
    lock.lock();
  }
}

pipeline::Consumers TailSamplingProcessor::input() {
  pipeline::Consumers c;
  c.set(component::Signal::kTraces, static_cast<pipeline::Consumer<model::Traces>*>(this));
  return c;
}

size_t TailSamplingProcessor::pendingTraces() const {
  std::lock_guard lock(mu_);
  return buffer_.traceCount();
}

uint64_t TailSamplingProcessor::pendingSpans() const {
  std::lock_guard lock(mu_);
  return buffer_.spanCount();
}

void TailSamplingProcessor::consume(model::Traces&& data, pipeline::Done done) {
  obs_.incoming(data.itemCount());
  model::Traces early;
  size_t late_sampled = 0;
  size_t invalid_ids = 0;
  {
    std::lock_guard lock(mu_);
    int64_t now = options_.clock();
    std::vector<TraceKey> overflow;
    for (const model::ResourceSpans& rs : data.resources()) {
      for (const model::ScopeSpans& ss : rs.scope_spans) {
        pending_.clear();
        for (uint32_t i = 0; i < ss.spans.size(); ++i) {
          std::optional<TraceKey> key = TraceKey::of(ss.spans[i].trace_id);
          if (!key) {
            ++invalid_ids;
            continue;
          }
          if (!buffer_.contains(*key)) {
            if (auto at = sampled_.get(*key)) {
              ++late_sampled;
              early_release_sampled_->add(1);
              late_span_age_s_->observe(seconds(now - *at));
              continue;
            }
            if (auto at = not_sampled_.get(*key)) {
              early_release_not_sampled_->add(1);
              late_span_age_s_->observe(seconds(now - *at));
              continue;
            }
          }
          pending_.emplace_back(*key, i);
        }
        if (pending_.empty()) continue;
        uint32_t header = buffer_.internHeader(rs, ss);
        std::stable_sort(pending_.begin(), pending_.end(), [](const auto& a, const auto& b) {
          return a.first.hi != b.first.hi ? a.first.hi < b.first.hi : a.first.lo < b.first.lo;
        });
        for (size_t i = 0; i < pending_.size();) {
          size_t j = i;
          run_.clear();
          while (j < pending_.size() && pending_[j].first == pending_[i].first) {
            run_.push_back(ss.spans[pending_[j].second]);
            ++j;
          }
          const TraceKey& key = pending_[i].first;
          TraceBuffer::Appended added = buffer_.append(key, header, run_, now);
          if (added.created) new_trace_ids_->add(1);
          if (config_.maximum_trace_size_bytes > 0 &&
              added.resource_spans_bytes > config_.maximum_trace_size_bytes) {
            // Dropped after this group: extracting now could free `header` (its last
            // reference) while later traces of the group still append with it.
            too_large_.push_back(key);
          } else if (added.created) {
            // Over num_traces: the oldest traces are decided now rather than lost.
            while (buffer_.traceCount() > config_.num_traces + overflow.size()) {
              auto oldest = buffer_.popOldest();
              if (!oldest) break;
              overflow.push_back(*oldest);
              dropped_too_early_->add(1);
            }
          }
          i = j;
        }
        for (const TraceKey& key : too_large_) dropTooLargeLocked(key, now);
        too_large_.clear();
      }
    }
    // Only late spans of sampled traces go on with this batch; the rest is buffered or dropped.
    model::removeSpansIf(
        data, [&](const model::ResourceSpans&, const model::ScopeSpans&, const model::Span& s) {
          std::optional<TraceKey> key = TraceKey::of(s.trace_id);
          return !key || buffer_.contains(*key) || !sampled_.contains(*key);
        });
    if (!overflow.empty()) decideLocked(std::move(overflow), early);
    traces_on_memory_->set(static_cast<double>(buffer_.traceCount()));
  }
  if (invalid_ids > 0) {
    // Receivers validate ids, so this takes a component that builds spans itself.
    invalid_trace_id_spans_->add(static_cast<double>(invalid_ids));
    log::warn("tail_sampling", "dropped spans whose trace id is not 16 bytes",
              {{"spans", std::to_string(invalid_ids)}});
  }
  if (!early.empty()) forward(std::move(early), nullptr);
  if (late_sampled == 0 || data.empty()) {
    done(Status::ok());
    return;
  }
  forward(std::move(data), std::move(done));
}

void TailSamplingProcessor::dropTooLargeLocked(const TraceKey& key, int64_t now) {
  std::string discard;
  TraceBuffer::Extracted x = buffer_.extract(key, discard);
  removal_age_s_->observe(seconds(now - x.arrival));
  not_sampled_.put(key, now);
  sampled_.erase(key);
  dropped_too_large_->add(1);
}

void TailSamplingProcessor::forward(model::Traces&& batch, pipeline::Done done) {
  obs_.outgoing(batch.itemCount());
  {
    std::lock_guard lock(inflight_->mu);
    ++inflight_->count;
  }
  // The callback holds the shared counter, not `this`: it may run after the processor is gone.
  next_->consume(std::move(batch), [inflight = inflight_, done = std::move(done)](Status st) {
    if (done) {
      done(st);
    } else if (!st.isOk()) {
      log::warn("tail_sampling", "error sending sampled traces to the next consumer",
                {{"error", st.toString()}});
    }
    std::lock_guard lock(inflight->mu);
    if (--inflight->count == 0) inflight->cv.notify_all();
  });
}

Decision TailSamplingProcessor::evaluatePolicies(const TraceData& trace) {
  bool sampled = false;
  for (PolicyEntry& e : policies_) {
    auto started = std::chrono::steady_clock::now();
    Decision d = e.policy->evaluate(trace);
    e.latency_us->observe(static_cast<double>(std::chrono::duration_cast<std::chrono::microseconds>(
                                                  std::chrono::steady_clock::now() - started)
                                                  .count()));
    int label = decisionLabel(d);
    if (label >= 0) {
      e.traces[label]->add(1);
      e.spans[label]->add(trace.span_count);
    }
    // The collector's precedence: a drop vetoes everything (drop policies run first), else any
    // sampled samples. invert_match is a plain answer of its policy and vetoes nothing.
    if (d == Decision::kDropped) return Decision::kDropped;
    if (d == Decision::kSampled) {
      sampled = true;
      if (config_.sample_on_first_match) break;
    }
  }
  return sampled ? Decision::kSampled : Decision::kNotSampled;
}

void TailSamplingProcessor::extractLocked(std::vector<TraceKey> keys, Pending& pending) {
  int64_t now = options_.clock();
  pending.keys = std::move(keys);
  pending.extracted.reserve(pending.keys.size());
  for (const TraceKey& key : pending.keys) {
    pending.extracted.push_back(buffer_.extract(key, pending.body));
    removal_age_s_->observe(seconds(now - pending.extracted.back().arrival));
  }
  traces_on_memory_->set(static_cast<double>(buffer_.traceCount()));
}

size_t TailSamplingProcessor::decodeParts(std::string_view body,
                                          std::span<const TraceBuffer::Extracted> parts,
                                          model::Traces& into, std::string_view what) {
  size_t decoded = 0;
  for (const TraceBuffer::Extracted& x : parts) {
    Status st = model::otlp::decode(body.substr(x.offset, x.bytes), into);
    if (st.isOk()) {
      ++decoded;
      continue;
    }
    // Cannot happen for bytes we encoded; one trace is lost, counted and logged, not the tick.
    evaluation_errors_->add(1);
    log::error("tail_sampling", "cannot decode buffered spans",
               {{"what", std::string(what)},
                {"spans", std::to_string(x.span_count)},
                {"error", st.toString()}});
  }
  return decoded;
}

void TailSamplingProcessor::evaluate(Pending& pending) {
  pending.sampled.assign(pending.keys.size(), false);
  if (pending.keys.empty()) return;
  std::string_view body = pending.body;
  std::string kept_body;
  std::vector<TraceBuffer::Extracted> kept_parts;
  {
    std::lock_guard lock(policy_mu_);
    for (size_t i = 0; i < pending.keys.size(); ++i) {
      const TraceBuffer::Extracted& x = pending.extracted[i];
      // Decoded views into pending.body for this trace's evaluation only: one trace decoded
      // at a time, so a tick's peak memory is one trace, not all of them.
      model::Traces decoded;
      // Each trace is a request body of its own: one that does not decode costs only itself
      // (counted as an evaluation error, decided not sampled).
      if (decodeParts(body, std::span(&x, 1), decoded, "trace at its decision") == 0 ||
          decoded.resources().empty() || decoded.resources()[0].scope_spans.empty() ||
          decoded.resources()[0].scope_spans[0].spans.empty()) {
        global_[decisionLabel(Decision::kNotSampled)]->add(1);
        continue;
      }
      std::span<const model::ResourceSpans> groups(decoded.resources());
      // Every stored group holds at least one span: its id is the trace id exactly as received.
      TraceData trace{groups[0].scope_spans[0].spans[0].trace_id, groups, x.span_count, x.bytes};
      Decision d = evaluatePolicies(trace);
      global_[decisionLabel(d)]->add(1);
      if (d == Decision::kSampled) {
        pending.sampled[i] = true;
        TraceBuffer::Extracted part = x;
        part.offset = kept_body.size();
        kept_body.append(body.substr(x.offset, x.bytes));
        kept_parts.push_back(part);
      }
    }
  }
  // The sampled traces go on in a batch of their own, so it holds only sampled data (at 1%
  // sampling, a batch sharing the tick's body would keep 100 times its size alive downstream).
  pending.kept = model::Traces();
  if (!kept_body.empty()) {
    std::string_view view = pending.kept.arena().adopt(std::move(kept_body));
    decodeParts(view, kept_parts, pending.kept, "sampled trace");
  }
}

void TailSamplingProcessor::recordLocked(Pending& pending, model::Traces& out) {
  int64_t now = options_.clock();
  std::string arrived_meanwhile, discard;
  std::vector<TraceBuffer::Extracted> parts;
  for (size_t i = 0; i < pending.keys.size(); ++i) {
    const TraceKey& key = pending.keys[i];
    // Spans that arrived during the evaluation follow the decision like cache hits would.
    if (pending.sampled[i]) {
      sampled_.put(key, now);
      not_sampled_.erase(key);
      if (buffer_.contains(key)) {
        parts.push_back(buffer_.extract(key, arrived_meanwhile));
        early_release_sampled_->add(parts.back().span_count);
      }
    } else {
      not_sampled_.put(key, now);
      sampled_.erase(key);
      if (buffer_.contains(key)) {
        early_release_not_sampled_->add(buffer_.extract(key, discard).span_count);
      }
    }
  }
  if (out.resources().empty()) {
    out = std::move(pending.kept);  // the sampled data's own arena goes first
  } else {
    out.append(std::move(pending.kept));
  }
  if (!arrived_meanwhile.empty()) {
    model::Traces late;
    std::string_view view = late.arena().adopt(std::move(arrived_meanwhile));
    decodeParts(view, parts, late, "span that arrived during its trace's decision");
    out.append(std::move(late));
  }
  traces_on_memory_->set(static_cast<double>(buffer_.traceCount()));
}

void TailSamplingProcessor::decideLocked(std::vector<TraceKey> keys, model::Traces& out) {
  // A trace evicted early may have been dropped as too large later in the same request.
  std::erase_if(keys, [&](const TraceKey& key) { return !buffer_.contains(key); });
  if (keys.empty()) return;
  Pending pending;
  extractLocked(std::move(keys), pending);
  evaluate(pending);
  recordLocked(pending, out);
}

void TailSamplingProcessor::tick() {
  auto started = std::chrono::steady_clock::now();
  Pending pending;
  {
    std::lock_guard lock(mu_);
    due_.clear();
    buffer_.popArrivedBy(options_.clock() - config_.decision_wait.count(), due_);
    if (due_.empty()) return;
    extractLocked(std::move(due_), pending);
  }
  if (options_.before_evaluate) options_.before_evaluate();
  evaluate(pending);
  model::Traces out;
  {
    std::lock_guard lock(mu_);
    recordLocked(pending, out);
  }
  timer_latency_ms_->observe(
      static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::steady_clock::now() - started)
                              .count()));
  if (!out.empty()) forward(std::move(out), nullptr);
}

void TailSamplingProcessor::decideAllPending(model::Traces& out) {
  std::lock_guard lock(mu_);
  due_.clear();
  buffer_.popArrivedBy(std::numeric_limits<int64_t>::max(), due_);
  if (config_.drop_pending_traces_on_shutdown) {
    std::string discard;
    for (const TraceKey& key : due_) buffer_.extract(key, discard);
    traces_on_memory_->set(static_cast<double>(buffer_.traceCount()));
  } else {
    decideLocked(std::move(due_), out);
  }
  due_.clear();
}

void TailSamplingProcessor::beginShutdown() {
  // Pending traces are decided now, so their spans reach the exporters before they stop.
  model::Traces out;
  decideAllPending(out);
  if (!out.empty()) forward(std::move(out), nullptr);
}

Status TailSamplingProcessor::shutdown(component::Deadline deadline) {
  {
    std::lock_guard lock(ticker_mu_);
    ticker_stop_ = true;
  }
  ticker_cv_.notify_all();
  if (ticker_.joinable()) ticker_.join();
  model::Traces out;
  decideAllPending(out);  // spans that arrived after beginShutdown
  if (!out.empty()) forward(std::move(out), nullptr);
  std::unique_lock lock(inflight_->mu);
  if (!inflight_->cv.wait_until(lock, deadline, [this] { return inflight_->count == 0; })) {
    return unavailable("tail_sampling: sampled traces still being exported at the deadline");
  }
  return Status::ok();
}

}  // namespace periscope::components::tail_sampling
