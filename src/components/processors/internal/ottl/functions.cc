#include "components/processors/internal/ottl/functions.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>

#include "common/hex.h"
#include "components/processors/internal/ottl/paths.h"
#include "model/any_value_json.h"
#include "model/attribute_edit.h"

namespace periscope::ottl {
namespace {

const char* const kConverters[] = {"IsMatch",     "IsString",    "IsInt",   "IsDouble", "IsBool",
                                   "IsMap",       "IsList",      "Len",     "Concat",   "Substring",
                                   "ToLowerCase", "ToUpperCase", "TraceID", "SpanID"};
const char* const kPredicates[] = {"IsMatch", "IsString", "IsInt", "IsDouble",
                                   "IsBool",  "IsMap",    "IsList"};
const char* const kEditors[] = {"set",          "delete_key", "delete_matching_keys", "keep_keys",
                                "truncate_all", "limit",      "replace_pattern"};

template <size_t N>
bool contains(const char* const (&names)[N], const std::string& name) {
  for (const char* n : names) {
    if (name == n) return true;
  }
  return false;
}

bool arity(const Node& call, size_t want, SyntaxError& error) {
  if (call.children.size() == want) return true;
  error = {call.offset, call.text + " expects " + std::to_string(want) + " argument" +
                            (want == 1 ? "" : "s") + ", got " +
                            std::to_string(call.children.size())};
  return false;
}

bool stringLiteral(const Node& arg, const std::string& what, std::string& out, SyntaxError& error) {
  if (arg.kind != Node::Kind::kString) {
    error = {arg.offset, what + " must be a string literal"};
    return false;
  }
  out = arg.text;
  return true;
}

bool intLiteral(const Node& arg, const std::string& what, int64_t& out, SyntaxError& error) {
  if (arg.kind != Node::Kind::kInt || arg.i < 0) {
    error = {arg.offset, what + " must be a non-negative integer literal"};
    return false;
  }
  out = arg.i;
  return true;
}

bool stringList(const Node& arg, const std::string& what, std::vector<std::string>& out,
                SyntaxError& error) {
  if (arg.kind != Node::Kind::kList) {
    error = {arg.offset, what + " must be a list of string literals, e.g. [\"a\", \"b\"]"};
    return false;
  }
  for (const NodePtr& item : arg.children) {
    std::string s;
    if (!stringLiteral(*item, what + " items", s, error)) return false;
    out.push_back(std::move(s));
  }
  return true;
}

// Patterns are RE2 and match anywhere in the value (Go's MatchString), as in the collector.
bool regex(const Node& arg, std::unique_ptr<RE2>& out, SyntaxError& error) {
  std::string pattern;
  if (!stringLiteral(arg, "the pattern", pattern, error)) return false;
  RE2::Options options;
  options.set_log_errors(false);
  out = std::make_unique<RE2>(pattern, options);
  if (!out->ok()) {
    error = {arg.offset, "invalid regular expression \"" + pattern + "\": " + out->error()};
    return false;
  }
  return true;
}

bool mapPath(const Node& arg, ContextKind context, std::unique_ptr<PathExpr>& out,
             SyntaxError& error) {
  if (arg.kind != Node::Kind::kPath) {
    error = {arg.offset, "expected an attribute map such as attributes, found " + arg.print()};
    return false;
  }
  if (!compilePath(context, arg, out, error)) return false;
  if (!out->isMap()) {
    error = {arg.offset, arg.print() + " is not an attribute map"};
    return false;
  }
  return true;
}

bool settablePath(const Node& arg, ContextKind context, std::unique_ptr<PathExpr>& out,
                  SyntaxError& error) {
  if (arg.kind != Node::Kind::kPath) {
    error = {arg.offset, "expected a path to set, found " + arg.print()};
    return false;
  }
  if (!compilePath(context, arg, out, error)) return false;
  if (!out->settable()) {
    error = {arg.offset, arg.print() + " cannot be set"};
    return false;
  }
  return true;
}

// Formats scalars for IsMatch and Concat into `buf` (no allocation); false for other types.
bool scalarText(const Val& v, std::span<char> buf, std::string_view& out) {
  switch (v.type) {
    case Val::Type::kString:
      out = v.s;
      return true;
    case Val::Type::kNil:
      out = {};
      return true;
    case Val::Type::kBool:
      out = v.b ? "true" : "false";
      return true;
    case Val::Type::kInt: {
      auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v.i);
      out = {buf.data(), static_cast<size_t>(r.ptr - buf.data())};
      return true;
    }
    case Val::Type::kDouble: {
      auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v.d);
      out = {buf.data(), static_cast<size_t>(r.ptr - buf.data())};
      return true;
    }
    default:
      return false;
  }
}

