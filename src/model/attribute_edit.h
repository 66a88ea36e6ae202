// In-place edits of attribute lists for processors (attributes, resource, redaction, transform).
// Attribute lists are arena spans: removing compacts in place, adding allocates a larger copy in
// the batch's arena. Keys and values are copied into the arena so the batch never points at
// processor config that may be gone when a queued batch is finally sent.
// Only call these on data the caller owns exclusively (a processor that declares
// mutatesData(), so fan-out gives it a private copy).
#pragma once

#include <string_view>

#include "common/arena.h"
#include "model/any_value.h"

namespace periscope::model {

enum class SetMode { kInsert, kUpdate, kUpsert };

// insert: only if `key` is absent; update: only if present; upsert: either. True if changed.
bool setAttribute(Arena& arena, Attributes& attrs, std::string_view key, const AnyValue& value,
                  SetMode mode);

// Removes every attribute `pred(const KeyValue&)` accepts, keeping order; returns how many.
template <typename Pred>
size_t removeAttributesIf(Attributes& attrs, Pred pred) {
  size_t w = 0;
  for (size_t r = 0; r < attrs.size(); ++r) {
    if (pred(attrs[r])) continue;
    if (w != r) attrs[w] = attrs[r];
    ++w;
  }
  size_t removed = attrs.size() - w;
  attrs = attrs.first(w);
  return removed;
}

// Removes `key`; true if it was there.
bool removeAttribute(Attributes& attrs, std::string_view key);

// Finds `key` for writing (nullptr if absent).
AnyValue* findAttributeMutable(Attributes attrs, std::string_view key);

}  // namespace periscope::model
