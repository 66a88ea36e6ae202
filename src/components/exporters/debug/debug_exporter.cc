#include "components/exporters/debug/debug_exporter.h"

#include <chrono>
#include <cstdio>
#include <mutex>

#include "common/hex.h"
#include "pipeline/helpers/sync_exporter.h"

namespace periscope::components::debug_exporter {

const config::Schema<Config>& Config::schema() {
  static const auto s =
      config::Schema<Config>()
          .choice(
              "verbosity", &Config::verbosity, {"basic", "normal", "detailed"},
              "basic: a summary line per batch; normal: a line per item; detailed: every field.")
          .field("sampling_initial", &Config::sampling_initial,
                 "Messages written each second before sampling starts.")
          .field("sampling_thereafter", &Config::sampling_thereafter,
                 "After the initial ones, one message in this many is written.");
  return s;
}

namespace {

std::string valueText(const model::AnyValue& v) {
  using T = model::AnyValue::Type;
  switch (v.type()) {
    case T::kAbsent:
    case T::kEmpty:
      return "";
    case T::kString:
      return "Str(" + std::string(v.str()) + ")";
    case T::kBool:
      return v.boolValue() ? "Bool(true)" : "Bool(false)";
    case T::kInt:
      return "Int(" + std::to_string(v.intValue()) + ")";
    case T::kDouble:
      return "Double(" + std::to_string(v.doubleValue()) + ")";
    case T::kBytes:
      return "Bytes(" + hexEncode(v.str()) + ")";
    case T::kArray: {
      std::string out = "Slice([";
      for (size_t i = 0; i < v.arrayValues().size(); ++i)
        out += (i ? ", " : "") + valueText(v.arrayValues()[i]);
      return out + "])";
    }
    case T::kKvList: {
      std::string out = "Map({";
      for (size_t i = 0; i < v.kvlistValues().size(); ++i) {
        out += (i ? ", " : "") + std::string(v.kvlistValues()[i].key) + ": " +
               valueText(v.kvlistValues()[i].value);
      }
      return out + "})";
    }
  }
  return "";
}

void attrs(std::string& out, const char* indent, model::Attributes a) {
  for (const auto& kv : a)
    out += std::string(indent) + "-> " + std::string(kv.key) + ": " + valueText(kv.value) + "\n";
}

}  // namespace

std::string render(const model::Traces& data, const std::string& verbosity) {
  size_t spans = data.itemCount();
  std::string out = "Traces {\"resource spans\": " + std::to_string(data.resources().size()) +
                    ", \"spans\": " + std::to_string(spans) + "}\n";
  if (verbosity == "basic") return out;
  for (size_t r = 0; r < data.resources().size(); ++r) {
    const auto& rs = data.resources()[r];
    if (verbosity == "detailed") {
      out += "ResourceSpans #" + std::to_string(r) + "\nResource attributes:\n";
      attrs(out, "     ", rs.resource.attributes);
    }
    for (const auto& ss : rs.scope_spans) {
      if (verbosity == "detailed")
        out +=
            "ScopeSpans " + std::string(ss.scope.name) + " " + std::string(ss.scope.version) + "\n";
      for (const auto& s : ss.spans) {
        if (verbosity == "normal") {
          out +=
              std::string(s.name) + " " + hexEncode(s.trace_id) + " " + hexEncode(s.span_id) + "\n";
          continue;
        }
        out += "Span\n    Trace ID: " + hexEncode(s.trace_id) +
               "\n    Parent ID: " + hexEncode(s.parent_span_id) +
               "\n    ID: " + hexEncode(s.span_id) + "\n    Name: " + std::string(s.name) +
               "\n    Kind: " + std::to_string(s.kind) +
               "\n    Start time: " + std::to_string(s.start_time_unix_nano) +
               "\n    End time: " + std::to_string(s.end_time_unix_nano) +
               "\n    Status code: " + std::to_string(static_cast<int>(s.status.code)) +
               "\n    Status message: " + std::string(s.status.message) + "\nAttributes:\n";
        attrs(out, "     ", s.attributes);
        for (const auto& e : s.events) {
          out += "Event: " + std::string(e.name) + " @" + std::to_string(e.time_unix_nano) + "\n";
          attrs(out, "     ", e.attributes);
        }
        for (const auto& l : s.links)
          out += "Link: " + hexEncode(l.trace_id) + " " + hexEncode(l.span_id) + "\n";
      }
    }
  }
  return out;
}

std::string render(const model::Metrics& data, const std::string& verbosity) {
  size_t metrics = 0;
  for (const auto& rm : data.resources()) {
    for (const auto& sm : rm.scope_metrics) metrics += sm.metrics.size();
  }
  std::string out = "Metrics {\"resource metrics\": " + std::to_string(data.resources().size()) +
                    ", \"metrics\": " + std::to_string(metrics) +
                    ", \"data points\": " + std::to_string(data.itemCount()) + "}\n";
  if (verbosity == "basic") return out;
  for (const auto& rm : data.resources()) {
    if (verbosity == "detailed") {
      out += "Resource attributes:\n";
      attrs(out, "     ", rm.resource.attributes);
    }
    for (const auto& sm : rm.scope_metrics) {
      for (const auto& m : sm.metrics) {
        out += std::string(m.name) + " type=" + std::to_string(static_cast<int>(m.type)) +
               " points=" + std::to_string(m.pointCount()) + " unit=" + std::string(m.unit) + "\n";
        if (verbosity != "detailed") continue;
        for (const auto& p : m.number_points) {
          out += "  NumberDataPoint " +
                 (p.value_type == model::NumberValue::kInt ? std::to_string(p.as_int)
                                                           : std::to_string(p.as_double)) +
                 "\n";
          attrs(out, "     ", p.attributes);
        }
        for (const auto& p : m.histogram_points) {
          out += "  HistogramDataPoint count=" + std::to_string(p.count) +
                 " sum=" + std::to_string(p.sum) + "\n";
          attrs(out, "     ", p.attributes);
        }
      }
    }
  }
  return out;
}

std::string render(const model::Logs& data, const std::string& verbosity) {
  std::string out = "Logs {\"resource logs\": " + std::to_string(data.resources().size()) +
                    ", \"log records\": " + std::to_string(data.itemCount()) + "}\n";
  if (verbosity == "basic") return out;
  for (const auto& rl : data.resources()) {
    if (verbosity == "detailed") {
      out += "Resource attributes:\n";
      attrs(out, "     ", rl.resource.attributes);
    }
    for (const auto& sl : rl.scope_logs) {
      for (const auto& l : sl.log_records) {
        out += std::string(l.severity_text) + " " + valueText(l.body) + "\n";
        if (verbosity != "detailed") continue;
        out += "    Trace ID: " + hexEncode(l.trace_id) + "\n    Span ID: " + hexEncode(l.span_id) +
               "\n    Timestamp: " + std::to_string(l.time_unix_nano) +
               "\n    Severity: " + std::to_string(l.severity_number) + "\nAttributes:\n";
        attrs(out, "     ", l.attributes);
      }
    }
  }
  return out;
}

namespace {

class Exporter final : public pipeline::SyncExporter {
 public:
  Exporter(const component::Settings& s, const Config& c,
           const std::vector<pipeline::Signal>& signals)
      : SyncExporter(s, signals), config_(c) {}