// Any value as text for IsMatch and Concat: scalars as above (no allocation); bytes as hex and
// maps/lists as JSON, as the collector does, written into the batch arena (the rare case).
std::string_view valueText(EvalContext& ctx, const Val& v, std::span<char> buf) {
  std::string_view text;
  if (scalarText(v, buf, text)) return text;
  std::string formatted;
  if (v.type == Val::Type::kBytes) {
    formatted = hexEncode(v.s);
  } else {
    model::appendCompactJson(v.toAny(), formatted);
  }
  return ctx.arena->copy(formatted);
}

// ---- converters --------------------------------------------------------------------------

class IsMatch final : public Expr {
 public:
  IsMatch(size_t offset, ExprPtr target, std::unique_ptr<RE2> re)
      : Expr(offset), target_(std::move(target)), re_(std::move(re)) {}
  bool eval(EvalContext& ctx, Val& out) const override {
    Val v;
    if (!target_->eval(ctx, v)) return false;
    if (v.type == Val::Type::kNil) {
      out = Val::boolean(false);
      return true;
    }
    char buf[32];
    out = Val::boolean(RE2::PartialMatch(valueText(ctx, v, buf), *re_));
    return true;
  }

 private:
  ExprPtr target_;
  std::unique_ptr<RE2> re_;
};

class IsType final : public Expr {
 public:
  IsType(size_t offset, ExprPtr value, Val::Type type)
      : Expr(offset), value_(std::move(value)), type_(type) {}
  bool eval(EvalContext& ctx, Val& out) const override {
    Val v;
    if (!value_->eval(ctx, v)) return false;
    out = Val::boolean(v.type == type_);
    return true;
  }

 private:
  ExprPtr value_;
  Val::Type type_;
};

class Len final : public Expr {
 public:
  Len(size_t offset, ExprPtr value) : Expr(offset), value_(std::move(value)) {}
  bool eval(EvalContext& ctx, Val& out) const override {
    Val v;
    if (!value_->eval(ctx, v)) return false;
    switch (v.type) {
      case Val::Type::kString:
      case Val::Type::kBytes:
        out = Val::integer(static_cast<int64_t>(v.s.size()));
        return true;
      case Val::Type::kMap:
        out = Val::integer(static_cast<int64_t>(v.map.size()));
        return true;
      case Val::Type::kList:
        out = Val::integer(static_cast<int64_t>(v.list.size()));
        return true;
      default:
        ctx.error = std::string("Len cannot take the length of ") + typeName(v.type);
        return false;
    }
  }

 private:
  ExprPtr value_;
};

class Concat final : public Expr {
 public:
  Concat(size_t offset, std::vector<ExprPtr> parts, std::string delimiter)
      : Expr(offset), parts_(std::move(parts)), delimiter_(std::move(delimiter)) {}
  bool eval(EvalContext& ctx, Val& out) const override {
    // Each part is evaluated once; texts are kept in the arena (numbers formatted there), then
    // joined into one arena string, so nothing goes to the heap.
    std::span<std::string_view> texts = ctx.arena->allocArray<std::string_view>(parts_.size());
    size_t total = 0;
    for (size_t k = 0; k < parts_.size(); ++k) {
      Val v;
      if (!parts_[k]->eval(ctx, v)) return false;
      char buf[32];
      std::string_view text = valueText(ctx, v, buf);
      texts[k] = text.data() == buf ? ctx.arena->copy(text) : text;
      total += text.size() + (k > 0 ? delimiter_.size() : 0);
    }
    std::span<char> dest = ctx.arena->allocArray<char>(total);
    size_t at = 0;
    for (size_t k = 0; k < texts.size(); ++k) {
      if (k > 0)
        at = static_cast<size_t>(std::copy(delimiter_.begin(), delimiter_.end(), dest.data() + at) -
                                 dest.data());
      at = static_cast<size_t>(std::copy(texts[k].begin(), texts[k].end(), dest.data() + at) -
                               dest.data());
    }
    out = Val::string({dest.data(), total});
    return true;
  }

