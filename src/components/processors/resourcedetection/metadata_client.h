// MetadataClient: the HTTP requests detectors make to metadata services (EC2 IMDS, ECS task
// metadata), all bounded by one detection deadline. A non-2xx answer is an error naming the
// request and the status; UNAVAILABLE means no answer at all (refused, timed out), which
// detectors read as "not running on this platform".
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "common/http/client.h"
#include "common/status.h"

namespace periscope::components::resourcedetection {

struct MetadataResponse {
  long status = 0;
  std::string body;
};

class MetadataClient {
 public:
  using Clock = std::chrono::steady_clock;
  MetadataClient(http::Client& client, Clock::time_point deadline)
      : client_(client), deadline_(deadline) {}

  // The answer whatever its status (UNAVAILABLE when none came).
  Result<MetadataResponse> send(std::string_view method, const std::string& url,
                                const std::vector<std::string>& headers = {});
  // The body of a 2xx answer; other statuses are FAILED_PRECONDITION errors
  // ("GET <url>: HTTP 404: <body>"), NOT_FOUND for 404.
  Result<std::string> get(const std::string& url, const std::vector<std::string>& headers = {});

 private:
  http::Client& client_;
  Clock::time_point deadline_;
};

// "GET <url>: HTTP <status>[: <body text>]".
Status httpStatusError(std::string_view method, const std::string& url,
                       const MetadataResponse& response);

}  // namespace periscope::components::resourcedetection
