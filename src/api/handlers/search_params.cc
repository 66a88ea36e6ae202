#include "api/handlers/search_params.h"

#include <simdjson.h>

#include "api/http/params.h"
#include "api/json/jaeger_encoder.h"

namespace periscope::api {

void addTagFilter(query::TraceQuery& query, std::string_view key, std::string_view value) {
  if ((key == "error" && parseBool(value).value_or(false)) ||
      (key == "otel.status_code" && value == "ERROR")) {
    query.errors_only = true;
    return;
  }
  if (key == "span.kind") {
    if (auto kind = otlpSpanKind(value)) {
      query.span_kind = kind;
      return;
    }
  }
  query.tags.emplace_back(std::string(key), std::string(value));
}

Status addJsonTagFilters(std::string_view param, std::string_view text, query::TraceQuery& query) {
  // A parser per call: tag objects are tiny, and this keeps the handlers free of shared state.
  simdjson::dom::parser parser;
  simdjson::padded_string padded(text);
  simdjson::dom::object object;
  if (parser.parse(padded).get_object().get(object) != simdjson::SUCCESS)
    return invalidArgument(cannotParse(param, text, "a JSON object"));
  for (simdjson::dom::key_value_pair field : object) {
    switch (field.value.type()) {
      case simdjson::dom::element_type::STRING:
        addTagFilter(query, field.key, std::string_view(field.value.get_string().value()));
        break;
      case simdjson::dom::element_type::INT64:
      case simdjson::dom::element_type::UINT64:
      case simdjson::dom::element_type::DOUBLE:
      case simdjson::dom::element_type::BOOL:
        addTagFilter(query, field.key, simdjson::minify(field.value));
        break;
      default:
        return invalidArgument(std::string(param) + ": the value of \"" + std::string(field.key) +
                               "\" must be a string, number or boolean");
    }
  }
  return Status::ok();
}

Status addPairTagFilter(std::string_view param, std::string_view text, char sep,
                        query::TraceQuery& query) {
  size_t at = text.find(sep);
  if (at == std::string_view::npos || at == 0) {
    return invalidArgument(cannotParse(
        param, text,
        sep == ':' ? "a tag (expected key:value)" : "an attribute (expected key=value)"));
  }
  addTagFilter(query, text.substr(0, at), text.substr(at + 1));
  return Status::ok();
}

Result<uint64_t> parseDurationParam(std::string_view param, std::string_view text) {
  auto d = parseGoDuration(text);
  if (!d) return invalidArgument(cannotParse(param, text, "a duration (e.g. 1.2s, 200ms, 500us)"));
  if (*d < 0) return invalidArgument(std::string(param) + ": must not be negative");
  return static_cast<uint64_t>(*d);
}

}  // namespace periscope::api
