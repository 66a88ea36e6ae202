// libFuzzer target: arbitrary bytes into the OTLP protobuf decoders (all three signals), and
// whatever decodes is re-encoded and must decode again to the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "model/otlp/proto_decoder.h"
#include "model/otlp/proto_encoder.h"

namespace {

template <typename B>
void roundTrip(std::string_view input) {
  B batch;
  if (!periscope::model::otlp::decode(input, batch).isOk()) return;
  std::string once;
  periscope::model::otlp::encode(batch, once);
  B again;
  if (!periscope::model::otlp::decode(once, again).isOk()) std::abort();
  std::string twice;
  periscope::model::otlp::encode(again, twice);
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
