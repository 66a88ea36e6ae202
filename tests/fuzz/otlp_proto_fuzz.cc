// libFuzzer target: arbitrary bytes into the OTLP protobuf decoders (all three signals).
// - Round trip: whatever decodes is re-encoded and must decode again to the same bytes.
// - Differential against libprotobuf: when libprotobuf parses the input too, our re-encoding must
//   parse (with libprotobuf) to the same message as the input did, unknown fields aside. This
//   checks field semantics the round trip cannot: merging of repeated embedded messages, oneof
//   switches, packed/unpacked repeats, truncation of 64-bit varints into 32-bit fields.
// Inputs only one side accepts are not failures; we are deliberately stricter than libprotobuf
// (see proto_decoder.h): wrong wire types for known fields, groups (even unknown ones) and 5-byte
// tags above 2^32 (libprotobuf drops the excess bits) are rejected, and AnyValue may nest 100
// levels where libprotobuf stops at 100 nested messages in all.
#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/util/field_comparator.h>
#include <google/protobuf/util/message_differencer.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "model/otlp/proto_decoder.h"
#include "model/otlp/proto_encoder.h"
#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "proto_oracle.h"

namespace {

using google::protobuf::Message;

template <typename B, typename Pb>
void check(std::string_view input) {
  B batch;
  if (!periscope::model::otlp::decode(input, batch).isOk()) return;
  std::string once;
  periscope::model::otlp::encode(batch, once);
  B again;
  if (!periscope::model::otlp::decode(once, again).isOk()) std::abort();
  std::string twice;
  periscope::model::otlp::encode(again, twice);
  if (once != twice) std::abort();

  Pb theirs;
  if (!theirs.ParseFromArray(input.data(), static_cast<int>(input.size()))) return;
  theirs.DiscardUnknownFields();
  periscope::fuzz::requireEncodes(theirs, once);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace collector = opentelemetry::proto::collector;
  // libprotobuf logs every invalid UTF-8 string it rejects; mutants are full of them.
  static const bool quiet = (google::protobuf::SetLogHandler(nullptr), true);
  (void)quiet;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  check<periscope::model::Traces, collector::trace::v1::ExportTraceServiceRequest>(input);
  check<periscope::model::Metrics, collector::metrics::v1::ExportMetricsServiceRequest>(input);
  check<periscope::model::Logs, collector::logs::v1::ExportLogsServiceRequest>(input);
  return 0;
}
