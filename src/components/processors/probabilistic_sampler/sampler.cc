#include "components/processors/probabilistic_sampler/sampler.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

#include "components/processors/probabilistic_sampler/hash_randomness.h"
#include "components/processors/probabilistic_sampler/tracestate.h"
#include "model/attribute_edit.h"

namespace periscope::components::probabilistic_sampler {
namespace {

constexpr std::string_view kSpanPriorityAttribute = "sampling.priority";
constexpr std::string_view kLogThresholdAttribute = "sampling.threshold";
constexpr std::string_view kLogRandomnessAttribute = "sampling.randomness";

enum class SpanPriority { kDefer, kMustSample, kDoNotSample };

SpanPriority priorityOf(double v) {
  if (v == 0) return SpanPriority::kDoNotSample;
  if (v > 0) return SpanPriority::kMustSample;
  return SpanPriority::kDefer;  // negative or NaN
}

// `sampling.priority` as the collector reads it: int, double, or a string holding a number.
SpanPriority spanPriority(const model::Span& span) {
  const model::AnyValue* v = model::findAttribute(span.attributes, kSpanPriorityAttribute);
  if (v == nullptr) return SpanPriority::kDefer;
  switch (v->type()) {
    case model::AnyValue::Type::kInt:
      return priorityOf(static_cast<double>(v->intValue()));
    case model::AnyValue::Type::kDouble:
      return priorityOf(v->doubleValue());
    case model::AnyValue::Type::kString: {
      std::string_view s = v->str();
      double d = 0;
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
      if (ec != std::errc() || end != s.data() + s.size()) return SpanPriority::kDefer;
      return priorityOf(d);
    }
    default:
      return SpanPriority::kDefer;
  }
}

// The threshold update rule of both carriers: a sampler may lower the probability recorded on
// an item, never raise it (the collector's ErrInconsistentSampling leaves it unchanged).
bool mayRecord(std::optional<Threshold> existing, Threshold next) {
  return !existing || !(next < *existing);
}

// sampling.threshold / sampling.randomness on a log record: the log carrier.
struct LogCarrier {
  std::optional<Threshold> threshold;
  std::optional<uint64_t> randomness;
  bool parse_error = false;

