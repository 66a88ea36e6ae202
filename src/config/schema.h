// Schema<T>: one table per config struct that drives decoding, validation of types, unknown-key
// errors with "did you mean", and the generated reference docs (docs/components.md).
// Fields are declared once, e.g.
//   static const Schema<BatchConfig>& schema() {
//     static const auto s = Schema<BatchConfig>()
//         .field("timeout", &BatchConfig::timeout, "Time after which a batch is sent.")
//         .field("send_batch_size", &BatchConfig::send_batch_size, "...");
//     return s;
//   }
// Nested structs with their own schema() and std::optional<> of them decode recursively.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "config/diagnostics.h"
#include "config/duration.h"
#include "config/value.h"

namespace periscope::config {

struct FieldDoc {
  std::string name;
  std::string type;
  std::string default_value;
  std::string doc;
  std::vector<FieldDoc> children;  // nested struct fields
};

// Scalar conversions shared by all codecs; each reports its own error at `v`.
bool decodeBool(const Value& v, bool& out, Diagnostics& d);
bool decodeInt(const Value& v, int64_t min, int64_t max, int64_t& out, Diagnostics& d);
bool decodeDouble(const Value& v, double& out, Diagnostics& d);
bool decodeString(const Value& v, std::string& out, Diagnostics& d);
bool decodeDuration(const Value& v, Duration& out, Diagnostics& d);
std::string formatDouble(double v);

template <typename M, typename = void>
struct FieldCodec;

template <typename T>
class Schema {
 public:
  using Decoder = std::function<void(const Value&, T&, Diagnostics&)>;

  template <typename M>
  Schema&& field(std::string name, M T::*member, std::string doc) && {
    Entry e;
    e.doc.name = name;
    e.doc.type = FieldCodec<M>::typeName();
    e.doc.doc = std::move(doc);
    T defaults{};
    e.doc.default_value = FieldCodec<M>::show(defaults.*member);
    e.doc.children = FieldCodec<M>::children();
    e.decode = [member](const Value& v, T& out, Diagnostics& d) {
      FieldCodec<M>::decode(v, out.*member, d);
    };
    entries_.push_back(std::move(e));
    return std::move(*this);
  }

  // A string restricted to a fixed set of values (e.g. verbosity: basic|normal|detailed).
  Schema&& choice(std::string name, std::string T::*member, std::vector<std::string> allowed,
                  std::string doc) && {
    Entry e;
    e.doc.name = name;
    std::string type;
    for (const auto& a : allowed) type += (type.empty() ? "" : "|") + (a.empty() ? "\"\"" : a);
    e.doc.type = type;
    e.doc.doc = std::move(doc);
    T defaults{};
    e.doc.default_value = defaults.*member;
    e.decode = [member, allowed](const Value& v, T& out, Diagnostics& d) {
      std::string s;
      if (!decodeString(v, s, d)) return;
      for (const auto& a : allowed) {
        if (a == s) {
          out.*member = s;
          return;
        }
      }
      d.error(v, "invalid value \"" + s + "\"; expected one of " + e_join(allowed));
    };
    entries_.push_back(std::move(e));
    return std::move(*this);
  }

  // Decodes a map into `out`; every unknown key and bad value is reported, none is fatal.
  void decode(const Value& v, T& out, Diagnostics& d) const {
    if (v.isNull()) return;  // "otlp:" with nothing below means defaults
    if (!v.isMap()) {
      d.error(v, "expected a map, got " + v.kindName());
      return;
    }
    for (const auto& [key, child] : v.entries) {
      const Entry* e = find(key);
      if (e == nullptr) {
        d.errorAtKey(child, unknownKey(key));
        continue;
      }
      e->decode(child, out, d);
    }
  }

  std::vector<FieldDoc> docs() const {
    std::vector<FieldDoc> out;
    for (const auto& e : entries_) out.push_back(e.doc);
    return out;
  }

 private:
  struct Entry {
    FieldDoc doc;
    Decoder decode;
  };
  const Entry* find(const std::string& key) const {
    for (const auto& e : entries_) {
      if (e.doc.name == key) return &e;
    }
    return nullptr;
  }
  std::string unknownKey(const std::string& key) const;
  static std::string e_join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
  }

  std::vector<Entry> entries_;
};

std::string unknownKeyMessage(const std::string& key, const std::vector<FieldDoc>& fields);

template <typename T>
std::string Schema<T>::unknownKey(const std::string& key) const {
  return unknownKeyMessage(key, docs());
}

// ---- codecs -----------------------------------------------------------------------------

template <>
struct FieldCodec<bool> {
  static std::string typeName() { return "bool"; }
  static std::string show(bool b) { return b ? "true" : "false"; }
  static std::vector<FieldDoc> children() { return {}; }
  static void decode(const Value& v, bool& out, Diagnostics& d) { decodeBool(v, out, d); }
};

template <typename I>
struct FieldCodec<I, std::enable_if_t<std::is_integral_v<I> && !std::is_same_v<I, bool>>> {
  static std::string typeName() { return std::is_signed_v<I> ? "int" : "uint"; }
  static std::string show(I v) { return std::to_string(v); }
  static std::vector<FieldDoc> children() { return {}; }
  static void decode(const Value& v, I& out, Diagnostics& d) {
    int64_t min = std::is_signed_v<I> ? static_cast<int64_t>(std::numeric_limits<I>::min()) : 0;
    int64_t max = std::numeric_limits<I>::max() > static_cast<uint64_t>(INT64_MAX)
                      ? INT64_MAX
                      : static_cast<int64_t>(std::numeric_limits<I>::max());
    int64_t x;
    if (decodeInt(v, min, max, x, d)) out = static_cast<I>(x);
  }
};

