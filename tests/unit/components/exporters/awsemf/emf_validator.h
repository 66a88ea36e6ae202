// Checks one log event against every rule of the CloudWatch Embedded Metric Format
// specification (version 1, `_aws` form). Returns the violations; empty means valid.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "components/exporters/awsemf/emf_translator.h"
#include "components/exporters/awsemf/units.h"

namespace periscope::components::awsemf_exporter::testing {

inline bool isNumberArray(const nlohmann::json& v) {
  if (!v.is_array() || v.empty() || v.size() > kMaxValuesPerMetric) return false;
  for (const auto& x : v)
    if (!x.is_number()) return false;
  return true;
}

// Besides numbers and number arrays, CloudWatch accepts the statistic set
// {"Max","Min","Count","Sum"} and the distribution {"Values","Counts",...} the collector sends.
inline bool isMetricValue(const nlohmann::json& v) {
  if (v.is_number()) return true;
  if (isNumberArray(v)) return true;
  if (!v.is_object()) return false;
  for (const char* k : {"Max", "Min", "Count", "Sum"}) {
    if (!v.contains(k) || !v[k].is_number()) return false;
  }
  if (v.contains("Values") || v.contains("Counts")) {
    if (!isNumberArray(v["Values"]) || !isNumberArray(v["Counts"])) return false;
    if (v["Values"].size() != v["Counts"].size()) return false;
  }
  return true;
}

inline std::vector<std::string> emfViolations(const std::string& event) {
  std::vector<std::string> bad;
  if (event.size() > kMaxEventBytes) bad.push_back("event larger than 1 MB");
  auto root = nlohmann::json::parse(event, nullptr, false);
  if (root.is_discarded() || !root.is_object()) return {"not a single JSON object"};
  if (!root.contains("_aws") || !root["_aws"].is_object()) return {"_aws missing"};
  const auto& aws = root["_aws"];
  if (!aws.contains("Timestamp") || !aws["Timestamp"].is_number_integer()) {
    bad.push_back("_aws.Timestamp is not an integer");
  }
  if (!aws.contains("CloudWatchMetrics") || !aws["CloudWatchMetrics"].is_array()) {
    bad.push_back("_aws.CloudWatchMetrics is not an array");
    return bad;
  }
  for (const auto& d : aws["CloudWatchMetrics"]) {
    if (!d.is_object()) {
      bad.push_back("directive is not an object");
      continue;
    }
    if (!d.contains("Namespace") || !d["Namespace"].is_string() ||
        d["Namespace"].get<std::string>().empty() ||
        d["Namespace"].get<std::string>().size() > 255) {
      bad.push_back("Namespace is not a 1-255 char string");
    }
    if (!d.contains("Dimensions") || !d["Dimensions"].is_array()) {
      bad.push_back("Dimensions is not an array");
    } else {
      for (const auto& set : d["Dimensions"]) {
        if (!set.is_array()) {
          bad.push_back("dimension set is not an array");
          continue;
        }
        if (set.size() > kMaxDimensionsPerSet) bad.push_back("dimension set has more than 30 keys");
        for (const auto& k : set) {
          if (!k.is_string()) {
            bad.push_back("dimension key is not a string");
            continue;
          }
          std::string key = k.get<std::string>();
          if (key.empty() || key.size() > kMaxDimensionNameBytes)
            bad.push_back("dimension name length");
          if (!root.contains(key) || !root[key].is_string()) {
            bad.push_back("dimension " + key + " is not a string root member");
          } else {
            auto value = root[key].get<std::string>();
            if (value.empty() || value.size() > kMaxDimensionValueBytes) {
              bad.push_back("dimension " + key + " value length");
            }
          }
        }
      }
    }
    if (!d.contains("Metrics") || !d["Metrics"].is_array()) {
      bad.push_back("Metrics is not an array");
      continue;
    }
    if (d["Metrics"].size() > kMaxMetricsPerDirective) bad.push_back("more than 100 metrics");
    std::set<std::string> names;
    for (const auto& m : d["Metrics"]) {
      if (!m.is_object() || !m.contains("Name") || !m["Name"].is_string()) {
        bad.push_back("MetricDefinition without Name");
        continue;
      }
      std::string name = m["Name"].get<std::string>();
      if (!names.insert(name).second) bad.push_back("metric " + name + " twice in a directive");
      if (!root.contains(name) || !isMetricValue(root[name])) {
        bad.push_back("metric " + name + " has no numeric root member");
      }
      if (m.contains("Unit") &&
          (!m["Unit"].is_string() || !isCloudWatchUnit(m["Unit"].get<std::string>()))) {
        bad.push_back("metric " + name + " has an invalid Unit");
      }
      if (m.contains("StorageResolution") &&
          !(m["StorageResolution"] == 1 || m["StorageResolution"] == 60)) {
        bad.push_back("metric " + name + " has an invalid StorageResolution");
      }
    }
  }
  return bad;
}

}  // namespace periscope::components::awsemf_exporter::testing
