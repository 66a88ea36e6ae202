// Periscope A (otlp receiver -> otlp / otlphttp exporter) forwards to periscope B (otlp receiver ->
// file exporter, json). We post A a hand-written OTLP/JSON request for each signal with every field
// kind set and check that B's file holds the same content, field by field, for each way A can send:
// OTLP/gRPC (gzip), OTLP/HTTP protobuf (gzip) and OTLP/HTTP JSON (gzip). Also checks that A's
// exporter self-metrics agree with B's receiver self-metrics.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { rmSync } from 'node:fs';

import { Periscope, metricValue, waitFor, readJsonLines, tempDir } from '../support/periscope.mjs';

// ---------------------------------------------------------------------------------------------
// The requests. Every id is lowercase hex, every int64 a decimal string, every enum an integer.

const T0 = 1767225600000000000n; // 2026-01-01T00:00:00Z in ns
const ns = (offsetNs) => String(T0 + BigInt(offsetNs));
const TRACE_A = '5b8efff798038103d269b633813fc60c';
const TRACE_B = '0af7651916cd43dd8448eb211c80319c';
const SPAN_1 = 'eee19b7ec3c1b174';
const SPAN_2 = 'eee19b7ec3c1b173';
const SPAN_3 = 'b7ad6b7169203331';
const SPAN_4 = '00f067aa0ba902b7';

// One attribute of each AnyValue kind, nested kinds included.
const EVERY_KIND = [
  { key: 'k.string', value: { stringValue: 'périscope ✓ "quoted" \\ \n newline' } },
  { key: 'k.empty_string', value: { stringValue: '' } },
  { key: 'k.bool', value: { boolValue: true } },
  { key: 'k.bool_false', value: { boolValue: false } },
  { key: 'k.int', value: { intValue: '-9223372036854775808' } },
  { key: 'k.int_max', value: { intValue: '9223372036854775807' } },
  { key: 'k.int_zero', value: { intValue: '0' } },
  { key: 'k.double', value: { doubleValue: 2.5e-300 } },
  { key: 'k.double_neg', value: { doubleValue: -1234.5678 } },
  { key: 'k.bytes', value: { bytesValue: 'AAEC/f7/' } },
  { key: 'k.array', value: { arrayValue: { values: [{ stringValue: 'x' }, { intValue: '7' }, { doubleValue: 0.5 }, { boolValue: true }, { arrayValue: { values: [{ stringValue: 'nested' }] } }] } } },
  { key: 'k.kvlist', value: { kvlistValue: { values: [{ key: 'inner', value: { stringValue: 'v' } }, { key: 'deeper', value: { kvlistValue: { values: [{ key: 'n', value: { intValue: '1' } }] } } }] } } },
];

function resource(service) {
  return {
    attributes: [{ key: 'service.name', value: { stringValue: service } }, ...EVERY_KIND],
    droppedAttributesCount: 3,
  };
}

function scope(name) {
  return {
    name,
    version: '1.0.0-rc.1',
    attributes: [{ key: 'scope.attr', value: { stringValue: 'scoped' } }, { key: 'scope.n', value: { intValue: '5' } }],
    droppedAttributesCount: 1,
  };
}

