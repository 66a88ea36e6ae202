// JsonWriter: appends compact JSON to a std::string; used by the OTLP/JSON encoder
// (json_encoder.h) and the shared encoders of attributes, resources and scopes below.
// Keys are trusted literals; string values are escaped (", \, control characters) and invalid
// UTF-8 is replaced by U+FFFD so the output is always valid JSON. Allocates nothing besides the
// output string's growth. Internal to model/otlp.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "model/any_value.h"
#include "model/metric.h"
#include "model/resource.h"

namespace periscope::model::otlp {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  void beginObject() {
    comma();
    out_.push_back('{');
    need_comma_ = false;
  }
  void endObject() {
    out_.push_back('}');
    need_comma_ = true;
  }
  void beginArray() {
    comma();
    out_.push_back('[');
    need_comma_ = false;
  }
  void endArray() {
    out_.push_back(']');
    need_comma_ = true;
  }
  // `k` is written as is: it must not need escaping.
  void key(std::string_view k) {
    // One append instead of four: keys are short literals.
    char buf[64];
    if (k.size() + 4 > sizeof buf) return longKey(k);
    size_t n = 0;
    if (need_comma_) buf[n++] = ',';
    buf[n++] = '"';
    std::memcpy(buf + n, k.data(), k.size());
    n += k.size();
    buf[n++] = '"';
    buf[n++] = ':';
    out_.append(buf, n);
    need_comma_ = false;
  }

  void string(std::string_view s);
  void hex(std::string_view bytes);
  void base64(std::string_view bytes);
  // 64-bit integers are strings in proto3 JSON.
  void quotedU64(uint64_t v) { quotedInt(v); }
  void quotedI64(int64_t v) { quotedInt(v); }
  void integer(int64_t v) {
    comma();
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, static_cast<size_t>(r.ptr - buf));
    need_comma_ = true;
  }
  // Shortest round-trip form; "NaN", "Infinity" and "-Infinity" as strings.
  void dbl(double v);
  void boolean(bool b) {
    comma();
    out_.append(b ? "true" : "false");
    need_comma_ = true;
  }

  // Named fields that are omitted when they hold the proto3 default.
  void stringField(std::string_view k, std::string_view s) {
    if (!s.empty()) {
      key(k);
      string(s);
    }
  }
  void hexField(std::string_view k, std::string_view bytes) {
    if (!bytes.empty()) {
      key(k);
      hex(bytes);
    }
  }
  void u64Field(std::string_view k, uint64_t v) {
    if (v != 0) {
      key(k);
      quotedU64(v);
    }
  }
  void intField(std::string_view k, int64_t v) {
    if (v != 0) {
      key(k);
      integer(v);
    }
  }
  void dblField(std::string_view k, double v) {
    // -0.0 is not the default: keep it, as libprotobuf does.
    if (v != 0 || std::signbit(v)) {
      key(k);
      dbl(v);
    }
  }

 private:
  void longKey(std::string_view k) {
    comma();
    out_.push_back('"');
    out_.append(k);
    out_.append("\":", 2);
    need_comma_ = false;
  }
  void comma() {
    if (need_comma_) out_.push_back(',');
  }
  template <typename T>
  void quotedInt(T v) {
    comma();
    char buf[24];
    buf[0] = '"';
    auto r = std::to_chars(buf + 1, buf + sizeof buf - 1, v);
    *r.ptr = '"';
    out_.append(buf, static_cast<size_t>(r.ptr + 1 - buf));
    need_comma_ = true;
  }

  std::string& out_;
  bool need_comma_ = false;
};

// Encoders shared by the three signals.
void writeAnyValue(JsonWriter& w, const AnyValue& v);
// "name":[{"key":…,"value":…},…], omitted when empty.
void writeAttributes(JsonWriter& w, std::string_view name, Attributes attrs);
void writeResource(JsonWriter& w, const Resource& r);
void writeScope(JsonWriter& w, const InstrumentationScope& s);
// One Metric object (json_encode_metrics.cc).
void writeMetric(JsonWriter& w, const Metric& m);

}  // namespace periscope::model::otlp
