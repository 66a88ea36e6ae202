// BatchBuilder: turns the entries of one file (pieces of a read buffer) into a model::Logs batch.
// Without operators the bodies are views into one arena copy of the buffer (no per-record
// allocation); with operators each entry goes through the chain as an Entry and its fields
// are copied into the arena.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "components/receivers/filelog/config.h"
#include "components/receivers/filelog/operators.h"
#include "components/receivers/filelog/splitter.h"
#include "model/batch.h"

namespace periscope::components::filelog {

class BatchBuilder {
 public:
  struct Outcome {
    uint64_t parse_errors = 0;  // entries an operator failed on (not quiet)
    uint64_t dropped = 0;       // entries dropped by on_error: drop
    std::string first_error;
  };
  // `config` and `chain` must outlive the builder.
  BatchBuilder(const Config& config, const OperatorChain& chain);
  model::Logs build(std::string_view data, const std::vector<Splitter::Piece>& pieces,
                    const std::string& path, uint64_t observed_unix_nano, Outcome& outcome) const;

 private:
  model::Attributes fixedAttributes(model::Logs& batch, const std::string& path) const;
  const Config& config_;
  const OperatorChain& chain_;
  bool bytes_body_;
};

// `text` if it is valid UTF-8; otherwise a copy in `arena` with each invalid byte replaced by
// U+FFFD (as the collector does), so that no invalid string reaches OTLP encoders.
std::string_view validUtf8(std::string_view text, Arena& arena);

// A JSON value as an AnyValue whose strings, arrays and maps live in `arena`.
model::AnyValue jsonToAnyValue(const nlohmann::json& v, Arena& arena);

}  // namespace periscope::components::filelog
