#include "query/logs/log_pipeline.h"

#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <optional>

#include "common/hex.h"
#include "model/any_value_json.h"
#include "model/log_line.h"

namespace periscope::query::logs {

using model::AnyValue;

namespace {

// The first segments of OpenTelemetry's resource semantic conventions: selector names in
// these namespaces are resource attributes only, which lets the store skip whole resources.
constexpr std::array<std::string_view, 14> kResourceNamespaces = {
    "service", "k8s",    "host", "cloud",  "container", "deployment", "process",
    "os",      "device", "faas", "heroku", "telemetry", "webengine",  "oci"};

std::unique_ptr<re2::RE2> compileRegex(const std::string& pattern, bool anchored) {
  re2::RE2::Options options;
  options.set_log_errors(false);
  return std::make_unique<re2::RE2>(anchored ? "^(?:" + pattern + ")$" : pattern, options);
}

// The text of an attribute value as comparisons see it; false when the value is absent.
bool valueText(const AnyValue& value, std::string& buffer, std::string_view& out) {
  char num[64];
  std::to_chars_result r{};
  switch (value.type()) {
    case AnyValue::Type::kAbsent:
      return false;
    case AnyValue::Type::kEmpty:
      out = {};
      return true;
    case AnyValue::Type::kString:
      out = value.str();
      return true;
    case AnyValue::Type::kBool:
      out = value.boolValue() ? "true" : "false";
      return true;
    case AnyValue::Type::kInt:
      r = std::to_chars(num, num + sizeof num, value.intValue());
      break;
    case AnyValue::Type::kDouble:
      r = std::to_chars(num, num + sizeof num, value.doubleValue());
      break;
    case AnyValue::Type::kBytes:
      buffer = hexEncode(value.str());
      out = buffer;
      return true;
    default:  // arrays and maps: compact JSON, as in a line
      buffer.clear();
      model::appendCompactJson(value, buffer);
      out = buffer;
      return true;
  }
  buffer.assign(num, r.ptr);
  out = buffer;
  return true;
}

bool attributeText(model::Attributes attrs, std::string_view key, std::string& buffer,
                   std::string_view& out) {
  const AnyValue* v = model::findAttribute(attrs, key);
  return v != nullptr && valueText(*v, buffer, out);
}

// A structured body's field at a dotted path; keys may themselves contain dots.
const AnyValue* findPath(const AnyValue& value, std::string_view path) {
  if (value.type() != AnyValue::Type::kKvList) return nullptr;
  for (const auto& kv : value.kvlistValues()) {
    if (path == kv.key) return &kv.value;
    if (path.size() > kv.key.size() && path.starts_with(kv.key) && path[kv.key.size()] == '.') {
      if (const AnyValue* v = findPath(kv.value, path.substr(kv.key.size() + 1))) return v;
    }
  }
  return nullptr;
}

// A field's text as a number: the whole text must be a finite decimal number.
bool parseNumber(std::string_view text, double& out) {
  if (text.empty()) return false;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end && std::isfinite(out);
}

bool textMatches(CompareOp op, std::string_view text, const std::string& value,
                 const re2::RE2* re) {
  switch (op) {
    case CompareOp::kEqual:
      return text == value;
    case CompareOp::kNotEqual:
      return text != value;
    case CompareOp::kRegexMatch:
      return re2::RE2::FullMatch(text, *re);
    case CompareOp::kRegexNoMatch:
      return !re2::RE2::FullMatch(text, *re);
    default:
      return false;  // ordering ops take numbers (the parser enforces it)
  }
}

bool numberMatches(CompareOp op, double v, double want) {
  switch (op) {
    case CompareOp::kEqual:
      return v == want;
    case CompareOp::kNotEqual:
      return v != want;
    case CompareOp::kGreater:
      return v > want;
    case CompareOp::kGreaterEqual:
      return v >= want;
    case CompareOp::kLess:
      return v < want;
    case CompareOp::kLessEqual:
      return v <= want;
    default:
      return false;
  }
}

}  // namespace

std::string_view recordLine(const model::LogRecord& record, std::string& buffer) {
  if (record.body.type() == AnyValue::Type::kString) return record.body.str();
  model::logLine(record, buffer);
  return buffer;
}

// --- Compiled pieces -------------------------------------------------------------------------

struct LogPipeline::Selector {
  enum class Source : uint8_t { kResource, kResourceThenRecord, kSeverityText };
  std::string name;
  Source source = Source::kResource;
  CompareOp op = CompareOp::kEqual;
  std::string value;
  std::unique_ptr<re2::RE2> re;