function tracesRequest(service) {
  return {
    resourceSpans: [{
      resource: resource(service),
      schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
      scopeSpans: [{
        scope: scope('p2p-tracer'),
        schemaUrl: 'https://opentelemetry.io/schemas/1.25.0',
        spans: [
          {
            traceId: TRACE_A,
            spanId: SPAN_1,
            traceState: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE',
            flags: 257,
            name: 'GET /api/orders',
            kind: 2,
            startTimeUnixNano: ns(0),
            endTimeUnixNano: ns(1500000123),
            attributes: EVERY_KIND,
            droppedAttributesCount: 2,
            events: [
              { timeUnixNano: ns(1000), name: 'exception', attributes: [{ key: 'exception.type', value: { stringValue: 'TimeoutError' } }, { key: 'exception.escaped', value: { boolValue: true } }], droppedAttributesCount: 1 },
              { timeUnixNano: ns(2000), name: 'bare event' },
            ],
            droppedEventsCount: 4,
            links: [
              { traceId: TRACE_B, spanId: SPAN_4, traceState: 'vendor=abc', attributes: [{ key: 'link.kind', value: { stringValue: 'follows_from' } }], droppedAttributesCount: 6, flags: 769 },
              { traceId: TRACE_A, spanId: SPAN_3 },
            ],
            droppedLinksCount: 5,
            status: { message: 'upstream timed out', code: 2 },
          },
          {
            traceId: TRACE_A,
            spanId: SPAN_2,
            parentSpanId: SPAN_1,
            name: 'SELECT orders',
            kind: 3,
            startTimeUnixNano: ns(100),
            endTimeUnixNano: ns(900),
            attributes: [{ key: 'db.system', value: { stringValue: 'postgresql' } }],
            status: { code: 1 },
          },
          { traceId: TRACE_A, spanId: SPAN_3, parentSpanId: SPAN_1, name: 'publish', kind: 4, startTimeUnixNano: ns(200), endTimeUnixNano: ns(300) },
          { traceId: TRACE_B, spanId: SPAN_4, name: 'consume', kind: 5, startTimeUnixNano: ns(400), endTimeUnixNano: ns(500), status: { message: 'only a message' } },
          { traceId: TRACE_B, spanId: 'ffffffffffffffff', parentSpanId: SPAN_4, name: 'internal work', kind: 1, startTimeUnixNano: ns(410), endTimeUnixNano: ns(420) },
        ],
      }],
    }],
  };
}

const EXEMPLAR_D = { filteredAttributes: [{ key: 'user.id', value: { stringValue: 'u-42' } }], timeUnixNano: ns(5), asDouble: 0.0375, spanId: SPAN_1, traceId: TRACE_A };
const EXEMPLAR_I = { filteredAttributes: [{ key: 'host', value: { stringValue: 'h1' } }], timeUnixNano: ns(6), asInt: '-3', spanId: SPAN_2, traceId: TRACE_A };

function metricsRequest(service) {
  const attrs = (v) => [{ key: 'route', value: { stringValue: v } }];
  return {
    resourceMetrics: [{
      resource: resource(service),
      schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
      scopeMetrics: [{
        scope: scope('p2p-meter'),
        schemaUrl: 'https://opentelemetry.io/schemas/1.24.0',
        metrics: [
          {
            name: 'room.temperature',
            description: 'a gauge with a double and an int point',
            unit: 'Cel',
            gauge: { dataPoints: [
              { attributes: attrs('/a'), startTimeUnixNano: ns(0), timeUnixNano: ns(10), asDouble: -12.75, exemplars: [EXEMPLAR_D] },
              { attributes: attrs('/b'), timeUnixNano: ns(10), asInt: '21', flags: 1 },
              { attributes: attrs('/zero'), timeUnixNano: ns(10), asDouble: 0 },
            ] },
          },
          {
            name: 'requests',
            description: 'a monotonic delta sum',
            unit: '{request}',
            metadata: [{ key: 'prometheus.type', value: { stringValue: 'counter' } }],
            sum: {
              dataPoints: [{ attributes: attrs('/a'), startTimeUnixNano: ns(0), timeUnixNano: ns(10), asInt: '9007199254740993', exemplars: [EXEMPLAR_I] }],
              aggregationTemporality: 1,
              isMonotonic: true,
            },
          },
          {
            name: 'inflight',
            unit: '1',
            sum: { dataPoints: [{ startTimeUnixNano: ns(0), timeUnixNano: ns(10), asDouble: -2.5 }], aggregationTemporality: 2 },
          },
          {
            name: 'latency',
            description: 'explicit-bucket histogram',
            unit: 's',
            histogram: {
              dataPoints: [{
                attributes: attrs('/a'),
                startTimeUnixNano: ns(0),
                timeUnixNano: ns(10),
                count: '10',
                sum: 3.75,
                bucketCounts: ['1', '0', '6', '3'],
                explicitBounds: [0.005, 0.1, 1],
                exemplars: [EXEMPLAR_D],
                min: 0.001,
                max: 2.5,
              }],
              aggregationTemporality: 2,
            },
          },
          {
            name: 'latency.exp',
            description: 'exponential histogram',
            unit: 's',
            exponentialHistogram: {
              dataPoints: [{
                attributes: attrs('/a'),
                startTimeUnixNano: ns(0),
                timeUnixNano: ns(10),
                count: '12',
                sum: -1.5,
                scale: -2,
                zeroCount: '2',
                positive: { offset: -3, bucketCounts: ['1', '2', '3'] },
                negative: { offset: 4, bucketCounts: ['0', '4'] },
                exemplars: [EXEMPLAR_D, EXEMPLAR_I],
                min: -20,
                max: 40,
                zeroThreshold: 1e-9,
              }],
              aggregationTemporality: 1,
            },
          },
          {
            name: 'gc.pause',
            description: 'summary',
            unit: 'ms',
            summary: { dataPoints: [{
              attributes: attrs('/gc'),
              startTimeUnixNano: ns(0),
              timeUnixNano: ns(10),
              count: '100',
              sum: 250.5,
              quantileValues: [{ quantile: 0, value: 0.25 }, { quantile: 0.5, value: 2 }, { quantile: 0.99, value: 12.5 }, { quantile: 1, value: 40 }],
            }] },
          },
        ],
      }],
    }],
  };
}

