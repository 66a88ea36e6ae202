#include "components/exporters/awsxray/translator/cause.h"

#include "components/exporters/awsxray/translator/stack_trace.h"

namespace periscope::components::awsxray_exporter::translator {

namespace {

std::string eventStr(const model::SpanEvent& e, std::string_view key) {
  const auto* v = model::findAttribute(e.attributes, key);
  if (v == nullptr) return {};
  return valueText(*v).value_or("");
}

}  // namespace

Fault makeFault(const SpanContext& ctx, const IdSource& ids) {
  Fault out;
  const bool status_error = ctx.span().status.code == model::StatusCode::kError;
  if (auto code = ctx.integer({"http.status_code", "http.response.status_code"})) {
    if (*code >= 400 && *code <= 499) {
      out.error = true;
      out.throttle = *code == 429;
    } else if (*code >= 500 && *code <= 599) {
      out.fault = true;
    }
  }
  if (!out.error && !out.fault && status_error) out.fault = true;

  const auto kind = ctx.kind();
  const bool remote = kind == model::SpanKind::kClient || kind == model::SpanKind::kProducer;
  const auto language = ctx.resourceStr("telemetry.sdk.language").value_or("");
  nlohmann::json exceptions = nlohmann::json::array();
  for (const auto& event : ctx.span().events) {
    if (event.name != "exception") continue;
    nlohmann::json ex = nlohmann::json::object();
    ex["id"] = ids();
    if (auto type = eventStr(event, "exception.type"); !type.empty()) ex["type"] = type;
    if (auto msg = eventStr(event, "exception.message"); !msg.empty()) ex["message"] = msg;
    ex["remote"] = remote;
    auto parsed = parseStackTrace(language, eventStr(event, "exception.stacktrace"));
    if (!parsed.frames.empty()) ex["stack"] = std::move(parsed.frames);
    exceptions.push_back(std::move(ex));
    // Each chained cause is its own exception; the one it caused points at it by id.
    for (auto& chained : parsed.causes) {
      nlohmann::json cause = nlohmann::json::object();
      cause["id"] = ids();
      exceptions.back()["cause"] = cause["id"];
      if (!chained.type.empty()) cause["type"] = std::move(chained.type);
      if (!chained.message.empty()) cause["message"] = std::move(chained.message);
      cause["remote"] = remote;
      if (!chained.frames.empty()) cause["stack"] = std::move(chained.frames);
      exceptions.push_back(std::move(cause));
    }
  }
  if (exceptions.empty() && status_error && !ctx.span().status.message.empty()) {
    nlohmann::json ex = nlohmann::json::object();
    ex["id"] = ids();
    ex["message"] = std::string(ctx.span().status.message);
    ex["remote"] = remote;
    exceptions.push_back(std::move(ex));
  }
  if (!exceptions.empty()) out.cause = {{"exceptions", std::move(exceptions)}};
  return out;
}

}  // namespace periscope::components::awsxray_exporter::translator
