#include "components/receivers/filelog/batch_builder.h"

#include <simdjson.h>

#include <map>

namespace periscope::components::filelog {

model::AnyValue jsonToAnyValue(const nlohmann::json& v, Arena& arena) {
  using model::AnyValue;
  switch (v.type()) {
    case nlohmann::json::value_t::string:
      return AnyValue::string(arena.copy(v.get_ref<const std::string&>()));
    case nlohmann::json::value_t::boolean:
      return AnyValue::boolean(v.get<bool>());
    case nlohmann::json::value_t::number_integer:
      return AnyValue::integer(v.get<int64_t>());
    case nlohmann::json::value_t::number_unsigned: {
      uint64_t u = v.get<uint64_t>();
      return u <= INT64_MAX ? AnyValue::integer(static_cast<int64_t>(u))
                            : AnyValue::dbl(static_cast<double>(u));
    }
    case nlohmann::json::value_t::number_float:
      return AnyValue::dbl(v.get<double>());
    case nlohmann::json::value_t::array: {
      auto items = arena.allocArray<AnyValue>(v.size());
      for (size_t i = 0; i < v.size(); ++i) items[i] = jsonToAnyValue(v[i], arena);
      return AnyValue::array(items);
    }
    case nlohmann::json::value_t::object: {
      auto kvs = arena.allocArray<model::KeyValue>(v.size());
      size_t i = 0;
      for (const auto& [k, child] : v.items()) {
        kvs[i].key = arena.copy(k);
        kvs[i].value = jsonToAnyValue(child, arena);
        ++i;
      }
      return AnyValue::kvlist(kvs);
    }
    default:
      return AnyValue::empty();
  }
}

namespace {

// Length of the valid UTF-8 sequence at s[i] (RFC 3629: no overlongs, surrogates or code
// points past U+10FFFF), or 0.
size_t utf8SequenceLength(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  unsigned char c = b(0);
  if (c < 0x80) return 1;
  size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (n == 0 || c > 0xF4 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 0;
  }
  if (c == 0xE0 && b(1) < 0xA0) return 0;  // overlong
  if (c == 0xED && b(1) > 0x9F) return 0;  // surrogate
  if (c == 0xF0 && b(1) < 0x90) return 0;  // overlong
  if (c == 0xF4 && b(1) > 0x8F) return 0;  // past U+10FFFF
  return n;
}

}  // namespace

std::string_view validUtf8(std::string_view text, Arena& arena) {
  if (simdjson::validate_utf8(text.data(), text.size())) return text;
  std::string out;
  out.reserve(text.size() + 16);
  for (size_t i = 0; i < text.size();) {
    size_t n = utf8SequenceLength(text, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return arena.copy(out);
}

namespace {

std::string_view baseName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? std::string_view(path)
                                    : std::string_view(path).substr(slash + 1);
}

// `extra` first, then the members of `object`.
model::Attributes concatAttributes(model::Attributes extra, const nlohmann::json& object,
                                   Arena& arena) {
  if (!object.is_object() || object.empty()) return extra;
  auto out = arena.allocArray<model::KeyValue>(extra.size() + object.size());
  size_t i = 0;
  for (const auto& kv : extra) out[i++] = kv;
  for (const auto& [k, v] : object.items()) {
    out[i].key = arena.copy(k);
    out[i].value = jsonToAnyValue(v, arena);
    ++i;
  }
  return out;
}

model::Attributes mapAttributes(const std::map<std::string, std::string>& m, Arena& arena) {
  auto out = arena.allocArray<model::KeyValue>(m.size());
  size_t i = 0;
  for (const auto& [k, v] : m) {
    out[i].key = arena.copy(k);
    out[i].value = model::AnyValue::string(arena.copy(v));
    ++i;
  }
  return out;
}

}  // namespace

BatchBuilder::BatchBuilder(const Config& config, const OperatorChain& chain)
    : config_(config), chain_(chain), bytes_body_(config.encoding == "nop") {}

model::Attributes BatchBuilder::fixedAttributes(model::Logs& batch, const std::string& path) const {
  Arena& arena = batch.arena();
  size_t n = config_.attributes.size() + (config_.include_file_name ? 1 : 0) +
             (config_.include_file_path ? 1 : 0);
  auto out = arena.allocArray<model::KeyValue>(n);
  size_t i = 0;
  if (config_.include_file_name)
    out[i++] = {"log.file.name", model::AnyValue::string(arena.copy(baseName(path)))};
  if (config_.include_file_path)
    out[i++] = {"log.file.path", model::AnyValue::string(arena.copy(path))};
  for (const auto& kv : mapAttributes(config_.attributes, arena)) out[i++] = kv;
  return out;
}

model::Logs BatchBuilder::build(std::string_view data, const std::vector<Splitter::Piece>& pieces,
                                const std::string& path, uint64_t observed_unix_nano,
                                Outcome& outcome) const {
  model::Logs batch;
  Arena& arena = batch.arena();
  model::Attributes fixed = fixedAttributes(batch, path);
  model::Attributes resource_attrs = mapAttributes(config_.resource, arena);
  // Resource json text → records; without operators everything shares one resource.
  std::map<std::string, std::vector<model::LogRecord>> groups;
  std::map<std::string, model::Attributes> group_resource;

  if (chain_.empty()) {
    size_t first = pieces.empty() ? 0 : pieces.front().begin;
    size_t last = pieces.empty() ? 0 : pieces.back().end;
    std::string_view copy = arena.copy(data.substr(first, last - first));
    // One check for the whole batch; lines are repaired one by one only if it fails.
    bool all_valid = bytes_body_ || simdjson::validate_utf8(copy.data(), copy.size());
    auto& records = groups[""];
    records.resize(pieces.size());
    for (size_t i = 0; i < pieces.size(); ++i) {
      model::LogRecord& r = records[i];
      std::string_view text = copy.substr(pieces[i].begin - first, pieces[i].end - pieces[i].begin);
      r.body = bytes_body_ ? model::AnyValue::bytes(text)
                           : model::AnyValue::string(all_valid ? text : validUtf8(text, arena));
      r.observed_time_unix_nano = observed_unix_nano;
      r.attributes = fixed;
    }
    group_resource[""] = resource_attrs;
  } else {
    for (const auto& p : pieces) {
      Entry e;
      std::string_view text = data.substr(p.begin, p.end - p.begin);
      e.body = std::string(bytes_body_ ? text : validUtf8(text, arena));
      OperatorChain::Outcome o = chain_.apply(e);
      if (o.error) {
        ++outcome.parse_errors;
        if (outcome.first_error.empty()) outcome.first_error = o.first_error;
      }
      if (o.drop) {
        ++outcome.dropped;
        continue;
      }
      liftTraceContext(e);
      model::LogRecord r;
      r.observed_time_unix_nano = observed_unix_nano;
      r.time_unix_nano = e.time_unix_nano;
      r.severity_number = e.severity_number;
      r.severity_text = arena.copy(e.severity_text);
      if (bytes_body_ && e.body.is_string()) {
        r.body = model::AnyValue::bytes(arena.copy(e.body.get_ref<const std::string&>()));
      } else if (!e.body.is_null()) {
        r.body = jsonToAnyValue(e.body, arena);
      }
      r.attributes = concatAttributes(fixed, e.attributes, arena);
      r.trace_id = arena.copy(e.trace_id);
      r.span_id = arena.copy(e.span_id);
      r.flags = e.flags;
      std::string key = e.resource.empty() ? "" : e.resource.dump();
      if (!group_resource.count(key))
        group_resource[key] = concatAttributes(resource_attrs, e.resource, arena);
      groups[key].push_back(r);
    }
  }
  for (auto& [key, records] : groups) {
    if (records.empty()) continue;
    auto scopes = arena.allocArray<model::ScopeLogs>(1);
    scopes[0].log_records = arena.copyArray<model::LogRecord>(records);
    model::ResourceLogs rl;
    rl.has_resource = !group_resource[key].empty();
    rl.resource.attributes = group_resource[key];
    rl.scope_logs = scopes;
    batch.resources().push_back(rl);
  }
  return batch;
}

}  // namespace periscope::components::filelog
