#include "components/processors/internal/ottl/paths.h"

#include <array>
#include <utility>

#include "model/any_value_copy.h"
#include "model/attribute_edit.h"

namespace periscope::ottl {
namespace {

using Segments = std::vector<PathSegment>;

struct Access {
  PathExpr::Getter get;
  PathExpr::Setter set;
  PathExpr::MapRef map;
};

enum class Entity { kResource, kScope, kSpan, kSpanEvent, kMetric, kDataPoint, kLog };

// Setters ignore values of the wrong type, as the collector's OTTL setters do.
template <typename E, typename Loc>
Access stringField(Loc loc, std::string_view E::*m, bool writable) {
  Access a;
  a.get = [loc, m](EvalContext& c, Val& out) {
    out = Val::string(loc(c)->*m);
    return true;
  };
  if (writable) {
    a.set = [loc, m](EvalContext& c, const Val& v) {
      if (v.type == Val::Type::kString) loc(c)->*m = c.arena->copy(v.s);
      return true;
    };
  }
  return a;
}

template <typename E, typename M, typename Loc>
Access intField(Loc loc, M E::*m, bool writable) {
  Access a;
  a.get = [loc, m](EvalContext& c, Val& out) {
    out = Val::integer(static_cast<int64_t>(loc(c)->*m));
    return true;
  };
  if (writable) {
    a.set = [loc, m](EvalContext& c, const Val& v) {
      if (v.type == Val::Type::kInt) loc(c)->*m = static_cast<M>(v.i);
      return true;
    };
  }
  return a;
}

// trace_id / span_id: raw bytes, or `.string` as lower-case hex (written to the arena).
template <typename E, typename Loc>
Access idField(Loc loc, std::string_view E::*m, bool as_string) {
  Access a;
  if (!as_string) {
    a.get = [loc, m](EvalContext& c, Val& out) {
      out = Val::bytes(loc(c)->*m);
      return true;
    };
    return a;
  }
  a.get = [loc, m](EvalContext& c, Val& out) {
    std::string_view id = loc(c)->*m;
    static constexpr char kHex[] = "0123456789abcdef";
    std::span<char> buf = c.arena->allocArray<char>(id.size() * 2);
    for (size_t k = 0; k < id.size(); ++k) {
      auto byte = static_cast<unsigned char>(id[k]);
      buf[2 * k] = kHex[byte >> 4];
      buf[2 * k + 1] = kHex[byte & 15];
    }
    out = Val::string({buf.data(), buf.size()});
    return true;
  };
  return a;
}

// `attributes`, `attributes["k"]`, `attributes["k"]["nested"]`, `attributes["list"][0]`.
template <typename Loc>
bool attributesField(Loc loc, const Segments& segs, size_t i, Access& a, std::string& err) {
  if (i == segs.size()) {
    a.get = [loc](EvalContext& c, Val& out) {
      Val v;
      v.type = Val::Type::kMap;
      v.map = *loc(c);
      out = v;
      return true;
    };
    a.map = [loc](EvalContext& c) { return loc(c); };
    return true;
  }
  if (!segs[i].key) {
    err = "attributes are indexed by a string key, e.g. attributes[\"http.method\"]";
    return false;
  }
  std::string key = *segs[i].key;
  if (i + 1 == segs.size()) {
    a.get = [loc, key](EvalContext& c, Val& out) {
      const model::AnyValue* v = model::findAttribute(*loc(c), key);
      out = v ? Val::fromAny(*v) : Val::nil();
      return true;
    };
    a.set = [loc, key](EvalContext& c, const Val& v) {
      if (v.type != Val::Type::kNil) {
        model::setAttribute(*c.arena, *loc(c), key, v.toAny(), model::SetMode::kUpsert);
      }
      return true;
    };
    return true;
  }
  // Nested reads into maps and lists (read-only in this subset).
  std::vector<PathSegment> rest(segs.begin() + static_cast<std::ptrdiff_t>(i) + 1, segs.end());
  for (const PathSegment& s : rest) {
    if (!s.key && !s.index) {
      err = "unexpected \"." + s.name + "\" after an index";
      return false;
    }
  }
  a.get = [loc, key, rest](EvalContext& c, Val& out) {
    const model::AnyValue* v = model::findAttribute(*loc(c), key);
    for (const PathSegment& s : rest) {
      if (v == nullptr) break;
      if (s.key) {
        v = v->type() == model::AnyValue::Type::kKvList
                ? model::findAttribute(v->kvlistValues(), *s.key)
                : nullptr;
      } else {
        auto items = v->arrayValues();
        v = v->type() == model::AnyValue::Type::kArray && *s.index >= 0 &&
                    static_cast<size_t>(*s.index) < items.size()
                ? &items[static_cast<size_t>(*s.index)]
                : nullptr;
      }
    }
    out = v ? Val::fromAny(*v) : Val::nil();
    return true;
  };
  return true;
}

bool isName(const Segments& segs, size_t i, const char* name) {
  return i < segs.size() && !segs[i].key && !segs[i].index && segs[i].name == name;
}
bool last(const Segments& segs, size_t i) {
  return i + 1 == segs.size();
}

bool resourceFields(const Segments& segs, size_t i, Access& a, std::string& err) {
  auto loc = [](EvalContext& c) { return c.resource; };
  if (isName(segs, i, "attributes")) {
    return attributesField([](EvalContext& c) { return &c.resource->attributes; }, segs, i + 1, a,
                           err);
  }
  if (isName(segs, i, "dropped_attributes_count") && last(segs, i)) {
    a = intField(loc, &model::Resource::dropped_attributes_count, false);
    return true;
  }
  return false;
}

bool scopeFields(const Segments& segs, size_t i, Access& a, std::string& err) {
  auto loc = [](EvalContext& c) { return c.scope; };
  if (isName(segs, i, "attributes")) {
    return attributesField([](EvalContext& c) { return &c.scope->attributes; }, segs, i + 1, a,
                           err);
  }
  if (!last(segs, i)) return false;
  if (isName(segs, i, "name")) {
    a = stringField(loc, &model::InstrumentationScope::name, true);
  } else if (isName(segs, i, "version")) {
    a = stringField(loc, &model::InstrumentationScope::version, true);
  } else if (isName(segs, i, "dropped_attributes_count")) {
    a = intField(loc, &model::InstrumentationScope::dropped_attributes_count, false);
  } else {
    return false;
  }
  return true;
}

bool spanFields(const Segments& segs, size_t i, Access& a, std::string& err) {
  auto loc = [](EvalContext& c) { return c.span; };
  using model::Span;
  if (isName(segs, i, "attributes")) {
    return attributesField([](EvalContext& c) { return &c.span->attributes; }, segs, i + 1, a, err);
  }
  for (auto [name, member] : std::array<std::pair<const char*, std::string_view Span::*>, 3>{
           {{"trace_id", &Span::trace_id},
            {"span_id", &Span::span_id},
            {"parent_span_id", &Span::parent_span_id}}}) {
    if (!isName(segs, i, name)) continue;
    if (last(segs, i)) {
      a = idField(loc, member, false);
      return true;
    }
    if (isName(segs, i + 1, "string") && last(segs, i + 1)) {
      a = idField(loc, member, true);
      return true;
    }
    return false;
  }
  if (isName(segs, i, "status") && i + 2 == segs.size()) {
    if (isName(segs, i + 1, "code")) {
      a.get = [](EvalContext& c, Val& out) {
        out = Val::integer(c.span->status_code_raw);
        return true;
      };
      a.set = [](EvalContext& c, const Val& v) {
        if (v.type != Val::Type::kInt) return true;
        c.span->has_status = true;
        c.span->status_code_raw = static_cast<int32_t>(v.i);
        c.span->status.code = static_cast<model::StatusCode>(v.i >= 0 && v.i <= 2 ? v.i : 0);
        return true;
      };
      return true;
    }
    if (isName(segs, i + 1, "message")) {
      a.get = [](EvalContext& c, Val& out) {
        out = Val::string(c.span->status.message);
        return true;
      };
      a.set = [](EvalContext& c, const Val& v) {
        if (v.type != Val::Type::kString) return true;
        c.span->has_status = true;
        c.span->status.message = c.arena->copy(v.s);
        return true;
      };
      return true;
    }
    return false;
  }
  if (!last(segs, i)) return false;
  if (isName(segs, i, "name")) {
    a = stringField(loc, &Span::name, true);
  } else if (isName(segs, i, "trace_state")) {
    a = stringField(loc, &Span::trace_state, true);
  } else if (isName(segs, i, "kind")) {
    a = intField(loc, &Span::kind, true);
  } else if (isName(segs, i, "start_time_unix_nano")) {
    a = intField(loc, &Span::start_time_unix_nano, true);
  } else if (isName(segs, i, "end_time_unix_nano")) {
    a = intField(loc, &Span::end_time_unix_nano, true);
  } else if (isName(segs, i, "dropped_attributes_count")) {
    a = intField(loc, &Span::dropped_attributes_count, false);
  } else if (isName(segs, i, "flags")) {
    a = intField(loc, &Span::flags, false);
  } else {
    return false;
  }
  return true;
}

bool spanEventFields(const Segments& segs, size_t i, Access& a, std::string& err) {
  auto loc = [](EvalContext& c) { return c.event; };
  using model::SpanEvent;
  if (isName(segs, i, "attributes")) {
    return attributesField([](EvalContext& c) { return &c.event->attributes; }, segs, i + 1, a,
                           err);
  }
  if (!last(segs, i)) return false;
  if (isName(segs, i, "name")) {
    a = stringField(loc, &SpanEvent::name, true);
  } else if (isName(segs, i, "time_unix_nano")) {
    a = intField(loc, &SpanEvent::time_unix_nano, true);
  } else if (isName(segs, i, "dropped_attributes_count")) {
    a = intField(loc, &SpanEvent::dropped_attributes_count, false);
  } else {
    return false;
  }
  return true;
}

bool metricFields(const Segments& segs, size_t i, Access& a, std::string&) {
  auto loc = [](EvalContext& c) { return c.metric; };
  using model::Metric;
  if (!last(segs, i)) return false;
  if (isName(segs, i, "name")) {
    a = stringField(loc, &Metric::name, true);
  } else if (isName(segs, i, "description")) {
    a = stringField(loc, &Metric::description, true);
  } else if (isName(segs, i, "unit")) {
    a = stringField(loc, &Metric::unit, true);
  } else if (isName(segs, i, "type")) {
    a.get = [](EvalContext& c, Val& out) {
      out = Val::integer(static_cast<int64_t>(c.metric->type));
      return true;
    };
  } else if (isName(segs, i, "aggregation_temporality")) {
    a = intField(loc, &Metric::aggregation_temporality, false);
  } else if (isName(segs, i, "is_monotonic")) {
    a.get = [](EvalContext& c, Val& out) {
      out = Val::boolean(c.metric->is_monotonic);
      return true;
    };
  } else {
    return false;
  }
  return true;
}

bool dataPointFields(const Segments& segs, size_t i, Access& a, std::string& err) {
  if (isName(segs, i, "attributes")) {
    return attributesField([](EvalContext& c) { return c.point.attributes; }, segs, i + 1, a, err);
  }
  if (!last(segs, i)) return false;
  auto time = [&](uint64_t* DataPointRef::*m) {
    a.get = [m](EvalContext& c, Val& out) {
      out = Val::integer(static_cast<int64_t>(*(c.point.*m)));
      return true;
    };
    a.set = [m](EvalContext& c, const Val& v) {
      if (v.type == Val::Type::kInt) *(c.point.*m) = static_cast<uint64_t>(v.i);
      return true;
    };
  };
  if (isName(segs, i, "start_time_unix_nano")) {
    time(&DataPointRef::start_time_unix_nano);
  } else if (isName(segs, i, "time_unix_nano")) {
    time(&DataPointRef::time_unix_nano);
  } else if (isName(segs, i, "value_int")) {
    a.get = [](EvalContext& c, Val& out) {
      const model::NumberDataPoint* p = c.point.number;
      out = p && p->value_type == model::NumberValue::kInt ? Val::integer(p->as_int) : Val::nil();
      return true;
    };
    a.set = [](EvalContext& c, const Val& v) {
      if (c.point.number && v.type == Val::Type::kInt) {
        c.point.number->value_type = model::NumberValue::kInt;
        c.point.number->as_int = v.i;
      }
      return true;
    };
  } else if (isName(segs, i, "value_double")) {
    a.get = [](EvalContext& c, Val& out) {
      const model::NumberDataPoint* p = c.point.number;
      out = p && p->value_type == model::NumberValue::kDouble ? Val::dbl(p->as_double) : Val::nil();
      return true;
    };
    a.set = [](EvalContext& c, const Val& v) {
      if (c.point.number && v.type == Val::Type::kDouble) {
        c.point.number->value_type = model::NumberValue::kDouble;
        c.point.number->as_double = v.d;
      }
      return true;
    };
  } else if (isName(segs, i, "count")) {
    a.get = [](EvalContext& c, Val& out) {
      out = c.point.count ? Val::integer(static_cast<int64_t>(*c.point.count)) : Val::nil();
      return true;
    };
  } else if (isName(segs, i, "sum")) {
    a.get = [](EvalContext& c, Val& out) {
      out = c.point.sum ? Val::dbl(*c.point.sum) : Val::nil();
      return true;
    };
  } else {
    return false;
  }
  return true;
}

bool logFields(const Segments& segs, size_t i, Access& a, std::string& err) {
  auto loc = [](EvalContext& c) { return c.log; };
  using model::LogRecord;
  if (isName(segs, i, "attributes")) {
    return attributesField([](EvalContext& c) { return &c.log->attributes; }, segs, i + 1, a, err);
  }
  for (auto [name, member] : std::array<std::pair<const char*, std::string_view LogRecord::*>, 2>{
           {{"trace_id", &LogRecord::trace_id}, {"span_id", &LogRecord::span_id}}}) {
    if (!isName(segs, i, name)) continue;
    if (last(segs, i)) {
      a = idField(loc, member, false);
      return true;
    }
    if (isName(segs, i + 1, "string") && last(segs, i + 1)) {
      a = idField(loc, member, true);
      return true;
    }
    return false;
  }
  if (isName(segs, i, "body")) {
    if (last(segs, i)) {
      a.get = [](EvalContext& c, Val& out) {
        out = Val::fromAny(c.log->body);
        return true;
      };
      a.set = [](EvalContext& c, const Val& v) {
        if (v.type != Val::Type::kNil) c.log->body = model::copyValue(*c.arena, v.toAny());
        return true;
      };
      return true;
    }
    if (isName(segs, i + 1, "string") && last(segs, i + 1)) {
      // Only string bodies have a string form in this subset; others read as nil.
      a.get = [](EvalContext& c, Val& out) {
        out = c.log->body.type() == model::AnyValue::Type::kString ? Val::string(c.log->body.str())
                                                                   : Val::nil();
        return true;
      };
      return true;
    }
    return false;
  }
  if (!last(segs, i)) return false;
  if (isName(segs, i, "severity_number")) {
    a = intField(loc, &LogRecord::severity_number, true);
  } else if (isName(segs, i, "severity_text")) {
    a = stringField(loc, &LogRecord::severity_text, true);
  } else if (isName(segs, i, "event_name")) {
    a = stringField(loc, &LogRecord::event_name, true);
  } else if (isName(segs, i, "time_unix_nano")) {
    a = intField(loc, &LogRecord::time_unix_nano, true);
  } else if (isName(segs, i, "observed_time_unix_nano")) {
    a = intField(loc, &LogRecord::observed_time_unix_nano, true);
  } else if (isName(segs, i, "flags")) {
    a = intField(loc, &LogRecord::flags, false);
  } else if (isName(segs, i, "dropped_attributes_count")) {
    a = intField(loc, &LogRecord::dropped_attributes_count, false);
  } else {
    return false;
  }
  return true;
}

Entity ownEntity(ContextKind k) {
  switch (k) {
    case ContextKind::kResource:
      return Entity::kResource;
    case ContextKind::kScope:
      return Entity::kScope;
    case ContextKind::kSpan:
      return Entity::kSpan;
    case ContextKind::kSpanEvent:
      return Entity::kSpanEvent;
    case ContextKind::kMetric:
      return Entity::kMetric;
    case ContextKind::kDataPoint:
      return Entity::kDataPoint;
    case ContextKind::kLog:
      return Entity::kLog;
  }
  return Entity::kResource;
}

// The first segment may name the context itself (`span.name` in span) or a parent
// (`resource.`, `instrumentation_scope.`, `span.` in spanevent, `metric.` in datapoint).
size_t entityOf(ContextKind k, const Segments& segs, Entity& e) {
  const std::string& first = segs[0].name;
  bool named = !segs[0].key && !segs[0].index;
  auto in = [&](std::initializer_list<ContextKind> ks) {
    for (ContextKind x : ks) {
      if (x == k) return true;
    }
    return false;
  };
  using CK = ContextKind;
  if (named && segs.size() > 1) {
    if (first == "resource") {
      e = Entity::kResource;
      return 1;
    }
    if ((first == "instrumentation_scope" || first == "scope") && k != CK::kResource) {
      e = Entity::kScope;
      return 1;
    }
    if (first == "span" && in({CK::kSpan, CK::kSpanEvent})) {
      e = Entity::kSpan;
      return 1;
    }
    if (first == "spanevent" && k == CK::kSpanEvent) {
      e = Entity::kSpanEvent;
      return 1;
    }
    if (first == "metric" && in({CK::kMetric, CK::kDataPoint})) {
      e = Entity::kMetric;
      return 1;
    }
    if (first == "datapoint" && k == CK::kDataPoint) {
      e = Entity::kDataPoint;
      return 1;
    }
    if (first == "log" && k == CK::kLog) {
      e = Entity::kLog;
      return 1;
    }
  }
  e = ownEntity(k);
  return 0;
}

}  // namespace

bool compilePath(ContextKind context, const Node& path, std::unique_ptr<PathExpr>& out,
                 SyntaxError& error) {
  const Segments& segs = path.path;
  Entity entity;
  size_t i = entityOf(context, segs, entity);
  Access a;
  std::string err;
  bool ok = false;
  switch (entity) {
    case Entity::kResource:
      ok = resourceFields(segs, i, a, err);
      break;
    case Entity::kScope:
      ok = scopeFields(segs, i, a, err);
      break;
    case Entity::kSpan:
      ok = spanFields(segs, i, a, err);
      break;
    case Entity::kSpanEvent:
      ok = spanEventFields(segs, i, a, err);
      break;
    case Entity::kMetric:
      ok = metricFields(segs, i, a, err);
      break;
    case Entity::kDataPoint:
      ok = dataPointFields(segs, i, a, err);
      break;
    case Entity::kLog:
      ok = logFields(segs, i, a, err);
      break;
  }
  if (!ok) {
    error = {path.offset, err.empty()
                              ? "unknown path " + path.print() + " in context " + toString(context)
                              : err};
    return false;
  }
  out = std::make_unique<PathExpr>(path.offset, path.print(), std::move(a.get), std::move(a.set),
                                   std::move(a.map));
  return true;
}

bool lookupEnum(std::string_view name, int64_t& value) {
  struct Entry {
    std::string_view name;
    int64_t value;
  };
  static constexpr Entry kEnums[] = {
      {"SPAN_KIND_UNSPECIFIED", 0},
      {"SPAN_KIND_INTERNAL", 1},
      {"SPAN_KIND_SERVER", 2},
      {"SPAN_KIND_CLIENT", 3},
      {"SPAN_KIND_PRODUCER", 4},
      {"SPAN_KIND_CONSUMER", 5},
      {"STATUS_CODE_UNSET", 0},
      {"STATUS_CODE_OK", 1},
      {"STATUS_CODE_ERROR", 2},
      {"METRIC_DATA_TYPE_NONE", 0},
      {"METRIC_DATA_TYPE_GAUGE", 1},
      {"METRIC_DATA_TYPE_SUM", 2},
      {"METRIC_DATA_TYPE_HISTOGRAM", 3},
      {"METRIC_DATA_TYPE_EXPONENTIAL_HISTOGRAM", 4},
      {"METRIC_DATA_TYPE_SUMMARY", 5},
      {"AGGREGATION_TEMPORALITY_UNSPECIFIED", 0},
      {"AGGREGATION_TEMPORALITY_DELTA", 1},
      {"AGGREGATION_TEMPORALITY_CUMULATIVE", 2},
      {"SEVERITY_NUMBER_UNSPECIFIED", 0},
  };
  for (const Entry& e : kEnums) {
    if (e.name == name) {
      value = e.value;
      return true;
    }
  }
  // SEVERITY_NUMBER_TRACE..FATAL, each with variants 2..4 (TRACE=1, TRACE2=2, ... FATAL4=24).
  static constexpr std::string_view kPrefix = "SEVERITY_NUMBER_";
  static constexpr std::string_view kLevels[] = {"TRACE", "DEBUG", "INFO",
                                                 "WARN",  "ERROR", "FATAL"};
  if (name.substr(0, kPrefix.size()) != kPrefix) return false;
  std::string_view rest = name.substr(kPrefix.size());
  for (size_t l = 0; l < std::size(kLevels); ++l) {
    if (rest.substr(0, kLevels[l].size()) != kLevels[l]) continue;
    std::string_view variant = rest.substr(kLevels[l].size());
    int64_t base = static_cast<int64_t>(l) * 4 + 1;
    if (variant.empty()) {
      value = base;
      return true;
    }
    if (variant.size() == 1 && variant[0] >= '2' && variant[0] <= '4') {
      value = base + (variant[0] - '1');
      return true;
    }
  }
  return false;
}

}  // namespace periscope::ottl
