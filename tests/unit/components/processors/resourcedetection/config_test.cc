// The processor's config through the real loader: a full config decodes into the expected
// values; mistakes are reported with file:line:column, YAML path and exact messages.
#include "components/processors/resourcedetection/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "components/builtin_components.h"
#include "config/loader.h"
#include "pipeline/service_config.h"

namespace periscope::components::resourcedetection {
namespace {

namespace fs = std::filesystem;

fs::path testdata() {
  return fs::path(PERISCOPE_SOURCE_DIR) /
         "tests/unit/components/processors/resourcedetection/testdata";
}

std::string readFile(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Loaded {
  pipeline::ServiceConfig config;
  config::Diagnostics diags;
  bool ok = false;
};

std::unique_ptr<Loaded> load(const std::string& name) {
  component::Registry registry;
  registerBuiltins(registry);
  auto out = std::make_unique<Loaded>();
  config::Value root = config::loadYamlString(readFile(testdata() / name), name, out->diags);
  out->ok =
      out->diags.ok() && pipeline::buildServiceConfig(root, registry, out->config, out->diags);
  return out;
}

TEST(ResourceDetectionConfig, Defaults) {
  Config c;
  ASSERT_EQ(c.detectors.size(), 1u);
  EXPECT_EQ(c.detectors[0].value, "env");
  EXPECT_EQ(c.timeout, std::chrono::seconds(5));
  EXPECT_TRUE(c.override_existing);
  EXPECT_FALSE(c.fail_on_missing_metadata);
  ASSERT_EQ(c.system.hostname_sources.size(), 2u);
  EXPECT_EQ(c.system.hostname_sources[0].value, "dns");
  EXPECT_EQ(c.system.hostname_sources[1].value, "os");
  EXPECT_TRUE(c.system.resource_attributes.enabled("host.name"));
  EXPECT_FALSE(c.system.resource_attributes.enabled("host.arch"));
  EXPECT_TRUE(c.eks.resource_attributes.enabled("cloud.platform"));
  EXPECT_FALSE(c.eks.resource_attributes.enabled("k8s.cluster.name"));
  EXPECT_TRUE(c.validate().isOk());
}

TEST(ResourceDetectionConfig, FullConfigDecodes) {
  auto l = load("valid.yaml");
  ASSERT_TRUE(l->ok) << l->diags.format();
  const auto* entry = l->config.find(component::Kind::kProcessor, {"resourcedetection", ""});
  ASSERT_NE(entry, nullptr);
  const auto& c = static_cast<const Config&>(*entry->config);
  std::vector<std::string> names;
  for (const auto& d : c.detectors) names.push_back(d.value);
  EXPECT_EQ(names, (std::vector<std::string>{"env", "lambda", "eks", "ecs", "ec2", "system"}));
  EXPECT_EQ(c.timeout, std::chrono::seconds(2));
  EXPECT_FALSE(c.override_existing);
  EXPECT_TRUE(c.fail_on_missing_metadata);
  EXPECT_TRUE(c.system.resource_attributes.enabled("host.arch"));
  EXPECT_TRUE(c.system.resource_attributes.enabled("host.name"));  // default kept
  EXPECT_EQ(c.ec2.endpoint, "http://127.0.0.1:1338");
  EXPECT_EQ(c.ec2.tags, (std::vector<std::string>{"^team$", "^env"}));
  EXPECT_FALSE(c.ec2.resource_attributes.enabled("host.name"));
  EXPECT_TRUE(c.ecs.resource_attributes.enabled("container.name"));
  EXPECT_EQ(c.eks.cluster_name, "prod");
  EXPECT_FALSE(c.lambda.resource_attributes.enabled("faas.instance"));
}

TEST(ResourceDetectionConfig, InvalidConfigReportsExactErrors) {
  auto l = load("invalid.yaml");
  EXPECT_FALSE(l->ok);
  EXPECT_EQ(l->diags.format(), readFile(testdata() / "invalid.errors"));
}

}  // namespace
}  // namespace periscope::components::resourcedetection
