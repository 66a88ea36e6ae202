#include "components/exporters/awsxray/translator/sql_block.h"

#include <array>
#include <string_view>

namespace periscope::components::awsxray_exporter::translator {

namespace {

bool isSqlSystem(std::string_view system) {
  static constexpr std::array<std::string_view, 11> kSql = {
      "db2",    "derby",      "hive",   "mariadb",  "mssql",    "mysql",
      "oracle", "postgresql", "sqlite", "teradata", "other_sql"};
  for (auto s : kSql) {
    if (s == system) return true;
  }
  return false;
}

}  // namespace

nlohmann::json sqlBlock(const SpanContext& ctx) {
  auto system = ctx.str({"db.system"});
  if (!system || !isSqlSystem(*system)) return nullptr;
  ctx.consume("db.system");
  nlohmann::json out = nlohmann::json::object();
  out["url"] = std::string(ctx.span().name);
  auto base = ctx.take({"db.connection_string"}).value_or("localhost");
  auto db = ctx.str({"db.name", "db.namespace"}).value_or("");
  out["connection_string"] = base + "/" + db;
  out["database_type"] = *system;
  if (auto user = ctx.take({"db.user"})) out["user"] = *user;
  if (auto q = ctx.take({"db.statement", "db.query.text"})) out["sanitized_query"] = *q;
  return out;
}

}  // namespace periscope::components::awsxray_exporter::translator
