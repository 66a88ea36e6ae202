#include "model/prometheus/remote_write.h"

#include "model/otlp/wire.h"

namespace periscope::model::prom {
namespace wire = otlp::wire;

namespace {

// Field numbers of proto/prometheus/{remote,types}.proto.
constexpr uint32_t kRequestTimeseries = 1;
constexpr uint32_t kRequestMetadata = 3;
constexpr uint32_t kSeriesLabels = 1;
constexpr uint32_t kSeriesSamples = 2;
constexpr uint32_t kSeriesExemplars = 3;
constexpr uint32_t kSeriesHistograms = 4;
constexpr uint32_t kLabelName = 1;
constexpr uint32_t kLabelValue = 2;
constexpr uint32_t kSampleValue = 1;
constexpr uint32_t kSampleTimestamp = 2;
constexpr uint32_t kExemplarLabels = 1;
constexpr uint32_t kExemplarValue = 2;
constexpr uint32_t kExemplarTimestamp = 3;
constexpr uint32_t kMetadataType = 1;
constexpr uint32_t kMetadataFamily = 2;
constexpr uint32_t kMetadataHelp = 4;
constexpr uint32_t kMetadataUnit = 5;

const char* readErrorText(wire::ReadError e) {
  switch (e) {
    case wire::ReadError::kNone:
      return "no error";
    case wire::ReadError::kTruncatedTag:
    case wire::ReadError::kTruncated:
      return "truncated field";
    case wire::ReadError::kBadTag:
      return "invalid tag";
    case wire::ReadError::kVarintTooLong:
      return "varint longer than 10 bytes";
    case wire::ReadError::kBadLength:
      return "invalid length";
    case wire::ReadError::kLengthPastEnd:
      return "length past the end of the message";
    case wire::ReadError::kGroup:
      return "groups are not supported";
    case wire::ReadError::kBadWireType:
      return "invalid wire type";
  }
  return "malformed";
}

#define CHECK(expr)            \
  do {                         \
    if (!(expr)) return false; \
  } while (0)

class Decoder {
 public:
  Decoder(std::string_view body, Arena& arena)
      : begin_(reinterpret_cast<const uint8_t*>(body.data())), size_(body.size()), arena_(arena) {}

  Status request(WriteRequestView& out) {
    if (!requestFields(out)) return std::move(error_);
    return Status::ok();
  }

 private:
  bool requestFields(WriteRequestView& out) {
    const uint8_t* p = begin_;
    const uint8_t* end = p + size_;
    while (p < end) {
      wire::Field f;
      CHECK(next(p, end, f, "WriteRequest"));
      if (f.number() == kRequestTimeseries) {
        CHECK(expectLen(f, "WriteRequest.timeseries"));
        RemoteSeries s;
        CHECK(series(f, s));
        out.series.push_back(s);
      } else if (f.number() == kRequestMetadata) {
        CHECK(expectLen(f, "WriteRequest.metadata"));
        RemoteMetadata md;
        CHECK(metadata(f, md));
        out.metadata.push_back(md);
      }
    }
    return true;
  }

  // Errors are built out of line, once: the hot path only tests a bool.
  [[gnu::always_inline]] bool next(const uint8_t*& p, const uint8_t* end, wire::Field& f,
                                   const char* message) {
    wire::ReadError e = wire::readField(p, end, f);
    if (PERISCOPE_LIKELY(e == wire::ReadError::kNone)) return true;
    return malformed(f.at ? f.at : p, message, e);
  }
  [[gnu::noinline, gnu::cold]] bool malformed(const uint8_t* at, const char* message,
                                              wire::ReadError e) {
    error_ = invalidArgument(std::string("malformed ") + message + " at byte " +
                             std::to_string(at - begin_) + ": " + readErrorText(e));
    return false;
  }
  [[gnu::always_inline]] bool expectLen(const wire::Field& f, const char* field) {
    if (f.wireType() == wire::kLen) return true;
    return wrongType(f, field);
  }
  [[gnu::noinline, gnu::cold]] bool wrongType(const wire::Field& f, const char* field) {
    error_ = invalidArgument(std::string("malformed ") + field + " at byte " +
                             std::to_string(f.at - begin_) + ": unexpected wire type " +
                             std::to_string(f.wireType()));
    return false;
  }

  bool label(const wire::Field& outer, LabelRef& out) {
    const uint8_t* p = outer.data;
    while (p < outer.end()) {
      wire::Field f;
      CHECK(next(p, outer.end(), f, "Label"));
      if (f.number() == kLabelName || f.number() == kLabelValue) {
        CHECK(expectLen(f, "Label"));
        (f.number() == kLabelName ? out.name : out.value) = f.view();
      }
    }
    return true;
  }

  bool labels(const wire::Field& f, std::vector<LabelRef>& out) {
    LabelRef l;
    CHECK(label(f, l));
    out.push_back(l);
    return true;
  }

