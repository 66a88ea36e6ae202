// filelog operators: json/regex parsing, timestamps (strptime, Go layouts, epoch), severity
// (preset and custom mapping) and trace context, including the X-Ray header form.
#include <gtest/gtest.h>

#include "components/receivers/filelog/operators.h"
#include "components/receivers/filelog/timestamp.h"
#include "filelog_fixture.h"

namespace periscope::components::filelog {
namespace {

using testing::decode;

// Runs the config's chain on one line, as the receiver does (chain, then trace lifting).
Entry run(const std::string& yaml, const std::string& line, bool* dropped = nullptr) {
  auto cfg = decode("include: [x]\n" + yaml);
  Status st = cfg->validate();
  EXPECT_TRUE(st.isOk()) << st.toString();
  OperatorChain chain = OperatorChain::build(cfg->operators);
  Entry e;
  e.body = line;
  auto outcome = chain.apply(e);
  if (dropped != nullptr) *dropped = outcome.drop;
  if (!outcome.drop) liftTraceContext(e);
  return e;
}

uint64_t parseTime(const std::string& type, const std::string& layout, const std::string& text) {
  TimeParserConfig c;
  c.parse_from = "body";
  c.layout_type = type;
  c.layout = layout;
  auto t = TimeLayout(c).parse(text);
  EXPECT_TRUE(t.isOk()) << layout << " " << text << ": " << t.status().toString();
  return t.isOk() ? *t : 0;
}

// 2024-05-01T10:34:56Z
constexpr uint64_t kSecs = 1714559696;

TEST(FilelogTime, StrptimeWithFractionsAndOffsets) {
  EXPECT_EQ(parseTime("strptime", "%Y-%m-%dT%H:%M:%S.%f%z", "2024-05-01T12:34:56.123456+0200"),
            kSecs * 1000000000 + 123456000);
  EXPECT_EQ(parseTime("strptime", "%Y-%m-%d %H:%M:%S,%L", "2024-05-01 10:34:56,007"),
            kSecs * 1000000000 + 7000000);
  EXPECT_EQ(parseTime("strptime", "%d/%b/%Y:%H:%M:%S %z", "01/May/2024:05:34:56 -0500"),
            kSecs * 1000000000);
  EXPECT_EQ(parseTime("strptime", "%Y-%m-%dT%H:%M:%SZ", "2024-05-01T10:34:56Z"),
            kSecs * 1000000000);
  EXPECT_EQ(parseTime("strptime", "%Y-%m-%dT%H:%M:%S%z", "2024-05-01T10:34:56Z"),
            kSecs * 1000000000);
  EXPECT_EQ(parseTime("strptime", "%Y-%m-%dT%H:%M:%S%z", "2024-05-01T12:34:56+02:00"),
            kSecs * 1000000000);
}

TEST(FilelogTime, GoLayoutsAreTranslated) {
  EXPECT_EQ(goLayoutToStrptime("2006-01-02T15:04:05.000Z07:00"), "%Y-%m-%dT%H:%M:%S.%s%z");
  EXPECT_EQ(goLayoutToStrptime("Jan _2 15:04:05"), "%b %e %H:%M:%S");
  EXPECT_EQ(parseTime("gotime", "2006-01-02T15:04:05.000Z07:00", "2024-05-01T12:34:56.250+02:00"),
            kSecs * 1000000000 + 250000000);
}

TEST(FilelogTime, EpochInEveryUnit) {
  EXPECT_EQ(parseTime("epoch", "s", "1714559696"), kSecs * 1000000000);
  EXPECT_EQ(parseTime("epoch", "ms", "1714559696123"), kSecs * 1000000000 + 123000000);
  EXPECT_EQ(parseTime("epoch", "us", "1714559696123456"), kSecs * 1000000000 + 123456000);
  EXPECT_EQ(parseTime("epoch", "ns", "1714559696123456789"), kSecs * 1000000000 + 123456789);
  EXPECT_EQ(parseTime("epoch", "s.ms", "1714559696.5"), kSecs * 1000000000 + 500000000);
}

TEST(FilelogTime, MismatchIsAnError) {
  TimeParserConfig c;
  c.layout = "%Y-%m-%d";
  EXPECT_FALSE(TimeLayout(c).parse("yesterday").isOk());
  EXPECT_FALSE(TimeLayout(c).parse("2024-05-01 trailing").isOk());
}

TEST(FilelogOperators, JsonParserWithTimestampSeverityAndTrace) {
  Entry e = run(
      R"(operators:
  - type: json_parser
    timestamp: {parse_from: attributes.ts, layout_type: epoch, layout: ms}
    severity: {parse_from: attributes.level}
)",
      R"({"ts":1714559696123,"level":"WARNING","msg":"slow","trace_id":"5759e988bd862e3fe1be46a994272793","span_id":"53995c3f42cd8ad8","trace_flags":"01","n":3})");
  EXPECT_EQ(e.time_unix_nano, kSecs * 1000000000 + 123000000);
  EXPECT_EQ(e.severity_number, 13);
  EXPECT_EQ(e.severity_text, "WARNING");
  EXPECT_EQ(hexEncode(e.trace_id), "5759e988bd862e3fe1be46a994272793");
  EXPECT_EQ(hexEncode(e.span_id), "53995c3f42cd8ad8");
  EXPECT_EQ(e.flags, 1u);
  EXPECT_EQ(e.attributes["msg"], "slow");
  EXPECT_EQ(e.attributes["n"], 3);
  EXPECT_TRUE(e.body.is_string());  // the original line stays the body
}

TEST(FilelogOperators, CamelCaseTraceFieldsAreLifted) {
  Entry e = run("operators: [{type: json_parser}]",
                R"({"traceId":"0AF7651916CD43DD8448EB211C80319C","spanId":"b7ad6b7169203331"})");
  EXPECT_EQ(hexEncode(e.trace_id), "0af7651916cd43dd8448eb211c80319c");
  EXPECT_EQ(hexEncode(e.span_id), "b7ad6b7169203331");
}

TEST(FilelogOperators, XrayTraceHeaderIsLifted) {
  Entry e = run(
      R"(operators:
  - type: regex_parser
    regex: 'trace=(?P<X_Amzn_Trace_Id>\S+)'
  - type: move
    from: attributes.X_Amzn_Trace_Id
    to: attributes.x-amzn-trace-id
)",
      "GET /cart 200 trace=Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;"
      "Sampled=1");
  EXPECT_EQ(hexEncode(e.trace_id), "5759e988bd862e3fe1be46a994272793");
  EXPECT_EQ(hexEncode(e.span_id), "53995c3f42cd8ad8");
  EXPECT_EQ(e.flags, 1u);

