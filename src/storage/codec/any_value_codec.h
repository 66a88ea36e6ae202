// Binary form of model::AnyValue for the stores' column blocks: a type byte, then the value
// (varint-length bytes, u8 bool, u64 int / double bits, or a count and the elements,
// recursively for arrays and kvlists). Round-trips every AnyValue exactly, kAbsent and kEmpty
// included. Decoding untrusted bytes is bounded: nesting past 64 levels or a count larger
// than the bytes left yields kEmpty and a failed reader never reads past its end.
#pragma once

#include "common/arena.h"
#include "model/any_value.h"
#include "storage/codec/byte_io.h"

namespace periscope::storage {

void writeAnyValue(ByteWriter& w, const model::AnyValue& v);
// Strings are copied into `arena`, unless `borrow`: then they point into the reader's buffer,
// which must live as long as the value (e.g. a buffer the arena adopted).
model::AnyValue readAnyValue(ByteReader& r, Arena& arena, bool borrow = false, int depth = 0);

// A count, then (key, value) pairs.
void writeAttributes(ByteWriter& w, model::Attributes attrs);
model::Attributes readAttributes(ByteReader& r, Arena& arena, bool borrow = false);

}  // namespace periscope::storage
