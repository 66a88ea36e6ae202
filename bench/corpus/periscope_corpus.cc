// periscope_corpus: writes the fixed benchmark corpus (see bench/corpus/README.md).
//   periscope_corpus --spans N [--profile standard|fat] [--out FILE|-] [--jsoneachrow]
//                    [--seed S] [--base-time UNIX_NS] [--rate SPANS_PER_S]
// Default output: OTLP ExportTraceServiceRequest records of 512 spans, each preceded by its
// 4-byte big-endian length (the file exporter's `format: proto`). --jsoneachrow: one ClickHouse
// JSONEachRow line per span for the spans_in table of bench/clickhouse/schema.sql.
// Same flags → byte-identical output: request i is loadgen::corpusRequest(i, ...) — the same
// function bench/store and bench/micro use — so the corpus reads like a service sending
// `rate` spans/s, and every benchmark measures the same spans.
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "app/loadgen/workload.h"
#include "model/otlp/proto_encoder.h"

namespace {

using periscope::model::AnyValue;
using periscope::model::KeyValue;
namespace loadgen = periscope::app::loadgen;

constexpr int kSpansPerRequest = loadgen::kCorpusSpansPerRequest;
constexpr uint64_t kDefaultBase = loadgen::kCorpusBaseUnixNano;  // 2026-01-01T00:00:00Z

void usage(FILE* f) {
  std::fputs(
      "usage: periscope_corpus --spans N [--profile standard|fat] [--out FILE|-] [--jsoneachrow]\n"
      "                        [--seed S] [--base-time UNIX_NS] [--rate SPANS_PER_S]\n"
      "  --spans N          spans to write (required)\n"
      "  --profile P        standard (~450 B/span OTLP) or fat (~1.8 KB/span); default standard\n"
      "  --out FILE         output file; - or absent: stdout\n"
      "  --jsoneachrow      one ClickHouse JSONEachRow line per span instead of OTLP protobuf\n"
      "  --seed S           default 1\n"
      "  --base-time NS     start of the corpus, Unix ns; default 1767225600000000000 "
      "(2026-01-01)\n"
      "  --rate R           spans per second the corpus simulates (spacing of requests); "
      "default 2000\n",
      f);
}

void hexTo(std::string& out, std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
}

// JSON string literal (with quotes), by nlohmann-json: invalid UTF-8 becomes U+FFFD.
void quoteTo(std::string& out, std::string_view s) {
  out +=
      nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

template <typename T>
void numberTo(std::string& out, T v) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

// An attribute value as the text stored in a String column (what the OpenTelemetry ClickHouse
// exporter stores in its Map(String, String)): strings as they are, numbers in shortest form,
// arrays and key-value lists as JSON, bytes as hex.
void valueText(std::string& out, const AnyValue& v);
void valueJson(std::string& out, const AnyValue& v) {
  switch (v.type()) {
    case AnyValue::Type::kString:
      quoteTo(out, v.str());
      break;
    case AnyValue::Type::kBytes: {
      std::string h;
      hexTo(h, v.str());
      quoteTo(out, h);
      break;
    }
    case AnyValue::Type::kArray:
    case AnyValue::Type::kKvList:
    case AnyValue::Type::kBool:
    case AnyValue::Type::kInt:
    case AnyValue::Type::kDouble:
      valueText(out, v);
      break;
    default:
      out += "null";
  }
}
void valueText(std::string& out, const AnyValue& v) {
  switch (v.type()) {
    case AnyValue::Type::kString:
      out += v.str();
      break;
    case AnyValue::Type::kBytes:
      hexTo(out, v.str());
      break;
    case AnyValue::Type::kBool:
      out += v.boolValue() ? "true" : "false";
      break;
    case AnyValue::Type::kInt:
      numberTo(out, v.intValue());
      break;
    case AnyValue::Type::kDouble:
      numberTo(out, v.doubleValue());
      break;
    case AnyValue::Type::kArray: {
      out += '[';
      bool first = true;
      for (const AnyValue& e : v.arrayValues()) {
        if (!first) out += ',';
        first = false;
        valueJson(out, e);
      }
      out += ']';
      break;
    }
    case AnyValue::Type::kKvList: {
      out += '{';
      bool first = true;
      for (const KeyValue& kv : v.kvlistValues()) {
        if (!first) out += ',';
        first = false;
        quoteTo(out, kv.key);
        out += ':';
        valueJson(out, kv.value);
      }
      out += '}';
      break;
    }
    default:
      break;
  }
}

// "Name.key":[...],"Name.value":[...]
void attributesTo(std::string& out, std::string_view name, periscope::model::Attributes attrs) {
  out += '"';
  out += name;
  out += ".key\":[";
  for (size_t i = 0; i < attrs.size(); ++i) {
    if (i) out += ',';
    quoteTo(out, attrs[i].key);
  }
  out += "],\"";
  out += name;
  out += ".value\":[";
  std::string text;
  for (size_t i = 0; i < attrs.size(); ++i) {
    if (i) out += ',';
    text.clear();
    valueText(text, attrs[i].value);
    quoteTo(out, text);
  }
  out += ']';
}

// A nested-array column: "Name":[[k1,k2],[k3]] from one attribute list per element.
template <typename Range, typename Get>
void nestedKeysTo(std::string& out, std::string_view name, const Range& items, Get attrs,
                  bool values) {
  out += '"';
  out += name;
  out += "\":[";
  std::string text;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += '[';
    auto list = attrs(items[i]);
    for (size_t j = 0; j < list.size(); ++j) {
      if (j) out += ',';
      if (values) {
        text.clear();
        valueText(text, list[j].value);
        quoteTo(out, text);
      } else {
        quoteTo(out, list[j].key);
      }
    }
    out += ']';
  }
  out += ']';
}

const char* kindName(int32_t kind) {
  static constexpr const char* kNames[] = {"Unspecified", "Internal", "Server",
                                           "Client",      "Producer", "Consumer"};
  return kind >= 0 && kind < 6 ? kNames[kind] : "Unspecified";
}

const char* statusName(const periscope::model::Span& s) {
  if (!s.has_status) return "Unset";
  switch (s.status.code) {
    case periscope::model::StatusCode::kOk:
      return "Ok";
    case periscope::model::StatusCode::kError:
      return "Error";
    default:
      return "Unset";
  }
}

void jsonRows(const periscope::model::Traces& batch, std::string& out) {
  for (const auto& rs : batch.resources()) {
    std::string_view service;
    if (const AnyValue* v = periscope::model::findAttribute(rs.resource.attributes, "service.name"))
      service = v->str();
    for (const auto& ss : rs.scope_spans) {
      for (const auto& s : ss.spans) {
        out += "{\"TraceId\":\"";
        hexTo(out, s.trace_id);
        out += "\",\"SpanId\":\"";
        hexTo(out, s.span_id);
        out += "\",\"ParentSpanId\":\"";
        hexTo(out, s.parent_span_id);
        out += "\",\"TraceState\":";
        quoteTo(out, s.trace_state);
        out += ",\"ServiceName\":";
        quoteTo(out, service);
        out += ",\"SpanName\":";
        quoteTo(out, s.name);
        out += ",\"SpanKind\":\"";
        out += kindName(s.kind);
        out += "\",\"StartTimeUnixNano\":";
        numberTo(out, s.start_time_unix_nano);
        out += ",\"Duration\":";
        numberTo(out, s.end_time_unix_nano >= s.start_time_unix_nano
                          ? s.end_time_unix_nano - s.start_time_unix_nano
                          : 0);
        out += ",\"StatusCode\":\"";
        out += statusName(s);
        out += "\",\"StatusMessage\":";
        quoteTo(out, s.status.message);
        out += ",\"ScopeName\":";
        quoteTo(out, ss.scope.name);
        out += ",\"ScopeVersion\":";
        quoteTo(out, ss.scope.version);
        out += ',';
        attributesTo(out, "ResourceAttributes", rs.resource.attributes);
        out += ',';
        attributesTo(out, "SpanAttributes", s.attributes);
        out += ",\"Events.Timestamp\":[";
        for (size_t i = 0; i < s.events.size(); ++i) {
          if (i) out += ',';
          numberTo(out, s.events[i].time_unix_nano);
        }
        out += "],\"Events.Name\":[";
        for (size_t i = 0; i < s.events.size(); ++i) {
          if (i) out += ',';
          quoteTo(out, s.events[i].name);
        }
        out += "],";
        auto event_attrs = [](const periscope::model::SpanEvent& e) { return e.attributes; };
        nestedKeysTo(out, "Events.AttributeKeys", s.events, event_attrs, false);
        out += ',';
        nestedKeysTo(out, "Events.AttributeValues", s.events, event_attrs, true);
        out += ",\"Links.TraceId\":[";
        for (size_t i = 0; i < s.links.size(); ++i) {
          if (i) out += ',';
          out += '"';
          hexTo(out, s.links[i].trace_id);
          out += '"';
        }
        out += "],\"Links.SpanId\":[";
        for (size_t i = 0; i < s.links.size(); ++i) {
          if (i) out += ',';
          out += '"';
          hexTo(out, s.links[i].span_id);
          out += '"';
        }
        out += "],\"Links.TraceState\":[";
        for (size_t i = 0; i < s.links.size(); ++i) {
          if (i) out += ',';
          quoteTo(out, s.links[i].trace_state);
        }
        out += "],";
        auto link_attrs = [](const periscope::model::SpanLink& l) { return l.attributes; };
        nestedKeysTo(out, "Links.AttributeKeys", s.links, link_attrs, false);
        out += ',';
        nestedKeysTo(out, "Links.AttributeValues", s.links, link_attrs, true);
        out += "}\n";
      }
    }
  }
}

template <typename T>
bool parseNumber(const char* s, T& out) {
  const char* end = s + std::strlen(s);
  auto r = std::from_chars(s, end, out);
  return r.ec == std::errc() && r.ptr == end;
}

}  // namespace

