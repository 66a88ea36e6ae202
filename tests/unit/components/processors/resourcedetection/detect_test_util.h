// Helpers for the detector tests: run one detector against an injected environment and compare
// its attributes as strings (lists as "[a,b]", ints in decimal).
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "common/http/client.h"
#include "components/processors/resourcedetection/detectors/detector.h"

namespace periscope::components::resourcedetection::testing {

using Attrs = std::map<std::string, std::string>;

inline Attrs asStrings(const DetectedResource& r) {
  Attrs out;
  for (const auto& [key, value] : r.attributes()) {
    if (const auto* s = std::get_if<std::string>(&value)) {
      out[key] = *s;
    } else if (const auto* n = std::get_if<int64_t>(&value)) {
      out[key] = std::to_string(*n);
    } else {
      std::string list;
      for (const auto& e : std::get<std::vector<std::string>>(value))
        list += (list.empty() ? "" : ",") + e;
      out[key] = "[" + list + "]";
    }
  }
  return out;
}

struct RunOptions {
  bool fail_on_missing_metadata = false;
  std::chrono::milliseconds timeout{5000};
};

inline Result<DetectedResource> runDetector(Detector& detector, const Environment& env,
                                            RunOptions options = {}) {
  http::Client client;
  MetadataClient http(client, MetadataClient::Clock::now() + options.timeout);
  DetectContext ctx{env, http, options.fail_on_missing_metadata};
  return detector.detect(ctx);
}

}  // namespace periscope::components::resourcedetection::testing
