// The series key of the spanmetrics connector: the dimension values of one span, serialised
// into a reusable byte buffer (no allocation per span once the buffer has grown). The same bytes
// are hashed for the series table, compared on a hash match, and decoded back into the data
// point attributes at flush time, so a series stores nothing but its key.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/arena.h"
#include "components/connectors/hash_index.h"
#include "model/any_value.h"

namespace periscope::components::spanmetrics {

// Where a dimension's value comes from.
enum class DimensionSource : uint8_t {
  kServiceName,
  kSpanName,
  kSpanKind,
  kStatusCode,
  kAttribute
};

struct DimensionSpec {
  std::string name;
  DimensionSource source = DimensionSource::kAttribute;
  std::optional<std::string> default_value;
};

// Appends to `key`; every value is self-delimiting, so concatenations never collide.
class KeyWriter {
 public:
  using Buffer = connectors::KeyBuffer;
  static void resource(Buffer& key, uint32_t resource_index);
  static void missing(Buffer& key) { *key.extend(1) = 0; }
  static void string(Buffer& key, std::string_view s) {
    char* p = key.extend(1 + sizeof(uint32_t) + s.size());
    const auto len = static_cast<uint32_t>(s.size());
    p[0] = 's';
    std::memcpy(p + 1, &len, sizeof len);
    if (!s.empty()) std::memcpy(p + 1 + sizeof len, s.data(), s.size());
  }
  static void value(Buffer& key, const model::AnyValue& v);
  // The marker of a resource's overflow series (decodes to otel.metric.overflow=true).
  static void overflow(Buffer& key);
};

// The resource index a key starts with.
uint32_t keyResource(std::string_view key);

// Decodes the dimension values after the resource prefix into attributes named by `names`
// (in order; missing ones skipped), copying strings into `arena`.
model::Attributes decodeKey(std::string_view key, std::span<const std::string_view> names,
                            Arena& arena);

// The collector's string forms: SPAN_KIND_SERVER, STATUS_CODE_ERROR, …
std::string_view spanKindName(int32_t kind);
std::string_view statusCodeName(int32_t code);

}  // namespace periscope::components::spanmetrics