  // Sample and Exemplar share value (double) and timestamp (int64) fields.
  bool number(const wire::Field& f, const char* message, double& value, int64_t& ts,
              uint32_t value_field, uint32_t ts_field) {
    if (f.number() == value_field) {
      if (f.wireType() != wire::kFixed64) return wrongType(f, message);
      value = wire::doubleOf(f.value);
    } else if (f.number() == ts_field) {
      if (f.wireType() != wire::kVarint) return wrongType(f, message);
      ts = static_cast<int64_t>(f.value);
    }
    return true;
  }

  bool series(const wire::Field& outer, RemoteSeries& out) {
    labels_.clear();
    samples_.clear();
    exemplars_.clear();
    const uint8_t* p = outer.data;
    while (p < outer.end()) {
      wire::Field f;
      CHECK(next(p, outer.end(), f, "TimeSeries"));
      switch (f.number()) {
        case kSeriesLabels:
          CHECK(expectLen(f, "TimeSeries.labels"));
          CHECK(labels(f, labels_));
          break;
        case kSeriesSamples: {
          CHECK(expectLen(f, "TimeSeries.samples"));
          RemoteSample s;
          const uint8_t* q = f.data;
          while (q < f.end()) {
            wire::Field g;
            CHECK(next(q, f.end(), g, "Sample"));
            CHECK(number(g, "Sample", s.value, s.timestamp_ms, kSampleValue, kSampleTimestamp));
          }
          samples_.push_back(s);
          break;
        }
        case kSeriesExemplars: {
          CHECK(expectLen(f, "TimeSeries.exemplars"));
          CHECK(exemplar(f));
          break;
        }
        case kSeriesHistograms:
          ++out.native_histograms;
          break;
        default:
          break;
      }
    }
    out.labels = arena_.copyArray<LabelRef>(labels_);
    out.samples = arena_.copyArray<RemoteSample>(samples_);
    out.exemplars = arena_.copyArray<RemoteExemplar>(exemplars_);
    return true;
  }

  bool exemplar(const wire::Field& outer) {
    RemoteExemplar e;
    exemplar_labels_.clear();
    const uint8_t* p = outer.data;
    while (p < outer.end()) {
      wire::Field f;
      CHECK(next(p, outer.end(), f, "Exemplar"));
      if (f.number() == kExemplarLabels) {
        CHECK(expectLen(f, "Exemplar.labels"));
        CHECK(labels(f, exemplar_labels_));
      } else {
        CHECK(number(f, "Exemplar", e.value, e.timestamp_ms, kExemplarValue, kExemplarTimestamp));
      }
    }
    e.labels = arena_.copyArray<LabelRef>(exemplar_labels_);
    exemplars_.push_back(e);
    return true;
  }

  bool metadata(const wire::Field& outer, RemoteMetadata& out) {
    const uint8_t* p = outer.data;
    while (p < outer.end()) {
      wire::Field f;
      CHECK(next(p, outer.end(), f, "MetricMetadata"));
      switch (f.number()) {
        case kMetadataType:
          if (f.wireType() != wire::kVarint) return wrongType(f, "MetricMetadata.type");
          // Kept as sent (proto3 enums are open); consumers read unknown values as UNKNOWN.
          out.type = static_cast<RemoteMetricType>(static_cast<int32_t>(f.value));
          break;
        case kMetadataFamily:
        case kMetadataHelp:
        case kMetadataUnit:
          CHECK(expectLen(f, "MetricMetadata"));
          (f.number() == kMetadataFamily ? out.family
           : f.number() == kMetadataHelp ? out.help
                                         : out.unit) = f.view();
          break;
        default:
          break;
      }
    }
    return true;
  }