  explicit LogCarrier(const model::LogRecord& record) {
    auto stringAttr = [&](std::string_view key) -> std::string_view {
      const model::AnyValue* v = model::findAttribute(record.attributes, key);
      if (v == nullptr || v->type() != model::AnyValue::Type::kString) return {};
      return v->str();
    };
    if (std::string_view t = stringAttr(kLogThresholdAttribute); !t.empty()) {
      threshold = parseThreshold(t);
      parse_error |= !threshold;
    }
    if (std::string_view r = stringAttr(kLogRandomnessAttribute); !r.empty()) {
      randomness = parseRandomness(r);
      parse_error |= !randomness;
    }
  }
};

void putString(Arena& arena, model::Attributes& attrs, std::string_view key,
               std::string_view value) {
  model::setAttribute(arena, attrs, key, model::AnyValue::string(value), model::SetMode::kUpsert);
}

}  // namespace

bool hashInput(const model::AnyValue& v, std::array<char, 64>& scratch, std::string_view& out) {
  using T = model::AnyValue::Type;
  switch (v.type()) {
    case T::kString:
    case T::kBytes:
      out = v.str();
      return true;
    case T::kBool:
      out = v.boolValue() ? "true" : "false";
      return true;
    case T::kInt: {
      auto r = std::to_chars(scratch.data(), scratch.data() + scratch.size(), v.intValue());
      out = {scratch.data(), static_cast<size_t>(r.ptr - scratch.data())};
      return true;
    }
    case T::kDouble: {
      // Go's JSON/ES6 number formatting: shortest digits, fixed notation unless the magnitude
      // is below 1e-6 or at least 1e21; a negative exponent loses its leading zero.
      double d = v.doubleValue();
      if (!std::isfinite(d)) return false;
      double a = std::fabs(d);
      bool sci = a != 0 && (a < 1e-6 || a >= 1e21);
      auto r = std::to_chars(scratch.data(), scratch.data() + scratch.size(), d,
                             sci ? std::chars_format::scientific : std::chars_format::fixed);
      size_t n = static_cast<size_t>(r.ptr - scratch.data());
      if (sci && n >= 4 && scratch[n - 4] == 'e' && scratch[n - 3] == '-' &&
          scratch[n - 2] == '0') {
        scratch[n - 2] = scratch[n - 1];
        --n;
      }
      out = {scratch.data(), n};
      return true;
    }
    case T::kEmpty:
      out = {};
      return true;
    default:
      return false;  // arrays and maps (the collector hashes their JSON); not supported
  }
}

Sampler::Sampler(const Config& config)
    : precision_(config.sampling_precision),
      hash_seed_(config.hash_seed),
      fail_closed_(config.fail_closed),
      logs_trace_id_(config.attribute_source == "traceID"),
      from_attribute_(config.from_attribute),
      sampling_priority_(config.sampling_priority) {
  float pct = std::min(static_cast<float>(config.sampling_percentage), 100.0f);
  if (pct <= 0) return;  // kNever
  double ratio = std::max(static_cast<double>(pct) / 100, kMinSamplingProbability);
  ProbabilityError err;
  if (config.mode == "equalizing") {
    kind_ = Kind::kEqualizing;
    fixed_ = probabilityToThreshold(ratio, precision_, &err);
  } else if (config.mode == "proportional") {
    kind_ = Kind::kProportional;
    ratio_ = ratio;
  } else {
    uint32_t accepted = acceptedBuckets(pct);
    if (accepted == 0) return;  // kNever
    kind_ = Kind::kHash;
    fixed_ = Threshold{static_cast<uint64_t>(kNumHashBuckets - accepted) << 42};
  }
}

std::string_view Sampler::policyName(Policy p) const {
  switch (p) {
    case Policy::kTraceIdHash:
      return "trace_id_hash";
    case Policy::kTraceIdW3C:
      return "trace_id_w3c";
    case Policy::kSamplingRandomness:
      return "sampling_randomness";
    case Policy::kMissingRandomness:
      return "missing_randomness";
    case Policy::kSamplingPriority:
      return "sampling_priority";
    case Policy::kAttribute:
      return from_attribute_;
  }
  return "";
}

Threshold Sampler::decide(std::optional<Threshold> arriving) const {
  switch (kind_) {
    case Kind::kNever:
      return Threshold::never();
    case Kind::kHash:
      return fixed_;
    case Kind::kEqualizing:
      // The stricter (larger) of the configured and the arriving threshold.
      return arriving && fixed_ < *arriving ? *arriving : fixed_;
    case Kind::kProportional: {
      double incoming = arriving ? arriving->probability() : 1.0;
      ProbabilityError err;
      Threshold t = probabilityToThreshold(incoming * ratio_, precision_, &err);
      // Below the smallest representable probability the item is simply not sampled.
      return err == ProbabilityError::kOutOfRange ? Threshold::never() : t;
    }
  }
  return Threshold::never();
}

Decision Sampler::sampleSpan(Arena& arena, model::Span& span) const {
  TraceState ts;
  bool carrier = ts.parse(span.trace_state);
  bool error = !carrier;
  Randomness rnd;
  const bool has_trace_id = !isEmptyTraceId(span.trace_id);
  switch (kind_) {
    case Kind::kNever:
      rnd.policy = Policy::kSamplingPriority;  // a stand-in randomness, as in the collector
      break;
    case Kind::kHash:
      if (has_trace_id) rnd = {hashRandomness(span.trace_id, hash_seed_), Policy::kTraceIdHash};
      if (carrier && (ts.randomness() || ts.threshold())) {
        // OTel consistent-sampling data is left alone; hash_seed mode cannot honour it.
        error = true;
        carrier = false;
      } else if (carrier) {
        ts.setRandomness(rnd.value);
      }
      break;
    case Kind::kEqualizing:
    case Kind::kProportional:
      if (!carrier) break;
      if (auto rv = ts.randomness()) {
        rnd = {*rv, Policy::kSamplingRandomness};
      } else if (has_trace_id) {
        rnd = {traceIdRandomness(span.trace_id), Policy::kTraceIdW3C};
      }
      break;
  }
  // Consistency: randomness must exist, and an arriving threshold must admit it.
  if (!error && rnd.policy == Policy::kMissingRandomness) error = true;
  if (!error && carrier) {
    if (auto th = ts.threshold(); th && !th->shouldSample(rnd.value)) {
      ts.clearThreshold();
      error = true;
    }
  }
  Threshold threshold =
      error ? failureThreshold() : decide(carrier ? ts.threshold() : std::nullopt);

  switch (spanPriority(span)) {
    case SpanPriority::kDoNotSample:
      threshold = Threshold::never();
      rnd.policy = Policy::kSamplingPriority;
      break;
    case SpanPriority::kMustSample:
      threshold = Threshold::always();
      rnd.policy = Policy::kSamplingPriority;
      break;
    case SpanPriority::kDefer:
      break;
  }

  bool sampled = threshold.shouldSample(rnd.value);
  if (sampled && carrier) {
    if (mayRecord(ts.threshold(), threshold)) ts.setThreshold(threshold);
    std::array<char, TraceState::kMaxSerialized> buf;
    std::string_view out = ts.serialize(buf);
    if (out != span.trace_state) span.trace_state = arena.copy(out);
  }
  return {sampled, rnd.policy};
}

std::optional<Threshold> Sampler::logPriority(const model::LogRecord& record) const {
  const model::AnyValue* v = model::findAttribute(record.attributes, sampling_priority_);
  if (v == nullptr) return std::nullopt;
  double pct;
  if (v->type() == model::AnyValue::Type::kInt) {
    pct = static_cast<double>(v->intValue());
  } else if (v->type() == model::AnyValue::Type::kDouble) {
    pct = v->doubleValue();
  } else {
    return std::nullopt;
  }
  // As the collector's README states: 0 never samples, >= 100 always samples.
  if (pct == 0) return Threshold::never();
  if (!(pct > 0)) return std::nullopt;
  ProbabilityError err;
  Threshold t = probabilityToThreshold(std::min(pct / 100.0, 1.0), precision_, &err);
  if (err != ProbabilityError::kNone) return std::nullopt;
  return t;
}

Decision Sampler::sampleLog(Arena& arena, model::LogRecord& record) const {
  LogCarrier lc(record);
  bool carrier = !lc.parse_error;
  bool error = lc.parse_error;
  bool write_randomness = false;
  Randomness rnd;
  const bool has_trace_id = !isEmptyTraceId(record.trace_id);
  switch (kind_) {
    case Kind::kNever:
      rnd.policy = Policy::kSamplingPriority;
      break;
    case Kind::kHash:
      if (logs_trace_id_ && has_trace_id) {
        rnd = {hashRandomness(record.trace_id, hash_seed_), Policy::kTraceIdHash};
      }
      if (rnd.policy == Policy::kMissingRandomness && !from_attribute_.empty()) {
        std::array<char, 64> scratch;
        std::string_view bytes;
        const model::AnyValue* v = model::findAttribute(record.attributes, from_attribute_);
        if (v != nullptr && hashInput(*v, scratch, bytes) && !bytes.empty()) {
          rnd = {hashRandomness(bytes, hash_seed_), Policy::kAttribute};
        }
      }
      if (carrier && (lc.randomness || lc.threshold)) {
        error = true;
        carrier = false;
      } else if (carrier && rnd.policy != Policy::kMissingRandomness) {
        write_randomness = true;
      }
      break;
    case Kind::kEqualizing:
    case Kind::kProportional:
      if (!carrier) break;
      if (lc.randomness) {
        rnd = {*lc.randomness, Policy::kSamplingRandomness};
      } else if (has_trace_id) {
        rnd = {traceIdRandomness(record.trace_id), Policy::kTraceIdW3C};
      }
      break;
  }
  if (!error && rnd.policy == Policy::kMissingRandomness) error = true;
  if (!error && carrier && lc.threshold && !lc.threshold->shouldSample(rnd.value)) {
    lc.threshold.reset();
    model::removeAttribute(record.attributes, kLogThresholdAttribute);
    error = true;
  }
  Threshold threshold = error ? failureThreshold() : decide(carrier ? lc.threshold : std::nullopt);

  if (!sampling_priority_.empty()) {
    if (auto p = logPriority(record)) {
      threshold = *p;
      rnd.policy = Policy::kSamplingPriority;
    }
  }

  bool sampled = threshold.shouldSample(rnd.value);
  if (sampled && carrier) {
    char digits[kNumHexDigits];
    if (write_randomness) {
      putString(arena, record.attributes, kLogRandomnessAttribute,
                encodeRandomness(rnd.value, digits));
    }
    if (mayRecord(lc.threshold, threshold)) {
      putString(arena, record.attributes, kLogThresholdAttribute,
                encodeThreshold(threshold, digits));
    }
  }
  return {sampled, rnd.policy};
}

}  // namespace periscope::components::probabilistic_sampler
