// filelog config: the collector's keys decode, and every mistake is reported with its YAML path.
#include <gtest/gtest.h>

#include "filelog_fixture.h"

namespace periscope::components::filelog {
namespace {

using testing::decode;

TEST(FilelogConfig, DecodesTheCollectorsKeys) {
  auto c = decode(R"(
include: [/var/log/*.log, /srv/app/*.json]
exclude: [/var/log/secret.log]
start_at: beginning
poll_interval: 1s
fingerprint_size: 2kb
max_log_size: 2MiB
max_concurrent_files: 8
encoding: utf-8
include_file_name: false
include_file_path: true
force_flush_period: 1s
storage: file_storage
multiline: {line_start_pattern: '^\d{4}-'}
attributes: {team: core}
resource: {service.name: app}
operators:
  - type: regex_parser
    id: parse
    output: sev
    regex: '^(?P<time>\S+) (?P<level>\w+) (?P<msg>.*)$'
    timestamp: {parse_from: attributes.time, layout: '%Y-%m-%dT%H:%M:%S%z'}
  - type: severity_parser
    id: sev
    parse_from: attributes.level
    mapping: {warn: [w, wrn], error: {min: 500, max: 599}, info: 2xx}
  - type: json_parser
    parse_from: attributes.msg
    parse_to: attributes.payload
    on_error: send_quiet
  - type: trace_parser
    trace_id: {parse_from: attributes.tid}
  - type: move
    from: attributes.msg
    to: body
  - {type: add, field: attributes.env, value: prod}
  - {type: remove, field: attributes.time}
)");
  ASSERT_TRUE(c->validate().isOk()) << c->validate().toString();
  EXPECT_EQ(c->include.size(), 2u);
  EXPECT_EQ(c->start_at, "beginning");
  EXPECT_EQ(c->fingerprintBytes(), 2000u);
  EXPECT_EQ(c->maxLogBytes(), 2u << 20);
  EXPECT_EQ(c->max_concurrent_files, 8);
  EXPECT_TRUE(c->include_file_path);
  EXPECT_EQ(c->multiline->line_start_pattern, "^\\d{4}-");
  ASSERT_EQ(c->operators.size(), 7u);
  EXPECT_EQ(c->operators[0].regex, "^(?P<time>\\S+) (?P<level>\\w+) (?P<msg>.*)$");
  EXPECT_EQ(c->operators[0].timestamp->layout, "%Y-%m-%dT%H:%M:%S%z");
  EXPECT_EQ(c->operators[1].sev.parse_from, "attributes.level");
  ASSERT_EQ(c->operators[1].sev.mapping.aliases.size(), 4u);
  EXPECT_EQ(c->operators[1].sev.mapping.aliases[0].text, "w");
  EXPECT_EQ(c->operators[1].sev.mapping.aliases[0].number, 13);
  EXPECT_TRUE(c->operators[1].sev.mapping.aliases[2].is_range);
  EXPECT_EQ(c->operators[1].sev.mapping.aliases[3].min, 200);
  EXPECT_EQ(c->operators[3].trace_ids.trace_id.parse_from, "attributes.tid");
  EXPECT_EQ(c->operators[3].trace_ids.span_id.parse_from, "attributes.span_id");
  EXPECT_EQ(*c->operators[5].value, "prod");
}

TEST(FilelogConfig, DefaultsAreTheCollectors) {
  auto c = decode("include: [/x.log]");
  EXPECT_EQ(c->start_at, "end");
  EXPECT_EQ(c->poll_interval, std::chrono::milliseconds(200));
  EXPECT_EQ(c->fingerprintBytes(), 1000u);
  EXPECT_EQ(c->maxLogBytes(), 1u << 20);
  EXPECT_EQ(c->force_flush_period, std::chrono::milliseconds(500));
  EXPECT_TRUE(c->include_file_name);
  EXPECT_FALSE(c->include_file_path);
  EXPECT_TRUE(c->validate().isOk());
}

TEST(FilelogConfig, UnknownKeysAndOperatorsAreRejectedWithTheirPath) {
  std::string errors;
  decode(R"(
include: [/x.log]
strat_at: beginning
operators:
  - type: json_parser
    regex: '(?P<a>.)'
  - type: csv_parser
  - type: regex_parser
    regex: '(?P<a>.)'
    if: 'body matches "x"'
  - parse_from: body
  - type: severity_parser
    parse_from: attributes.l
    mapping: {loud: x}
multiline: {line_start_pattern: a, bogus: 1}
)",
         &errors);
  EXPECT_NE(errors.find("strat_at: unknown key"), std::string::npos) << errors;
  EXPECT_NE(errors.find("start_at"), std::string::npos) << errors;  // did you mean
  EXPECT_NE(errors.find("operators[0].regex: unknown key"), std::string::npos) << errors;
  EXPECT_NE(errors.find("operators[1].type: unsupported operator type \"csv_parser\""),
            std::string::npos)
      << errors;
  EXPECT_NE(errors.find("operators[2].if: `if` expressions are not supported"), std::string::npos)
      << errors;
  EXPECT_NE(errors.find("operators[3]: operator without type"), std::string::npos) << errors;
  EXPECT_NE(errors.find("operators[4].mapping.loud: unknown severity \"loud\""), std::string::npos)
      << errors;
  EXPECT_NE(errors.find("multiline.bogus: unknown key"), std::string::npos) << errors;
}

TEST(FilelogConfig, ValidateNamesTheField) {
  struct Case {
    std::string yaml, message;
  };
  std::vector<Case> cases = {
      {"start_at: end", "include must list at least one glob"},
      {"include: [a]\nfingerprint_size: 8", "fingerprint_size must be at least 16 bytes"},
      {"include: [a]\nmax_log_size: lots", "max_log_size: invalid byte size \"lots\""},
      {"include: [a]\nencoding: utf-16le", "encoding: \"utf-16le\" is not supported"},
      {"include: [a]\nmax_concurrent_files: 0", "max_concurrent_files must be at least 1"},
      {"include: [a]\nmultiline: {}", "multiline: exactly one of line_start_pattern"},
      {"include: [a]\nmultiline: {line_start_pattern: '('}",
       "multiline.line_start_pattern: invalid RE2"},
      {"include: [a]\noperators: [{type: regex_parser}]",
       "operators[0] (regex_parser): regex is required"},
      {"include: [a]\noperators: [{type: regex_parser, regex: 'a(b'}]",
       "operators[0] (regex_parser): regex: invalid RE2"},
      {"include: [a]\noperators: [{type: regex_parser, regex: 'a(b)'}]",
       "operators[0] (regex_parser): regex: needs at least one named group"},
      {"include: [a]\noperators: [{type: json_parser, parse_from: msg}]",
       "operators[0] (json_parser): parse_from: invalid field \"msg\""},
      {"include: [a]\noperators: [{type: json_parser, timestamp: {parse_from: attributes.t}}]",
       "operators[0] (json_parser): timestamp.layout is required"},
      {"include: [a]\noperators: [{type: time_parser, parse_from: attributes.t, layout_type: "
       "epoch, layout: minutes}]",
       "operators[0] (time_parser): layout: epoch layout must be one of"},
      {"include: [a]\noperators: [{type: severity_parser}]",
       "operators[0] (severity_parser): parse_from is required"},
      {"include: [a]\noperators: [{type: move, from: body}]",
       "operators[0] (move): to is required"},
      {"include: [a]\noperators: [{type: add, field: attributes.x}]",
       "operators[0] (add): value is required"},
      {"include: [a]\noperators: [{type: json_parser, output: nowhere}]",
       "operators[0] (json_parser): output: operators run in order"},
  };
  for (const auto& c : cases) {
    std::string errors;
    auto cfg = decode(c.yaml, &errors);
    ASSERT_EQ(errors, "") << c.yaml;
    Status st = cfg->validate();
    EXPECT_NE(st.message().find(c.message), std::string_view::npos)
        << c.yaml << "\n got: " << st.toString();
  }
}

TEST(FilelogConfig, ByteSizesFollowTheCollector) {
  uint64_t n = 0;
  EXPECT_TRUE(parseByteSize("1kb", n));
  EXPECT_EQ(n, 1000u);
  EXPECT_TRUE(parseByteSize("1KiB", n));
  EXPECT_EQ(n, 1024u);
  EXPECT_TRUE(parseByteSize("3MB", n));
  EXPECT_EQ(n, 3000000u);
  EXPECT_TRUE(parseByteSize("16", n));
  EXPECT_EQ(n, 16u);
  EXPECT_FALSE(parseByteSize("kb", n));
  EXPECT_FALSE(parseByteSize("1 parsec", n));
}

}  // namespace
}  // namespace periscope::components::filelog
