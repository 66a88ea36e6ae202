#include "components/receivers/awsxray/datagram.h"

#include <nlohmann/json.hpp>
#include <string>

namespace periscope::components::awsxray_receiver {

Result<std::string_view> splitDatagram(std::string_view datagram, size_t size_on_wire) {
  if (size_on_wire > kMaxDatagramBytes) {
    return invalidArgument("datagram of " + std::to_string(size_on_wire) + " bytes exceeds " +
                           std::to_string(kMaxDatagramBytes));
  }
  size_t nl = datagram.find('\n');
  if (nl == std::string_view::npos) return invalidArgument("no header line");
  auto header = nlohmann::json::parse(datagram.substr(0, nl), nullptr, false);
  if (header.is_discarded() || !header.is_object()) {
    return invalidArgument("header is not a JSON object");
  }
  auto format = header.find("format");
  auto version = header.find("version");
  if (format == header.end() || !format->is_string() || format->get<std::string>() != "json" ||
      version == header.end() || !version->is_number_integer() || version->get<int64_t>() != 1) {
    return invalidArgument("header is not {\"format\": \"json\", \"version\": 1}");
  }
  std::string_view body = datagram.substr(nl + 1);
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return invalidArgument("no segment after the header");
  }
  return body;
}

}  // namespace periscope::components::awsxray_receiver