  bool lookup(const model::Resource& resource, const model::LogRecord& record, std::string& buffer,
              std::string_view& out) const {
    switch (source) {
      case Source::kSeverityText:
        out = record.severity_text;
        return !out.empty();
      case Source::kResource:
        return attributeText(resource.attributes, name, buffer, out);
      case Source::kResourceThenRecord:
        return attributeText(resource.attributes, name, buffer, out) ||
               attributeText(record.attributes, name, buffer, out);
    }
    return false;
  }
  bool test(const model::Resource& resource, const model::LogRecord& record,
            std::string& buffer) const {
    std::string_view text;
    if (!lookup(resource, record, buffer, text)) text = {};
    return textMatches(op, text, value, re.get());
  }
};

struct LogPipeline::Comparison {
  enum class Field : uint8_t {
    kTraceId,
    kSpanId,
    kSeverityText,
    kSeverityNumber,
    kLine,
    kBodyPath,
    kNamed
  };
  Field field = Field::kNamed;
  std::string name;  // kNamed: the field name; kBodyPath: the path below body
  CompareOp op = CompareOp::kEqual;
  bool is_number = false;
  double number = 0;
  std::string text;
  std::unique_ptr<re2::RE2> re;
};

struct LogPipeline::Condition {
  enum class Kind : uint8_t { kComparison, kAnd, kOr };
  Kind kind = Kind::kComparison;
  Comparison comparison;
  uint32_t lhs = 0;
  uint32_t rhs = 0;
};

struct LogPipeline::Stage {
  enum class Kind : uint8_t { kLine, kJson, kFilter };
  Kind kind = Kind::kLine;
  LineFilterOp line_op = LineFilterOp::kContains;
  std::string value;
  std::unique_ptr<re2::RE2> re;
  std::vector<std::string> json_fields;  // as written: `| json a, b`
  std::vector<std::string> needed;       // the field names later filter stages read
  uint32_t condition = 0;
  std::vector<std::string> reads;  // kFilter: the field names it reads (not built-ins)
  // Boyer-Moore-Horspool with its skip table built once: on log lines, where a needle's first
  // letter is common, it beats std::string_view::find (docs/benchmarks.md). The searcher points
  // into `needle`, which lives on the heap so that moving the stage does not move it.
  std::unique_ptr<const std::string> needle;
  std::optional<std::boyer_moore_horspool_searcher<std::string::const_iterator>> searcher;

