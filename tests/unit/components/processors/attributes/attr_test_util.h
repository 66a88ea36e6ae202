// Helpers for the attributes/resource processor tests: attribute lists from short specs, a
// readable rendering of them ("k=str:v n=int:1"), YAML config decoding, and a consumer that
// keeps the last batch it received.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "common/arena.h"
#include "components/processors/internal/attraction/convert_value.h"
#include "config/diagnostics.h"
#include "config/loader.h"
#include "model/any_value.h"
#include "pipeline/consumer.h"

namespace periscope::testing {

using AttrSpec = std::vector<std::pair<std::string, model::AnyValue>>;

inline model::AnyValue str(std::string_view s) {
  return model::AnyValue::string(s);
}
inline model::AnyValue i64(int64_t v) {
  return model::AnyValue::integer(v);
}
inline model::AnyValue f64(double v) {
  return model::AnyValue::dbl(v);
}
inline model::AnyValue boolean(bool v) {
  return model::AnyValue::boolean(v);
}

inline model::Attributes makeAttrs(Arena& arena, const AttrSpec& spec) {
  auto attrs = arena.allocArray<model::KeyValue>(spec.size());
  for (size_t i = 0; i < spec.size(); ++i) {
    model::AnyValue v = spec[i].second;
    if (v.type() == model::AnyValue::Type::kString) v = str(arena.copy(v.str()));
    attrs[i] = {arena.copy(spec[i].first), v};
  }
  return attrs;
}

inline std::string typeName(model::AnyValue::Type t) {
  switch (t) {
    case model::AnyValue::Type::kString:
      return "str";
    case model::AnyValue::Type::kInt:
      return "int";
    case model::AnyValue::Type::kDouble:
      return "double";
    case model::AnyValue::Type::kBool:
      return "bool";
    case model::AnyValue::Type::kBytes:
      return "bytes";
    case model::AnyValue::Type::kArray:
      return "array";
    case model::AnyValue::Type::kKvList:
      return "map";
    default:
      return "empty";
  }
}

inline std::string render(model::Attributes attrs) {
  std::string out;
  for (const auto& kv : attrs) {
    if (!out.empty()) out += ' ';
    out += std::string(kv.key) + "=" + typeName(kv.value.type()) + ":";
    components::attraction::appendAsString(kv.value, out);
  }
  return out;
}

// Decodes `yaml` (a processor's config body) into `cfg`; returns diagnostics or the
// validate() message, "" when both are fine.
template <typename Config>
std::string decodeConfig(const std::string& yaml, Config& cfg) {
  config::Diagnostics diags;
  config::Value v = config::loadYamlString(yaml, "test.yaml", diags);
  if (diags.ok()) Config::schema().decode(v, cfg, diags);
  if (!diags.ok()) return diags.format();
  Status st = cfg.validate();
  return st.isOk() ? "" : std::string(st.message());
}

template <typename T>
class KeepLast : public pipeline::Consumer<T> {
 public:
  void consume(T&& data, pipeline::Done done) override {
    last = std::move(data);
    ++batches;
    done(Status::ok());
  }
  T last;
  int batches = 0;
};

}  // namespace periscope::testing
