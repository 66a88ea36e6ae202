#include "components/processors/resourcedetection/detectors/system_detector.h"

#include <gtest/gtest.h>

#include "detect_test_util.h"

namespace periscope::components::resourcedetection {
namespace {

using testing::asStrings;
using testing::Attrs;

SystemConfig withSources(std::vector<std::string> sources) {
  SystemConfig c;
  c.hostname_sources.clear();
  for (auto& s : sources) c.hostname_sources.push_back({s});
  return c;
}

TEST(SystemDetector, HostNameFromTheFirstSourceThatAnswers) {
  struct Case {
    std::vector<std::string> sources;
    std::string os, canonical, reverse;
    std::string expected;
  };
  const Case cases[] = {
      {{"dns", "os"}, "web-1", "web-1.example.com", "", "web-1.example.com"},
      {{"dns", "os"}, "web-1", "", "", "web-1"},  // no FQDN: falls back to the OS name
      {{"os"}, "web-1", "web-1.example.com", "", "web-1"},
      {{"cname"}, "web-1", "web-1.internal", "", "web-1.internal"},
      {{"lookup", "os"}, "web-1", "", "ip-10-0-0-1.ec2.internal", "ip-10-0-0-1.ec2.internal"},
      {{"lookup", "os"}, "web-1", "", "", "web-1"},
  };
  for (const auto& c : cases) {
    StaticEnvironment env;
    env.host_name = c.os;
    env.canonical_name = c.canonical;
    env.reverse_name = c.reverse;
    SystemDetector d(withSources(c.sources));
    auto r = testing::runDetector(d, env);
    ASSERT_TRUE(r.isOk()) << r.status().message();
    EXPECT_EQ(asStrings(*r), (Attrs{{"host.name", c.expected}, {"os.type", "linux"}}));
  }
}

TEST(SystemDetector, NoHostNameIsAnError) {
  StaticEnvironment env;  // no host name, no DNS
  SystemDetector d(withSources({"dns", "os"}));
  auto r = testing::runDetector(d, env);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().message(),
            "failed getting host name (dns: gethostname failed; os: gethostname failed)");
}

TEST(SystemDetector, OptionalAttributes) {
  StaticEnvironment env;
  env.host_name = "web-1";
  env.machine_name = "aarch64";
  env.files["/etc/machine-id"] = "4c4c4544003957108052b4c04f384833\n";
  SystemConfig c = withSources({"os"});
  c.resource_attributes.configured = {{"host.arch", true}, {"host.id", true}, {"os.type", false}};
  SystemDetector d(c);
  auto r = testing::runDetector(d, env);
  ASSERT_TRUE(r.isOk());
  EXPECT_EQ(asStrings(*r), (Attrs{{"host.name", "web-1"},
                                  {"host.arch", "arm64"},
                                  {"host.id", "4c4c4544003957108052b4c04f384833"}}));
}

TEST(SystemDetector, HostIdFallsBackToDbusMachineId) {
  StaticEnvironment env;
  env.host_name = "web-1";
  env.files["/var/lib/dbus/machine-id"] = "abc123\n";
  SystemConfig c = withSources({"os"});
  c.resource_attributes.configured = {{"host.id", true}};
  SystemDetector d(c);
  auto r = testing::runDetector(d, env);
  ASSERT_TRUE(r.isOk());
  EXPECT_EQ(asStrings(*r).at("host.id"), "abc123");
}

TEST(SystemDetector, ArchitectureNames) {
  const std::pair<const char*, const char*> cases[] = {
      {"x86_64", "amd64"},  {"aarch64", "arm64"}, {"i686", "x86"},        {"armv7l", "arm32"},
      {"ppc64le", "ppc64"}, {"s390x", "s390x"},   {"riscv64", "riscv64"},
  };
  for (const auto& [machine, arch] : cases) EXPECT_EQ(hostArch(machine), arch) << machine;
}

}  // namespace
}  // namespace periscope::components::resourcedetection
