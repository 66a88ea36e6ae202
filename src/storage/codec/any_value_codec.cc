#include "storage/codec/any_value_codec.h"

#include <bit>

namespace periscope::storage {

using model::AnyValue;

void writeAnyValue(ByteWriter& w, const AnyValue& v) {
  w.u8(static_cast<uint8_t>(v.type()));
  switch (v.type()) {
    case AnyValue::Type::kString:
    case AnyValue::Type::kBytes:
      w.bytes(v.str());
      break;
    case AnyValue::Type::kBool:
      w.u8(v.boolValue() ? 1 : 0);
      break;
    case AnyValue::Type::kInt:
      w.u64(static_cast<uint64_t>(v.intValue()));
      break;
    case AnyValue::Type::kDouble:
      w.u64(std::bit_cast<uint64_t>(v.doubleValue()));
      break;
    case AnyValue::Type::kArray:
      w.varint(v.arrayValues().size());
      for (const AnyValue& e : v.arrayValues()) writeAnyValue(w, e);
      break;
    case AnyValue::Type::kKvList:
      writeAttributes(w, v.kvlistValues());
      break;
    case AnyValue::Type::kAbsent:
    case AnyValue::Type::kEmpty:
      break;
  }
}

namespace {

std::string_view text(ByteReader& r, Arena& arena, bool borrow) {
  std::string_view s = r.bytes();
  return borrow ? s : arena.copy(s);
}

model::Attributes readPairs(ByteReader& r, Arena& arena, bool borrow, int depth) {
  uint64_t n = r.varint();
  if (r.fail() || n > r.remaining()) return {};
  auto kvs = arena.allocArray<model::KeyValue>(n);
  for (auto& kv : kvs) {
    kv.key = text(r, arena, borrow);
    kv.value = readAnyValue(r, arena, borrow, depth + 1);
  }
  return kvs;
}

}  // namespace

AnyValue readAnyValue(ByteReader& r, Arena& arena, bool borrow, int depth) {
  auto type = static_cast<AnyValue::Type>(r.u8());
  if (r.fail() || depth > 64) return AnyValue::empty();
  switch (type) {
    case AnyValue::Type::kString:
      return AnyValue::string(text(r, arena, borrow));
    case AnyValue::Type::kBytes:
      return AnyValue::bytes(text(r, arena, borrow));
    case AnyValue::Type::kBool:
      return AnyValue::boolean(r.u8() != 0);
    case AnyValue::Type::kInt:
      return AnyValue::integer(static_cast<int64_t>(r.u64()));
    case AnyValue::Type::kDouble:
      return AnyValue::dbl(std::bit_cast<double>(r.u64()));
    case AnyValue::Type::kArray: {
      uint64_t n = r.varint();
      if (n > r.remaining()) return AnyValue::empty();
      auto values = arena.allocArray<AnyValue>(n);
      for (auto& e : values) e = readAnyValue(r, arena, borrow, depth + 1);
      return AnyValue::array(values);
    }
    case AnyValue::Type::kKvList:
      return AnyValue::kvlist(readPairs(r, arena, borrow, depth));
    case AnyValue::Type::kAbsent:
      return AnyValue();
    case AnyValue::Type::kEmpty:
      break;
  }
  return AnyValue::empty();
}

void writeAttributes(ByteWriter& w, model::Attributes attrs) {
  w.varint(attrs.size());
  for (const auto& kv : attrs) {
    w.bytes(kv.key);
    writeAnyValue(w, kv.value);
  }
}

model::Attributes readAttributes(ByteReader& r, Arena& arena, bool borrow) {
  return readPairs(r, arena, borrow, 0);
}

}  // namespace periscope::storage