int main(int argc, char** argv) {
  int64_t spans = -1;
  uint64_t seed = 1;
  uint64_t base = kDefaultBase;
  double rate = 2000;
  loadgen::Profile profile = loadgen::Profile::kStandard;
  std::string out_path = "-";
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "periscope_corpus: %s needs a value\n", argv[i]);
        std::exit(2);
      }
      return argv[++i];
    };
    bool ok = true;
    if (a == "--spans") {
      ok = parseNumber(value(), spans) && spans >= 0;
    } else if (a == "--seed") {
      ok = parseNumber(value(), seed);
    } else if (a == "--base-time") {
      ok = parseNumber(value(), base) && base > 0;
    } else if (a == "--rate") {
      ok = parseNumber(value(), rate) && rate > 0;
    } else if (a == "--profile") {
      ok = loadgen::parseProfile(value(), profile);
    } else if (a == "--out") {
      out_path = value();
    } else if (a == "--jsoneachrow") {
      json = true;
    } else if (a == "-h" || a == "--help") {
      usage(stdout);
      return 0;
    } else {
      std::fprintf(stderr, "periscope_corpus: unknown argument %s\n", argv[i]);
      usage(stderr);
      return 2;
    }
    if (!ok) {
      std::fprintf(stderr, "periscope_corpus: bad value for %s: %s\n", argv[i - 1], argv[i]);
      return 2;
    }
  }
  if (spans < 0) {
    usage(stderr);
    return 2;
  }
  FILE* f = out_path == "-" ? stdout : std::fopen(out_path.c_str(), "wb");
  if (f == nullptr) {
    std::fprintf(stderr, "periscope_corpus: cannot open %s: %s\n", out_path.c_str(),
                 std::strerror(errno));
    return 1;
  }
  static char buffer[1 << 20];
  std::setvbuf(f, buffer, _IOFBF, sizeof buffer);

  const auto t0 = std::chrono::steady_clock::now();
  uint64_t written = 0, requests = 0, otlp_bytes = 0;
  std::string body;
  std::string rows;
  for (int64_t done = 0; done < spans; done += kSpansPerRequest, ++requests) {
    int n = static_cast<int>(std::min<int64_t>(kSpansPerRequest, spans - done));
    auto batch = loadgen::corpusRequest(requests, n, profile, rate, seed, base);
    body.clear();
    periscope::model::otlp::encode(batch, body);
    otlp_bytes += body.size();
    if (json) {
      rows.clear();
      jsonRows(batch, rows);
      std::fwrite(rows.data(), 1, rows.size(), f);
      written += rows.size();
    } else {
      uint32_t len = static_cast<uint32_t>(body.size());
      unsigned char prefix[4] = {
          static_cast<unsigned char>(len >> 24), static_cast<unsigned char>(len >> 16),
          static_cast<unsigned char>(len >> 8), static_cast<unsigned char>(len)};
      std::fwrite(prefix, 1, 4, f);
      std::fwrite(body.data(), 1, body.size(), f);
      written += 4 + body.size();
    }
    if (std::ferror(f)) break;
  }
  if (std::fflush(f) != 0 || std::ferror(f) || (f != stdout && std::fclose(f) != 0)) {
    std::fprintf(stderr, "periscope_corpus: write to %s failed: %s\n", out_path.c_str(),
                 std::strerror(errno));
    return 1;
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::fprintf(stderr,
               "periscope_corpus: profile=%s spans=%lld requests=%llu otlp_bytes=%llu "
               "otlp_bytes_per_span=%.1f written_bytes=%llu seconds=%.1f\n",
               std::string(loadgen::profileName(profile)).c_str(), static_cast<long long>(spans),
               static_cast<unsigned long long>(requests),
               static_cast<unsigned long long>(otlp_bytes),
               spans > 0 ? static_cast<double>(otlp_bytes) / static_cast<double>(spans) : 0.0,
               static_cast<unsigned long long>(written), secs);
  return 0;
}
