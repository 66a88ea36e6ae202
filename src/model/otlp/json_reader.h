// JsonReader: the shared machinery of the OTLP/JSON decoder (json_decoder.h) on top of simdjson
// On-Demand — field iteration with lowerCamelCase/snake_case names, proto3 JSON scalars, hex ids,
// AnyValue, resources and scopes, and error messages that name the JSON path.
// Internal to model/otlp. One reader per request; results are written into the request's arena.
#pragma once

#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/arena.h"
#include "common/status.h"
#include "model/any_value.h"
#include "model/log_record.h"
#include "model/metric.h"
#include "model/resource.h"
#include "model/span.h"

namespace periscope::model::otlp {

namespace od = simdjson::ondemand;

class JsonReader {
 public:
  explicit JsonReader(Arena& arena) : arena_(arena) {}

  Arena& arena() { return arena_; }

  // Records an error at the current path; always returns false so callers can `return fail(…)`.
  bool fail(std::string_view what);
  bool fail(simdjson::error_code code);
  // INVALID_ARGUMENT "resourceSpans[0].scopeSpans[1].spans[4].traceId: invalid hex".
  Status status() const;

  // True when `key` is the field's lowerCamelCase or its original snake_case name.
  static bool is(std::string_view key, std::string_view camel, std::string_view snake) {
    return key == camel || key == snake;
  }

  // Runs f() with `name` appended to the error path (kept there when f fails).
  template <typename F>
  bool field(std::string_view name, F&& f) {
    push(name);
    if (!f()) return false;
    pop();
    return true;
  }

  // Calls on_field(key, value) for each non-null member of the object `v`.
  template <typename F>
  bool object(od::value& v, F&& on_field) {
    od::object obj;
    if (!expect(v, od::json_type::object)) return false;
    if (auto e = v.get_object().get(obj)) return fail(e);
    return fields(obj, on_field);
  }

  template <typename F>
  bool fields(od::object& obj, F&& on_field) {
    for (auto member : obj) {
      od::field f;
      if (auto e = std::move(member).get(f)) return fail(e);
      std::string_view key;
      if (auto e = f.unescaped_key().get(key)) return fail(e);
      od::value& value = f.value();
      od::json_type type;
      if (auto e = value.type().get(type)) return fail(e);
      const char* before = nullptr;
      if (value.current_location().get(before)) before = nullptr;
      // null is treated as absent (and only checked to be a well-formed null below).
      if (type != od::json_type::null && !on_field(key, value)) return false;
      // A value on_field left unread (an unknown field's, or null) is walked here: simdjson would
      // skip it without a depth limit and without validating it, and would take a string
      // followed by ':' for a key, accepting {"name":"x":1}} whole.
      const char* after = nullptr;
      if (before != nullptr && !value.current_location().get(after) && after == before) {
        push(key);
        if (!skipUnknown(value, 1)) return false;
        pop();
      }
    }
    return true;
  }

  // Reads the array `v` named `name` into `out` (allocated in the arena); on_elem(T&, value&)
  // reads one element. Null elements are an error.
  template <typename T, typename F>
  bool array(od::value& v, std::string_view name, std::span<T>& out, F&& on_elem) {
    push(name);
    od::array arr;
    if (!expect(v, od::json_type::array)) return false;
    if (auto e = v.get_array().get(arr)) return fail(e);
    // Grown by doubling in the arena rather than counted first: counting would walk every
    // nested level once more. The abandoned smaller copies stay in the arena (< the final size).
    std::span<T> items;
    size_t n = 0;
    for (auto elem : arr) {
      setIndex(static_cast<int64_t>(n));
      od::value ev;
      if (auto e = std::move(elem).get(ev)) return fail(e);
      od::json_type type;
      if (auto e = ev.type().get(type)) return fail(e);
      if (type == od::json_type::null) return fail("null array element");
      if (n == items.size()) {
        std::span<T> bigger = arena_.allocArray<T>(n == 0 ? 4 : n * 2);
        std::copy(items.begin(), items.end(), bigger.begin());
        items = bigger;
      }
      if (!on_elem(items[n], ev)) return false;
      ++n;
    }
    pop();
    out = items.first(n);
    return true;
  }

  // proto3 JSON scalars. 64-bit integers accept numbers and decimal strings; enums accept
  // numbers and their names (names[i] is the name of value i); doubles accept numbers and
  // "NaN", "Infinity", "-Infinity".
  bool str(od::value& v, std::string_view& out);
  bool id(od::value& v, std::string_view& out);     // hex → raw bytes in the arena
  bool bytes(od::value& v, std::string_view& out);  // base64 → raw bytes in the arena
  bool u64(od::value& v, uint64_t& out);
  bool i64(od::value& v, int64_t& out);
  bool u32(od::value& v, uint32_t& out);
  bool i32(od::value& v, int32_t& out);
  bool enumeration(od::value& v, std::span<const std::string_view> names, int32_t& out);
  bool dbl(od::value& v, double& out);
  bool boolean(od::value& v, bool& out);

  // Shorthands that read a named scalar field.
  template <typename T>
  bool u64(std::string_view name, od::value& v, T& out) {
    uint64_t x = 0;
    if (!field(name, [&] { return u64(v, x); })) return false;
    out = x;
    return true;
  }
  bool str(std::string_view name, od::value& v, std::string_view& out) {
    return field(name, [&] { return str(v, out); });
  }
  bool id(std::string_view name, od::value& v, std::string_view& out) {
    return field(name, [&] { return id(v, out); });
  }
  bool u32(std::string_view name, od::value& v, uint32_t& out) {
    return field(name, [&] { return u32(v, out); });
  }
  bool dbl(std::string_view name, od::value& v, double& out) {
    return field(name, [&] { return dbl(v, out); });
  }

  // AnyValue at nesting `depth` (an attribute's value is depth 1).
  bool anyValue(od::value& v, AnyValue& out, int depth);
  bool attributes(od::value& v, std::string_view name, Attributes& out, int depth = 0);
  bool resource(od::value& v, Resource& out);
  bool scope(od::value& v, InstrumentationScope& out);

 private:
  struct Frame {
    std::string_view name;
    int64_t index;
  };
  // Deeper frames (only reachable through AnyValue and unknown-field nesting, both limited to
  // 100 levels) are counted but not recorded.
  static constexpr int kMaxFrames = 512;

  void push(std::string_view name) {
    if (depth_ < kMaxFrames) frames_[depth_] = {name, -1};
    ++depth_;
  }
  void pop() { --depth_; }
  void setIndex(int64_t i) {
    if (depth_ <= kMaxFrames) frames_[depth_ - 1].index = i;
  }

  bool expect(od::value& v, od::json_type want);
  // The unescaped text of string `v`: a view into the input when it has no escapes, else a copy
  // in the arena.
  bool stringBody(od::value& v, std::string_view& out);
  bool keyValue(od::value& v, KeyValue& out, int depth);
  // Reads and validates a value without keeping it; containers at most 100 levels deep.
  bool skipUnknown(od::value& v, int depth);

  Arena& arena_;
  int depth_ = 0;
  Frame frames_[kMaxFrames];
  std::string error_;
};

// The members of an ExportXServiceRequest object (resourceSpans, resourceMetrics, resourceLogs).
bool readTracesRequest(JsonReader& r, od::object& root, std::span<ResourceSpans>& out);
bool readMetricsRequest(JsonReader& r, od::object& root, std::span<ResourceMetrics>& out);
bool readLogsRequest(JsonReader& r, od::object& root, std::span<ResourceLogs>& out);

}  // namespace periscope::model::otlp