 private:
  std::vector<ExprPtr> parts_;
  std::string delimiter_;
};

class Substring final : public Expr {
 public:
  Substring(size_t offset, ExprPtr target, ExprPtr start, ExprPtr length)
      : Expr(offset),
        target_(std::move(target)),
        start_(std::move(start)),
        length_(std::move(length)) {}
  bool eval(EvalContext& ctx, Val& out) const override {
    Val t, s, l;
    if (!target_->eval(ctx, t) || !start_->eval(ctx, s) || !length_->eval(ctx, l)) return false;
    if (t.type != Val::Type::kString || s.type != Val::Type::kInt || l.type != Val::Type::kInt) {
      ctx.error = "Substring expects (string, int, int)";
      return false;
    }
    if (s.i < 0 || l.i <= 0 ||
        static_cast<uint64_t>(s.i) + static_cast<uint64_t>(l.i) > t.s.size()) {
      ctx.error = "Substring range [" + std::to_string(s.i) + ", " +
                  std::to_string(static_cast<uint64_t>(s.i) + static_cast<uint64_t>(l.i)) +
                  ") is outside the string of length " + std::to_string(t.s.size());
      return false;
    }
    out = Val::string(t.s.substr(static_cast<size_t>(s.i), static_cast<size_t>(l.i)));
    return true;
  }

 private:
  ExprPtr target_, start_, length_;
};

class ChangeCase final : public Expr {
 public:
  ChangeCase(size_t offset, ExprPtr target, bool upper)
      : Expr(offset), target_(std::move(target)), upper_(upper) {}
  bool eval(EvalContext& ctx, Val& out) const override {
    Val v;
    if (!target_->eval(ctx, v)) return false;
    if (v.type != Val::Type::kString) {
      ctx.error = std::string(upper_ ? "ToUpperCase" : "ToLowerCase") + " expects a string, got " +
                  typeName(v.type);
      return false;
    }
    std::span<char> dest = ctx.arena->allocArray<char>(v.s.size());
    for (size_t k = 0; k < v.s.size(); ++k) {
      auto c = static_cast<unsigned char>(v.s[k]);
      dest[k] = static_cast<char>(upper_ ? std::toupper(c) : std::tolower(c));
    }
    out = Val::string({dest.data(), dest.size()});
    return true;
  }

 private:
  ExprPtr target_;
  bool upper_;
};

// ---- editors ------------------------------------------------------------------------------

class Set final : public Editor {
 public:
  Set(std::unique_ptr<PathExpr> target, ExprPtr value)
      : target_(std::move(target)), value_(std::move(value)) {}
  bool run(EvalContext& ctx) const override {
    Val v;
    return value_->eval(ctx, v) && target_->set(ctx, v);
  }

 private:
  std::unique_ptr<PathExpr> target_;
  ExprPtr value_;
};

class DeleteKey final : public Editor {
 public:
  DeleteKey(std::unique_ptr<PathExpr> map, std::string key)
      : map_(std::move(map)), key_(std::move(key)) {}
  bool run(EvalContext& ctx) const override {
    model::removeAttribute(*map_->map(ctx), key_);
    return true;
  }

 private:
  std::unique_ptr<PathExpr> map_;
  std::string key_;
};

