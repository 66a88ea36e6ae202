#include "components/processors/redaction/redactor.h"

#include <algorithm>
#include <charconv>

#include "components/processors/redaction/detectors.h"
#include "components/processors/redaction/sql_literal_sanitizer.h"
#include "components/processors/redaction/url_query_sanitizer.h"
#include "model/attribute_edit.h"

namespace periscope::components::redaction {

using model::AnyValue;
using model::Attributes;
using model::KeyValue;

struct Redactor::ValuePattern {
  std::unique_ptr<RE2> re;
  int mask_group = 0;
  bool (*accept)(std::string_view, size_t, size_t) = nullptr;
};

namespace {

// The collector's summary attribute names.
constexpr std::string_view kRedactedKeys = "redaction.redacted.keys";
constexpr std::string_view kRedactedCount = "redaction.redacted.count";
constexpr std::string_view kMaskedKeys = "redaction.masked.keys";
constexpr std::string_view kMaskedCount = "redaction.masked.count";
constexpr std::string_view kAllowedKeys = "redaction.allowed.keys";
constexpr std::string_view kAllowedCount = "redaction.allowed.count";
constexpr std::string_view kIgnoredCount = "redaction.ignored.count";
constexpr std::string_view kBodyRedactedKeys = "redaction.body.redacted.keys";
constexpr std::string_view kBodyRedactedCount = "redaction.body.redacted.count";
constexpr std::string_view kBodyMaskedKeys = "redaction.body.masked.keys";
constexpr std::string_view kBodyMaskedCount = "redaction.body.masked.count";
constexpr std::string_view kBodyAllowedKeys = "redaction.body.allowed.keys";
constexpr std::string_view kBodyAllowedCount = "redaction.body.allowed.count";
constexpr std::string_view kBodyIgnoredCount = "redaction.body.ignored.count";

struct Range {
  size_t begin;
  size_t end;
};

// Per-thread scratch so the match path reuses its buffers and the no-match path allocates nothing.
struct Scratch {
  std::vector<Range> ranges;
  std::vector<int> hits;
  std::string buffers[2];
  std::string number;
};
Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

RE2::Options patternOptions(bool longest) {
  RE2::Options o;
  o.set_log_errors(false);
  o.set_longest_match(longest);
  o.set_max_mem(64 << 20);
  return o;
}

std::string regexError(std::string_view field, size_t index, std::string_view pattern,
                       std::string_view error) {
  return std::string(field) + "[" + std::to_string(index) + "]: invalid regular expression \"" +
         std::string(pattern) + "\": " + std::string(error);
}

Status compileSet(const std::vector<std::string>& patterns, std::string_view field,
                  std::unique_ptr<RE2::Set>& out) {
  if (patterns.empty()) return Status::ok();
  auto set = std::make_unique<RE2::Set>(patternOptions(false), RE2::UNANCHORED);
  for (size_t i = 0; i < patterns.size(); ++i) {
    std::string error;
    if (set->Add(patterns[i], &error) < 0) {
      return invalidArgument(regexError(field, i, patterns[i], error));
    }
  }
  if (!set->Compile()) return invalidArgument(std::string(field) + ": patterns are too large");
  out = std::move(set);
  return Status::ok();
}

bool contains(const std::vector<std::string>& sorted, std::string_view key) {
  return std::binary_search(sorted.begin(), sorted.end(), key, std::less<>());
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

bool setMatches(const std::unique_ptr<RE2::Set>& set, std::string_view text) {
  return set && set->Match(text, nullptr);
}

// The text a scalar is scanned as (Go's AsString for the scalar types), in `buffer` if needed.
std::string_view scalarText(const AnyValue& v, std::string& buffer) {
  char tmp[64];
  switch (v.type()) {
    case AnyValue::Type::kString:
      return v.str();
    case AnyValue::Type::kBool:
      return v.boolValue() ? "true" : "false";
    case AnyValue::Type::kInt: {
      auto r = std::to_chars(tmp, tmp + sizeof(tmp), v.intValue());
      buffer.assign(tmp, r.ptr);
      return buffer;
    }
    case AnyValue::Type::kDouble: {
      auto r = std::to_chars(tmp, tmp + sizeof(tmp), v.doubleValue());
      buffer.assign(tmp, r.ptr);
      return buffer;
    }
    default:
      return {};
  }
}

bool isScalar(const AnyValue& v) {
  switch (v.type()) {
    case AnyValue::Type::kString:
    case AnyValue::Type::kBool:
    case AnyValue::Type::kInt:
    case AnyValue::Type::kDouble:
      return true;
    default:
      return false;
  }
}

// Appends "." + segment (or just the segment at the top) to a key path; returns the old length.
size_t pushPath(std::string* path, std::string_view segment) {
  if (path == nullptr) return 0;
  size_t old = path->size();
  if (!path->empty()) path->push_back('.');
  path->append(segment);
  return old;
}
size_t pushIndex(std::string* path, size_t index) {
  if (path == nullptr) return 0;
  std::string segment = "[" + std::to_string(index) + "]";
  return pushPath(path, segment);
}
void popPath(std::string* path, size_t old) {
  if (path != nullptr) path->resize(old);
}

}  // namespace

// What one attribute list or body had redacted, masked, allowed and ignored. Names are kept only
// for `summary: debug` (the only level that lists them).
struct Redactor::Tally {
  explicit Tally(bool keep_names) : names(keep_names) {}
  struct List {
    size_t count = 0;
    std::vector<std::string> keys;
  };
  void add(List& list, std::string_view key) {
    ++list.count;
    if (names) list.keys.emplace_back(key);
  }
  bool names;
  List redacted, masked, allowed;
  size_t ignored = 0;
};

Redactor::Redactor() = default;
Redactor::~Redactor() = default;

Result<std::unique_ptr<Redactor>> Redactor::create(const Config& c) {
  auto r = std::make_unique<Redactor>();
  r->allow_all_keys_ = c.allow_all_keys;
  r->redact_all_types_ = c.redact_all_types;
  r->summary_ = c.summary == "debug"  ? Summary::kDebug
                : c.summary == "info" ? Summary::kInfo
                                      : Summary::kSilent;
  if (!c.hash_function.empty()) {
    auto algorithm = parseDigestAlgorithm(c.hash_function);
    if (!algorithm || c.hash_function == "sha256") {
      return invalidArgument("hash_function: unknown hash function \"" + c.hash_function +
                             "\"; expected one of md5, sha1, sha3");
    }
    r->masker_ = Masker(*algorithm);
  }
  // The summary names are not added: incoming `redaction.*` attributes follow the rules like
  // any other (as in the collector), so a client cannot smuggle a value past allowed_keys under
  // them. This processor's own summary is written after the rules run.
  r->allowed_keys_ = sorted(c.allowed_keys);
  r->ignored_keys_ = sorted(c.ignored_keys);
  PERISCOPE_RETURN_IF_ERROR(
      compileSet(c.ignored_key_patterns, "ignored_key_patterns", r->ignored_key_patterns_));
  PERISCOPE_RETURN_IF_ERROR(
      compileSet(c.blocked_key_patterns, "blocked_key_patterns", r->blocked_key_patterns_));
  PERISCOPE_RETURN_IF_ERROR(compileSet(c.allowed_values, "allowed_values", r->allowed_values_));

  // blocked_values (leftmost-first, as Go's regexp) and detectors (leftmost-longest, so an IPv6
  // address is masked whole) in one set.
  std::vector<std::string> all = c.blocked_values;
  std::vector<const Detector*> detectors;
  for (size_t i = 0; i < c.detectors.size(); ++i) {
    const Detector* d = findDetector(c.detectors[i]);
    if (d == nullptr) {
      return invalidArgument("detectors[" + std::to_string(i) + "]: unknown detector \"" +
                             c.detectors[i] + "\"; expected one of " + detectorNames());
    }
    if (std::find(detectors.begin(), detectors.end(), d) != detectors.end()) continue;
    detectors.push_back(d);
    all.emplace_back(d->pattern);
    if (d->name == "aws_secret_access_key") r->secret_key_context_ = true;
  }
  for (size_t i = 0; i < c.blocked_values.size(); ++i) {
    ValuePattern vp;
    vp.re = std::make_unique<RE2>(c.blocked_values[i], patternOptions(false));
    if (!vp.re->ok()) {
      return invalidArgument(regexError("blocked_values", i, c.blocked_values[i], vp.re->error()));
    }
    r->patterns_.push_back(std::move(vp));
  }
  for (const Detector* d : detectors) {
    ValuePattern vp;
    vp.re = std::make_unique<RE2>(d->pattern, patternOptions(true));
    vp.mask_group = d->mask_group;
    vp.accept = d->accept;
    r->patterns_.push_back(std::move(vp));
  }
  // Every pattern compiled above, so the set only fails on size (or on a broken built-in).
  PERISCOPE_RETURN_IF_ERROR(compileSet(all, "blocked_values and detectors", r->value_set_));
  r->url_enabled_ = c.url_sanitizer.enabled;
  r->url_attributes_ = sorted(c.url_sanitizer.attributes);
  r->sql_enabled_ = c.db_sanitizer.sql.enabled;
  r->sql_attributes_ = sorted(c.db_sanitizer.sql.attributes);
  r->sql_options_.double_quoted_identifiers = c.db_sanitizer.sql.double_quoted_identifiers;
  return r;
}

bool Redactor::isIgnored(std::string_view key) const {
  return contains(ignored_keys_, key) || setMatches(ignored_key_patterns_, key);
}
bool Redactor::isRedacted(std::string_view key) const {
  return !allow_all_keys_ && !contains(allowed_keys_, key);
}
bool Redactor::isKeyBlocked(std::string_view key) const {
  return setMatches(blocked_key_patterns_, key);
}
bool Redactor::isValueAllowed(std::string_view value) const {
  return setMatches(allowed_values_, value);
}

// Fills scratch().ranges with the parts of `text` to mask. True if there is any.
bool Redactor::findMasks(std::string_view key, std::string_view text) const {
  Scratch& s = scratch();
  s.ranges.clear();
  if (value_set_) {
    RE2::Set::ErrorInfo error{};
    bool any = value_set_->Match(text, nullptr, &error);
    if (any || error.kind != RE2::Set::kNoError) {
      s.hits.clear();
      // If the DFA gave up (memory budget), search with every pattern: never fail open.
      if (!any || !value_set_->Match(text, &s.hits)) {
        for (size_t i = 0; i < patterns_.size(); ++i) s.hits.push_back(static_cast<int>(i));
      }
      for (int hit : s.hits) {
        const ValuePattern& p = patterns_[static_cast<size_t>(hit)];
        re2::StringPiece sub[2];
        int groups = p.mask_group + 1;
        size_t pos = 0;
        while (pos <= text.size() &&
               p.re->Match(text, pos, text.size(), RE2::UNANCHORED, sub, groups)) {
          size_t match_begin = static_cast<size_t>(sub[0].data() - text.data());
          size_t match_end = match_begin + sub[0].size();
          size_t b = match_begin;
          size_t e = match_end;
          if (p.mask_group > 0) {
            b = sub[1].data() == nullptr ? match_begin
                                         : static_cast<size_t>(sub[1].data() - text.data());
            e = sub[1].data() == nullptr ? match_begin : b + sub[1].size();
          }
          if (e > b && (p.accept == nullptr || p.accept(text, b, e))) s.ranges.push_back({b, e});
          pos = match_end > match_begin ? match_end : match_begin + 1;
        }
      }
    }
  }
  if (secret_key_context_ && isSecretKeyName(key) && looksLikeAwsSecret(text)) {
    s.ranges.push_back({0, text.size()});
  }
  return !s.ranges.empty();
}

// The sanitisers run first, on the original text: they parse structure (URL user-info, where a
// SQL literal ends) that a mask written by a value pattern could destroy — the email detector
// would turn `https://tok:x-oauth-basic@github.com` into `https://tok:****`, hiding the user-info
// and leaking the token. The value patterns then run over what the sanitisers kept.
std::optional<std::string_view> Redactor::transform(std::string_view key, std::string_view text,
                                                    Where where) const {
  Scratch& s = scratch();
  std::string_view current = text;
  int free_buffer = 0;
  bool changed = false;
  auto commit = [&](std::string& out) {
    current = out;
    free_buffer ^= 1;
    changed = true;
  };
  if (url_enabled_) {
    std::string& out = s.buffers[free_buffer];
    out.clear();
    bool sanitized = where == Where::kBody
                         ? sanitizeUrlsInText(current, masker_, out)
                         : contains(url_attributes_, key) && sanitizeUrl(current, masker_, out);
    if (sanitized) commit(out);
  }
  if (sql_enabled_ && contains(sql_attributes_, key)) {
    std::string& out = s.buffers[free_buffer];
    out.clear();
    if (sanitizeSqlLiterals(current, sql_options_, out)) commit(out);
  }
  if (findMasks(key, current)) {
    std::sort(s.ranges.begin(), s.ranges.end(),
              [](const Range& a, const Range& b) { return a.begin < b.begin; });
    std::string& out = s.buffers[free_buffer];
    out.clear();
    size_t copied = 0;
    for (size_t i = 0; i < s.ranges.size();) {
      size_t b = s.ranges[i].begin;
      size_t e = s.ranges[i].end;
      for (++i; i < s.ranges.size() && s.ranges[i].begin < e; ++i) {
        e = std::max(e, s.ranges[i].end);  // overlapping matches are masked once
      }
      out.append(current.substr(copied, b - copied));
      masker_.append(out, current.substr(b, e - b));
      copied = e;
    }
    out.append(current.substr(copied));
    commit(out);
  }
  if (!changed) return std::nullopt;
  return current;
}

std::optional<std::string> Redactor::redactString(std::string_view key,
                                                  std::string_view value) const {
  auto r = transform(key, value, Where::kAttribute);
  if (!r) return std::nullopt;
  return std::string(*r);
}

void Redactor::maskWhole(Arena& arena, AnyValue& value) const {
  Scratch& s = scratch();
  std::string_view text = scalarText(value, s.number);
  std::string& out = s.buffers[0];
  out.clear();
  masker_.append(out, text);
  value = AnyValue::string(arena.copy(out));
}

void Redactor::redactAttributes(Arena& arena, Attributes& attrs) const {
  if (attrs.empty()) return;
  Tally tally(summary_ == Summary::kDebug);
  for (KeyValue& kv : attrs) {
    if (isIgnored(kv.key)) {
      ++tally.ignored;
      continue;
    }
    if (isRedacted(kv.key)) {
      tally.add(tally.redacted, kv.key);
      continue;
    }
    switch (redactValue(arena, kv.key, isKeyBlocked(kv.key), kv.value)) {
      case Outcome::kAllowed:
        tally.add(tally.allowed, kv.key);
        break;
      case Outcome::kMasked:
        tally.add(tally.masked, kv.key);
        break;
      case Outcome::kUnchanged:
        break;
    }
  }
  if (tally.redacted.count > 0) {
    model::removeAttributesIf(
        attrs, [&](const KeyValue& kv) { return !isIgnored(kv.key) && isRedacted(kv.key); });
  }
  addSummary(arena, attrs, tally, false);
}

// One attribute value, or a value nested in one: allowed_values first, then a blocked key masks
// the whole value, then the value patterns and sanitisers. Only strings have text to match unless
// redact_all_types: an int is never "allowed" by a pattern matching the empty string.
Redactor::Outcome Redactor::redactValue(Arena& arena, std::string_view key, bool key_blocked,
                                        AnyValue& value) const {
  if (value.type() == AnyValue::Type::kArray || value.type() == AnyValue::Type::kKvList) {
    if (key_blocked) {
      maskWhole(arena, value);
      return Outcome::kMasked;
    }
    return scanNested(arena, value, key) ? Outcome::kMasked : Outcome::kUnchanged;
  }
  bool has_text = value.type() == AnyValue::Type::kString || (redact_all_types_ && isScalar(value));
  std::string_view text = has_text ? scalarText(value, scratch().number) : std::string_view();
  if (has_text && isValueAllowed(text)) return Outcome::kAllowed;
  if (key_blocked) {
    maskWhole(arena, value);
    return Outcome::kMasked;
  }
  if (text.empty()) return Outcome::kUnchanged;
  if (auto redacted = transform(key, text, Where::kAttribute)) {
    value = AnyValue::string(arena.copy(*redacted));
    return Outcome::kMasked;
  }
  return Outcome::kUnchanged;
}

// Values nested in array or map attribute values (Periscope: the collector only scans top-level
// strings). blocked_key_patterns apply to nested map keys too, so {password: hunter2} under an
// allowed key is masked; allowed_keys and ignored keys apply to top-level keys only. Array
// elements are scanned under the key that holds the array. True if anything was masked.
bool Redactor::scanNested(Arena& arena, AnyValue& value, std::string_view key) const {
  bool changed = false;
  if (value.type() == AnyValue::Type::kArray) {
    for (AnyValue& element : value.arrayValues()) {
      changed |= redactValue(arena, key, false, element) == Outcome::kMasked;
    }
  } else {
    for (KeyValue& kv : value.kvlistValues()) {
      changed |= redactValue(arena, kv.key, isKeyBlocked(kv.key), kv.value) == Outcome::kMasked;
    }
  }
  return changed;
}

void Redactor::redactBody(Arena& arena, AnyValue& body, Attributes& record_attrs) const {
  Tally tally(summary_ == Summary::kDebug);
  std::string path;  // key paths are built only for summary: debug
  std::string* p = tally.names ? &path : nullptr;
  switch (body.type()) {
    case AnyValue::Type::kKvList:
      redactBodyMap(arena, p, body, tally);
      break;
    case AnyValue::Type::kArray: {
      auto elements = body.arrayValues();
      for (size_t i = 0; i < elements.size(); ++i) {
        size_t old = pushIndex(p, i);
        redactBodyValue(arena, p, {}, elements[i], tally);
        popPath(p, old);
      }
      break;
    }
    default: {
      if (!isScalar(body)) return;
      std::string_view text = scalarText(body, scratch().number);
      if (isValueAllowed(text)) return;  // as the collector: no summary for an allowed body
      if (auto redacted = transform({}, text, Where::kBody)) {
        body = AnyValue::string(arena.copy(*redacted));
        tally.add(tally.masked, "body");
      }
    }
  }
  addSummary(arena, record_attrs, tally, true);
}

// Map bodies follow the attribute rules per key (ignored, allowed_keys, blocked_key_patterns),
// recursively, as the collector does.
void Redactor::redactBodyMap(Arena& arena, std::string* path, AnyValue& map, Tally& tally) const {
  Attributes entries = map.kvlistValues();
  size_t redacted = 0;
  for (KeyValue& kv : entries) {
    size_t old = pushPath(path, kv.key);
    std::string_view key_path = path != nullptr ? std::string_view(*path) : kv.key;
    if (isIgnored(kv.key)) {
      ++tally.ignored;
    } else if (isRedacted(kv.key)) {
      tally.add(tally.redacted, key_path);
      ++redacted;
    } else if (isKeyBlocked(kv.key)) {
      tally.add(tally.masked, key_path);
      maskWhole(arena, kv.value);
    } else {
      redactBodyValue(arena, path, kv.key, kv.value, tally);
    }
    popPath(path, old);
  }
  if (redacted > 0) {
    model::removeAttributesIf(
        entries, [&](const KeyValue& kv) { return !isIgnored(kv.key) && isRedacted(kv.key); });
    map = AnyValue::kvlist(entries);
  }
}

void Redactor::redactBodyValue(Arena& arena, std::string* path, std::string_view leaf_key,
                               AnyValue& value, Tally& tally) const {
  if (value.type() == AnyValue::Type::kKvList) {
    redactBodyMap(arena, path, value, tally);
    return;
  }
  if (value.type() == AnyValue::Type::kArray) {
    auto elements = value.arrayValues();
    for (size_t i = 0; i < elements.size(); ++i) {
      size_t old = pushIndex(path, i);
      redactBodyValue(arena, path, leaf_key, elements[i], tally);
      popPath(path, old);
    }
    return;
  }
  if (!isScalar(value)) return;
  std::string_view key_path = path != nullptr ? std::string_view(*path) : leaf_key;
  std::string_view text = scalarText(value, scratch().number);
  if (isValueAllowed(text)) {
    tally.add(tally.allowed, key_path);
    return;
  }
  if (auto redacted = transform(leaf_key, text, Where::kBody)) {
    value = AnyValue::string(arena.copy(*redacted));
    tally.add(tally.masked, key_path);
  }
}

void Redactor::addSummary(Arena& arena, Attributes& attrs, const Tally& tally, bool body) const {
  if (summary_ == Summary::kSilent) return;
  auto put = [&](const Tally::List* list, size_t count, std::string_view keys_attr,
                 std::string_view count_attr) {
    if (count == 0) return;
    if (summary_ == Summary::kDebug && list != nullptr) {
      std::vector<std::string_view> keys(list->keys.begin(), list->keys.end());
      const AnyValue* existing = model::findAttribute(attrs, keys_attr);
      std::string previous;  // the existing value is overwritten below: copy it first
      if (existing != nullptr && existing->type() == AnyValue::Type::kString) {
        previous = existing->str();
        for (size_t pos = 0; !previous.empty() && pos <= previous.size();) {
          size_t comma = previous.find(',', pos);
          if (comma == std::string::npos) comma = previous.size();
          keys.push_back(std::string_view(previous).substr(pos, comma - pos));
          pos = comma + 1;
        }
      }
      std::sort(keys.begin(), keys.end());
      std::string joined;
      for (std::string_view k : keys) {
        if (!joined.empty()) joined.push_back(',');
        joined.append(k);
      }
      model::setAttribute(arena, attrs, keys_attr, AnyValue::string(joined),
                          model::SetMode::kUpsert);
    }
    int64_t total = static_cast<int64_t>(count);
    const AnyValue* existing = model::findAttribute(attrs, count_attr);
    if (existing != nullptr && existing->type() == AnyValue::Type::kInt) {
      total += existing->intValue();
    }
    model::setAttribute(arena, attrs, count_attr, AnyValue::integer(total),
                        model::SetMode::kUpsert);
  };
  put(&tally.redacted, tally.redacted.count, body ? kBodyRedactedKeys : kRedactedKeys,
      body ? kBodyRedactedCount : kRedactedCount);
  put(&tally.masked, tally.masked.count, body ? kBodyMaskedKeys : kMaskedKeys,
      body ? kBodyMaskedCount : kMaskedCount);
  put(&tally.allowed, tally.allowed.count, body ? kBodyAllowedKeys : kAllowedKeys,
      body ? kBodyAllowedCount : kAllowedCount);
  put(nullptr, tally.ignored, {}, body ? kBodyIgnoredCount : kIgnoredCount);
}

}  // namespace periscope::components::redaction
