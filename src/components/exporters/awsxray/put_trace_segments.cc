#include "components/exporters/awsxray/put_trace_segments.h"

#include <nlohmann/json.hpp>

#include "common/logging.h"

namespace periscope::components::awsxray_exporter {

std::string putTraceSegmentsBody(std::span<const std::string> documents) {
  nlohmann::json body = nlohmann::json::object();
  auto& list = body["TraceSegmentDocuments"] = nlohmann::json::array();
  for (const auto& d : documents) list.push_back(d);
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

PutTraceSegmentsSender::PutTraceSegmentsSender(aws::AwsClientOptions options,
                                               std::shared_ptr<aws::CredentialsChain> credentials,
                                               telemetry::Counter* unprocessed)
    : client_(std::move(options), std::move(credentials)), unprocessed_(unprocessed) {}

Status PutTraceSegmentsSender::send(std::span<const std::string> documents) {
  auto answer = client_.post("/TraceSegments", putTraceSegmentsBody(documents));
  if (!answer.isOk()) return answer.status();
  const aws::AwsResponse& r = *answer;
  if (r.ok()) {
    auto body = nlohmann::json::parse(r.body, nullptr, /*allow_exceptions=*/false);
    size_t unprocessed = 0;
    if (body.is_object() && body.contains("UnprocessedTraceSegments") &&
        body["UnprocessedTraceSegments"].is_array()) {
      unprocessed = body["UnprocessedTraceSegments"].size();
    }
    if (unprocessed > 0) {
      unprocessed_->add(static_cast<double>(unprocessed));
      log::warn("awsxray", "X-Ray did not process some segment documents",
                {{"unprocessed", std::to_string(unprocessed)},
                 {"sent", std::to_string(documents.size())}});
    }
    return Status::ok();
  }
  std::string what = "PutTraceSegments " + client_.endpoint() + ": HTTP " +
                     std::to_string(r.status) + (r.error_type.empty() ? "" : " " + r.error_type) +
                     (r.message.empty() ? "" : ": " + r.message);
  if (r.retryable()) {
    Status st = unavailable(std::move(what));
    if (int seconds = std::atoi(r.retry_after.c_str()); seconds > 0) st.withRetryAfter(seconds);
    return st;
  }
  return invalidArgument(std::move(what));
}

}  // namespace periscope::components::awsxray_exporter
