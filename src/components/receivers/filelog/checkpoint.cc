#include "components/receivers/filelog/checkpoint.h"

#include <nlohmann/json.hpp>

#include "common/hex.h"
#include "model/xray_trace_header.h"

namespace periscope::components::filelog {

std::string encodeCheckpoints(const std::vector<Checkpoint>& files) {
  nlohmann::json doc = {{"version", 1}, {"files", nlohmann::json::array()}};
  for (const auto& f : files) {
    nlohmann::json file = {
        {"fingerprint", hexEncode(f.fingerprint)}, {"offset", f.offset}, {"path", f.path}};
    if (!f.accepted.empty()) {
      nlohmann::json& ranges = file["accepted"] = nlohmann::json::array();
      for (const auto& [begin, end] : f.accepted) ranges.push_back({begin, end});
    }
    doc["files"].push_back(std::move(file));
  }
  return doc.dump();
}

Status decodeCheckpoints(const std::string& text, std::vector<Checkpoint>& out) {
  out.clear();
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("files") || !doc["files"].is_array())
    return invalidArgument("checkpoint is not a JSON document with \"files\"");
  for (const auto& f : doc["files"]) {
    if (!f.is_object() || !f.contains("fingerprint") || !f["fingerprint"].is_string() ||
        !f.contains("offset") || !f["offset"].is_number_unsigned())
      return invalidArgument("checkpoint entry without fingerprint and offset");
    const std::string& hex = f["fingerprint"].get_ref<const std::string&>();
    Checkpoint c;
    c.fingerprint.resize(hex.size() / 2);
    if (!model::parseHexBytes(hex, reinterpret_cast<uint8_t*>(c.fingerprint.data()),
                              c.fingerprint.size()))
      return invalidArgument("checkpoint fingerprint is not hex");
    c.offset = f["offset"].get<uint64_t>();
    if (f.contains("path") && f["path"].is_string()) c.path = f["path"].get<std::string>();
    if (f.contains("accepted")) {
      if (!f["accepted"].is_array())
        return invalidArgument("checkpoint \"accepted\" is not a list of ranges");
      uint64_t last = c.offset;
      for (const auto& range : f["accepted"]) {
        if (!range.is_array() || range.size() != 2 || !range[0].is_number_unsigned() ||
            !range[1].is_number_unsigned())
          return invalidArgument("checkpoint \"accepted\" range is not [begin, end]");
        uint64_t begin = range[0].get<uint64_t>(), end = range[1].get<uint64_t>();
        if (begin < last || end <= begin)
          return invalidArgument("checkpoint \"accepted\" ranges are not ascending after offset");
        c.accepted.emplace_back(begin, end);
        last = end;
      }
    }
    out.push_back(std::move(c));
  }
  return Status::ok();
}

}  // namespace periscope::components::filelog