class DeleteMatchingKeys final : public Editor {
 public:
  DeleteMatchingKeys(std::unique_ptr<PathExpr> map, std::unique_ptr<RE2> re)
      : map_(std::move(map)), re_(std::move(re)) {}
  bool run(EvalContext& ctx) const override {
    model::removeAttributesIf(*map_->map(ctx), [&](const model::KeyValue& kv) {
      return RE2::PartialMatch(kv.key, *re_);
    });
    return true;
  }

 private:
  std::unique_ptr<PathExpr> map_;
  std::unique_ptr<RE2> re_;
};

bool listed(const std::vector<std::string>& keys, std::string_view key) {
  for (const std::string& k : keys) {
    if (k == key) return true;
  }
  return false;
}

class KeepKeys final : public Editor {
 public:
  KeepKeys(std::unique_ptr<PathExpr> map, std::vector<std::string> keys)
      : map_(std::move(map)), keys_(std::move(keys)) {}
  bool run(EvalContext& ctx) const override {
    model::removeAttributesIf(*map_->map(ctx),
                              [&](const model::KeyValue& kv) { return !listed(keys_, kv.key); });
    return true;
  }

 private:
  std::unique_ptr<PathExpr> map_;
  std::vector<std::string> keys_;
};

// Cuts string values to `limit` bytes (as the collector does: a multi-byte UTF-8 character may be
// cut). The shortened view still points into the batch, so nothing is copied.
class TruncateAll final : public Editor {
 public:
  TruncateAll(std::unique_ptr<PathExpr> map, int64_t limit) : map_(std::move(map)), limit_(limit) {}
  bool run(EvalContext& ctx) const override {
    auto limit = static_cast<size_t>(limit_);
    for (model::KeyValue& kv : *map_->map(ctx)) {
      if (kv.value.type() == model::AnyValue::Type::kString && kv.value.str().size() > limit) {
        kv.value = model::AnyValue::string(kv.value.str().substr(0, limit));
      }
    }
    return true;
  }

 private:
  std::unique_ptr<PathExpr> map_;
  int64_t limit_;
};

// Keeps at most `limit` attributes: the priority keys present first, then the others in order.
class Limit final : public Editor {
 public:
  Limit(std::unique_ptr<PathExpr> map, int64_t limit, std::vector<std::string> priority)
      : map_(std::move(map)), limit_(static_cast<size_t>(limit)), priority_(std::move(priority)) {}
  bool run(EvalContext& ctx) const override {
    model::Attributes& attrs = *map_->map(ctx);
    if (attrs.size() <= limit_) return true;
    size_t prioritized = 0;
    for (const model::KeyValue& kv : attrs) prioritized += listed(priority_, kv.key) ? 1 : 0;
    size_t others = limit_ - std::min(prioritized, limit_);
    model::removeAttributesIf(attrs, [&](const model::KeyValue& kv) {
      if (listed(priority_, kv.key)) return false;
      if (others == 0) return true;
      --others;
      return false;
    });
    return true;
  }

 private:
  std::unique_ptr<PathExpr> map_;
  size_t limit_;
  std::vector<std::string> priority_;
};

class ReplacePattern final : public Editor {
 public:
  ReplacePattern(std::unique_ptr<PathExpr> target, std::unique_ptr<RE2> re, std::string rewrite)
      : target_(std::move(target)), re_(std::move(re)), rewrite_(std::move(rewrite)) {}
  bool run(EvalContext& ctx) const override {
    Val v;
    if (!target_->eval(ctx, v)) return false;
    if (v.type != Val::Type::kString || !RE2::PartialMatch(v.s, *re_)) return true;
    // Only values that match get here; the rewrite needs a std::string.
    std::string text(v.s);
    RE2::GlobalReplace(&text, *re_, rewrite_);
    return target_->set(ctx, Val::string(text));
  }

 private:
  std::unique_ptr<PathExpr> target_;
  std::unique_ptr<RE2> re_;
  std::string rewrite_;
};

bool isNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

}  // namespace