  void setNeedle(const std::string& text) {
    needle = std::make_unique<const std::string>(text);
    searcher.emplace(needle->begin(), needle->end());
  }
  bool contains(std::string_view line) const {
    if (needle->empty()) return true;
    return std::search(line.begin(), line.end(), *searcher) != line.end();
  }
};

struct LogPipeline::Label {
  enum class Source : uint8_t { kSelector, kJson };
  std::string name;
  Source source = Source::kSelector;
  Selector lookup;  // kSelector: where the value is read from (op and value unused)
};

LogPipeline::LogPipeline() = default;
LogPipeline::LogPipeline(LogPipeline&&) noexcept = default;
LogPipeline& LogPipeline::operator=(LogPipeline&&) noexcept = default;
LogPipeline::~LogPipeline() = default;

bool LogPipeline::isResourceNamespace(std::string_view name) {
  std::string_view first = name.substr(0, name.find('.'));
  if (first.size() == name.size()) return false;  // a bare word is not in a namespace
  return std::find(kResourceNamespaces.begin(), kResourceNamespaces.end(), first) !=
         kResourceNamespaces.end();
}

// --- Compilation -----------------------------------------------------------------------------

namespace {

using ComparisonField = LogPipeline::Comparison::Field;

ComparisonField fieldOf(std::string_view name, std::string& path) {
  if (name == "trace_id") return ComparisonField::kTraceId;
  if (name == "span_id") return ComparisonField::kSpanId;
  if (name == "severity" || name == "severity_text") return ComparisonField::kSeverityText;
  if (name == "severity_number") return ComparisonField::kSeverityNumber;
  if (name == "body") return ComparisonField::kLine;
  if (name.starts_with("body.")) {
    path = name.substr(5);
    return ComparisonField::kBodyPath;
  }
  path = name;
  return ComparisonField::kNamed;
}

// The 16 bytes a trace id in hex (32 digits, any case) stands for, or "" when `text` is not one.
std::string traceIdBytes(std::string_view text) {
  if (text.size() != 32) return {};
  std::string out(16, '\0');
  for (size_t i = 0; i < 32; ++i) {
    char c = text[i];
    int d = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : -1;
    if (d < 0) return {};
    out[i / 2] = static_cast<char>(out[i / 2] | (d << (i % 2 == 0 ? 4 : 0)));
  }
  return out;
}

}  // namespace

Result<LogPipeline> LogPipeline::compile(const Expr& expr, NodeId query_id) {
  const auto& query = std::get<LogQuery>(expr.node(query_id));
  LogPipeline p;
  p.min_severity_ = 1;  // unset (0) never satisfies an ordering matcher
  p.max_severity_ = std::numeric_limits<int32_t>::max();

  auto regexError = [](const std::string& pattern, const re2::RE2& re) {
    return invalidArgument("invalid regex \"" + pattern + "\": " + re.error());
  };

  std::vector<Label> labels;
  auto addLabel = [&labels](Label label) {
    for (const auto& l : labels) {
      if (l.name == label.name) return;
    }
    labels.push_back(std::move(label));
  };

  for (const auto& m : query.matchers) {
    if (m.name == "severity" && isOrderingOp(m.op)) {
      int n = m.severity_number;
      p.has_severity_order_ = true;
      switch (m.op) {
        case CompareOp::kGreater:
          p.min_severity_ = std::max(p.min_severity_, n + 1);
          break;
        case CompareOp::kGreaterEqual:
          p.min_severity_ = std::max(p.min_severity_, n);
          break;
        case CompareOp::kLess:
          p.max_severity_ = std::min(p.max_severity_, n - 1);
          break;
        default:
          p.max_severity_ = std::min(p.max_severity_, n);
          break;
      }
      Label label;
      label.name = "severity";
      label.lookup.source = Selector::Source::kSeverityText;
      addLabel(std::move(label));
      continue;
    }
    Selector s;
    s.name = m.name;
    s.op = m.op;
    s.value = m.value;
    if (isRegexOp(m.op)) {
      s.re = compileRegex(m.value, true);
      if (!s.re->ok()) return regexError(m.value, *s.re);
    }
    if (m.name == "severity") {
      s.source = Selector::Source::kSeverityText;
    } else if (isResourceNamespace(m.name)) {
      s.source = Selector::Source::kResource;
    } else {
      s.source = Selector::Source::kResourceThenRecord;
    }
    Label label;
    label.name = m.name;
    label.lookup.name = m.name;
    label.lookup.source = s.source;
    addLabel(std::move(label));

    // Pushed to the store only when its answer on resource attributes alone is safe: always
    // for resource-only names; for the others only when a missing attribute ("") passes, as
    // the record's attribute may then still decide.
    bool push = s.source == Selector::Source::kResource ||
                (s.source == Selector::Source::kResourceThenRecord &&
                 textMatches(s.op, "", s.value, s.re.get()));
    if (push) {
      storage::logs::AttributeMatcher am;
      am.name = s.name;
      am.value = s.value;
      am.op = s.op == CompareOp::kEqual        ? storage::logs::AttributeMatcher::Op::kEqual
              : s.op == CompareOp::kNotEqual   ? storage::logs::AttributeMatcher::Op::kNotEqual
              : s.op == CompareOp::kRegexMatch ? storage::logs::AttributeMatcher::Op::kRegexMatch
                                               : storage::logs::AttributeMatcher::Op::kRegexNoMatch;
      p.pushed_resource_.push_back(std::move(am));
    }
    if (s.source == Selector::Source::kResource) {
      p.resource_selectors_.push_back(std::move(s));
    } else {
      p.record_selectors_.push_back(std::move(s));
    }
  }
  {
    Label label;
    label.name = "service.name";
    label.lookup.name = "service.name";
    label.lookup.source = Selector::Source::kResource;
    addLabel(std::move(label));
  }

  // Field filter conditions: flattened into conditions_, children before parents.
  std::vector<std::string> trace_ids;
  std::vector<std::string> reads;  // of the filter stage being compiled
  auto addCondition = [&](auto& self, NodeId id, bool conjunct) -> Result<uint32_t> {
    Condition c;
    if (const auto* cmp = std::get_if<FieldComparison>(&expr.node(id))) {
      Comparison& k = c.comparison;
      k.field = fieldOf(cmp->field, k.name);
      if (k.field == ComparisonField::kLine) p.needs_line_ = true;
      if (k.field == ComparisonField::kNamed) reads.push_back(k.name);
      k.op = cmp->op;
      k.is_number = cmp->is_number;
      k.number = cmp->number;
      k.text = cmp->text;
      if (isRegexOp(cmp->op)) {
        k.re = compileRegex(cmp->text, true);
        if (!k.re->ok()) return regexError(cmp->text, *k.re);
      }
      if (k.field == ComparisonField::kTraceId || k.field == ComparisonField::kSpanId) {
        if (!k.is_number && !isRegexOp(k.op)) {  // ids print in lower case
          std::transform(k.text.begin(), k.text.end(), k.text.begin(),
                         [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
        }
      }
      if (conjunct && k.field == ComparisonField::kTraceId && k.op == CompareOp::kEqual &&
          !k.is_number) {
        std::string bytes = traceIdBytes(k.text);
        if (!bytes.empty()) trace_ids.push_back(std::move(bytes));
      }
    } else {
      const auto& logical = std::get<FieldLogical>(expr.node(id));
      c.kind = logical.is_and ? Condition::Kind::kAnd : Condition::Kind::kOr;
      bool child_conjunct = conjunct && logical.is_and;
      auto lhs = self(self, logical.lhs, child_conjunct);
      if (!lhs.isOk()) return lhs.status();
      auto rhs = self(self, logical.rhs, child_conjunct);
      if (!rhs.isOk()) return rhs.status();
      c.lhs = *lhs;
      c.rhs = *rhs;
    }
    p.conditions_.push_back(std::move(c));
    return static_cast<uint32_t>(p.conditions_.size() - 1);
  };

  for (const auto& stage : query.stages) {
    Stage s;
    if (const auto* line = std::get_if<LineFilter>(&stage)) {
      s.kind = Stage::Kind::kLine;
      s.line_op = line->op;
      s.value = line->value;
      if (line->op == LineFilterOp::kContains || line->op == LineFilterOp::kNotContains) {
        s.setNeedle(s.value);
      }
      if (line->op == LineFilterOp::kRegexMatch || line->op == LineFilterOp::kRegexNoMatch) {
        s.re = compileRegex(line->value, false);
        if (!s.re->ok()) return regexError(line->value, *s.re);
      }
      if (line->op == LineFilterOp::kContains && !line->value.empty()) {
        p.pushed_lines_.push_back(line->value);
      }
      p.needs_line_ = true;
    } else if (const auto* json = std::get_if<JsonStage>(&stage)) {
      s.kind = Stage::Kind::kJson;
      s.json_fields = json->fields;
      p.has_json_ = true;
      p.needs_line_ = true;
      for (const auto& f : json->fields) {
        Label label;
        label.name = f;
        label.source = Label::Source::kJson;
        addLabel(std::move(label));
      }
    } else if (const auto* filter = std::get_if<FieldFilter>(&stage)) {
      s.kind = Stage::Kind::kFilter;
      reads.clear();
      auto root = addCondition(addCondition, filter->condition, true);
      if (!root.isOk()) return root.status();
      s.condition = *root;
      s.reads = reads;
    } else {
      continue;  // limit and direction are the caller's business
    }
    p.stages_.push_back(std::move(s));
  }
  // What each bare `| json` must lift for the match to be decided: the names read after it.
  std::vector<std::string> later;
  for (auto it = p.stages_.rbegin(); it != p.stages_.rend(); ++it) {
    if (it->kind == Stage::Kind::kFilter) {
      later.insert(later.end(), it->reads.begin(), it->reads.end());
    } else if (it->kind == Stage::Kind::kJson) {
      it->needed = later;
    }
  }
  if (!trace_ids.empty()) p.pushed_trace_id_ = trace_ids.front();
  std::sort(labels.begin(), labels.end(),
            [](const Label& a, const Label& b) { return a.name < b.name; });
  p.labels_ = std::move(labels);
  return p;
}

void LogPipeline::pushdown(storage::logs::LogScan& scan) const {
  scan.resource_matchers = pushed_resource_;
  if (has_severity_order_) {
    scan.min_severity = min_severity_;
    if (max_severity_ != std::numeric_limits<int32_t>::max()) {
      scan.max_severity = std::max(max_severity_, 1);  // 0 would mean "any"
    }
  }
  scan.trace_id = pushed_trace_id_;
  scan.line_contains = pushed_lines_;
}

// --- Matching --------------------------------------------------------------------------------

bool LogPipeline::matchesResource(const model::Resource& resource) const {
  std::string buffer;
  for (const auto& s : resource_selectors_) {
    if (!s.test(resource, model::LogRecord{}, buffer)) return false;
  }
  return true;
}

namespace {

struct FieldContext {
  const model::Resource& resource;
  const model::LogRecord& record;
  MatchScratch& scratch;
  std::string_view line;
  const LiftedFields& lifted;
  std::string& text;
};

bool fieldText(const LogPipeline::Comparison& c, const FieldContext& ctx, std::string_view& out) {
  const model::LogRecord& r = ctx.record;
  switch (c.field) {
    case ComparisonField::kTraceId:
    case ComparisonField::kSpanId: {
      std::string_view id = c.field == ComparisonField::kTraceId ? r.trace_id : r.span_id;
      if (id.empty()) return false;
      ctx.text = hexEncode(id);
      out = ctx.text;
      return true;
    }
    case ComparisonField::kSeverityText:
      out = r.severity_text;
      return !out.empty();
    case ComparisonField::kSeverityNumber: {
      if (r.severity_number == 0) return false;
      return valueText(AnyValue::integer(r.severity_number), ctx.text, out);
    }
    case ComparisonField::kLine:
      out = ctx.line;
      return true;
    case ComparisonField::kBodyPath: {
      const AnyValue* v = findPath(r.body, c.name);
      return v != nullptr && valueText(*v, ctx.text, out);
    }
    case ComparisonField::kNamed:
      if (auto lifted = ctx.lifted.find(c.name)) {
        out = *lifted;
        return true;
      }
      return attributeText(r.attributes, c.name, ctx.text, out) ||
             attributeText(ctx.resource.attributes, c.name, ctx.text, out);
  }
  return false;
}

bool compare(const LogPipeline::Comparison& c, const FieldContext& ctx) {
  std::string_view text;
  bool present = fieldText(c, ctx, text);
  if (c.is_number) {
    double v = 0;
    return present && parseNumber(text, v) && numberMatches(c.op, v, c.number);
  }
  return textMatches(c.op, present ? text : std::string_view(), c.text, c.re.get());
}

}  // namespace

bool LogPipeline::matches(const model::Resource& resource, const model::LogRecord& record,
                          MatchScratch& scratch) const {
  scratch.lifted_.clear();
  if (has_severity_order_ &&
      (record.severity_number < min_severity_ || record.severity_number > max_severity_)) {
    return false;
  }
  for (const auto& s : record_selectors_) {
    if (!s.test(resource, record, scratch.text_)) return false;
  }
  std::string_view line =
      needs_line_ ? recordLine(record, scratch.line_buffer_) : std::string_view();
  FieldContext ctx{resource, record, scratch, line, scratch.lifted_, scratch.text_};

  // Recursion is bounded: the parser allows at most 256 comparisons in a stage.
  auto evalCondition = [&](uint32_t root) {
    auto eval = [&](auto& self, uint32_t id) -> bool {
      const Condition& c = conditions_[id];
      switch (c.kind) {
        case Condition::Kind::kComparison:
          return compare(c.comparison, ctx);
        case Condition::Kind::kAnd:
          return self(self, c.lhs) && self(self, c.rhs);
        case Condition::Kind::kOr:
          return self(self, c.lhs) || self(self, c.rhs);
      }
      return false;
    };
    return eval(eval, root);
  };

  for (const auto& stage : stages_) {
    switch (stage.kind) {
      case Stage::Kind::kLine: {
        bool ok = false;
        switch (stage.line_op) {
          case LineFilterOp::kContains:
            ok = stage.contains(line);
            break;
          case LineFilterOp::kNotContains:
            ok = !stage.contains(line);
            break;
          case LineFilterOp::kRegexMatch:
            ok = re2::RE2::PartialMatch(line, *stage.re);
            break;
          case LineFilterOp::kRegexNoMatch:
            ok = !re2::RE2::PartialMatch(line, *stage.re);
            break;
        }
        if (!ok) return false;
        break;
      }
      case Stage::Kind::kJson:
        if (!stage.json_fields.empty()) {
          scratch.json_.lift(line, JsonLifter::Select::kListed, stage.json_fields, scratch.lifted_);
        } else if (scratch.lift_all_) {
          scratch.json_.lift(line, JsonLifter::Select::kAll, stage.json_fields, scratch.lifted_);
        } else {
          // Still parsed when nothing later reads a field: the whole line must be valid JSON
          // for __error__ (and for the caller, which lifts every field of the records it keeps).
          scratch.json_.lift(line, JsonLifter::Select::kNeeded, stage.needed, scratch.lifted_);
        }
        break;
      case Stage::Kind::kFilter:
        if (!evalCondition(stage.condition)) return false;
        break;
    }
  }
  return true;
}

namespace {

// Length-prefixed, so that any bytes (a NUL included) may appear in names and values.
void appendKeyPart(std::string& key, std::string_view part) {
  auto n = static_cast<uint32_t>(part.size());
  key.append(reinterpret_cast<const char*>(&n), sizeof n);
  key.append(part);
}

std::string_view takeKeyPart(std::string_view& key) {
  uint32_t n = 0;
  std::memcpy(&n, key.data(), sizeof n);
  std::string_view part = key.substr(sizeof n, n);
  key.remove_prefix(sizeof n + n);
  return part;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> LogPipeline::labelsOfKey(std::string_view key) {
  std::vector<std::pair<std::string, std::string>> labels;
  while (!key.empty()) {
    std::string_view name = takeKeyPart(key);
    std::string_view value = takeKeyPart(key);
    labels.emplace_back(name, value);
  }
  return labels;
}

void LogPipeline::seriesKey(const model::Resource& resource, const model::LogRecord& record,
                            MatchScratch& scratch, std::string& key) const {
  key.clear();
  for (const auto& label : labels_) {
    std::string_view value;
    if (label.source == Label::Source::kJson) {
      auto lifted = scratch.lifted_.find(label.name);
      if (!lifted) continue;
      value = *lifted;
    } else if (!label.lookup.lookup(resource, record, scratch.text_, value)) {
      continue;
    }
    if (value.empty()) continue;
    appendKeyPart(key, label.name);
    appendKeyPart(key, value);
  }
}

}  // namespace periscope::query::logs
