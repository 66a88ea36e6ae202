// The remote-write codec against libprotobuf's generated prometheus.WriteRequest (the
// reference): decoding what libprotobuf wrote, and libprotobuf parsing what we encode.
#include "model/prometheus/remote_write.h"

#include <gtest/gtest.h>

#include "prometheus/remote.pb.h"

namespace periscope::model::prom {
namespace {

std::string referenceBody() {
  prometheus::WriteRequest req;
  auto* ts = req.add_timeseries();
  for (auto [n, v] :
       {std::pair{"__name__", "http_requests_total"}, {"code", "200"}, {"job", "api"}}) {
    auto* l = ts->add_labels();
    l->set_name(n);
    l->set_value(v);
  }
  auto* s = ts->add_samples();
  s->set_value(41.5);
  s->set_timestamp(1700000000000);
  s = ts->add_samples();
  s->set_value(42);
  s->set_timestamp(1700000015000);
  auto* e = ts->add_exemplars();
  e->set_value(0.25);
  e->set_timestamp(1700000014000);
  auto* el = e->add_labels();
  el->set_name("trace_id");
  el->set_value("0123456789abcdef0123456789abcdef");
  auto* ts2 = req.add_timeseries();
  auto* l = ts2->add_labels();
  l->set_name("__name__");
  l->set_value("up");
  ts2->add_samples()->set_value(1);  // timestamp 0, a default: not on the wire
  auto* md = req.add_metadata();
  md->set_type(prometheus::MetricMetadata::COUNTER);
  md->set_metric_family_name("http_requests_total");
  md->set_help("Requests served.");
  md->set_unit("requests");
  return req.SerializeAsString();
}

TEST(RemoteWriteDecode, ReadsWhatLibprotobufWrote) {
  std::string body = referenceBody();
  Arena arena;
  auto r = decodeWriteRequest(body, arena);
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  ASSERT_EQ(r->series.size(), 2u);
  const RemoteSeries& s = r->series[0];
  ASSERT_EQ(s.labels.size(), 3u);
  EXPECT_EQ(s.labels[0].name, "__name__");
  EXPECT_EQ(s.labels[0].value, "http_requests_total");
  EXPECT_EQ(s.labels[2].name, "job");
  EXPECT_EQ(s.labels[2].value, "api");
  ASSERT_EQ(s.samples.size(), 2u);
  EXPECT_EQ(s.samples[0].value, 41.5);
  EXPECT_EQ(s.samples[0].timestamp_ms, 1700000000000);
  EXPECT_EQ(s.samples[1].value, 42.0);
  EXPECT_EQ(s.samples[1].timestamp_ms, 1700000015000);
  ASSERT_EQ(s.exemplars.size(), 1u);
  EXPECT_EQ(s.exemplars[0].value, 0.25);
  EXPECT_EQ(s.exemplars[0].timestamp_ms, 1700000014000);
  ASSERT_EQ(s.exemplars[0].labels.size(), 1u);
  EXPECT_EQ(s.exemplars[0].labels[0].value, "0123456789abcdef0123456789abcdef");
  ASSERT_EQ(r->series[1].samples.size(), 1u);
  EXPECT_EQ(r->series[1].samples[0].value, 1.0);
  EXPECT_EQ(r->series[1].samples[0].timestamp_ms, 0);
  EXPECT_EQ(r->sampleCount(), 3u);
  ASSERT_EQ(r->metadata.size(), 1u);
  EXPECT_EQ(r->metadata[0].type, RemoteMetricType::kCounter);
  EXPECT_EQ(r->metadata[0].family, "http_requests_total");
  EXPECT_EQ(r->metadata[0].help, "Requests served.");
  EXPECT_EQ(r->metadata[0].unit, "requests");
}

TEST(RemoteWriteDecode, CountsNativeHistogramsWithoutDecodingThem) {
  prometheus::TimeSeries ts;
  auto* l = ts.add_labels();
  l->set_name("__name__");
  l->set_value("h");
  std::string series = ts.SerializeAsString();
  series += std::string("\x22\x02\x08\x01", 4);  // field 4 (histograms), a 2-byte message
  std::string body = "\x0a" + std::string(1, static_cast<char>(series.size())) + series;
  Arena arena;
  auto r = decodeWriteRequest(body, arena);
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  ASSERT_EQ(r->series.size(), 1u);
  EXPECT_EQ(r->series[0].native_histograms, 1u);
  EXPECT_EQ(r->series[0].samples.size(), 0u);
}

TEST(RemoteWriteDecode, MalformedBodiesSayWhereAndWhat) {
  Arena arena;
  // A timeseries field whose length runs past the end of the body.
  auto r = decodeWriteRequest(std::string("\x0a\x05\x0a\x01", 4), arena);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().message(),
            "malformed WriteRequest at byte 1: length past the end of the message");
  // A sample value with the varint wire type instead of fixed64.
  r = decodeWriteRequest(std::string("\x0a\x04\x12\x02\x08\x01", 6), arena);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().message(), "malformed Sample at byte 5: unexpected wire type 0");
  // Timeseries as a varint.
  r = decodeWriteRequest(std::string("\x08\x01", 2), arena);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().message(),
            "malformed WriteRequest.timeseries at byte 1: unexpected wire type 0");
}

