#include "components/exporters/awsxray/translator/span_context.h"

#include <algorithm>
#include <charconv>

namespace periscope::components::awsxray_exporter::translator {

std::optional<std::string> valueText(const model::AnyValue& v) {
  using T = model::AnyValue::Type;
  switch (v.type()) {
    case T::kString:
      if (v.str().empty()) return std::nullopt;
      return std::string(v.str());
    case T::kInt:
      return std::to_string(v.intValue());
    case T::kDouble: {
      char buf[32];
      auto r = std::to_chars(buf, buf + sizeof buf, v.doubleValue());
      return std::string(buf, r.ptr);
    }
    case T::kBool:
      return std::string(v.boolValue() ? "true" : "false");
    default:
      return std::nullopt;
  }
}

const model::AnyValue* SpanContext::attr(std::initializer_list<std::string_view> keys) const {
  for (auto k : keys) {
    if (const auto* v = model::findAttribute(span_.attributes, k)) return v;
  }
  return nullptr;
}

std::optional<std::string> SpanContext::str(std::initializer_list<std::string_view> keys) const {
  for (auto k : keys) {
    const auto* v = model::findAttribute(span_.attributes, k);
    if (v == nullptr) continue;
    if (auto s = valueText(*v)) return s;
  }
  return std::nullopt;
}

std::optional<int64_t> SpanContext::integer(std::initializer_list<std::string_view> keys) const {
  for (auto k : keys) {
    const auto* v = model::findAttribute(span_.attributes, k);
    if (v == nullptr) continue;
    if (v->type() == model::AnyValue::Type::kInt) return v->intValue();
    if (v->type() == model::AnyValue::Type::kDouble) return static_cast<int64_t>(v->doubleValue());
    if (v->type() == model::AnyValue::Type::kString) {
      int64_t out = 0;
      auto s = v->str();
      auto r = std::from_chars(s.data(), s.data() + s.size(), out);
      if (r.ec == std::errc() && r.ptr == s.data() + s.size()) return out;
    }
  }
  return std::nullopt;
}

std::optional<std::string> SpanContext::resourceStr(std::string_view key) const {
  const auto* v = model::findAttribute(resource_.attributes, key);
  return v == nullptr ? std::nullopt : valueText(*v);
}

std::optional<std::string> SpanContext::take(std::initializer_list<std::string_view> keys) const {
  for (auto k : keys) {
    const auto* v = model::findAttribute(span_.attributes, k);
    if (v == nullptr) continue;
    if (auto s = valueText(*v)) {
      consume(k);
      return s;
    }
  }
  return std::nullopt;
}

std::optional<int64_t> SpanContext::takeInt(std::initializer_list<std::string_view> keys) const {
  for (auto k : keys) {
    if (auto i = integer({k})) {
      consume(k);
      return i;
    }
  }
  return std::nullopt;
}

bool SpanContext::consumed(std::string_view key) const {
  return std::find(consumed_.begin(), consumed_.end(), key) != consumed_.end();
}

}  // namespace periscope::components::awsxray_exporter::translator
