#include "storage/signals/traces/span_table.h"

#include <bit>
#include <charconv>
#include <cstring>

#include "storage/codec/any_value_codec.h"
#include "storage/codec/byte_io.h"

namespace periscope::storage {

using model::AnyValue;

TraceId traceIdFrom(std::string_view raw) {
  TraceId id{};
  // memcpy from a null pointer is undefined even for 0 bytes (an absent id; UBSan via fuzzing).
  if (!raw.empty()) std::memcpy(id.data(), raw.data(), std::min<size_t>(raw.size(), 16));
  return id;
}

uint64_t spanIdFrom(std::string_view raw) {
  if (raw.size() != 8) return 0;
  uint64_t v;
  std::memcpy(&v, raw.data(), 8);
  return v;
}

std::string_view traceIdBytes(const TraceId& id) {
  return {reinterpret_cast<const char*>(id.data()), id.size()};
}

// ---- Blob codec: storage/codec/any_value_codec.h ----

std::string encodeBlob(const AnyValue& v) {
  std::string out;
  ByteWriter w(out);
  writeAnyValue(w, v);
  return out;
}

AnyValue decodeBlob(std::string_view blob, Arena& arena) {
  ByteReader r(blob);
  return readAnyValue(r, arena);
}

// ---- SpanTable ----

SpanTable::SpanTable() {
  dict.intern("");
}

size_t SpanTable::memoryBytes() const {
  size_t n = rows();
  return dict.memoryBytes() + n * 120 + attrs.size() * 13 + event_time_ns.size() * 24 +
         event_attrs.size() * 13 + link_span_id.size() * 40 + link_attrs.size() * 13;
}

void SpanTable::appendAttrs(AttrPool& pool, model::Attributes list) {
  for (const auto& kv : list) {
    pool.keys.push_back(dict.intern(kv.key));
    const AnyValue& v = kv.value;
    switch (v.type()) {
      case AnyValue::Type::kString:
        pool.types.push_back(AttrType::kString);
        pool.values.push_back(dict.intern(v.str()));
        break;
      case AnyValue::Type::kBool:
        pool.types.push_back(AttrType::kBool);
        pool.values.push_back(v.boolValue() ? 1 : 0);
        break;
      case AnyValue::Type::kInt:
        pool.types.push_back(AttrType::kInt);
        pool.values.push_back(static_cast<uint64_t>(v.intValue()));
        break;
      case AnyValue::Type::kDouble:
        pool.types.push_back(AttrType::kDouble);
        pool.values.push_back(std::bit_cast<uint64_t>(v.doubleValue()));
        break;
      case AnyValue::Type::kAbsent:
        pool.types.push_back(AttrType::kAbsent);
        pool.values.push_back(0);
        break;
      case AnyValue::Type::kEmpty:
        pool.types.push_back(AttrType::kEmpty);
        pool.values.push_back(0);
        break;
      default:
        pool.types.push_back(AttrType::kBlob);
        pool.values.push_back(dict.intern(encodeBlob(v)));
        break;
    }
  }
}

// Translation of one source table's ids into this table's, filled lazily.
struct SpanTable::RowMapper {
  const SpanTable& from;
  SpanTable& to;
  std::vector<uint32_t> dict, res, scope;
  RowMapper(const SpanTable& f, SpanTable& t)
      : from(f),
        to(t),
        dict(f.dict.size(), UINT32_MAX),
        res(f.resources.size(), UINT32_MAX),
        scope(f.scopes.size(), UINT32_MAX) {}
  uint32_t str(uint32_t id) {
    uint32_t& m = dict[id];
    if (m == UINT32_MAX) m = to.dict.intern(from.dict.get(id));
    return m;
  }
};

void SpanTable::copyAttrs(AttrPool& pool, RowMapper& map, const AttrPool& from, uint32_t b,
                          uint32_t e) {
  for (uint32_t i = b; i < e; ++i) {
    pool.keys.push_back(map.str(from.keys[i]));
    AttrType t = from.types[i];
    pool.types.push_back(t);
    uint64_t v = from.values[i];
    if (t == AttrType::kString || t == AttrType::kBlob) v = map.str(static_cast<uint32_t>(v));
    pool.values.push_back(v);
  }
}

std::string SpanTable::resourceKey(const model::Resource& r, std::string_view schema_url,
                                   bool present) {
  std::string key;
  ByteWriter w(key);
  w.u8(present ? 1 : 0);
  w.bytes(schema_url);
  w.varint(r.dropped_attributes_count);
  writeAttributes(w, r.attributes);
  return key;
}

uint32_t SpanTable::internResource(const model::Resource& r, std::string_view schema_url,
                                   bool present) {
  std::string key = resourceKey(r, schema_url, present);
  auto it = resource_lookup_.find(key);
  if (it != resource_lookup_.end()) return it->second;
  ResourceRow row;
  row.present = present;
  row.dropped = r.dropped_attributes_count;
  row.schema_url = dict.intern(schema_url);
  const AnyValue* svc = model::findAttribute(r.attributes, "service.name");
  row.service =
      dict.intern(svc != nullptr && svc->type() == AnyValue::Type::kString ? svc->str() : "");
  row.attrs_begin = static_cast<uint32_t>(resource_attrs.size());
  appendAttrs(resource_attrs, r.attributes);
  row.attrs_end = static_cast<uint32_t>(resource_attrs.size());
  uint32_t id = static_cast<uint32_t>(resources.size());
  resources.push_back(row);
  resource_lookup_.emplace(std::move(key), id);
  return id;
}

uint32_t SpanTable::internScope(const model::InstrumentationScope& s, std::string_view schema_url,
                                bool present) {
  std::string key;
  ByteWriter w(key);
  w.u8(present ? 1 : 0);
  w.bytes(s.name);
  w.bytes(s.version);
  w.bytes(schema_url);
  w.varint(s.dropped_attributes_count);
  writeAttributes(w, s.attributes);
  auto it = scope_lookup_.find(key);
  if (it != scope_lookup_.end()) return it->second;
  ScopeRow row;
  row.present = present;
  row.name = dict.intern(s.name);
  row.version = dict.intern(s.version);
  row.schema_url = dict.intern(schema_url);
  row.dropped = s.dropped_attributes_count;
  row.attrs_begin = static_cast<uint32_t>(scope_attrs.size());
  appendAttrs(scope_attrs, s.attributes);
  row.attrs_end = static_cast<uint32_t>(scope_attrs.size());
  uint32_t id = static_cast<uint32_t>(scopes.size());
  scopes.push_back(row);
  scope_lookup_.emplace(std::move(key), id);
  return id;
}

namespace {

// Geometric growth for `more` elements: reserving the exact size per batch would copy every
// column on every append.
template <typename V>
void growFor(V& v, size_t more) {
  if (v.size() + more > v.capacity()) v.reserve(std::max(v.size() + more, v.capacity() * 2));
}

}  // namespace

size_t SpanTable::append(const model::Traces& batch) {
  size_t before = rows();
  size_t spans = batch.itemCount(), attrs_hint = 0;
  for (const auto& rs : batch.resources())
    for (const auto& ss : rs.scope_spans)
      for (const auto& sp : ss.spans) attrs_hint += sp.attributes.size();
  growFor(trace_id, spans);
  for (auto* v : {&span_id, &parent_id, &start_ns, &duration_ns}) growFor(*v, spans);
  for (auto* v : {&name, &status_message, &flags, &trace_state, &resource, &scope, &dropped_attrs,
                  &dropped_events, &dropped_links, &attrs_end, &events_end, &links_end})
    growFor(*v, spans);
  growFor(kind, spans);
  growFor(status_code, spans);
  growFor(has_status, spans);
  growFor(attrs.keys, attrs_hint);
  growFor(attrs.types, attrs_hint);
  growFor(attrs.values, attrs_hint);
  for (const auto& rs : batch.resources()) {
    uint32_t res = internResource(rs.resource, rs.schema_url, rs.has_resource);
    for (const auto& ss : rs.scope_spans) {
      uint32_t sc = internScope(ss.scope, ss.schema_url, ss.has_scope);
      for (const model::Span& s : ss.spans) {
        trace_id.push_back(traceIdFrom(s.trace_id));
        span_id.push_back(spanIdFrom(s.span_id));
        parent_id.push_back(spanIdFrom(s.parent_span_id));
        start_ns.push_back(s.start_time_unix_nano);
        duration_ns.push_back(s.end_time_unix_nano - s.start_time_unix_nano);
        name.push_back(dict.intern(s.name));
        kind.push_back(s.kind);
        status_code.push_back(s.has_status ? s.status_code_raw : 0);
        status_message.push_back(dict.intern(s.status.message));
        has_status.push_back(s.has_status ? 1 : 0);
        flags.push_back(s.flags);
        trace_state.push_back(dict.intern(s.trace_state));
        resource.push_back(res);
        scope.push_back(sc);
        dropped_attrs.push_back(s.dropped_attributes_count);
        dropped_events.push_back(s.dropped_events_count);
        dropped_links.push_back(s.dropped_links_count);
        appendAttrs(attrs, s.attributes);
        attrs_end.push_back(static_cast<uint32_t>(attrs.size()));
        for (const model::SpanEvent& e : s.events) {
          event_time_ns.push_back(e.time_unix_nano);
          event_name.push_back(dict.intern(e.name));
          event_dropped.push_back(e.dropped_attributes_count);
          appendAttrs(event_attrs, e.attributes);
          event_attrs_end.push_back(static_cast<uint32_t>(event_attrs.size()));
        }
        events_end.push_back(static_cast<uint32_t>(event_time_ns.size()));
        for (const model::SpanLink& l : s.links) {
          link_trace_id.push_back(traceIdFrom(l.trace_id));
          link_span_id.push_back(spanIdFrom(l.span_id));
          link_trace_state.push_back(dict.intern(l.trace_state));
          link_flags.push_back(l.flags);
          link_dropped.push_back(l.dropped_attributes_count);
          appendAttrs(link_attrs, l.attributes);
          link_attrs_end.push_back(static_cast<uint32_t>(link_attrs.size()));
        }
        links_end.push_back(static_cast<uint32_t>(link_span_id.size()));
      }
    }
  }
  return rows() - before;
}

namespace {

// Content key of a copied resource or scope row, in this table's ids: equal content from
// different source tables (e.g. the row groups a compaction merges) gets one row.
void appendPoolKey(std::string& key, const AttrPool& pool, uint32_t b, uint32_t e) {
  ByteWriter w(key);
  for (uint32_t k = b; k < e; ++k) {
    w.varint(pool.keys[k]);
    w.u8(static_cast<uint8_t>(pool.types[k]));
    w.u64(pool.values[k]);
  }
}

std::string copiedKey(const ResourceRow& row, const AttrPool& pool) {
  std::string key;
  ByteWriter w(key);
  w.u8(row.present ? 1 : 0);
  w.varint(row.service);
  w.varint(row.schema_url);
  w.varint(row.dropped);
  appendPoolKey(key, pool, row.attrs_begin, row.attrs_end);
  return key;
}

std::string copiedKey(const ScopeRow& row, const AttrPool& pool) {
  std::string key;
  ByteWriter w(key);
  w.u8(row.present ? 1 : 0);
  w.varint(row.name);
  w.varint(row.version);
  w.varint(row.schema_url);
  w.varint(row.dropped);
  appendPoolKey(key, pool, row.attrs_begin, row.attrs_end);
  return key;
}

}  // namespace

template <typename Row>
uint32_t SpanTable::dedupCopied(std::unordered_map<std::string, uint32_t>& seen,
                                std::vector<Row>& rows_out, AttrPool& pool, const Row& row) {
  auto [it, inserted] = seen.emplace(copiedKey(row, pool), static_cast<uint32_t>(rows_out.size()));
  if (inserted) {
    rows_out.push_back(row);
  } else {  // drop the attributes just copied for it
    pool.keys.resize(row.attrs_begin);
    pool.types.resize(row.attrs_begin);
    pool.values.resize(row.attrs_begin);
  }
  return it->second;
}

void SpanTable::appendRows(const SpanTable& other, const std::vector<uint32_t>& rows_in) {
  RowMapper map(other, *this);
  for (uint32_t r : rows_in) appendRow(other, r, map);
}

void SpanTable::appendRow(const SpanTable& o, size_t i, RowMapper& map) {
  uint32_t& res = map.res[o.resource[i]];
  if (res == UINT32_MAX) {
    const ResourceRow& rr = o.resources[o.resource[i]];
    ResourceRow row = rr;
    row.service = map.str(rr.service);
    row.schema_url = map.str(rr.schema_url);
    row.attrs_begin = static_cast<uint32_t>(resource_attrs.size());
    copyAttrs(resource_attrs, map, o.resource_attrs, rr.attrs_begin, rr.attrs_end);
    row.attrs_end = static_cast<uint32_t>(resource_attrs.size());
    res = dedupCopied(copied_resources_, resources, resource_attrs, row);
  }
  uint32_t& sc = map.scope[o.scope[i]];
  if (sc == UINT32_MAX) {
    const ScopeRow& sr = o.scopes[o.scope[i]];
    ScopeRow row = sr;
    row.name = map.str(sr.name);
    row.version = map.str(sr.version);
    row.schema_url = map.str(sr.schema_url);
    row.attrs_begin = static_cast<uint32_t>(scope_attrs.size());
    copyAttrs(scope_attrs, map, o.scope_attrs, sr.attrs_begin, sr.attrs_end);
    row.attrs_end = static_cast<uint32_t>(scope_attrs.size());
    sc = dedupCopied(copied_scopes_, scopes, scope_attrs, row);
  }
  trace_id.push_back(o.trace_id[i]);
  span_id.push_back(o.span_id[i]);
  parent_id.push_back(o.parent_id[i]);
  start_ns.push_back(o.start_ns[i]);
  duration_ns.push_back(o.duration_ns[i]);
  name.push_back(map.str(o.name[i]));
  kind.push_back(o.kind[i]);
  status_code.push_back(o.status_code[i]);
  status_message.push_back(map.str(o.status_message[i]));
  has_status.push_back(o.has_status[i]);
  flags.push_back(o.flags[i]);
  trace_state.push_back(map.str(o.trace_state[i]));
  resource.push_back(res);
  scope.push_back(sc);
  dropped_attrs.push_back(o.dropped_attrs[i]);
  dropped_events.push_back(o.dropped_events[i]);
  dropped_links.push_back(o.dropped_links[i]);
  copyAttrs(attrs, map, o.attrs, o.attrsBegin(i), o.attrs_end[i]);
  attrs_end.push_back(static_cast<uint32_t>(attrs.size()));
  for (uint32_t e = o.eventsBegin(i); e < o.events_end[i]; ++e) {
    event_time_ns.push_back(o.event_time_ns[e]);
    event_name.push_back(map.str(o.event_name[e]));
    event_dropped.push_back(o.event_dropped[e]);
    copyAttrs(event_attrs, map, o.event_attrs, e == 0 ? 0 : o.event_attrs_end[e - 1],
              o.event_attrs_end[e]);
    event_attrs_end.push_back(static_cast<uint32_t>(event_attrs.size()));
  }
  events_end.push_back(static_cast<uint32_t>(event_time_ns.size()));
  for (uint32_t l = o.linksBegin(i); l < o.links_end[i]; ++l) {
    link_trace_id.push_back(o.link_trace_id[l]);
    link_span_id.push_back(o.link_span_id[l]);
    link_trace_state.push_back(map.str(o.link_trace_state[l]));
    link_flags.push_back(o.link_flags[l]);
    link_dropped.push_back(o.link_dropped[l]);
    copyAttrs(link_attrs, map, o.link_attrs, l == 0 ? 0 : o.link_attrs_end[l - 1],
              o.link_attrs_end[l]);
    link_attrs_end.push_back(static_cast<uint32_t>(link_attrs.size()));
  }
  links_end.push_back(static_cast<uint32_t>(link_span_id.size()));
}

SpanTable SpanTable::copyRows(const SpanTable& src, const std::vector<uint32_t>& rows) {
  SpanTable out;
  out.dict = src.dict.copy();
  out.resources = src.resources;
  out.resource_attrs = src.resource_attrs;
  out.scopes = src.scopes;
  out.scope_attrs = src.scope_attrs;
  auto copyPool = [](AttrPool& to, const AttrPool& from, uint32_t b, uint32_t e) {
    to.keys.insert(to.keys.end(), from.keys.begin() + b, from.keys.begin() + e);
    to.types.insert(to.types.end(), from.types.begin() + b, from.types.begin() + e);
    to.values.insert(to.values.end(), from.values.begin() + b, from.values.begin() + e);
  };
  size_t n = rows.size();
  for (auto* v : {&out.span_id, &out.parent_id, &out.start_ns, &out.duration_ns}) v->reserve(n);
  out.trace_id.reserve(n);
  for (uint32_t i : rows) {
    out.trace_id.push_back(src.trace_id[i]);
    out.span_id.push_back(src.span_id[i]);
    out.parent_id.push_back(src.parent_id[i]);
    out.start_ns.push_back(src.start_ns[i]);
    out.duration_ns.push_back(src.duration_ns[i]);
    out.name.push_back(src.name[i]);
    out.kind.push_back(src.kind[i]);
    out.status_code.push_back(src.status_code[i]);
    out.status_message.push_back(src.status_message[i]);
    out.has_status.push_back(src.has_status[i]);
    out.flags.push_back(src.flags[i]);
    out.trace_state.push_back(src.trace_state[i]);
    out.resource.push_back(src.resource[i]);
    out.scope.push_back(src.scope[i]);
    out.dropped_attrs.push_back(src.dropped_attrs[i]);
    out.dropped_events.push_back(src.dropped_events[i]);
    out.dropped_links.push_back(src.dropped_links[i]);
    copyPool(out.attrs, src.attrs, src.attrsBegin(i), src.attrs_end[i]);
    out.attrs_end.push_back(static_cast<uint32_t>(out.attrs.size()));
    for (uint32_t e = src.eventsBegin(i); e < src.events_end[i]; ++e) {
      out.event_time_ns.push_back(src.event_time_ns[e]);
      out.event_name.push_back(src.event_name[e]);
      out.event_dropped.push_back(src.event_dropped[e]);
      copyPool(out.event_attrs, src.event_attrs, e == 0 ? 0 : src.event_attrs_end[e - 1],
               src.event_attrs_end[e]);
      out.event_attrs_end.push_back(static_cast<uint32_t>(out.event_attrs.size()));
    }
    out.events_end.push_back(static_cast<uint32_t>(out.event_time_ns.size()));
    for (uint32_t l = src.linksBegin(i); l < src.links_end[i]; ++l) {
      out.link_trace_id.push_back(src.link_trace_id[l]);
      out.link_span_id.push_back(src.link_span_id[l]);
      out.link_trace_state.push_back(src.link_trace_state[l]);
      out.link_flags.push_back(src.link_flags[l]);
      out.link_dropped.push_back(src.link_dropped[l]);
      copyPool(out.link_attrs, src.link_attrs, l == 0 ? 0 : src.link_attrs_end[l - 1],
               src.link_attrs_end[l]);
      out.link_attrs_end.push_back(static_cast<uint32_t>(out.link_attrs.size()));
    }
    out.links_end.push_back(static_cast<uint32_t>(out.link_span_id.size()));
  }
  return out;
}

// ---- Reading back ----

namespace {

std::string_view spanIdView(uint64_t id, Arena& arena) {
  if (id == 0) return {};
  char buf[8];
  std::memcpy(buf, &id, 8);
  return arena.copy(std::string_view(buf, 8));
}

}  // namespace

void SpanTable::toTraces(const std::vector<uint32_t>& rows_in, model::Traces& out) const {
  Arena& arena = out.arena();
  auto str = [&](uint32_t id) { return arena.copy(dict.get(id)); };
  auto attrsOf = [&](const AttrPool& pool, uint32_t b, uint32_t e) {
    auto kvs = arena.allocArray<model::KeyValue>(e - b);
    for (uint32_t k = b; k < e; ++k) {
      kvs[k - b].key = str(pool.keys[k]);
      uint64_t v = pool.values[k];
      switch (pool.types[k]) {
        case AttrType::kString:
          kvs[k - b].value = AnyValue::string(str(static_cast<uint32_t>(v)));
          break;
        case AttrType::kBool:
          kvs[k - b].value = AnyValue::boolean(v != 0);
          break;
        case AttrType::kInt:
          kvs[k - b].value = AnyValue::integer(static_cast<int64_t>(v));
          break;
        case AttrType::kDouble:
          kvs[k - b].value = AnyValue::dbl(std::bit_cast<double>(v));
          break;
        case AttrType::kBlob:
          kvs[k - b].value = decodeBlob(dict.get(static_cast<uint32_t>(v)), arena);
          break;
        case AttrType::kEmpty:
          kvs[k - b].value = AnyValue::empty();
          break;
        case AttrType::kAbsent:
          kvs[k - b].value = AnyValue();
          break;
      }
    }
    return model::Attributes(kvs);
  };

  // Group rows by (resource, scope), keeping first-seen order.
  std::vector<std::pair<uint64_t, std::vector<uint32_t>>> groups;
  std::unordered_map<uint64_t, size_t> group_index;
  for (uint32_t r : rows_in) {
    uint64_t key = (static_cast<uint64_t>(resource[r]) << 32) | scope[r];
    auto [it, inserted] = group_index.emplace(key, groups.size());
    if (inserted) groups.push_back({key, {}});
    groups[it->second].second.push_back(r);
  }
  // One ResourceSpans per resource, one ScopeSpans per scope within it.
  std::unordered_map<uint32_t, size_t> res_index;
  std::vector<std::vector<size_t>> res_groups;
  std::vector<uint32_t> res_ids;
  for (size_t g = 0; g < groups.size(); ++g) {
    uint32_t res = static_cast<uint32_t>(groups[g].first >> 32);
    auto [it, inserted] = res_index.emplace(res, res_ids.size());
    if (inserted) {
      res_ids.push_back(res);
      res_groups.emplace_back();
    }
    res_groups[it->second].push_back(g);
  }
  for (size_t ri = 0; ri < res_ids.size(); ++ri) {
    const ResourceRow& rr = resources[res_ids[ri]];
    model::ResourceSpans rs;
    rs.has_resource = rr.present;
    rs.schema_url = str(rr.schema_url);
    rs.resource.attributes = attrsOf(resource_attrs, rr.attrs_begin, rr.attrs_end);
    rs.resource.dropped_attributes_count = rr.dropped;
    rs.scope_spans = arena.allocArray<model::ScopeSpans>(res_groups[ri].size());
    for (size_t gi = 0; gi < res_groups[ri].size(); ++gi) {
      const auto& group = groups[res_groups[ri][gi]];
      const ScopeRow& sr = scopes[static_cast<uint32_t>(group.first & 0xffffffff)];
      model::ScopeSpans& ss = rs.scope_spans[gi];
      ss.has_scope = sr.present;
      ss.scope.name = str(sr.name);
      ss.scope.version = str(sr.version);
      ss.scope.attributes = attrsOf(scope_attrs, sr.attrs_begin, sr.attrs_end);
      ss.scope.dropped_attributes_count = sr.dropped;
      ss.schema_url = str(sr.schema_url);
      ss.spans = arena.allocArray<model::Span>(group.second.size());
      for (size_t k = 0; k < group.second.size(); ++k) {
        uint32_t i = group.second[k];
        model::Span& s = ss.spans[k];
        s.trace_id = arena.copy(traceIdBytes(trace_id[i]));
        s.span_id = spanIdView(span_id[i], arena);
        if (s.span_id.empty()) s.span_id = arena.copy(std::string_view("\0\0\0\0\0\0\0\0", 8));
        s.parent_span_id = spanIdView(parent_id[i], arena);
        s.trace_state = str(trace_state[i]);
        s.flags = flags[i];
        s.kind = kind[i];
        s.name = str(name[i]);
        s.start_time_unix_nano = start_ns[i];
        s.end_time_unix_nano = start_ns[i] + duration_ns[i];
        s.attributes = attrsOf(attrs, attrsBegin(i), attrs_end[i]);
        s.dropped_attributes_count = dropped_attrs[i];
        s.dropped_events_count = dropped_events[i];
        s.dropped_links_count = dropped_links[i];
        s.has_status = has_status[i] != 0;
        s.status_code_raw = status_code[i];
        s.status.code = status_code[i] >= 0 && status_code[i] <= 2
                            ? static_cast<model::StatusCode>(status_code[i])
                            : model::StatusCode::kUnset;
        s.status.message = str(status_message[i]);
        uint32_t eb = eventsBegin(i), ee = events_end[i];
        s.events = arena.allocArray<model::SpanEvent>(ee - eb);
        for (uint32_t e = eb; e < ee; ++e) {
          model::SpanEvent& ev = s.events[e - eb];
          ev.time_unix_nano = event_time_ns[e];
          ev.name = str(event_name[e]);
          ev.dropped_attributes_count = event_dropped[e];
          ev.attributes =
              attrsOf(event_attrs, e == 0 ? 0 : event_attrs_end[e - 1], event_attrs_end[e]);
        }
        uint32_t lb = linksBegin(i), le = links_end[i];
        s.links = arena.allocArray<model::SpanLink>(le - lb);
        for (uint32_t l = lb; l < le; ++l) {
          model::SpanLink& ln = s.links[l - lb];
          // An absent link trace id was stored as zeros (valid ids are never all-zero).
          if (link_trace_id[l] != TraceId{})
            ln.trace_id = arena.copy(traceIdBytes(link_trace_id[l]));
          ln.span_id = spanIdView(link_span_id[l], arena);
          ln.trace_state = str(link_trace_state[l]);
          ln.flags = link_flags[l];
          ln.dropped_attributes_count = link_dropped[l];
          ln.attributes =
              attrsOf(link_attrs, l == 0 ? 0 : link_attrs_end[l - 1], link_attrs_end[l]);
        }
      }
    }
    out.resources().push_back(rs);
  }
}

std::string SpanTable::valueText(AttrType type, uint64_t bits) const {
  switch (type) {
    case AttrType::kString:
      return std::string(dict.get(static_cast<uint32_t>(bits)));
    case AttrType::kBool:
      return bits != 0 ? "true" : "false";
    case AttrType::kInt:
      return std::to_string(static_cast<int64_t>(bits));
    case AttrType::kDouble: {
      char buf[32];
      auto r = std::to_chars(buf, buf + sizeof buf, std::bit_cast<double>(bits));
      return std::string(buf, r.ptr);
    }
    default:
      return {};
  }
}

namespace {

bool poolHas(const SpanTable& t, const AttrPool& pool, uint32_t b, uint32_t e, uint32_t key,
             std::string_view text) {
  for (uint32_t k = b; k < e; ++k) {
    if (pool.keys[k] != key) continue;
    AttrType type = pool.types[k];
    if (type == AttrType::kString) {
      if (t.dict.get(static_cast<uint32_t>(pool.values[k])) == text) return true;
    } else if (type == AttrType::kBool || type == AttrType::kInt || type == AttrType::kDouble) {
      if (t.valueText(type, pool.values[k]) == text) return true;
    }
  }
  return false;
}

}  // namespace

bool SpanTable::hasTag(size_t row, uint32_t key, std::string_view text) const {
  if (poolHas(*this, attrs, attrsBegin(row), attrs_end[row], key, text)) return true;
  const ResourceRow& rr = resources[resource[row]];
  return poolHas(*this, resource_attrs, rr.attrs_begin, rr.attrs_end, key, text);
}

}  // namespace periscope::storage