  const uint8_t* begin_;
  size_t size_;
  Arena& arena_;
  std::vector<LabelRef> labels_;
  std::vector<RemoteSample> samples_;
  std::vector<RemoteExemplar> exemplars_;
  std::vector<LabelRef> exemplar_labels_;
  Status error_;
};

#undef CHECK

size_t labelSize(std::string_view name, std::string_view value) {
  size_t n = 0;
  if (!name.empty()) n += wire::lenFieldSize(kLabelName, name.size());
  if (!value.empty()) n += wire::lenFieldSize(kLabelValue, value.size());
  return n;
}

size_t sampleSize(const RemoteSample& s) {
  size_t n = 0;
  if (wire::bitsOf(s.value) != 0) n += wire::tagSize(kSampleValue) + 8;
  if (s.timestamp_ms != 0)
    n += wire::tagSize(kSampleTimestamp) + wire::varintSize(static_cast<uint64_t>(s.timestamp_ms));
  return n;
}

size_t seriesBodySize(const OwnedSeries& s) {
  size_t n = 0;
  for (const auto& l : s.labels) n += wire::lenFieldSize(kSeriesLabels, labelSize(l.name, l.value));
  for (const auto& smp : s.samples) n += wire::lenFieldSize(kSeriesSamples, sampleSize(smp));
  return n;
}

size_t metadataBodySize(const MetricMetadata& md) {
  size_t n = 0;
  auto type = static_cast<uint64_t>(remoteMetricType(md.kind));
  if (type != 0) n += wire::tagSize(kMetadataType) + wire::varintSize(type);
  if (!md.family.empty()) n += wire::lenFieldSize(kMetadataFamily, md.family.size());
  if (!md.help.empty()) n += wire::lenFieldSize(kMetadataHelp, md.help.size());
  if (!md.unit.empty()) n += wire::lenFieldSize(kMetadataUnit, md.unit.size());
  return n;
}

uint8_t* writeString(uint8_t* p, uint32_t field, std::string_view s) {
  if (s.empty()) return p;  // proto3 default: omitted
  p = wire::writeTag(p, field, wire::kLen);
  p = wire::writeVarint(p, s.size());
  return wire::writeBytes(p, s);
}

uint8_t* writeSeries(uint8_t* p, const OwnedSeries& s) {
  p = wire::writeTag(p, kRequestTimeseries, wire::kLen);
  p = wire::writeVarint(p, seriesBodySize(s));
  for (const auto& l : s.labels) {
    p = wire::writeTag(p, kSeriesLabels, wire::kLen);
    p = wire::writeVarint(p, labelSize(l.name, l.value));
    p = writeString(p, kLabelName, l.name);
    p = writeString(p, kLabelValue, l.value);
  }
  for (const auto& smp : s.samples) {
    p = wire::writeTag(p, kSeriesSamples, wire::kLen);
    p = wire::writeVarint(p, sampleSize(smp));
    if (wire::bitsOf(smp.value) != 0) {
      p = wire::writeTag(p, kSampleValue, wire::kFixed64);
      p = wire::writeFixed64(p, wire::bitsOf(smp.value));
    }
    if (smp.timestamp_ms != 0) {
      p = wire::writeTag(p, kSampleTimestamp, wire::kVarint);
      p = wire::writeVarint(p, static_cast<uint64_t>(smp.timestamp_ms));
    }
  }
  return p;
}

uint8_t* writeMetadata(uint8_t* p, const MetricMetadata& md) {
  p = wire::writeTag(p, kRequestMetadata, wire::kLen);
  p = wire::writeVarint(p, metadataBodySize(md));
  auto type = static_cast<uint64_t>(remoteMetricType(md.kind));
  if (type != 0) {
    p = wire::writeTag(p, kMetadataType, wire::kVarint);
    p = wire::writeVarint(p, type);
  }
  p = writeString(p, kMetadataFamily, md.family);
  p = writeString(p, kMetadataHelp, md.help);
  return writeString(p, kMetadataUnit, md.unit);
}

}  // namespace

size_t WriteRequestView::sampleCount() const {
  size_t n = 0;
  for (const auto& s : series) n += s.samples.size();
  return n;
}

Result<WriteRequestView> decodeWriteRequest(std::string_view body, Arena& arena) {
  Decoder d(body, arena);
  WriteRequestView out;
  PERISCOPE_RETURN_IF_ERROR(d.request(out));
  return out;
}

size_t encodedSeriesSize(const OwnedSeries& series) {
  return wire::lenFieldSize(kRequestTimeseries, seriesBodySize(series));
}

size_t encodedMetadataSize(const MetricMetadata& md) {
  return wire::lenFieldSize(kRequestMetadata, metadataBodySize(md));
}

void encodeWriteRequest(std::span<const OwnedSeries* const> series,
                        std::span<const MetricMetadata> metadata, std::string& out) {
  size_t total = 0;
  for (const OwnedSeries* s : series) total += encodedSeriesSize(*s);
  for (const auto& md : metadata) total += encodedMetadataSize(md);
  size_t start = out.size();
  out.resize(start + total);
  auto* p = reinterpret_cast<uint8_t*>(out.data() + start);
  for (const OwnedSeries* s : series) p = writeSeries(p, *s);
  for (const auto& md : metadata) p = writeMetadata(p, md);
}

RemoteMetricType remoteMetricType(MetricKind kind) {
  switch (kind) {
    case MetricKind::kCounter:
      return RemoteMetricType::kCounter;
    case MetricKind::kGauge:
      return RemoteMetricType::kGauge;
    case MetricKind::kHistogram:
      return RemoteMetricType::kHistogram;
    case MetricKind::kSummary:
      return RemoteMetricType::kSummary;
    case MetricKind::kUnknown:
      break;
  }
  return RemoteMetricType::kUnknown;
}

}  // namespace periscope::model::prom
