// file_storage's key-value client: values survive reopening, writes replace the file
// atomically, a damaged file is set aside, and one client name has one owner at a time.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "components/extensions/file_storage/file_storage.h"
#include "components/extensions/file_storage/kv_file.h"
#include "pipeline/helpers/storage_client.h"
#include "support/null_host.h"
#include "support/temp_dir.h"

namespace periscope::components::file_storage {
namespace {

TEST(KvFile, ValuesSurviveReopening) {
  testing::TempDir tmp;
  std::string path = tmp.file("data.kv");
  {
    auto kv = KvFile::open(path, true);
    ASSERT_TRUE(kv.isOk());
    ASSERT_TRUE((*kv)->set("a", "1").isOk());
    ASSERT_TRUE((*kv)->set("b", std::string("\0two", 4)).isOk());
    ASSERT_TRUE((*kv)->set("a", "one").isOk());
    ASSERT_TRUE((*kv)->set("c", "3").isOk());
    ASSERT_TRUE((*kv)->remove("c").isOk());
  }
  auto kv = KvFile::open(path, false);
  ASSERT_TRUE(kv.isOk());
  EXPECT_EQ(*(*kv)->get("a").value(), "one");
  EXPECT_EQ(*(*kv)->get("b").value(), std::string("\0two", 4));
  EXPECT_FALSE((*kv)->get("c").value().has_value());
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST(KvFile, ADamagedFileIsSetAsideAndTheStoreStartsEmpty) {
  testing::TempDir tmp;
  std::string path = tmp.file("data.kv");
  {
    auto kv = KvFile::open(path, false);
    ASSERT_TRUE((*kv)->set("key", "value").isOk());
  }
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(-1, std::ios::end);
    f.put('X');  // flips the checksum
  }
  auto kv = KvFile::open(path, false);
  ASSERT_TRUE(kv.isOk());
  EXPECT_FALSE((*kv)->get("key").value().has_value());
  EXPECT_TRUE(std::filesystem::exists(path + ".corrupt"));
}

TEST(KvFile, DecodeRejectsTruncatedImages) {
  std::map<std::string, std::string, std::less<>> pairs = {{"k", "v"}}, out;
  std::string image = KvFile::encode(pairs);
  ASSERT_TRUE(KvFile::decode(image, out).isOk());
  EXPECT_EQ(out, pairs);
  EXPECT_EQ(KvFile::decode(image.substr(0, image.size() - 1), out).code(), StatusCode::kDataLoss);
}

TEST(FileStorageClient, OneOwnerPerClientName) {
  testing::TempDir tmp;
  testing::NullHost host;
  auto factory = makeFactory();
  auto cfg = factory->createDefaultConfig();
  static_cast<Config&>(*cfg).directory = tmp.path().string();
  auto ext = factory->create({{"file_storage", ""}, component::Kind::kExtension, ""}, *cfg);
  ASSERT_TRUE(ext.isOk());
  ASSERT_TRUE((*ext)->start(host).isOk());
  auto& kv = dynamic_cast<pipeline::KeyValueStorage&>(**ext);
  auto client = kv.openClient("receiver_filelog");
  ASSERT_TRUE(client.isOk()) << client.status().toString();
  ASSERT_TRUE((*client)->set("checkpoints", "x").isOk());
  EXPECT_EQ(kv.openClient("receiver_filelog").status().code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(std::filesystem::exists(tmp.file("receiver_filelog/data.kv")));
  EXPECT_EQ(pipeline::storageClientName(component::Kind::kReceiver, {"filelog", "app/1"}),
            "receiver_filelog_app_1");
}

}  // namespace
}  // namespace periscope::components::file_storage
