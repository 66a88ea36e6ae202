// Prometheus remote-write 1.0 bodies (prometheus.WriteRequest, see proto/prometheus/), after
// snappy: a zero-copy decoder used by the prometheusremotewrite receiver and an encoder used by
// the prometheusremotewrite exporter. Decoded views point into the body and into `arena`, which
// must outlive them. Native histograms (TimeSeries field 4) are counted, not decoded.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/arena.h"
#include "common/status.h"
#include "model/prometheus/labels.h"

namespace periscope::model::prom {

// MetricMetadata.type as on the wire (remote write knows more types than MetricKind); values
// past kStateset from newer senders are kept as sent.
enum class RemoteMetricType : int32_t {
  kUnknown = 0,
  kCounter = 1,
  kGauge = 2,
  kHistogram = 3,
  kGaugeHistogram = 4,
  kSummary = 5,
  kInfo = 6,
  kStateset = 7,
};

struct RemoteSample {
  double value = 0;
  int64_t timestamp_ms = 0;
};

struct RemoteExemplar {
  std::span<LabelRef> labels;
  double value = 0;
  int64_t timestamp_ms = 0;
};

struct RemoteSeries {
  std::span<LabelRef> labels;  // as sent (Prometheus sends them sorted)
  std::span<RemoteSample> samples;
  std::span<RemoteExemplar> exemplars;
  uint32_t native_histograms = 0;  // present on the wire but not decoded
};

struct RemoteMetadata {
  RemoteMetricType type = RemoteMetricType::kUnknown;
  std::string_view family;
  std::string_view help;
  std::string_view unit;
};

struct WriteRequestView {
  std::vector<RemoteSeries> series;
  std::vector<RemoteMetadata> metadata;
  size_t sampleCount() const;
};

// INVALID_ARGUMENT with the byte offset and the message being read when malformed.
Result<WriteRequestView> decodeWriteRequest(std::string_view body, Arena& arena);

// ---- encoding ----

struct OwnedSeries {
  Labels labels;                      // sorted, with __name__
  std::vector<RemoteSample> samples;  // in timestamp order
};

// Wire size of one TimeSeries message including its field-1 tag and length.
size_t encodedSeriesSize(const OwnedSeries& series);
size_t encodedMetadataSize(const MetricMetadata& md);
// Appends a WriteRequest with `series` and `metadata` to `out` (uncompressed protobuf).
void encodeWriteRequest(std::span<const OwnedSeries* const> series,
                        std::span<const MetricMetadata> metadata, std::string& out);

RemoteMetricType remoteMetricType(MetricKind kind);

}  // namespace periscope::model::prom
