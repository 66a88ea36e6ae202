// Deep copies of attribute values: every byte of the copy lives in the target arena.
#include "model/any_value_copy.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "model/any_value_json.h"

namespace periscope::model {
namespace {

TEST(AnyValueCopyTest, CopiesNestedValuesIntoTheArena) {
  auto source = std::make_unique<Arena>();
  std::string key = "k";
  std::string str = "text";
  auto inner = source->allocArray<AnyValue>(2);
  inner[0] = AnyValue::string(str);
  inner[1] = AnyValue::integer(7);
  auto kvs = source->allocArray<KeyValue>(3);
  kvs[0] = {key, AnyValue::array(inner)};
  kvs[1] = {"b", AnyValue::bytes("\x01\x02")};
  kvs[2] = {"d", AnyValue::dbl(1.5)};

  Arena target;
  Attributes copy = copyAttributes(target, kvs);
  EXPECT_NE(copy[0].key.data(), key.data());
  EXPECT_NE(copy[0].value.arrayValues()[0].str().data(), str.data());
  std::string before;
  appendCompactJson(AnyValue::kvlist(copy), before);
  // Overwrite the source's strings: the copy must not change.
  key = "X";
  str = "XXXX";
  source.reset();
  std::string after;
  appendCompactJson(AnyValue::kvlist(copy), after);
  EXPECT_EQ(before, R"({"k":["text",7],"b":"AQI=","d":1.5})");
  EXPECT_EQ(after, before);
  EXPECT_EQ(copy[1].value.type(), AnyValue::Type::kBytes);
}

}  // namespace
}  // namespace periscope::model
