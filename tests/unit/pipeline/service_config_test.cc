// Table test over testdata/: every valid config builds; every invalid config reports exactly the
// errors listed in its .errors file (all at once, with file:line:column and YAML path).
#include "pipeline/service_config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "components/builtin_components.h"
#include "config/loader.h"

namespace periscope::pipeline {
namespace {

namespace fs = std::filesystem;

fs::path testdata() {
  return fs::path(PERISCOPE_SOURCE_DIR) / "tests/unit/pipeline/testdata";
}

std::string readFile(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Loaded {
  ServiceConfig config;
  config::Diagnostics diags;
  bool ok;
};

std::unique_ptr<Loaded> load(const fs::path& file) {
  component::Registry registry;
  components::registerBuiltins(registry);
  auto out = std::make_unique<Loaded>();
  config::Value root = config::loadYamlString(readFile(file), file.filename().string(), out->diags);
  out->ok = out->diags.ok() && buildServiceConfig(root, registry, out->config, out->diags);
  return out;
}

TEST(ServiceConfig, ValidConfigsBuild) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(testdata() / "valid")) {
    auto l = load(e.path());
    EXPECT_TRUE(l->ok) << e.path() << "\n" << l->diags.format();
    ++n;
  }
  EXPECT_GT(n, 0);
}

TEST(ServiceConfig, FullConfigDecodesPipelinesAndTelemetry) {
  auto l = load(testdata() / "valid/full.yaml");
  ASSERT_TRUE(l->ok) << l->diags.format();
  const ServiceConfig& c = l->config;
  ASSERT_EQ(c.pipelines.size(), 4u);
  EXPECT_EQ(c.pipelines[0].name, "traces");
  EXPECT_EQ(c.pipelines[0].receivers.size(), 2u);
  EXPECT_EQ(c.pipelines[0].receivers[1].toString(), "otlp/internal");
  EXPECT_EQ(c.pipelines[1].name, "traces/2");
  EXPECT_EQ(c.pipelines[1].signal, component::Signal::kTraces);
  EXPECT_EQ(c.pipelines[2].signal, component::Signal::kMetrics);
  EXPECT_EQ(c.telemetry.metrics.level, "detailed");
  EXPECT_EQ(c.telemetry.logs.encoding, "json");
  EXPECT_EQ(c.extensions.size(), 1u);
  EXPECT_NE(c.find(component::Kind::kProcessor, {"batch", "small"}), nullptr);
}

TEST(ServiceConfig, InvalidConfigsReportExactErrors) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(testdata() / "invalid")) {
    if (e.path().extension() != ".yaml") continue;
    auto l = load(e.path());
    EXPECT_FALSE(l->ok) << e.path();
    fs::path expected = e.path();
    expected.replace_extension(".errors");
    EXPECT_EQ(l->diags.format(), readFile(expected)) << e.path();
    ++n;
  }
  EXPECT_GE(n, 3);
}

}  // namespace
}  // namespace periscope::pipeline
