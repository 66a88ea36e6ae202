#include "components/processors/internal/attraction/attr_proc.h"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cstring>

#include "model/attribute_edit.h"

namespace periscope::components::attraction {
namespace {

using model::AnyValue;
using model::Attributes;
using model::SetMode;

// Actions are case-insensitive in the collector; `name` is already lowercase.
std::optional<Action> parseAction(const std::string& name) {
  if (name == "insert") return Action::kInsert;
  if (name == "update") return Action::kUpdate;
  if (name == "upsert") return Action::kUpsert;
  if (name == "delete") return Action::kDelete;
  if (name == "hash") return Action::kHash;
  if (name == "extract") return Action::kExtract;
  if (name == "convert") return Action::kConvert;
  return std::nullopt;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string at(size_t i) {
  return std::to_string(i) + "-th";
}

Status creationError(const std::string& message) {
  return invalidArgument("error creating AttrProc" + message);
}

Result<std::unique_ptr<RE2>> compile(const std::string& pattern, size_t i) {
  auto re = std::make_unique<RE2>(pattern, RE2::Quiet);
  if (!re->ok()) {
    return creationError(". Field \"pattern\" has invalid pattern: \"" + pattern +
                         "\" to be set at the " + at(i) + " actions: " + re->error());
  }
  return re;
}

}  // namespace

Result<std::shared_ptr<const AttrProc>> AttrProc::create(const std::vector<ActionConfig>& actions,
                                                         DigestAlgorithm hash) {
  auto proc = std::make_shared<AttrProc>();
  proc->hash_ = hash;
  for (size_t i = 0; i < actions.size(); ++i) {
    const ActionConfig& a = actions[i];
    const std::string name = lower(a.action);
    std::optional<Action> action = parseAction(name);
    if (action == Action::kDelete || action == Action::kHash) {
      if (a.key.empty() && a.pattern.empty()) {
        return creationError(
            " due to missing required field (at least one of \"key\" and \"pattern\" have to be "
            "used) at the " +
            at(i) + " actions");
      }
    } else if (a.key.empty()) {
      return creationError(" due to missing required field \"key\" at the " + at(i) + " actions");
    }
    if (!action) {
      return creationError(" due to unsupported action \"" + name + "\" at the " + at(i) +
                           " actions");
    }
    if (!a.from_context.empty()) {
      return creationError(
          ". Field \"from_context\" is not supported: Periscope does not pass "
          "request metadata to processors, at the " +
          at(i) + " actions");
    }
    Compiled c;
    c.action = *action;
    c.key = a.key;
    const int sources = (a.value.isSet() ? 1 : 0) + (a.from_attribute.empty() ? 0 : 1);
    switch (*action) {
      case Action::kInsert:
      case Action::kUpdate:
      case Action::kUpsert:
        if (sources == 0 && !a.default_value.isSet()) {
          return creationError(
              ". Either field \"value\", \"from_attribute\" or \"from_context\" setting must be "
              "specified for " +
              at(i) + " action");
        }
        if (sources > 1) {
          return creationError(" due to multiple value sources being set at the " + at(i) +
                               " actions");
        }
        if (!a.pattern.empty()) {
          return creationError(". Action \"" + name +
                               "\" does not use the \"pattern\" field. This must not be "
                               "specified for " +
                               at(i) + " action");
        }
        if (!a.converted_type.empty()) {
          return creationError(". Action \"" + name +
                               "\" does not use the \"converted_type\" field. This must not be "
                               "specified for " +
                               at(i) + " action");
        }
        c.value = a.value;
        c.from_attribute = a.from_attribute;
        c.default_value = a.default_value;
        break;
      case Action::kDelete:
      case Action::kHash:
        if (a.value.isSet() || !a.from_attribute.empty() || a.default_value.isSet()) {
          return creationError(". Action \"" + name +
                               "\" does not use \"value\" or \"from_attribute\" field. These "
                               "must not be specified for " +
                               at(i) + " action");
        }
        if (!a.converted_type.empty()) {
          return creationError(". Action \"" + name +
                               "\" does not use the \"converted_type\" field. This must not be "
                               "specified for " +
                               at(i) + " action");
        }
        if (!a.pattern.empty()) {
          auto re = compile(a.pattern, i);
          if (!re.isOk()) return re.status();
          c.regex = std::move(*re);
        }
        break;
      case Action::kExtract: {
        if (sources > 0 || a.default_value.isSet()) {
          return creationError(". Action \"" + name +
                               "\" does not use a value source field. These must not be "
                               "specified for " +
                               at(i) + " action");
        }
        if (a.pattern.empty()) {
          return creationError(" due to missing required field \"pattern\" for action \"" + name +
                               "\" at the " + at(i) + " action");
        }
        if (!a.converted_type.empty()) {
          return creationError(". Action \"" + name +
                               "\" does not use the \"converted_type\" field. This must not be "
                               "specified for " +
                               at(i) + " action");
        }
        auto re = compile(a.pattern, i);
        if (!re.isOk()) return re.status();
        const int groups = (*re)->NumberOfCapturingGroups();
        if (groups <= 0) {
          return creationError(". Field \"pattern\" contains no named matcher groups at the " +
                               at(i) + " actions");
        }
        const std::map<int, std::string>& names = (*re)->CapturingGroupNames();
        for (int g = 1; g <= groups; ++g) {
          auto it = names.find(g);
          if (it == names.end()) {
            return creationError(
                ". Field \"pattern\" contains at least one unnamed matcher group at the " + at(i) +
                " actions");
          }
          c.group_names.push_back(it->second);
        }
        c.regex = std::move(*re);
        break;
      }
      case Action::kConvert:
        if (sources > 0 || a.default_value.isSet() || !a.pattern.empty()) {
          return creationError(". Action \"" + name +
                               "\" does not use value sources or \"pattern\" field. These must "
                               "not be specified for " +
                               at(i) + " action");
        }
        if (a.converted_type == "int") {
          c.convert_to = ConvertTo::kInt;
        } else if (a.converted_type == "double") {
          c.convert_to = ConvertTo::kDouble;
        } else if (a.converted_type == "string") {
          c.convert_to = ConvertTo::kString;
        } else if (a.converted_type.empty()) {
          return creationError(" due to missing required field \"converted_type\" for action \"" +
                               name + "\" at the " + at(i) + " action");
        } else {
          return creationError(" due to invalid value \"" + a.converted_type +
                               "\" in field \"converted_type\" for action \"" + name +
                               "\" at the " + at(i) + " action");
        }
        break;
    }
    proc->actions_.push_back(std::move(c));
  }
  return std::shared_ptr<const AttrProc>(std::move(proc));
}

void AttrProc::process(Arena& arena, Attributes& attrs) const {
  for (const Compiled& a : actions_) {
    switch (a.action) {
      case Action::kInsert:
      case Action::kUpdate:
      case Action::kUpsert:
        set(arena, attrs, a);
        break;
      case Action::kDelete:
        if (!a.key.empty()) model::removeAttribute(attrs, a.key);
        if (a.regex) {
          model::removeAttributesIf(attrs, [&](const model::KeyValue& kv) {
            return RE2::PartialMatch(kv.key, *a.regex);
          });
        }
        break;
      case Action::kHash:
        if (!a.key.empty()) {
          if (AnyValue* v = model::findAttributeMutable(attrs, a.key)) hash(arena, *v);
        }
        if (a.regex) {
          // As the collector: the key is hashed first, then every matching key (again, if the
          // key itself matches). Hashing edits values only, so one pass over the list will do.
          for (model::KeyValue& kv : attrs) {
            if (RE2::PartialMatch(kv.key, *a.regex)) hash(arena, kv.value);
          }
        }
        break;
      case Action::kExtract:
        extract(arena, attrs, a);
        break;
      case Action::kConvert:
        if (AnyValue* v = model::findAttributeMutable(attrs, a.key)) {
          convertValue(arena, *v, a.convert_to);
        }
        break;
    }
  }
}

void AttrProc::set(Arena& arena, Attributes& attrs, const Compiled& a) const {
  AnyValue source;
  if (a.value.isSet()) {
    source = a.value.view();
  } else if (!a.from_attribute.empty()) {
    if (const AnyValue* from = model::findAttribute(attrs, a.from_attribute)) source = *from;
  }
  if (!source.present()) {
    if (!a.default_value.isSet()) return;
    source = a.default_value.view();
  }
  const SetMode mode = a.action == Action::kInsert   ? SetMode::kInsert
                       : a.action == Action::kUpdate ? SetMode::kUpdate
                                                     : SetMode::kUpsert;
  model::setAttribute(arena, attrs, a.key, source, mode);
}

void AttrProc::hash(Arena& arena, AnyValue& value) const {
  // The collector hashes the string bytes, bools as one byte 0/1, ints and doubles as their
  // 8 little-endian bytes; other types (and the empty string) become "".
  char buf[8];
  std::string_view bytes;
  switch (value.type()) {
    case AnyValue::Type::kString:
      bytes = value.str();
      break;
    case AnyValue::Type::kBool:
      buf[0] = value.boolValue() ? 1 : 0;
      bytes = {buf, 1};
      break;
    case AnyValue::Type::kInt:
    case AnyValue::Type::kDouble: {
      uint64_t bits = value.type() == AnyValue::Type::kInt
                          ? static_cast<uint64_t>(value.intValue())
                          : std::bit_cast<uint64_t>(value.doubleValue());
      for (int b = 0; b < 8; ++b) buf[b] = static_cast<char>((bits >> (8 * b)) & 0xff);
      bytes = {buf, 8};
      break;
    }
    default:
      break;
  }
  if (bytes.empty()) {
    value = AnyValue::string({});
    return;
  }
  value = AnyValue::string(arena.copy(hexDigest(hash_, bytes)));
}

void AttrProc::extract(Arena& arena, Attributes& attrs, const Compiled& a) {
  const AnyValue* source = model::findAttribute(attrs, a.key);
  if (source == nullptr || source->type() != AnyValue::Type::kString) return;
  const std::string_view text = source->str();
  const size_t n = a.group_names.size() + 1;
  // Patterns rarely have more than a handful of groups: those stay on the stack.
  re2::StringPiece small[16];
  std::span<re2::StringPiece> groups = n <= std::size(small)
                                           ? std::span<re2::StringPiece>(small, n)
                                           : arena.allocArray<re2::StringPiece>(n);
  if (!a.regex->Match(text, 0, text.size(), RE2::UNANCHORED, groups.data(), static_cast<int>(n))) {
    return;
  }
  for (size_t g = 1; g < n; ++g) {
    // Group views point into the source string, which lives in the batch's arena; setAttribute
    // copies them anyway (the source may itself be overwritten by a later group).
    const re2::StringPiece& m = groups[g];
    model::setAttribute(arena, attrs, a.group_names[g - 1],
                        AnyValue::string(std::string_view(m.data(), m.size())), SetMode::kUpsert);
  }
}

}  // namespace periscope::components::attraction