// Go's regexp.Expand syntax ($1, ${1}, $name, ${name}, $$) → an RE2 rewrite string (\1).
// A backslash is literal in Go's syntax, so it is doubled. Unknown groups expand to nothing,
// as in Go.
std::string goTemplateToRe2(const std::string& tmpl, const RE2& re) {
  std::string out;
  const std::map<std::string, int>& named = re.NamedCapturingGroups();
  for (size_t k = 0; k < tmpl.size(); ++k) {
    char c = tmpl[k];
    if (c == '\\') {
      out += "\\\\";
      continue;
    }
    if (c != '$') {
      out.push_back(c);
      continue;
    }
    if (k + 1 < tmpl.size() && tmpl[k + 1] == '$') {
      out.push_back('$');
      ++k;
      continue;
    }
    std::string name;
    size_t end = k + 1;
    if (end < tmpl.size() && tmpl[end] == '{') {
      size_t close = tmpl.find('}', end);
      if (close == std::string::npos) {
        out.push_back('$');
        continue;
      }
      name = tmpl.substr(end + 1, close - end - 1);
      end = close + 1;
    } else {
      while (end < tmpl.size() && isNameChar(tmpl[end])) name.push_back(tmpl[end++]);
    }
    if (name.empty()) {
      out.push_back('$');
      continue;
    }
    int group = -1;
    if (std::all_of(name.begin(), name.end(),
                    [](char d) { return std::isdigit(static_cast<unsigned char>(d)); })) {
      group = name.size() < 4 ? std::stoi(name) : -1;
    } else if (auto it = named.find(name); it != named.end()) {
      group = it->second;
    }
    if (group >= 0 && group <= re.NumberOfCapturingGroups()) {
      if (group > 9) {
        group = -1;  // RE2 rewrites only reach \9
      } else {
        out += "\\" + std::to_string(group);
      }
    }
    k = end - 1;
  }
  return out;
}

FunctionKind functionKind(const std::string& name) {
  if (contains(kConverters, name)) return FunctionKind::kConverter;
  if (contains(kEditors, name)) return FunctionKind::kEditor;
  return FunctionKind::kUnknown;
}

bool isPredicate(const std::string& name) {
  return contains(kPredicates, name);
}

bool compileConverter(const Node& call, ContextKind context, ExprPtr& out, SyntaxError& error) {
  const std::string& f = call.text;
  auto arg = [&](size_t k, ExprPtr& e) {
    return compileExpr(*call.children[k], context, e, error);
  };
  if (f == "IsMatch") {
    ExprPtr target;
    std::unique_ptr<RE2> re;
    if (!arity(call, 2, error) || !arg(0, target) || !regex(*call.children[1], re, error))
      return false;
    out = std::make_unique<IsMatch>(call.offset, std::move(target), std::move(re));
    return true;
  }
  static const std::pair<const char*, Val::Type> kTypes[] = {
      {"IsString", Val::Type::kString}, {"IsInt", Val::Type::kInt},
      {"IsDouble", Val::Type::kDouble}, {"IsBool", Val::Type::kBool},
      {"IsMap", Val::Type::kMap},       {"IsList", Val::Type::kList}};
  for (auto [name, type] : kTypes) {
    if (f != name) continue;
    ExprPtr value;
    if (!arity(call, 1, error) || !arg(0, value)) return false;
    out = std::make_unique<IsType>(call.offset, std::move(value), type);
    return true;
  }
  if (f == "Len") {
    ExprPtr value;
    if (!arity(call, 1, error) || !arg(0, value)) return false;
    out = std::make_unique<Len>(call.offset, std::move(value));
    return true;
  }
  if (f == "Concat") {
    std::string delimiter;
    if (!arity(call, 2, error)) return false;
    const Node& list = *call.children[0];
    if (list.kind != Node::Kind::kList) {
      error = {list.offset, "Concat expects a list of values, e.g. Concat([a, b], \"-\")"};
      return false;
    }
    std::vector<ExprPtr> parts;
    for (const NodePtr& item : list.children) {
      ExprPtr e;
      if (!compileExpr(*item, context, e, error)) return false;
      parts.push_back(std::move(e));
    }
    if (!stringLiteral(*call.children[1], "the delimiter", delimiter, error)) return false;
    out = std::make_unique<Concat>(call.offset, std::move(parts), std::move(delimiter));
    return true;
  }
  if (f == "Substring") {
    ExprPtr target, start, length;
    if (!arity(call, 3, error) || !arg(0, target) || !arg(1, start) || !arg(2, length))
      return false;
    out = std::make_unique<Substring>(call.offset, std::move(target), std::move(start),
                                      std::move(length));
    return true;
  }
  if (f == "ToLowerCase" || f == "ToUpperCase") {
    ExprPtr target;
    if (!arity(call, 1, error) || !arg(0, target)) return false;
    out = std::make_unique<ChangeCase>(call.offset, std::move(target), f == "ToUpperCase");
    return true;
  }
  // TraceID(0x...) / SpanID(0x...): checked bytes literals to compare with trace_id / span_id.
  size_t want = f == "TraceID" ? 16 : 8;
  if (!arity(call, 1, error)) return false;
  const Node& bytes = *call.children[0];
  if (bytes.kind != Node::Kind::kBytes || bytes.text.size() != want) {
    error = {bytes.offset, f + " expects a " + std::to_string(want) + "-byte literal such as 0x" +
                               std::string(want * 2, '0')};
    return false;
  }
  return compileExpr(bytes, context, out, error);
}