 protected:
  Status push(const model::Traces& d) override { return write(d); }
  Status push(const model::Metrics& d) override { return write(d); }
  Status push(const model::Logs& d) override { return write(d); }

 private:
  template <typename T>
  Status write(const T& data) {
    if (!sampled()) return Status::ok();
    std::string text = settings().id.toString() + ": " + render(data, config_.verbosity);
    std::lock_guard lock(mu_);
    std::fwrite(text.data(), 1, text.size(), stderr);
    return Status::ok();
  }
  bool sampled() {
    std::lock_guard lock(mu_);
    auto now = std::chrono::steady_clock::now();
    if (now - window_start_ >= std::chrono::seconds(1)) {
      window_start_ = now;
      count_ = 0;
    }
    ++count_;
    if (count_ <= config_.sampling_initial) return true;
    return config_.sampling_thereafter > 0 &&
           (count_ - config_.sampling_initial) % config_.sampling_thereafter == 0;
  }

  Config config_;
  std::mutex mu_;
  std::chrono::steady_clock::time_point window_start_{};
  int count_ = 0;
};

}  // namespace

std::unique_ptr<pipeline::ExporterFactory> makeFactory() {
  return std::make_unique<pipeline::AllSignalsExporterFactory<Config, Exporter>>(
      "debug", "Writes received telemetry to stderr, for debugging.");
}

}  // namespace periscope::components::debug_exporter
