// Internal to the OTLP decoder: the container levels all three signals share, written once.
//   Export*ServiceRequest { repeated Resource* = 1 }
//   Resource* / Scope*    { resource|scope = 1; repeated children = 2; string schema_url = 3 }
// Each signal instantiates them with its own types and item decoder.
#pragma once

#include <string>
#include <string_view>

#include "model/otlp/decode_context.h"
#include "model/otlp/proto_decoder.h"

namespace periscope::model::otlp {

// One Resource* or Scope* message: header (1), repeated children (2), schema_url (3).
template <auto kHas, auto kHeader, auto kChildren, auto kDecodeHeader, auto kDecodeChild,
          typename Outer>
bool decodeGroup(DecodeContext& ctx, const uint8_t* p, const uint8_t* end, Outer& out,
                 FieldNames names) {
  using wire::kLen;
  using wire::tag;
  uint32_t counts[3] = {0, 0, 0};
  countLenFields(p, end, 2, 0, 0, counts);
  auto& children = out.*kChildren;
  using Child = typename std::remove_reference_t<decltype(children)>::value_type;
  size_t i = 0;
  if (counts[0] != 0) children = ctx.arena().template allocArray<Child>(counts[0]);
  wire::Field f;
  while (p < end) {
    const uint8_t* at = p;
    if (wire::ReadError e = wire::readField(p, end, f); e != wire::ReadError::kNone) {
      return ctx.readFailed(e, f, at, names);
    }
    switch (f.tag) {
      case tag(1, kLen):
        out.*kHas = true;
        if (!kDecodeHeader(ctx, f.data, f.end(), out.*kHeader)) return ctx.in(names, 1);
        break;
      case tag(2, kLen):
        if (i >= children.size()) return ctx.fail(f.at, "internal: count mismatch");
        if (!kDecodeChild(ctx, f.data, f.end(), children[i])) return ctx.in(names, 2, i);
        ++i;
        break;
      case tag(3, kLen):
        if (!readString(ctx, f, out.schema_url, names)) return false;
        break;
      default:
        if (f.number() <= 3) return ctx.wrongWireType(f, names);
    }
  }
  return true;
}

// The request: repeated resource groups (1), appended to `into` only if all of it decodes.
template <auto kDecodeResource, typename BatchT>
Status decodeRequest(std::string_view bytes, BatchT& into, FieldNames names) {
  using wire::kLen;
  using wire::tag;
  using ResourceT = typename std::remove_reference_t<decltype(into.resources())>::value_type;
  DecodeContext ctx(bytes, into.arena());
  const uint8_t* p = reinterpret_cast<const uint8_t*>(bytes.data());
  const uint8_t* end = p + bytes.size();
  uint32_t counts[3] = {0, 0, 0};
  countLenFields(p, end, 1, 0, 0, counts);
  std::span<ResourceT> out = ctx.arena().template allocArray<ResourceT>(counts[0]);
  size_t i = 0;
  wire::Field f;
  while (p < end) {
    const uint8_t* at = p;
    if (wire::ReadError e = wire::readField(p, end, f); e != wire::ReadError::kNone) {
      ctx.readFailed(e, f, at, names);
      return ctx.status();
    }
    if (f.tag == tag(1, kLen)) {
      if (i >= out.size()) {
        ctx.fail(f.at, "internal: count mismatch");
        return ctx.status();
      }
      if (!kDecodeResource(ctx, f.data, f.end(), out[i])) {
        ctx.in(names, 1, i);
        return ctx.status();
      }
      ++i;
    } else if (f.number() == 1) {
      ctx.wrongWireType(f, names);
      return ctx.status();
    }
  }
  into.resources().insert(into.resources().end(), out.begin(), out.end());
  return Status::ok();
}

// Decodes a request body the batch takes ownership of.
template <typename BatchT>
Result<BatchT> decodeOwned(std::string&& body) {
  BatchT batch;
  std::string_view view = batch.arena().adopt(std::move(body));
  Status st = decode(view, batch);
  if (!st.isOk()) return st;
  return batch;
}

}  // namespace periscope::model::otlp
