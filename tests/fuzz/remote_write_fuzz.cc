// libFuzzer target: arbitrary bytes into the remote-write decoder and the receiver's conversion.
// - Differential against libprotobuf: when both accept the input, our decoded series, samples,
//   exemplars and metadata rebuilt as a prometheus.WriteRequest equal libprotobuf's parse
//   (unknown fields, native histograms included, aside).
// - Whatever decodes converts to OTLP without crashing: OK, or INVALID_ARGUMENT for a malformed
//   series; never more points than samples.
// We are stricter than libprotobuf on wrong wire types for known fields; libprotobuf is
// stricter on UTF-8. Inputs only one side accepts are not failures.
#include <google/protobuf/stubs/logging.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "components/receivers/prometheusremotewrite/to_metrics.h"
#include "model/prometheus/remote_write.h"
#include "prometheus/remote.pb.h"
#include "proto_oracle.h"

namespace {

namespace prom = periscope::model::prom;

template <typename Pb>
void setLabels(std::span<const prom::LabelRef> labels, Pb& out) {
  for (const auto& l : labels) {
    auto* pb = out.add_labels();
    pb->set_name(std::string(l.name));
    pb->set_value(std::string(l.value));
  }
}

prometheus::WriteRequest rebuild(const prom::WriteRequestView& view) {
  prometheus::WriteRequest out;
  for (const auto& s : view.series) {
    auto* ts = out.add_timeseries();
    setLabels(s.labels, *ts);
    for (const auto& smp : s.samples) {
      auto* pb = ts->add_samples();
      pb->set_value(smp.value);
      pb->set_timestamp(smp.timestamp_ms);
    }
    for (const auto& e : s.exemplars) {
      auto* pb = ts->add_exemplars();
      setLabels(e.labels, *pb);
      pb->set_value(e.value);
      pb->set_timestamp(e.timestamp_ms);
    }
  }
  for (const auto& md : view.metadata) {
    auto* pb = out.add_metadata();
    pb->set_type(static_cast<prometheus::MetricMetadata::MetricType>(md.type));
    pb->set_metric_family_name(std::string(md.family));
    pb->set_help(std::string(md.help));
    pb->set_unit(std::string(md.unit));
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // libprotobuf logs every invalid UTF-8 string it rejects; mutants are full of them.
  static const bool quiet = (google::protobuf::SetLogHandler(nullptr), true);
  (void)quiet;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto arena = std::make_shared<periscope::Arena>();
  auto view = prom::decodeWriteRequest(input, *arena);
  if (!view.isOk()) return 0;

  prometheus::WriteRequest theirs;
  if (theirs.ParseFromArray(input.data(), static_cast<int>(input.size()))) {
    theirs.DiscardUnknownFields();
    periscope::fuzz::requireEqual(theirs, rebuild(*view));
  }

  periscope::model::Metrics metrics(arena);
  auto converted =
      periscope::components::prometheusremotewrite_receiver::toMetrics(*view, {}, metrics);
  if (!converted.isOk()) {
    if (converted.status().code() != periscope::StatusCode::kInvalidArgument) std::abort();
    return 0;
  }
  if (converted->points > view->sampleCount() || metrics.itemCount() != converted->points) {
    std::abort();
  }
  return 0;
}
