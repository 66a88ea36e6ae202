// Parameter parsers: Go durations, RFC 3339 times, Jaeger trace ids, booleans.
#include "api/http/params.h"

#include <gtest/gtest.h>

#include <limits>

namespace periscope::api {
namespace {

TEST(Params, GoDurations) {
  struct Case {
    std::string_view text;
    std::optional<int64_t> ns;
  };
  const Case cases[] = {
      {"0", 0},
      {"1ns", 1},
      {"500us", 500'000},
      {"500\xC2\xB5s", 500'000},  // µs, U+00B5
      {"500\xCE\xBCs", 500'000},  // μs, U+03BC
      {"200ms", 200'000'000},
      {"1.2s", 1'200'000'000},
      {"1m", 60'000'000'000},
      {"1h", 3'600'000'000'000},
      {"2h45m30.5s", 9'930'500'000'000},
      {"1.5h", 5'400'000'000'000},
      {".5s", 500'000'000},
      {"1.s", 1'000'000'000},
      {"+3s", 3'000'000'000},
      {"-1.5ms", -1'500'000},
      {"1.0000000001s", 1'000'000'000},  // fraction past nanoseconds is dropped
      {"9223372036854775807ns", std::numeric_limits<int64_t>::max()},
      {"-9223372036854775808ns", std::numeric_limits<int64_t>::min()},
      {"", std::nullopt},
      {"abc", std::nullopt},
      {"1", std::nullopt},    // missing unit
      {"1d", std::nullopt},   // Go has no days
      {"1 s", std::nullopt},  // no spaces
      {".s", std::nullopt},   // no digits
      {"1.2.3s", std::nullopt},
      {"-", std::nullopt},
      {"9223372036854775808ns", std::nullopt},  // overflow
      {"3000000h", std::nullopt},               // overflow
  };
  for (const Case& c : cases) EXPECT_EQ(parseGoDuration(c.text), c.ns) << c.text;
}

TEST(Params, Rfc3339Times) {
  struct Case {
    std::string_view text;
    std::optional<uint64_t> ns;
  };
  const Case cases[] = {
      {"1970-01-01T00:00:00Z", 0},
      {"2023-11-14T22:13:20Z", 1'700'000'000'000'000'000},
      {"2023-11-14T22:13:20.123456789Z", 1'700'000'000'123'456'789},
      {"2023-11-14T22:13:20.5Z", 1'700'000'000'500'000'000},
      {"2023-11-15T00:13:20+02:00", 1'700'000'000'000'000'000},
      {"2023-11-14T21:13:20-01:00", 1'700'000'000'000'000'000},
      {"2024-02-29T00:00:00Z", 1'709'164'800'000'000'000},  // leap day
      {"2023-11-14t22:13:20z", 1'700'000'000'000'000'000},
      {"2023-02-29T00:00:00Z", std::nullopt},  // not a leap year
      {"2023-11-14T24:00:00Z", std::nullopt},
      {"2023-11-14T22:13:20", std::nullopt},  // zone required
      {"2023-11-14 22:13:20Z", std::nullopt},
      {"2023-11-14T22:13:20.Z", std::nullopt},
      {"2023-11-14T22:13:20Zjunk", std::nullopt},
      {"1969-12-31T23:59:59Z", std::nullopt},  // before the epoch
      {"1700000000", std::nullopt},
      {"", std::nullopt},
  };
  for (const Case& c : cases) EXPECT_EQ(parseRfc3339(c.text), c.ns) << c.text;
}

TEST(Params, TraceIdsAreLeftPadded) {
  EXPECT_EQ(parseTraceId("abc"), std::string(14, '\0') + "\x0a\xbc");
  EXPECT_EQ(parseTraceId("0000000000000ABC"), std::string(14, '\0') + "\x0a\xbc");
  EXPECT_EQ(parseTraceId("5b8efff798038103d269b633813fc60c")->size(), 16u);
  EXPECT_EQ(parseTraceId(""), std::nullopt);
  EXPECT_EQ(parseTraceId("xyz"), std::nullopt);
  EXPECT_EQ(parseTraceId(std::string(33, 'a')), std::nullopt);
}

TEST(Params, IntegersAndBooleans) {
  EXPECT_EQ(parseInt64("-12"), -12);
  EXPECT_EQ(parseInt64("+12"), std::nullopt);
  EXPECT_EQ(parseInt64("12x"), std::nullopt);
  EXPECT_EQ(parseInt64("99999999999999999999"), std::nullopt);
  EXPECT_EQ(parseBool("True"), true);
  EXPECT_EQ(parseBool("0"), false);
  EXPECT_EQ(parseBool("yes"), std::nullopt);
}

TEST(Params, StatusCodesMapOntoHttp) {
  EXPECT_EQ(httpStatusFor(invalidArgument("x")), 400);
  EXPECT_EQ(httpStatusFor(notFound("x")), 404);
  EXPECT_EQ(httpStatusFor(unavailable("x")), 503);
  EXPECT_EQ(httpStatusFor(internalError("x")), 500);
  EXPECT_EQ(httpStatusFor(Status(StatusCode::kDataLoss, "x")), 500);
  EXPECT_EQ(cannotParse("minDuration", "abc", "a duration"),
            "minDuration: cannot parse \"abc\" as a duration");
}

TEST(Params, LogTimesByFormAndDigitCount) {
  EXPECT_EQ(parseLogTime("0"), 0u);
  EXPECT_EQ(parseLogTime("1700000000"), 1'700'000'000'000'000'000u);        // 10 digits: s
  EXPECT_EQ(parseLogTime("17000000000"), 17'000'000'000'000'000u);          // 11: ms
  EXPECT_EQ(parseLogTime("1700000000123"), 1'700'000'000'123'000'000u);     // 13: ms
  EXPECT_EQ(parseLogTime("17000000001234"), 17'000'000'001'234'000u);       // 14: µs
  EXPECT_EQ(parseLogTime("1700000000123456"), 1'700'000'000'123'456'000u);  // 16: µs
  EXPECT_EQ(parseLogTime("17000000001234567"), 17'000'000'001'234'567u);    // 17: ns
  EXPECT_EQ(parseLogTime("1700000000123456789"), 1'700'000'000'123'456'789u);
  EXPECT_EQ(parseLogTime("1700000000.5"), 1'700'000'000'500'000'000u);
  EXPECT_EQ(parseLogTime("1700000000.000000001"), 1'700'000'000'000'000'001u);
  EXPECT_EQ(parseLogTime("2023-11-14T22:13:20Z"), 1'700'000'000'000'000'000u);
  for (const char* bad : {"", "-1", "1e9", "12345678901234567890", "1700000000.", ".5",
                          "1700000000.1234567891", "17000000000.5", "1700000000.5x", "now"}) {
    EXPECT_EQ(parseLogTime(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace periscope::api
