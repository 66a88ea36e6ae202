#include "components/exporters/awsxray/put_trace_segments.h"

#include <nlohmann/json.hpp>

namespace periscope::components::awsxray_exporter {

std::string putTraceSegmentsUrl(const std::string& endpoint, const std::string& region) {
  std::string base = endpoint.empty() ? "https://xray." + region + ".amazonaws.com" : endpoint;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/TraceSegments";
}

std::string putTraceSegmentsBody(std::span<const std::string> documents) {
  nlohmann::json body = nlohmann::json::object();
  auto& list = body["TraceSegmentDocuments"] = nlohmann::json::array();
  for (const auto& d : documents) list.push_back(d);
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace periscope::components::awsxray_exporter