bool compileEditor(const Node& call, ContextKind context, std::unique_ptr<Editor>& out,
                   SyntaxError& error) {
  const std::string& f = call.text;
  std::unique_ptr<PathExpr> target;
  if (f == "set") {
    ExprPtr value;
    if (!arity(call, 2, error) || !settablePath(*call.children[0], context, target, error) ||
        !compileExpr(*call.children[1], context, value, error))
      return false;
    out = std::make_unique<Set>(std::move(target), std::move(value));
    return true;
  }
  if (f == "replace_pattern") {
    std::unique_ptr<RE2> re;
    std::string replacement;
    if (!arity(call, 3, error) || !settablePath(*call.children[0], context, target, error) ||
        !regex(*call.children[1], re, error) ||
        !stringLiteral(*call.children[2], "the replacement", replacement, error))
      return false;
    std::string rewrite = goTemplateToRe2(replacement, *re);
    out = std::make_unique<ReplacePattern>(std::move(target), std::move(re), std::move(rewrite));
    return true;
  }
  size_t want = f == "limit" ? 3 : 2;
  if (!arity(call, want, error) || !mapPath(*call.children[0], context, target, error))
    return false;
  const Node& second = *call.children[1];
  if (f == "delete_key") {
    std::string key;
    if (!stringLiteral(second, "the key", key, error)) return false;
    out = std::make_unique<DeleteKey>(std::move(target), std::move(key));
  } else if (f == "delete_matching_keys") {
    std::unique_ptr<RE2> re;
    if (!regex(second, re, error)) return false;
    out = std::make_unique<DeleteMatchingKeys>(std::move(target), std::move(re));
  } else if (f == "keep_keys") {
    std::vector<std::string> keys;
    if (!stringList(second, "the keys", keys, error)) return false;
    out = std::make_unique<KeepKeys>(std::move(target), std::move(keys));
  } else if (f == "truncate_all") {
    int64_t limit;
    if (!intLiteral(second, "the limit", limit, error)) return false;
    out = std::make_unique<TruncateAll>(std::move(target), limit);
  } else {  // limit
    int64_t limit;
    std::vector<std::string> priority;
    if (!intLiteral(second, "the limit", limit, error) ||
        !stringList(*call.children[2], "the priority keys", priority, error))
      return false;
    if (limit < 1) {
      error = {second.offset, "the limit must be at least 1"};
      return false;
    }
    if (priority.size() > static_cast<size_t>(limit)) {
      error = {call.children[2]->offset, "more priority keys (" + std::to_string(priority.size()) +
                                             ") than the limit (" + std::to_string(limit) + ")"};
      return false;
    }
    out = std::make_unique<Limit>(std::move(target), limit, std::move(priority));
  }
  return true;
}

}  // namespace periscope::ottl
