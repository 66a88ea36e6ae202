// libFuzzer target: arbitrary bytes into the OTLP/JSON decoders; what decodes must re-encode
// to JSON that decodes again to the same JSON.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "model/otlp/json_decoder.h"
#include "model/otlp/json_encoder.h"

namespace {

template <typename B>
void roundTrip(std::string_view input) {
  B batch;
  if (!periscope::model::otlp::decodeJson(input, batch).isOk()) return;
  std::string once;
  periscope::model::otlp::encodeJson(batch, once);
  B again;
  if (!periscope::model::otlp::decodeJson(once, again).isOk()) std::abort();
  std::string twice;
  periscope::model::otlp::encodeJson(again, twice);
  if (once != twice) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  roundTrip<periscope::model::Traces>(input);
  roundTrip<periscope::model::Metrics>(input);
  roundTrip<periscope::model::Logs>(input);
  return 0;
}