function logsRequest(service) {
  return {
    resourceLogs: [{
      resource: resource(service),
      schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
      scopeLogs: [{
        scope: scope('p2p-logger'),
        schemaUrl: 'https://opentelemetry.io/schemas/1.23.0',
        logRecords: [
          {
            timeUnixNano: ns(1),
            observedTimeUnixNano: ns(2),
            severityNumber: 17,
            severityText: 'ERROR',
            body: { kvlistValue: { values: [
              { key: 'msg', value: { stringValue: 'payment failed' } },
              { key: 'amount', value: { doubleValue: 12.5 } },
              { key: 'items', value: { arrayValue: { values: [{ intValue: '1' }, { intValue: '2' }] } } },
              { key: 'card', value: { kvlistValue: { values: [{ key: 'brand', value: { stringValue: 'visa' } }] } } },
              { key: 'raw', value: { bytesValue: 'aGVsbG8=' } },
            ] } },
            attributes: EVERY_KIND,
            droppedAttributesCount: 7,
            flags: 1,
            traceId: TRACE_A,
            spanId: SPAN_1,
            eventName: 'payment.failed',
          },
          {
            observedTimeUnixNano: ns(3),
            severityNumber: 9,
            severityText: 'info',
            body: { stringValue: 'plain text line' },
          },
          { timeUnixNano: ns(4), body: { arrayValue: { values: [{ stringValue: 'a' }, { boolValue: false }] } }, traceId: TRACE_B, spanId: SPAN_4 },
        ],
      }],
    }],
  };
}

const SPANS = 5;
const POINTS = 3 + 1 + 1 + 1 + 1 + 1; // gauge(3) sum(1) sum(1) histogram(1) exp histogram(1) summary(1)
const LOG_RECORDS = 3;

// ---------------------------------------------------------------------------------------------
// Normalising: the file exporter omits fields holding their default value (proto3), and a writer
// may send int64 as numbers or strings. Values inside AnyValue / number data points are a oneof,
// so their zero values are kept (they are present on the wire).
const ONEOF = new Set(['stringValue', 'boolValue', 'intValue', 'doubleValue', 'bytesValue', 'asInt', 'asDouble']);

function isDefault(v) {
  if (v === null || v === undefined || v === 0 || v === '' || v === false || v === '0') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}

function normalise(v) {
  if (Array.isArray(v)) return v.map(normalise);
  if (v && typeof v === 'object') {
    const out = {};
    for (const [k, raw] of Object.entries(v)) {
      const val = normalise(raw);
      if (!ONEOF.has(k) && isDefault(val)) continue;
      out[k] = typeof val === 'number' && /(Count|count|Nano|asInt|intValue)$/.test(k) ? String(val) : val;
    }
    return out;
  }
  return v;
}

// All top-level resource entries from every line of B's file (A may split or keep one request).
function resourceEntries(path, field) {
  return readJsonLines(path).flatMap((req) => req[field] ?? []);
}

function countItems(entries, scopeField, itemField, sub) {
  let n = 0;
  for (const r of entries) {
    for (const s of r[scopeField] ?? []) {
      for (const item of s[itemField] ?? []) n += sub ? sub(item) : 1;
    }
  }
  return n;
}