  Entry j = run("operators: [{type: json_parser}]",
                R"({"X-Amzn-Trace-Id":"Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0"})");
  EXPECT_EQ(hexEncode(j.trace_id), "5759e988bd862e3fe1be46a994272793");
  EXPECT_EQ(j.span_id, "");
  EXPECT_EQ(j.flags, 0u);

  // An X-Ray trace id in a trace_id field.
  Entry x = run("operators: [{type: json_parser}]",
                R"({"trace_id":"1-5759e988-bd862e3fe1be46a994272793"})");
  EXPECT_EQ(hexEncode(x.trace_id), "5759e988bd862e3fe1be46a994272793");
}

TEST(FilelogOperators, MalformedTraceIdsAreLeftAlone) {
  Entry e = run("operators: [{type: json_parser}]", R"({"trace_id":"xyz","span_id":"12"})");
  EXPECT_EQ(e.trace_id, "");
  EXPECT_EQ(e.span_id, "");
}

TEST(FilelogOperators, RegexParserWithNamedGroupsAndCustomSeverity) {
  Entry e = run(R"(operators:
  - type: regex_parser
    regex: '^(?P<time>\S+) \[(?P<sev>\w+)\] (?P<msg>.*?)(?: status=(?P<status>\d+))?$'
    timestamp: {parse_from: attributes.time, layout: '%Y-%m-%dT%H:%M:%S%z'}
    severity:
      parse_from: attributes.sev
      mapping: {error: [oops, boom], warn2: w}
)",
                "2024-05-01T10:34:56+0000 [boom] disk full");
  EXPECT_EQ(e.time_unix_nano, kSecs * 1000000000);
  EXPECT_EQ(e.severity_number, 17);
  EXPECT_EQ(e.severity_text, "boom");
  EXPECT_EQ(e.attributes["msg"], "disk full");
  EXPECT_FALSE(e.attributes.contains("status"));  // the optional group did not take part
}

TEST(FilelogOperators, SeverityPresetAndRanges) {
  SeverityConfig c;
  c.parse_from = "body";
  c.mapping.aliases.push_back({17, "", true, 500, 599});
  c.mapping.aliases.push_back({9, "", true, 200, 299});
  SeverityParser p(c);
  EXPECT_EQ(p.map("warn"), 13);
  EXPECT_EQ(p.map("Warning"), 13);
  EXPECT_EQ(p.map("ERROR"), 17);
  EXPECT_EQ(p.map("err"), 17);
  EXPECT_EQ(p.map("fatal"), 21);
  EXPECT_EQ(p.map("critical"), 21);
  EXPECT_EQ(p.map("info3"), 11);
  EXPECT_EQ(p.map("debug"), 5);
  EXPECT_EQ(p.map("trace"), 1);
  EXPECT_EQ(p.map(503), 17);
  EXPECT_EQ(p.map("204"), 9);
  EXPECT_EQ(p.map("loud"), 0);
  c.preset = "none";
  EXPECT_EQ(SeverityParser(c).map("warn"), 0);
}

TEST(FilelogOperators, OnErrorSendKeepsTheEntryAndDropDropsIt) {
  bool dropped = true;
  Entry e = run("operators: [{type: json_parser}]", "not json", &dropped);
  EXPECT_FALSE(dropped);
  EXPECT_EQ(e.body, "not json");
  run("operators: [{type: json_parser, on_error: drop}]", "not json", &dropped);
  EXPECT_TRUE(dropped);
}

TEST(FilelogOperators, MoveAddRemoveAndParseToBody) {
  Entry e = run(R"(operators:
  - {type: json_parser, parse_to: body}
  - {type: move, from: body.msg, to: attributes.message}
  - {type: add, field: 'resource["service.name"]', value: cart}
  - {type: remove, field: body.noise}
)",
                R"({"msg":"hi","noise":1,"keep":true})");
  EXPECT_EQ(e.attributes["message"], "hi");
  EXPECT_EQ(e.resource["service.name"], "cart");
  ASSERT_TRUE(e.body.is_object());
  EXPECT_FALSE(e.body.contains("noise"));
  EXPECT_EQ(e.body["keep"], true);
}

}  // namespace
}  // namespace periscope::components::filelog