TEST(RemoteWriteEncode, LibprotobufReadsWhatWeWrite) {
  OwnedSeries a{{{"__name__", "x_total"}, {"env", "prod"}}, {{1.5, 1000}, {0, 2000}, {-3, 0}}};
  OwnedSeries b{{{"__name__", "up"}}, {{staleNaN(), 3000}}};
  std::vector<const OwnedSeries*> series = {&a, &b};
  std::vector<MetricMetadata> md = {{"x", MetricKind::kCounter, "Things.", ""}};
  std::string out = "prefix";
  encodeWriteRequest(series, md, out);
  ASSERT_EQ(out.substr(0, 6), "prefix");
  EXPECT_EQ(out.size() - 6,
            encodedSeriesSize(a) + encodedSeriesSize(b) + encodedMetadataSize(md[0]));
  prometheus::WriteRequest req;
  ASSERT_TRUE(req.ParseFromString(out.substr(6)));
  ASSERT_EQ(req.timeseries_size(), 2);
  const auto& ta = req.timeseries(0);
  ASSERT_EQ(ta.labels_size(), 2);
  EXPECT_EQ(ta.labels(1).name(), "env");
  EXPECT_EQ(ta.labels(1).value(), "prod");
  ASSERT_EQ(ta.samples_size(), 3);
  EXPECT_EQ(ta.samples(0).value(), 1.5);
  EXPECT_EQ(ta.samples(0).timestamp(), 1000);
  EXPECT_EQ(ta.samples(1).value(), 0.0);
  EXPECT_EQ(ta.samples(1).timestamp(), 2000);
  EXPECT_EQ(ta.samples(2).value(), -3.0);
  EXPECT_EQ(ta.samples(2).timestamp(), 0);
  ASSERT_EQ(req.timeseries(1).samples_size(), 1);
  EXPECT_TRUE(isStaleNaN(req.timeseries(1).samples(0).value()));
  ASSERT_EQ(req.metadata_size(), 1);
  EXPECT_EQ(req.metadata(0).type(), prometheus::MetricMetadata::COUNTER);
  EXPECT_EQ(req.metadata(0).metric_family_name(), "x");
  EXPECT_EQ(req.metadata(0).help(), "Things.");
  EXPECT_EQ(req.metadata(0).unit(), "");
  // And our decoder reads it back the same.
  Arena arena;
  auto r = decodeWriteRequest(std::string_view(out).substr(6), arena);
  ASSERT_TRUE(r.isOk());
  EXPECT_EQ(r->sampleCount(), 4u);
  EXPECT_EQ(r->series[0].samples[2].value, -3.0);
}

}  // namespace
}  // namespace periscope::model::prom
