// The filelog receiver as the service runs it: storage found through the host, its own polling
// thread, and a clean stop. Waits are on conditions with deadlines, never sleeps.
#include <gtest/gtest.h>

#include <map>

#include "components/extensions/file_storage/file_storage.h"
#include "filelog_fixture.h"
#include "pipeline/helpers/storage_client.h"
#include "support/fake_consumer.h"
#include "support/temp_dir.h"

namespace periscope::components::filelog {
namespace {

class MapHost : public component::Host {
 public:
  component::Component* extension(const component::ComponentId& id) override {
    auto it = extensions.find(id.toString());
    return it == extensions.end() ? nullptr : it->second;
  }
  void reportFatalError(const component::ComponentId&, const Status&) override {}
  std::map<std::string, component::Component*> extensions;
};

std::unique_ptr<component::Component> makeReceiver(const Config& c, pipeline::Consumers next) {
  auto r = makeFactory()->create({{"filelog", ""}, component::Kind::kReceiver, ""}, c, next);
  EXPECT_TRUE(r.isOk()) << r.status().toString();
  return std::move(r).value();
}

TEST(FilelogReceiver, StorageMustNameAStorageExtension) {
  periscope::testing::TempDir dir;
  auto c = testing::decode("include: ['" + dir.file("*.log") + "']\nstorage: file_storage");
  periscope::testing::RecordingConsumer<model::Logs> consumer;
  pipeline::Consumers next;
  next.logs = &consumer;
  MapHost host;
  auto r = makeReceiver(*c, next);
  Status st = r->start(host);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("storage: \"file_storage\" is not a storage extension"),
            std::string_view::npos)
      << st.toString();
  EXPECT_TRUE(r->shutdown(component::Deadline::max()).isOk());
}

TEST(FilelogReceiver, ReadsOnItsOwnThreadAndResumesFromItsCheckpoint) {
  periscope::testing::TempDir dir;
  testing::writeFile(dir.file("a.log"), "one\ntwo\n");
  auto storage_factory = file_storage::makeFactory();
  auto storage_cfg = storage_factory->createDefaultConfig();
  static_cast<file_storage::Config&>(*storage_cfg).directory = dir.file("state");
  static_cast<file_storage::Config&>(*storage_cfg).create_directory = true;
  auto c = testing::decode("include: ['" + dir.file("*.log") +
                           "']\nstart_at: beginning\npoll_interval: 10ms\nstorage: file_storage");
  periscope::testing::RecordingConsumer<model::Logs> consumer;
  pipeline::Consumers next;
  next.logs = &consumer;
  for (int run = 0; run < 2; ++run) {
    auto ext = storage_factory->create({{"file_storage", ""}, component::Kind::kExtension, ""},
                                       *storage_cfg);
    ASSERT_TRUE(ext.isOk());
    MapHost host;
    host.extensions["file_storage"] = ext->get();
    ASSERT_TRUE((*ext)->start(host).isOk());
    auto r = makeReceiver(*c, next);
    ASSERT_TRUE(r->start(host).isOk());
    if (run == 0) {
      ASSERT_TRUE(consumer.waitForBatches(1));
      EXPECT_EQ(consumer.totalItems(), 2u);
    } else {
      testing::appendFile(dir.file("a.log"), "three\n");
      ASSERT_TRUE(consumer.waitForBatches(2));
      EXPECT_EQ(consumer.totalItems(), 3u);  // only the new line: the checkpoint held
    }
    EXPECT_TRUE(r->shutdown(component::Deadline::max()).isOk());
    EXPECT_TRUE(r->shutdown(component::Deadline::max()).isOk());  // idempotent
    EXPECT_TRUE((*ext)->shutdown(component::Deadline::max()).isOk());
  }
  EXPECT_EQ(consumer.counts.size(), 2u);
}

TEST(FilelogReceiver, ShutdownReturnsAtItsDeadlineWithBatchesUnanswered) {
  periscope::testing::TempDir dir;
  testing::writeFile(dir.file("a.log"), "one\n");
  auto c = testing::decode("include: ['" + dir.file("*.log") + "']\nstart_at: beginning");
  periscope::testing::RecordingConsumer<model::Logs> consumer;
  consumer.hold = true;  // the pipeline never answers before the shutdown
  pipeline::Consumers next;
  next.logs = &consumer;
  MapHost host;
  {
    auto r = makeReceiver(*c, next);
    ASSERT_TRUE(r->start(host).isOk());
    ASSERT_TRUE(consumer.waitForBatches(1));
    EXPECT_TRUE(r->shutdown(std::chrono::steady_clock::now()).isOk());
  }
  consumer.releaseHeld(Status::ok());  // after the receiver is gone
  EXPECT_EQ(consumer.totalItems(), 1u);
}

}  // namespace
}  // namespace periscope::components::filelog
