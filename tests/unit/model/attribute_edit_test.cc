// In-place attribute edits: insert/update/upsert semantics, order kept on removal, and copies
// that do not point at the caller's strings.
#include "model/attribute_edit.h"

#include <gtest/gtest.h>

#include <string>

#include "model/any_value_json.h"

namespace periscope::model {
namespace {

std::string json(Attributes attrs) {
  std::string out;
  appendCompactJson(AnyValue::kvlist(attrs), out);
  return out;
}

Attributes make(Arena& arena) {
  auto kvs = arena.allocArray<KeyValue>(3);
  kvs[0] = {"a", AnyValue::integer(1)};
  kvs[1] = {"b", AnyValue::string("x")};
  kvs[2] = {"c", AnyValue::boolean(true)};
  return kvs;
}

TEST(AttributeEditTest, InsertOnlyAddsAbsentKeys) {
  Arena arena;
  Attributes attrs = make(arena);
  EXPECT_FALSE(setAttribute(arena, attrs, "a", AnyValue::integer(9), SetMode::kInsert));
  EXPECT_TRUE(setAttribute(arena, attrs, "d", AnyValue::dbl(2.5), SetMode::kInsert));
  EXPECT_EQ(json(attrs), R"({"a":1,"b":"x","c":true,"d":2.5})");
}

TEST(AttributeEditTest, UpdateOnlyChangesPresentKeys) {
  Arena arena;
  Attributes attrs = make(arena);
  EXPECT_TRUE(setAttribute(arena, attrs, "b", AnyValue::string("y"), SetMode::kUpdate));
  EXPECT_FALSE(setAttribute(arena, attrs, "z", AnyValue::string("y"), SetMode::kUpdate));
  EXPECT_EQ(json(attrs), R"({"a":1,"b":"y","c":true})");
}

TEST(AttributeEditTest, UpsertDoesBoth) {
  Arena arena;
  Attributes attrs = make(arena);
  EXPECT_TRUE(setAttribute(arena, attrs, "a", AnyValue::string("s"), SetMode::kUpsert));
  EXPECT_TRUE(setAttribute(arena, attrs, "e", AnyValue::integer(5), SetMode::kUpsert));
  EXPECT_EQ(json(attrs), R"({"a":"s","b":"x","c":true,"e":5})");
}

TEST(AttributeEditTest, InsertedKeyAndValueAreCopiedIntoTheArena) {
  Arena arena;
  Attributes attrs;
  std::string key = "key";
  std::string value = "value";
  setAttribute(arena, attrs, key, AnyValue::string(value), SetMode::kUpsert);
  key = "XXX";
  value = "XXXXX";
  EXPECT_EQ(json(attrs), R"({"key":"value"})");
}

TEST(AttributeEditTest, RemoveKeepsOrder) {
  Arena arena;
  Attributes attrs = make(arena);
  EXPECT_TRUE(removeAttribute(attrs, "b"));
  EXPECT_FALSE(removeAttribute(attrs, "b"));
  EXPECT_EQ(json(attrs), R"({"a":1,"c":true})");
  attrs = make(arena);
  EXPECT_EQ(removeAttributesIf(attrs, [](const KeyValue& kv) { return kv.key != "b"; }), 2u);
  EXPECT_EQ(json(attrs), R"({"b":"x"})");
}

}  // namespace
}  // namespace periscope::model
