#include "model/otlp/json_decoder.h"

#include <cstring>
#include <memory>

#include "model/otlp/json_reader.h"

namespace periscope::model::otlp {
namespace {

// Bodies larger than this get a parser of their own, so that a thread does not keep the
// buffers of its largest request forever.
constexpr size_t kReusedParserMaxBytes = size_t{4} << 20;

template <typename ResourceT>
bool readRequest(JsonReader& r, od::object& root, std::span<ResourceT>& out);
template <>
bool readRequest(JsonReader& r, od::object& root, std::span<ResourceSpans>& out) {
  return readTracesRequest(r, root, out);
}
template <>
bool readRequest(JsonReader& r, od::object& root, std::span<ResourceMetrics>& out) {
  return readMetricsRequest(r, root, out);
}
template <>
bool readRequest(JsonReader& r, od::object& root, std::span<ResourceLogs>& out) {
  return readLogsRequest(r, root, out);
}

// `json` must be followed by simdjson::SIMDJSON_PADDING readable bytes that outlive `into`.
template <typename ResourceT>
Status decodePadded(std::string_view json, Batch<ResourceT>& into) {
  thread_local od::parser reused;
  std::unique_ptr<od::parser> own;
  od::parser* parser = &reused;
  if (json.size() > kReusedParserMaxBytes) {
    own = std::make_unique<od::parser>();
    parser = own.get();
  }
  JsonReader r(into.arena());
  od::document doc;
  simdjson::padded_string_view input(json.data(), json.size(),
                                     json.size() + simdjson::SIMDJSON_PADDING);
  if (auto e = parser->iterate(input).get(doc)) {
    r.fail(e);
    return r.status();
  }
  od::object root;
  od::json_type type;
  if (auto e = doc.type().get(type)) {
    r.fail(e);
    return r.status();
  }
  if (type != od::json_type::object || doc.get_object().get(root)) {
    r.fail("expected a JSON object");
    return r.status();
  }
  std::span<ResourceT> resources;
  if (!readRequest(r, root, resources)) return r.status();
  // Anything after the top-level object is an error.
  if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) {
    r.fail("unexpected content after the top-level object");
    return r.status();
  }
  into.resources().insert(into.resources().end(), resources.begin(), resources.end());
  return Status::ok();
}

template <typename ResourceT>
Status decodeCopy(std::string_view json, Batch<ResourceT>& into) {
  char* buf =
      static_cast<char*>(into.arena().allocate(json.size() + simdjson::SIMDJSON_PADDING, 64));
  if (!json.empty()) std::memcpy(buf, json.data(), json.size());
  std::memset(buf + json.size(), 0, simdjson::SIMDJSON_PADDING);
  return decodePadded(std::string_view(buf, json.size()), into);
}

template <typename ResourceT>
Result<Batch<ResourceT>> decodeOwned(std::string&& body) {
  size_t n = body.size();
  body.resize(n + simdjson::SIMDJSON_PADDING, '\0');
  Batch<ResourceT> batch;
  std::string_view all = batch.arena().adopt(std::move(body));
  Status st = decodePadded(all.substr(0, n), batch);
  if (!st.isOk()) return st;
  return batch;
}

}  // namespace

Status decodeJson(std::string_view json, Traces& into) {
  return decodeCopy(json, into);
}
Status decodeJson(std::string_view json, Metrics& into) {
  return decodeCopy(json, into);
}
Status decodeJson(std::string_view json, Logs& into) {
  return decodeCopy(json, into);
}

Result<Traces> decodeTracesJson(std::string&& body) {
  return decodeOwned<ResourceSpans>(std::move(body));
}
Result<Metrics> decodeMetricsJson(std::string&& body) {
  return decodeOwned<ResourceMetrics>(std::move(body));
}
Result<Logs> decodeLogsJson(std::string&& body) {
  return decodeOwned<ResourceLogs>(std::move(body));
}

}  // namespace periscope::model::otlp
