#include "components/connectors/spanmetrics/dimension_key.h"

#include <cstring>

#include "components/connectors/attribute_copy.h"

namespace periscope::components::spanmetrics {
namespace {

enum Tag : char {
  kMissing = 0,
  kString = 's',
  kInt = 'i',
  kDouble = 'd',
  kBool = 'b',
  kOverflow = 'O'
};

template <typename T>
void appendRaw(connectors::KeyBuffer& key, T v) {
  std::memcpy(key.extend(sizeof(T)), &v, sizeof(T));
}

template <typename T>
T readRaw(std::string_view& in) {
  T v{};
  if (in.size() < sizeof(T)) {
    in = {};
    return v;
  }
  std::memcpy(&v, in.data(), sizeof(T));
  in.remove_prefix(sizeof(T));
  return v;
}

}  // namespace

void KeyWriter::resource(Buffer& key, uint32_t resource_index) {
  appendRaw(key, resource_index);
}

void KeyWriter::overflow(Buffer& key) {
  *key.extend(1) = kOverflow;
}

void KeyWriter::value(Buffer& key, const model::AnyValue& v) {
  using T = model::AnyValue::Type;
  switch (v.type()) {
    case T::kString:
      string(key, v.str());
      return;
    case T::kInt:
      *key.extend(1) = kInt;
      appendRaw(key, v.intValue());
      return;
    case T::kDouble:
      *key.extend(1) = kDouble;
      appendRaw(key, v.doubleValue());
      return;
    case T::kBool:
      *key.extend(1) = kBool;
      *key.extend(1) = v.boolValue() ? 1 : 0;
      return;
    case T::kAbsent:
    case T::kEmpty:
      string(key, "");
      return;
    default:
      // Arrays, maps and bytes are rare as dimensions; their text form is the value.
      string(key, connectors::valueToString(v));
      return;
  }
}

uint32_t keyResource(std::string_view key) {
  return readRaw<uint32_t>(key);
}

model::Attributes decodeKey(std::string_view key, std::span<const std::string_view> names,
                            Arena& arena) {
  readRaw<uint32_t>(key);
  if (!key.empty() && key.front() == kOverflow) {
    auto out = arena.allocArray<model::KeyValue>(1);
    out[0] = {"otel.metric.overflow", model::AnyValue::boolean(true)};
    return out;
  }
  auto out = arena.allocArray<model::KeyValue>(names.size());
  size_t n = 0;
  for (std::string_view name : names) {
    if (key.empty()) break;
    char tag = key.front();
    key.remove_prefix(1);
    model::AnyValue v;
    switch (tag) {
      case kString: {
        auto len = readRaw<uint32_t>(key);
        std::string_view s = key.substr(0, len);
        key.remove_prefix(s.size());
        v = model::AnyValue::string(arena.copy(s));
        break;
      }
      case kInt:
        v = model::AnyValue::integer(readRaw<int64_t>(key));
        break;
      case kDouble:
        v = model::AnyValue::dbl(readRaw<double>(key));
        break;
      case kBool:
        v = model::AnyValue::boolean(readRaw<char>(key) != 0);
        break;
      default:
        continue;  // missing: the dimension is omitted from this series
    }
    out[n++] = {name, v};
  }
  return out.first(n);
}

std::string_view spanKindName(int32_t kind) {
  switch (kind) {
    case 1:
      return "SPAN_KIND_INTERNAL";
    case 2:
      return "SPAN_KIND_SERVER";
    case 3:
      return "SPAN_KIND_CLIENT";
    case 4:
      return "SPAN_KIND_PRODUCER";
    case 5:
      return "SPAN_KIND_CONSUMER";
    default:
      return "SPAN_KIND_UNSPECIFIED";
  }
}

std::string_view statusCodeName(int32_t code) {
  switch (code) {
    case 1:
      return "STATUS_CODE_OK";
    case 2:
      return "STATUS_CODE_ERROR";
    default:
      return "STATUS_CODE_UNSET";
  }
}

}  // namespace periscope::components::spanmetrics
