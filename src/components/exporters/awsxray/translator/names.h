// The segment name, by the collector's precedence (aws.local/remote.service, peer.service,
// aws.service, db.name[@host], service.name for servers, rpc.service, http.host,
// net.peer.name, span name), then sanitised to X-Ray's character set and 200 characters.
#pragma once

#include <string>
#include <string_view>

#include "components/exporters/awsxray/translator/span_context.h"

namespace periscope::components::awsxray_exporter::translator {

std::string segmentName(const SpanContext& ctx);
// Keeps [ 0-9 letters _ . : / % & # = + - @] (any non-ASCII UTF-8 byte counts as a letter),
// caps the result at 200 characters, and falls back to "span" when nothing is left.
std::string sanitizeSegmentName(std::string_view name);
// "host" of a db.connection_string such as "jdbc:mysql://db.example.com:3306/app".
std::string connectionStringHost(std::string_view connection_string);

}  // namespace periscope::components::awsxray_exporter::translator