const pointsOf = (m) => {
  const d = m.gauge ?? m.sum ?? m.histogram ?? m.exponentialHistogram ?? m.summary;
  return d?.dataPoints?.length ?? 0;
};

// ---------------------------------------------------------------------------------------------

let b;
let files;

before(async () => {
  const dir = tempDir('periscope-p2p-');
  files = { dir, traces: join(dir, 'traces.jsonl'), metrics: join(dir, 'metrics.jsonl'), logs: join(dir, 'logs.jsonl') };
  b = await Periscope.start(`
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:0
      http:
        endpoint: 127.0.0.1:0
exporters:
  file/traces:
    path: ${files.traces}
  file/metrics:
    path: ${files.metrics}
  file/logs:
    path: ${files.logs}
service:
  telemetry:
    metrics:
      address: 127.0.0.1:0
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [file/traces]
    metrics:
      receivers: [otlp]
      exporters: [file/metrics]
    logs:
      receivers: [otlp]
      exporters: [file/logs]
`);
});

after(async () => {
  if (b) {
    await b.stop();
    b.cleanup();
  }
  if (files) rmSync(files.dir, { recursive: true, force: true });
});

// How A reaches B: the exporter's config, its component id, and the transport B will see.
const VARIANTS = [
  {
    name: 'otlp (gRPC, gzip)',
    id: 'otlp',
    transport: 'grpc',
    config: () => `otlp:\n    endpoint: 127.0.0.1:${b.ports.grpc}\n    tls:\n      insecure: true\n    compression: gzip`,
  },
  {
    name: 'otlphttp (protobuf, gzip)',
    id: 'otlphttp/proto',
    transport: 'http',
    config: () => `otlphttp/proto:\n    endpoint: http://127.0.0.1:${b.ports.http}\n    encoding: proto\n    compression: gzip`,
  },
  {
    name: 'otlphttp (JSON, gzip)',
    id: 'otlphttp/json',
    transport: 'http',
    config: () => `otlphttp/json:\n    endpoint: http://127.0.0.1:${b.ports.http}\n    encoding: json\n    compression: gzip`,
  },
];

async function startA(variant) {
  return Periscope.start(`
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:0
exporters:
  ${variant.config()}
service:
  telemetry:
    metrics:
      address: 127.0.0.1:0
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [${variant.id}]
    metrics:
      receivers: [otlp]
      exporters: [${variant.id}]
    logs:
      receivers: [otlp]
      exporters: [${variant.id}]
`);
}

