// Log records as the logs API answers them (docs/api.md, "Logs"): one flat JSON object per
// record with typed values (strings, numbers, booleans, arrays and objects as themselves, no
// OTLP type wrappers), ids in lowercase hex and times as decimal-nanosecond strings. Used by the
// logs endpoints and the live tail. Pure.
#pragma once

#include <string>

#include "model/batch.h"
#include "model/otlp/json_writer.h"
#include "query/logs/logs_service.h"

namespace periscope::api {

// The record's time as the logs API reports and orders it: time_unix_nano, or the observed time
// when the former is 0 (as the store does).
uint64_t logRecordTime(const model::LogRecord& record);

// One record as the next value of `w` (which appends to `out`). `fields` are what `| json`
// lifted, or null.
void writeLogRecord(model::otlp::JsonWriter& w, std::string& out, const model::ResourceLogs& rl,
                    const model::ScopeLogs& sl, const model::LogRecord& record,
                    const query::Fields* fields);

// Every record of `logs` in batch order (resources → scopes → records) as a JSON array, the
// next value of `w`. `fields`, when non-empty, holds one entry per record in that order.
void writeLogRecords(model::otlp::JsonWriter& w, std::string& out, const model::Logs& logs,
                     const std::vector<query::Fields>& fields);

// {"chunksRead":…,"recordsScanned":…,"recordsMatched":…} as the next value of `w`.
void writeLogsStats(model::otlp::JsonWriter& w, const query::LogsStats& stats);

}  // namespace periscope::api
