// AnyValue and KeyValue: attribute values as views into a request's arena (see common/arena.h).
// Trivially destructible and cheap to copy; the bytes they point to are owned elsewhere.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace periscope::model {

struct KeyValue;

class AnyValue {
 public:
  // kAbsent: the field was not on the wire. kEmpty: present, but no value set (proto3 oneof unset).
  enum class Type : uint8_t {
    kAbsent,
    kEmpty,
    kString,
    kBool,
    kInt,
    kDouble,
    kArray,
    kKvList,
    kBytes
  };

  AnyValue() = default;
  static AnyValue empty() { return AnyValue(Type::kEmpty); }
  static AnyValue string(std::string_view s) { return AnyValue(Type::kString, s.data(), s.size()); }
  static AnyValue bytes(std::string_view s) { return AnyValue(Type::kBytes, s.data(), s.size()); }
  static AnyValue boolean(bool b) {
    AnyValue v(Type::kBool);
    v.num_.b = b;
    return v;
  }
  static AnyValue integer(int64_t i) {
    AnyValue v(Type::kInt);
    v.num_.i = i;
    return v;
  }
  static AnyValue dbl(double d) {
    AnyValue v(Type::kDouble);
    v.num_.d = d;
    return v;
  }
  static AnyValue array(std::span<AnyValue> values) {
    return AnyValue(Type::kArray, values.data(), values.size());
  }
  static AnyValue kvlist(std::span<KeyValue> values);

  Type type() const { return type_; }
  bool present() const { return type_ != Type::kAbsent; }
  std::string_view str() const { return {static_cast<const char*>(ptr_), len_}; }
  bool boolValue() const { return num_.b; }
  int64_t intValue() const { return num_.i; }
  double doubleValue() const { return num_.d; }
  std::span<AnyValue> arrayValues() const {
    return {static_cast<AnyValue*>(const_cast<void*>(ptr_)), len_};
  }
  std::span<KeyValue> kvlistValues() const;

 private:
  explicit AnyValue(Type t, const void* p = nullptr, size_t n = 0) : type_(t), ptr_(p), len_(n) {}

  Type type_ = Type::kAbsent;
  union {
    bool b;
    int64_t i;
    double d;
  } num_{.i = 0};
  const void* ptr_ = nullptr;
  size_t len_ = 0;
};

struct KeyValue {
  std::string_view key;
  AnyValue value;
};

inline AnyValue AnyValue::kvlist(std::span<KeyValue> values) {
  return AnyValue(Type::kKvList, values.data(), values.size());
}
inline std::span<KeyValue> AnyValue::kvlistValues() const {
  return {static_cast<KeyValue*>(const_cast<void*>(ptr_)), len_};
}

using Attributes = std::span<KeyValue>;

// Linear lookup: attribute lists are short (typically < 20), so this beats hashing.
const AnyValue* findAttribute(Attributes attrs, std::string_view key);

}  // namespace periscope::model