async function post(a, path, body) {
  const res = await fetch(a.url('http', path), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  assert.equal(res.status, 200, `POST ${path}: ${res.status} ${text}`);
  assert.match(res.headers.get('content-type') ?? '', /application\/json/);
  const answer = JSON.parse(text || '{}');
  assert.equal(answer.partialSuccess?.rejectedSpans ?? answer.partialSuccess?.rejectedDataPoints ?? answer.partialSuccess?.rejectedLogRecords ?? '0', '0');
}

// Running totals of what B received, so each variant checks only its own share.
const expectedAtB = { grpc: { spans: 0, points: 0, logs: 0 }, http: { spans: 0, points: 0, logs: 0 } };

for (const variant of VARIANTS) {
  test(`A forwards to B over ${variant.name} without losing a field`, async () => {
    const service = `p2p-${variant.id.replace('/', '-')}`;
    const a = await startA(variant);
    try {
      const sent = { traces: tracesRequest(service), metrics: metricsRequest(service), logs: logsRequest(service) };
      await post(a, '/v1/traces', sent.traces);
      await post(a, '/v1/metrics', sent.metrics);
      await post(a, '/v1/logs', sent.logs);

      const mine = (entries) => entries.filter((r) => r.resource?.attributes?.some((kv) => kv.key === 'service.name' && kv.value?.stringValue === service));
      const got = await waitFor(() => {
        const traces = mine(resourceEntries(files.traces, 'resourceSpans'));
        const metrics = mine(resourceEntries(files.metrics, 'resourceMetrics'));
        const logs = mine(resourceEntries(files.logs, 'resourceLogs'));
        const done = countItems(traces, 'scopeSpans', 'spans') >= SPANS
          && countItems(metrics, 'scopeMetrics', 'metrics', pointsOf) >= POINTS
          && countItems(logs, 'scopeLogs', 'logRecords') >= LOG_RECORDS;
        return done && { traces, metrics, logs };
      }, { timeoutMs: 15000, what: `B's files to hold ${service}'s spans, points and records` });

      // Field by field: the whole resource/scope/item tree, after dropping default values.
      assert.deepEqual(normalise(got.traces), normalise(sent.traces.resourceSpans), 'traces differ');
      assert.deepEqual(normalise(got.metrics), normalise(sent.metrics.resourceMetrics), 'metrics differ');
      assert.deepEqual(normalise(got.logs), normalise(sent.logs.resourceLogs), 'logs differ');

      // A few values spelled out, in case normalising hid something.
      const span = got.traces[0].scopeSpans[0].spans[0];
      assert.equal(span.traceState, 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
      assert.equal(span.flags, 257);
      assert.equal(span.links[0].flags, 769);
      assert.equal(span.droppedLinksCount, 5);
      assert.deepEqual(span.attributes.find((kv) => kv.key === 'k.int').value, { intValue: '-9223372036854775808' });
      assert.deepEqual(span.attributes.find((kv) => kv.key === 'k.int_zero').value, { intValue: '0' });
      assert.deepEqual(span.attributes.find((kv) => kv.key === 'k.bytes').value, { bytesValue: 'AAEC/f7/' });
      assert.deepEqual(span.attributes.find((kv) => kv.key === 'k.double').value, { doubleValue: 2.5e-300 });
      const metrics = got.metrics[0].scopeMetrics[0].metrics;
      const byName = Object.fromEntries(metrics.map((m) => [m.name, m]));
      assert.equal(byName.requests.sum.dataPoints[0].asInt, '9007199254740993', 'int64 beyond 2^53 kept exactly');
      assert.equal(byName['latency.exp'].exponentialHistogram.dataPoints[0].scale, -2);
      assert.equal(byName['latency.exp'].exponentialHistogram.dataPoints[0].negative.offset, 4);
      assert.equal(byName['room.temperature'].gauge.dataPoints[2].asDouble, 0, 'a zero gauge value is still a value');
      assert.deepEqual(byName['gc.pause'].summary.dataPoints[0].quantileValues.map((q) => q.quantile ?? 0), [0, 0.5, 0.99, 1]);
      assert.equal(got.logs[0].scopeLogs[0].logRecords[0].body.kvlistValue.values[0].value.stringValue, 'payment failed');
      assert.equal(got.logs[0].scopeLogs[0].logRecords[0].traceId, TRACE_A);

      // What A says it sent is what B says it accepted (B counts per transport, cumulatively).
      const t = expectedAtB[variant.transport];
      t.spans += SPANS; t.points += POINTS; t.logs += LOG_RECORDS;
      await waitFor(async () => {
        const [ta, tb] = [await a.metrics(), await b.metrics()];
        const sentA = {
          spans: metricValue(ta, 'otelcol_exporter_sent_spans_total', { exporter: variant.id }),
          points: metricValue(ta, 'otelcol_exporter_sent_metric_points_total', { exporter: variant.id }),
          logs: metricValue(ta, 'otelcol_exporter_sent_log_records_total', { exporter: variant.id }),
        };
        const acceptedB = {
          spans: metricValue(tb, 'otelcol_receiver_accepted_spans_total', { receiver: 'otlp', transport: variant.transport }),
          points: metricValue(tb, 'otelcol_receiver_accepted_metric_points_total', { receiver: 'otlp', transport: variant.transport }),
          logs: metricValue(tb, 'otelcol_receiver_accepted_log_records_total', { receiver: 'otlp', transport: variant.transport }),
        };
        assert.deepEqual(sentA, { spans: SPANS, points: POINTS, logs: LOG_RECORDS }, `A's exporter self-metrics\n${ta}`);
        assert.deepEqual(acceptedB, t, `B's receiver self-metrics\n${tb}`);
        assert.equal(metricValue(ta, 'otelcol_exporter_send_failed_spans_total', { exporter: variant.id }) ?? 0, 0);
        return true;
      }, { timeoutMs: 5000, what: 'self-metrics of A and B to agree' });
    } finally {
      await a.stop();
      a.cleanup();
    }
  });
}