template <>
struct FieldCodec<double> {
  static std::string typeName() { return "float"; }
  static std::string show(double v) { return formatDouble(v); }
  static std::vector<FieldDoc> children() { return {}; }
  static void decode(const Value& v, double& out, Diagnostics& d) { decodeDouble(v, out, d); }
};

template <>
struct FieldCodec<std::string> {
  static std::string typeName() { return "string"; }
  static std::string show(const std::string& v) { return v; }
  // Inside lists an empty string is a real entry; show it as "".
  static std::string showElement(const std::string& v) { return v.empty() ? "\"\"" : v; }
  static std::vector<FieldDoc> children() { return {}; }
  static void decode(const Value& v, std::string& out, Diagnostics& d) { decodeString(v, out, d); }
};

template <>
struct FieldCodec<Duration> {
  static std::string typeName() { return "duration"; }
  static std::string show(Duration v) { return formatDuration(v); }
  static std::vector<FieldDoc> children() { return {}; }
  static void decode(const Value& v, Duration& out, Diagnostics& d) { decodeDuration(v, out, d); }
};

template <typename E>
struct FieldCodec<std::vector<E>> {
  static std::string typeName() { return "list of " + FieldCodec<E>::typeName(); }
  static std::string show(const std::vector<E>& v) {
    std::string out = "[";
    for (const auto& e : v) out += (out.size() > 1 ? ", " : "") + showElement(e);
    return out + "]";
  }
  static std::vector<FieldDoc> children() { return FieldCodec<E>::children(); }
  static std::string showElement(const E& e) {
    if constexpr (std::is_same_v<E, std::string>)
      return FieldCodec<E>::showElement(e);
    else
      return FieldCodec<E>::show(e);
  }
  static void decode(const Value& v, std::vector<E>& out, Diagnostics& d) {
    if (v.isNull()) return;
    if (!v.isSequence()) {
      d.error(v, "expected a list, got " + v.kindName());
      return;
    }
    out.clear();
    for (const auto& item : v.items) {
      E e{};
      FieldCodec<E>::decode(item, e, d);
      out.push_back(std::move(e));
    }
  }
};

template <>
struct FieldCodec<std::map<std::string, std::string>> {
  static std::string typeName() { return "map of string"; }
  static std::string show(const std::map<std::string, std::string>& m) {
    return m.empty() ? "" : std::to_string(m.size()) + " entries";
  }
  static std::vector<FieldDoc> children() { return {}; }
  static void decode(const Value& v, std::map<std::string, std::string>& out, Diagnostics& d) {
    if (v.isNull()) return;
    if (!v.isMap()) {
      d.error(v, "expected a map, got " + v.kindName());
      return;
    }
    for (const auto& [k, child] : v.entries) decodeString(child, out[k], d);
  }
};

// e.g. Prometheus's scrape `params: {module: [http_2xx]}`.
template <>
struct FieldCodec<std::map<std::string, std::vector<std::string>>> {
  static std::string typeName() { return "map of list of string"; }
  static std::string show(const std::map<std::string, std::vector<std::string>>& m) {
    return m.empty() ? "" : std::to_string(m.size()) + " entries";
  }
  static std::vector<FieldDoc> children() { return {}; }
  static void decode(const Value& v, std::map<std::string, std::vector<std::string>>& out,
                     Diagnostics& d) {
    if (v.isNull()) return;
    if (!v.isMap()) {
      d.error(v, "expected a map, got " + v.kindName());
      return;
    }
    for (const auto& [k, child] : v.entries)
      FieldCodec<std::vector<std::string>>::decode(child, out[k], d);
  }
};

// Nested structs that declare `static const Schema<S>& schema()`.
template <typename S>
struct FieldCodec<S, std::void_t<decltype(S::schema())>> {
  static std::string typeName() { return "map"; }
  static std::string show(const S&) { return ""; }
  static std::vector<FieldDoc> children() { return S::schema().docs(); }
  static void decode(const Value& v, S& out, Diagnostics& d) { S::schema().decode(v, out, d); }
};

// An optional string: absent in the YAML is distinct from "" (e.g. a dimension's `default`).
template <>
struct FieldCodec<std::optional<std::string>> {
  static std::string typeName() { return "string (optional)"; }
  static std::string show(const std::optional<std::string>& v) { return v ? *v : ""; }
  static std::vector<FieldDoc> children() { return {}; }
  static void decode(const Value& v, std::optional<std::string>& out, Diagnostics& d) {
    std::string s;
    if (decodeString(v, s, d)) out = std::move(s);
  }
};

// Optional sections: present in the YAML (even as an empty key) → engaged with defaults.
template <typename S>
struct FieldCodec<std::optional<S>> {
  static std::string typeName() { return "map (optional)"; }
  static std::string show(const std::optional<S>& v) { return v ? "enabled" : "disabled"; }
  static std::vector<FieldDoc> children() { return FieldCodec<S>::children(); }
  static void decode(const Value& v, std::optional<S>& out, Diagnostics& d) {
    if (!out) out.emplace();
    FieldCodec<S>::decode(v, *out, d);
  }
};

}  // namespace periscope::config
