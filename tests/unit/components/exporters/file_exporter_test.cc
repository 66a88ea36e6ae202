#include "components/exporters/file/file_exporter.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "model/otlp/json_decoder.h"
#include "model/otlp/proto_decoder.h"
#include "model/otlp/proto_encoder.h"
#include "support/fake_consumer.h"
#include "support/null_host.h"
#include "support/temp_dir.h"

namespace periscope::components::file_exporter {
namespace {

namespace fs = std::filesystem;

std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::unique_ptr<pipeline::ConsumerComponent> make(const Config& c) {
  auto f = makeFactory();
  auto e =
      f->create({{"file", ""}, component::Kind::kExporter, ""}, c, {pipeline::Signal::kTraces});
  EXPECT_TRUE(e.isOk());
  return std::move(e).value();
}

TEST(FileExporter, WritesOneJsonRequestPerLine) {
  testing::TempDir dir;
  Config c;
  c.path = dir.file("out/traces.jsonl");
  auto e = make(c);
  testing::NullHost host;
  ASSERT_TRUE(e->start(host).isOk());
  model::Traces a = testing::makeSpans(3), b = testing::makeSpans(2, 1, 9);
  std::string a_bytes, b_bytes;
  model::otlp::encode(a, a_bytes);
  model::otlp::encode(b, b_bytes);
  ASSERT_TRUE(pipeline::consumeAndWait(*e->input().traces, std::move(a)).isOk());
  ASSERT_TRUE(pipeline::consumeAndWait(*e->input().traces, std::move(b)).isOk());
  ASSERT_TRUE(e->shutdown(std::chrono::steady_clock::now()).isOk());
  std::istringstream lines(readAll(c.path));
  std::vector<std::string> got;
  for (std::string line; std::getline(lines, line);) {
    auto decoded = model::otlp::decodeTracesJson(std::string(line));
    ASSERT_TRUE(decoded.isOk()) << decoded.status().toString();
    std::string bytes;
    model::otlp::encode(*decoded, bytes);
    got.push_back(bytes);
  }
  EXPECT_EQ(got, (std::vector<std::string>{a_bytes, b_bytes}));
}

TEST(FileExporter, ProtoFormatIsLengthPrefixed) {
  testing::TempDir dir;
  Config c;
  c.path = dir.file("traces.pb");
  c.format = "proto";
  auto e = make(c);
  testing::NullHost host;
  ASSERT_TRUE(e->start(host).isOk());
  model::Traces a = testing::makeSpans(4);
  std::string expected;
  model::otlp::encode(a, expected);
  ASSERT_TRUE(pipeline::consumeAndWait(*e->input().traces, std::move(a)).isOk());
  (void)e->shutdown(std::chrono::steady_clock::now());
  std::string data = readAll(c.path);
  ASSERT_EQ(data.size(), 4 + expected.size());
  uint32_t len = (uint8_t(data[0]) << 24) | (uint8_t(data[1]) << 16) | (uint8_t(data[2]) << 8) |
                 uint8_t(data[3]);
  EXPECT_EQ(len, expected.size());
  EXPECT_EQ(data.substr(4), expected);
}

TEST(FileExporter, RotatesBySizeAndKeepsMaxBackups) {
  testing::TempDir dir;
  Config c;
  c.path = dir.file("t.jsonl");
  c.rotation = Rotation{};
  c.rotation->max_megabytes = 1;
  c.rotation->max_backups = 2;
  auto e = make(c);
  testing::NullHost host;
  ASSERT_TRUE(e->start(host).isOk());
  size_t total = 0;
  for (int i = 0; i < 12; ++i) {  // ~12 × 400 KB → several rotations
    model::Traces t = testing::makeSpans(3000, 1, static_cast<uint8_t>(i + 1));
    total += t.itemCount();
    ASSERT_TRUE(pipeline::consumeAndWait(*e->input().traces, std::move(t)).isOk());
  }
  (void)e->shutdown(std::chrono::steady_clock::now());
  size_t files = 0;
  for (const auto& f : fs::directory_iterator(dir.path())) {
    ++files;
    EXPECT_LE(fs::file_size(f.path()), 1u << 20) << f.path();
  }
  EXPECT_EQ(files, 3u);  // the live file + 2 backups
}

TEST(FileExporter, ReportsUnwritablePath) {
  Config c;
  c.path = "/proc/periscope-cannot-write-here/x.jsonl";
  auto e = make(c);
  testing::NullHost host;
  Status st = e->start(host);
  EXPECT_FALSE(st.isOk());
  EXPECT_NE(st.message().find(c.path), std::string::npos);
}

}  // namespace
}  // namespace periscope::components::file_exporter
