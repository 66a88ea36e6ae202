// The segment's `sql` block, only for SQL databases (db.system in the collector's list):
// url = span name, connection_string = (db.connection_string or "localhost") + "/" + db.name,
// database_type = db.system, user = db.user, sanitized_query = db.statement.
#pragma once

#include <nlohmann/json.hpp>

#include "components/exporters/awsxray/translator/span_context.h"

namespace periscope::components::awsxray_exporter::translator {

// Null unless db.system is a SQL database.
nlohmann::json sqlBlock(const SpanContext& ctx);

}  // namespace periscope::components::awsxray_exporter::translator
