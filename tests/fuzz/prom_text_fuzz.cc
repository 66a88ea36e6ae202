// libFuzzer target: arbitrary bytes as a scraped Prometheus text (0.0.4 and OpenMetrics) body.
// The parser must report errors, never crash; every sample it returns, written back with the
// text format writer, must parse to the same name, labels, value and timestamp.
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "model/prometheus/text_format_parser.h"
#include "model/prometheus/text_format_writer.h"

namespace {

namespace prom = periscope::model::prom;

[[noreturn]] void fail(const char* what, const std::string& text) {
  std::fprintf(stderr, "%s\n  %s\n", what, text.c_str());
  std::abort();
}

bool sameValue(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || a == b;
}

void checkRoundTrip(const prom::TextParser& p) {
  std::vector<prom::LabelRef> labels(p.labels().begin(), p.labels().end());
  std::string text;
  prom::appendSample(text, p.name(), labels, p.value(), p.timestampMs());
  prom::TextParser again(text);
  auto e = again.next();
  if (!e.isOk()) fail("written sample does not parse", text + " " + e.status().toString());
  if (*e != prom::TextParser::Entry::kSample) fail("written sample is not a sample", text);
  if (again.name() != p.name()) fail("name changed", text);
  if (!sameValue(again.value(), p.value())) fail("value changed", text);
  if (again.timestampMs() != p.timestampMs()) fail("timestamp changed", text);
  size_t j = 0;
  for (const prom::LabelRef& l : labels) {
    if (l.value.empty()) continue;
    if (j >= again.labels().size() || again.labels()[j].name != l.name ||
        again.labels()[j].value != l.value)
      fail("labels changed", text);
    ++j;
  }
  if (j != again.labels().size()) fail("label count changed", text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  for (prom::TextFormat format : {prom::TextFormat::kPrometheus, prom::TextFormat::kOpenMetrics}) {
    prom::TextParser p(input, format);
    for (int guard = 0; guard < 1 << 20; ++guard) {
      auto e = p.next();
      if (!e.isOk() || *e == prom::TextParser::Entry::kEnd) break;
      if (*e == prom::TextParser::Entry::kSample) checkRoundTrip(p);
    }
  }
  return 0;
}
