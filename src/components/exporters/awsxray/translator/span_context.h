// SpanContext: one span and its resource as the translator sees them, with attribute lookups
// that accept several semantic-convention spellings (old and new keys), and the list of
// attribute keys a block has consumed so that they are not repeated as metadata.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/span.h"

namespace periscope::components::awsxray_exporter::translator {

class SpanContext {
 public:
  SpanContext(const model::Span& span, const model::Resource& resource)
      : span_(span), resource_(resource) {}

  const model::Span& span() const { return span_; }
  const model::Resource& resource() const { return resource_; }
  model::SpanKind kind() const { return static_cast<model::SpanKind>(span_.kind); }

  // The first present span attribute among `keys`.
  const model::AnyValue* attr(std::initializer_list<std::string_view> keys) const;
  // Its text: strings as they are, ints/doubles/bools printed; nullopt when absent or empty.
  std::optional<std::string> str(std::initializer_list<std::string_view> keys) const;
  std::optional<int64_t> integer(std::initializer_list<std::string_view> keys) const;
  std::optional<std::string> resourceStr(std::string_view key) const;

  // Marks a key as rendered by a block (http, aws, sql, user): it is left out of metadata.
  void consume(std::string_view key) const { consumed_.push_back(key); }
  // str()/integer() that also consume the key they found.
  std::optional<std::string> take(std::initializer_list<std::string_view> keys) const;
  std::optional<int64_t> takeInt(std::initializer_list<std::string_view> keys) const;
  bool consumed(std::string_view key) const;

 private:
  const model::Span& span_;
  const model::Resource& resource_;
  mutable std::vector<std::string_view> consumed_;
};

std::optional<std::string> valueText(const model::AnyValue& v);

}  // namespace periscope::components::awsxray_exporter::translator
