-- Spans in ClickHouse 18.16, for bench/clickhouse/run (see README.md beside this file).
-- The OpenTelemetry Collector's ClickHouse exporter schema (otel_traces + otel_traces_trace_id_ts)
-- adapted to 18.16, which has no Map, DateTime64 or column codecs: ids as raw bytes
-- (FixedString), nanosecond times as UInt64, attributes as Nested(key, value) arrays, events and
-- links as Nested with array-of-array attributes. (18.16 cannot parse a column type that spans
-- lines, hence the long lines.) Compression: ZSTD for every part (the
-- server's <compression> section in the config the run script writes).

-- The corpus tool's JSONEachRow lines land here; ids are hex in JSON and become raw bytes in the
-- materialized views below. Null engine: stores nothing itself.
CREATE TABLE spans_in (
  TraceId String,
  SpanId String,
  ParentSpanId String,
  TraceState String,
  ServiceName LowCardinality(String),
  SpanName LowCardinality(String),
  SpanKind Enum8('Unspecified' = 0, 'Internal' = 1, 'Server' = 2, 'Client' = 3, 'Producer' = 4, 'Consumer' = 5),
  StartTimeUnixNano UInt64,
  Duration UInt64,
  StatusCode Enum8('Unset' = 0, 'Ok' = 1, 'Error' = 2),
  StatusMessage String,
  ScopeName LowCardinality(String),
  ScopeVersion LowCardinality(String),
  ResourceAttributes Nested(key LowCardinality(String), value String),
  SpanAttributes Nested(key LowCardinality(String), value String),
  Events Nested(Timestamp UInt64, Name LowCardinality(String), AttributeKeys Array(LowCardinality(String)), AttributeValues Array(String)),
  Links Nested(TraceId String, SpanId String, TraceState String, AttributeKeys Array(LowCardinality(String)), AttributeValues Array(String))
) ENGINE = Null;

CREATE TABLE spans (
  TraceId FixedString(16),
  SpanId FixedString(8),
  ParentSpanId FixedString(8),  -- zeros for a root span
  TraceState String,
  ServiceName LowCardinality(String),
  SpanName LowCardinality(String),
  SpanKind Enum8('Unspecified' = 0, 'Internal' = 1, 'Server' = 2, 'Client' = 3, 'Producer' = 4, 'Consumer' = 5),
  StartTimeUnixNano UInt64,
  Duration UInt64,  -- ns
  StatusCode Enum8('Unset' = 0, 'Ok' = 1, 'Error' = 2),
  StatusMessage String,
  ScopeName LowCardinality(String),
  ScopeVersion LowCardinality(String),
  ResourceAttributes Nested(key LowCardinality(String), value String),
  SpanAttributes Nested(key LowCardinality(String), value String),
  Events Nested(Timestamp UInt64, Name LowCardinality(String), AttributeKeys Array(LowCardinality(String)), AttributeValues Array(String)),
  Links Nested(TraceId String, SpanId String, TraceState String, AttributeKeys Array(LowCardinality(String)), AttributeValues Array(String)),
  Timestamp DateTime ALIAS toDateTime(intDiv(StartTimeUnixNano, 1000000000))
) ENGINE = MergeTree
PARTITION BY toDate(toDateTime(intDiv(StartTimeUnixNano, 1000000000)))
ORDER BY (ServiceName, SpanName, toStartOfHour(toDateTime(intDiv(StartTimeUnixNano, 1000000000))),
          TraceId)
SETTINGS index_granularity = 8192;

CREATE MATERIALIZED VIEW spans_mv TO spans AS
SELECT
  toFixedString(unhex(TraceId), 16) AS TraceId,
  toFixedString(unhex(SpanId), 8) AS SpanId,
  toFixedString(unhex(ParentSpanId), 8) AS ParentSpanId,
  TraceState, ServiceName, SpanName, SpanKind, StartTimeUnixNano, Duration, StatusCode,
  StatusMessage, ScopeName, ScopeVersion,
  ResourceAttributes.key, ResourceAttributes.value, SpanAttributes.key, SpanAttributes.value,
  Events.Timestamp, Events.Name, Events.AttributeKeys, Events.AttributeValues,
  arrayMap(x -> unhex(x), Links.TraceId) AS `Links.TraceId`,
  arrayMap(x -> unhex(x), Links.SpanId) AS `Links.SpanId`,
  Links.TraceState, Links.AttributeKeys, Links.AttributeValues
FROM spans_in;

-- Trace id → time range, as the exporter's otel_traces_trace_id_ts: what makes "get trace by
-- id" a range read instead of a full scan. Reported separately from the spans table.
CREATE TABLE trace_id_ts (
  TraceId FixedString(16),
  Start UInt64,
  End UInt64
) ENGINE = MergeTree
ORDER BY (TraceId, Start)
SETTINGS index_granularity = 8192;

CREATE MATERIALIZED VIEW trace_id_ts_mv TO trace_id_ts AS
SELECT
  toFixedString(unhex(TraceId), 16) AS TraceId,
  min(StartTimeUnixNano) AS Start,
  max(StartTimeUnixNano + Duration) AS End
FROM spans_in
GROUP BY TraceId;
