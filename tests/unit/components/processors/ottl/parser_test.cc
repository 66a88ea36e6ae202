#include "components/processors/internal/ottl/parser.h"

#include <gtest/gtest.h>

namespace periscope::ottl {
namespace {

std::string parseCond(const std::string& text) {
  ParsedStatement s;
  SyntaxError e;
  if (!parseCondition(text, s, e)) return "error: " + e.toString();
  return s.print();
}

std::string parseStmt(const std::string& text) {
  ParsedStatement s;
  SyntaxError e;
  if (!parseStatement(text, s, e)) return "error: " + e.toString();
  return s.print();
}

TEST(OttlParser, ValidConditionsPrintCanonically) {
  const std::pair<const char*, const char*> cases[] = {
      {"name == \"a\"", "(name == \"a\")"},
      {"attributes[\"http.method\"] != \"GET\"", "(attributes[\"http.method\"] != \"GET\")"},
      {"resource.attributes[\"k\"] == nil", "(resource.attributes[\"k\"] == nil)"},
      {"a == 1 or b == 2 and c == 3", "((a == 1) or ((b == 2) and (c == 3)))"},
      {"(a == 1 or b == 2) and c == 3", "(((a == 1) or (b == 2)) and (c == 3))"},
      {"not IsMatch(name, \"^GET\")", "not IsMatch(name, \"^GET\")"},
      {"not not true", "not not true"},
      {"end_time_unix_nano - start_time_unix_nano > 1000000",
       "((end_time_unix_nano - start_time_unix_nano) > 1000000)"},
      {"1 + 2 * 3 - 4 / 2 == 5", "(((1 + (2 * 3)) - (4 / 2)) == 5)"},
      {"(1 + 2) * 3 >= 9", "(((1 + 2) * 3) >= 9)"},
      {"x < -1.5e3", "(x < -1500.0)"},
      {"x <= -2", "(x <= -2)"},
      {"-x > 0.25", "(-x > 0.25)"},
      {"kind == SPAN_KIND_SERVER", "(kind == SPAN_KIND_SERVER)"},
      {"trace_id == TraceID(0x0102030405060708090A0B0C0D0E0F10)",
       "(trace_id == TraceID(0x0102030405060708090a0b0c0d0e0f10))"},
      {"attributes[\"list\"][0] == \"a\\\"b\\\\\"", "(attributes[\"list\"][0] == \"a\\\"b\\\\\")"},
      {"Len(Concat([name, \"x\", 1], \"-\")) > 3", "(Len(Concat([name, \"x\", 1], \"-\")) > 3)"},
      {"IsString(body)", "IsString(body)"},
      {"false", "false"},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(parseCond(in), want) << in;
}

TEST(OttlParser, ValidStatementsPrintCanonically) {
  const std::pair<const char*, const char*> cases[] = {
      {"set(attributes[\"x\"], \"y\")", "set(attributes[\"x\"], \"y\")"},
      {"set(name, \"n\") where kind == SPAN_KIND_CLIENT",
       "set(name, \"n\") where (kind == SPAN_KIND_CLIENT)"},
      {"limit(attributes, 2, [\"a\", \"b\"])", "limit(attributes, 2, [\"a\", \"b\"])"},
      {"delete_key(attributes, \"k\") where attributes[\"k\"] != nil and not false",
       "delete_key(attributes, \"k\") where ((attributes[\"k\"] != nil) and not false)"},
      {"keep_keys(attributes, [])", "keep_keys(attributes, [])"},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(parseStmt(in), want) << in;
}

TEST(OttlParser, InvalidInputNamesTheColumn) {
  const std::pair<const char*, const char*> conditions[] = {
      {"name == ", "error: column 9: unexpected end of statement"},
      {"IsMatch(name, \"x\"))", "error: column 19: unexpected token \")\""},
      {"name = \"a\"", "error: column 6: unexpected \"=\"; use \"==\" to compare"},
      {"name == \"a", "error: column 9: unterminated string"},
      {"a == 1 == 2", "error: column 8: unexpected token \"==\""},
      {"(a == 1", "error: column 8: unexpected end of statement"},
      {"attributes[name] == 1", "error: column 12: unexpected token \"name\""},
      {"name == 'a'", "error: column 9: unexpected character '''"},
      {"x == 0x123", "error: column 6: bytes literal needs an even, non-zero number of hex digits"},
      {"a and or b", "error: column 7: unexpected token \"or\""},
      {"name == 12ab", "error: column 11: invalid number"},
      {"x == 99999999999999999999", "error: column 6: integer out of range: 99999999999999999999"},
      {"", "error: column 1: unexpected end of statement"},
  };
  for (const auto& [in, want] : conditions) EXPECT_EQ(parseCond(in), want) << in;
  const std::pair<const char*, const char*> statements[] = {
      {"name == \"a\"",
       "error: column 1: expected an editor call such as set(...), found \"name\""},
      {"set(name, \"a\") when true", "error: column 16: unexpected token \"when\""},
      {"set(name, \"a\" where true", "error: column 15: unexpected token \"where\""},
      {"set(name, \"a\") where", "error: column 21: unexpected end of statement"},
  };
  for (const auto& [in, want] : statements) EXPECT_EQ(parseStmt(in), want) << in;
}

}  // namespace
}  // namespace periscope::ottl
