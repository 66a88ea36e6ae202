// file_storage: directory checks at start, one locked directory per queue, and queues that
// survive the extension being closed and reopened.
#include "components/extensions/file_storage/file_storage.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "config/loader.h"
#include "pipeline/helpers/queue_storage.h"
#include "support/null_host.h"
#include "support/temp_dir.h"

namespace periscope::components::file_storage {
namespace {

std::unique_ptr<component::Component> make(const std::string& dir, bool create) {
  auto factory = makeFactory();
  auto cfg = factory->createDefaultConfig();
  auto& c = static_cast<Config&>(*cfg);
  c.directory = dir;
  c.create_directory = create;
  auto ext = factory->create({{"file_storage", ""}, component::Kind::kExtension, ""}, c);
  EXPECT_TRUE(ext.isOk());
  return std::move(ext).value();
}

pipeline::QueueStorage& storage(component::Component& c) {
  return dynamic_cast<pipeline::QueueStorage&>(c);
}

TEST(FileStorage, AMissingDirectoryIsAnErrorUnlessCreateDirectory) {
  testing::TempDir tmp;
  testing::NullHost host;
  std::string dir = tmp.file("not/there");
  Status st = make(dir, false)->start(host);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find(dir), std::string_view::npos) << st.toString();
  EXPECT_NE(st.message().find("create_directory"), std::string_view::npos);
  EXPECT_TRUE(make(dir, true)->start(host).isOk());
  EXPECT_TRUE(std::filesystem::is_directory(dir));
}

TEST(FileStorage, AQueueDirectoryIsUsedByOneOwnerAtATime) {
  testing::TempDir tmp;
  testing::NullHost host;
  auto first = make(tmp.path().string(), false);
  auto second = make(tmp.path().string(), false);
  ASSERT_TRUE(first->start(host).isOk());
  ASSERT_TRUE(second->start(host).isOk());
  auto q = storage(*first).openQueue("exporter_otlp_traces");
  ASSERT_TRUE(q.isOk()) << q.status().toString();
  auto again = storage(*first).openQueue("exporter_otlp_traces");
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  auto other = storage(*second).openQueue("exporter_otlp_traces");
  ASSERT_FALSE(other.isOk()) << "a second process (here: extension) must not share the queue";
  EXPECT_NE(other.status().message().find("in use by another process"), std::string_view::npos)
      << other.status().toString();
  // A different queue in the same directory is fine.
  EXPECT_TRUE(storage(*second).openQueue("exporter_otlp_logs").isOk());
}

TEST(FileStorage, ItemsSurviveReopeningTheQueue) {
  testing::TempDir tmp;
  testing::NullHost host;
  {
    auto ext = make(tmp.path().string(), false);
    ASSERT_TRUE(ext->start(host).isOk());
    auto q = storage(*ext).openQueue("exporter_otlp_traces");
    ASSERT_TRUE(q.isOk());
    ASSERT_TRUE((*q)->append("first", 3).isOk());
    ASSERT_TRUE((*q)->append("second", 4).isOk());
    auto item = (*q)->next();
    ASSERT_TRUE(item.isOk() && item->has_value());
    ASSERT_TRUE((*q)->ack((*item)->id).isOk());
  }
  auto ext = make(tmp.path().string(), false);
  ASSERT_TRUE(ext->start(host).isOk());
  auto q = storage(*ext).openQueue("exporter_otlp_traces");
  ASSERT_TRUE(q.isOk()) << "the lock died with the first owner";
  EXPECT_EQ((*q)->recovered(), 1u);
  EXPECT_EQ((*q)->size().items, 4u);
  auto item = (*q)->next();
  ASSERT_TRUE(item.isOk() && item->has_value());
  EXPECT_EQ((*item)->payload, "second");
}

}  // namespace
}  // namespace periscope::components::file_storage
