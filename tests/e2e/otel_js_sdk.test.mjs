// The real OpenTelemetry JS SDK sends traces, metrics and logs to periscope's otlp receiver over
// gRPC, HTTP/protobuf and HTTP/JSON; the file exporter (json) writes what arrived, and we check
// that every field the SDK produced survived: attribute values and their types, events, links,
// status, kinds, parent/child, resources, scopes, metric points, log bodies/severity/trace context.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { rmSync } from 'node:fs';

import { trace, ROOT_CONTEXT, SpanKind, SpanStatusCode, ValueType } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor, InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { OTLPTraceExporter as TraceGrpc } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as TraceProto } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as TraceJson } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPMetricExporter as MetricGrpc } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as MetricProto } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPMetricExporter as MetricJson } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPLogExporter as LogGrpc } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as LogProto } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPLogExporter as LogJson } from '@opentelemetry/exporter-logs-otlp-http';

import { Periscope, metricValue, waitFor, readJsonLines, tempDir } from '../support/periscope.mjs';

let p;
let files;

before(async () => {
  const dir = tempDir('periscope-e2e-files-');
  files = { traces: join(dir, 'traces.jsonl'), metrics: join(dir, 'metrics.jsonl'), logs: join(dir, 'logs.jsonl'), dir };
  p = await Periscope.start(`
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
    format: json
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
  if (p) {
    await p.stop();
    p.cleanup();
  }
  if (files) rmSync(files.dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Helpers

// Wraps an SDK exporter and records each export's result, so a refused export fails the test with
// its error instead of silently producing a file with nothing in it.
function recording(exporter) {
  const results = [];
  return {
    results,
    export(items, cb) {
      exporter.export(items, (r) => { results.push(r); cb(r); });
    },
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
    shutdown: () => exporter.shutdown(),
    selectAggregationTemporality: exporter.selectAggregationTemporality?.bind(exporter),
    selectAggregation: exporter.selectAggregation?.bind(exporter),
  };
}

function assertAllExported(rec, what) {
  assert.ok(rec.results.length > 0, `${what}: nothing was exported`);
  for (const r of rec.results) {
    assert.equal(r.code, 0, `${what}: export failed: ${r.error?.stack ?? r.error}`);
  }
}

const hrToNanos = ([s, ns]) => (BigInt(s) * 1000000000n + BigInt(ns)).toString();

// JS attribute value -> expected OTLP/JSON AnyValue (the SDK encodes integral numbers as intValue).
function anyValue(v) {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(anyValue) } };
  if (v && typeof v === 'object') {
    return { kvlistValue: { values: Object.entries(v).map(([key, val]) => ({ key, value: anyValue(val) })) } };
  }
  throw new Error(`unexpected attribute value ${v}`);
}

// OTLP/JSON attribute list -> { key: AnyValue } (and checks keys are unique).
function attrMap(list = []) {
  const out = {};
  for (const { key, value } of list) {
    assert.ok(!(key in out), `duplicate attribute ${key}`);
    out[key] = value;
  }
  return out;
}

function expectedAttrs(obj) {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, anyValue(v)]));
}

function resourceService(resource) {
  return attrMap(resource?.attributes)['service.name']?.stringValue;
}

// Every span written by the file exporter, with its resource and scope.
function fileSpans() {
  const out = [];
  for (const req of readJsonLines(files.traces)) {
    for (const rs of req.resourceSpans ?? []) {
      for (const ss of rs.scopeSpans ?? []) {
        for (const span of ss.spans ?? []) out.push({ span, resource: rs.resource, scope: ss.scope });
      }
    }
  }
  return out;
}

function fileMetrics() {
  const out = [];
  for (const req of readJsonLines(files.metrics)) {
    for (const rm of req.resourceMetrics ?? []) {
      for (const sm of rm.scopeMetrics ?? []) {
        for (const metric of sm.metrics ?? []) out.push({ metric, resource: rm.resource, scope: sm.scope });
      }
    }
  }
  return out;
}

function fileLogs() {
  const out = [];
  for (const req of readJsonLines(files.logs)) {
    for (const rl of req.resourceLogs ?? []) {
      for (const sl of rl.scopeLogs ?? []) {
        for (const record of sl.logRecords ?? []) out.push({ record, resource: rl.resource, scope: sl.scope });
      }
    }
  }
  return out;
}

const RESOURCE_EXTRA = { 'service.version': '1.2.3', 'deployment.environment.name': 'e2e', 'host.cpu.count': 8 };

// Attributes of every type the API allows.
const ALL_TYPES = {
  'attr.string': 'hello, wörld',
  'attr.int': 42,
  'attr.negative_int': -17,
  'attr.big_int': 9007199254740991,
  'attr.double': 3.25,
  'attr.bool_true': true,
  'attr.bool_false': false,
  'attr.string_array': ['a', 'b', ''],
  'attr.int_array': [1, 2, 3],
  'attr.double_array': [0.5, 1.5],
  'attr.bool_array': [true, false],
};

// ---------------------------------------------------------------------------------------------
// Traces

const TRACE_TRANSPORTS = [
  { service: 'js-traces-grpc', transport: 'grpc', make: () => new TraceGrpc({ url: p.url('grpc') }) },
  { service: 'js-traces-http-proto', transport: 'http', make: () => new TraceProto({ url: p.url('http', '/v1/traces') }) },
  { service: 'js-traces-http-json', transport: 'http', make: () => new TraceJson({ url: p.url('http', '/v1/traces') }) },
];

// Produces one small trace tree plus a second trace linked to it; returns the SDK's own view of
// the finished spans (from an in-memory exporter beside the OTLP one).
async function sendTraces({ service, make }) {
  const rec = recording(make());
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service, ...RESOURCE_EXTRA }),
    spanProcessors: [new SimpleSpanProcessor(memory), new SimpleSpanProcessor(rec)],
  });
  const tracer = provider.getTracer('periscope-e2e-tracer', '0.9.1');

  const root = tracer.startSpan('GET /checkout', {
    kind: SpanKind.SERVER,
    attributes: { 'http.request.method': 'GET', 'http.response.status_code': 500 },
  });
  const rootCtx = trace.setSpan(ROOT_CONTEXT, root);

  const producer = tracer.startSpan('publish order', { kind: SpanKind.PRODUCER }, rootCtx);
  producer.end();

  const client = tracer.startSpan('charge card', {
    kind: SpanKind.CLIENT,
    attributes: ALL_TYPES,
    links: [{ context: producer.spanContext(), attributes: { 'link.reason': 'same order', 'link.weight': 2 } }],
  }, rootCtx);
  client.addEvent('retry', { 'retry.attempt': 2, 'retry.backoff_s': 0.125, 'retry.reason': 'timeout', 'retry.final': false });
  client.addEvent('card declined');
  client.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined: insufficient funds' });

  const internal = tracer.startSpan('compute fraud score', { kind: SpanKind.INTERNAL }, trace.setSpan(rootCtx, client));
  internal.setAttribute('fraud.score', 0.75);
  internal.end();
  client.end();

  root.setStatus({ code: SpanStatusCode.OK });
  root.end();

  // A separate trace: a consumer that links back to the producer.
  const consumer = tracer.startSpan('process order', {
    kind: SpanKind.CONSUMER,
    root: true,
    links: [{ context: producer.spanContext() }, { context: client.spanContext(), attributes: { 'link.n': 2 } }],
  });
  consumer.end();

  await provider.forceFlush();
  const spans = memory.getFinishedSpans().slice();
  await provider.shutdown();
  assertAllExported(rec, `traces to ${service}`);
  assert.equal(spans.length, 5);
  return spans;
}

function checkSpan(sdk, got, service) {
  const { span, resource, scope } = got;
  const ctx = sdk.spanContext();
  const what = `${service} span "${sdk.name}"`;
  assert.equal(span.traceId, ctx.traceId, `${what}: traceId (lowercase hex)`);
  assert.match(span.traceId, /^[0-9a-f]{32}$/);
  assert.equal(span.spanId, ctx.spanId, `${what}: spanId`);
  assert.equal(span.parentSpanId ?? '', sdk.parentSpanContext?.spanId ?? '', `${what}: parentSpanId`);
  assert.equal(span.name, sdk.name);
  assert.equal(span.kind, sdk.kind + 1, `${what}: kind (OTLP enum = API enum + 1)`);
  assert.equal(span.startTimeUnixNano, hrToNanos(sdk.startTime), `${what}: start time`);
  assert.equal(span.endTimeUnixNano, hrToNanos(sdk.endTime), `${what}: end time`);
  assert.deepEqual(attrMap(span.attributes), expectedAttrs(sdk.attributes), `${what}: attributes`);
  assert.equal(span.events?.length ?? 0, sdk.events.length, `${what}: event count`);
  sdk.events.forEach((e, i) => {
    const fe = span.events[i];
    assert.equal(fe.name, e.name);
    assert.equal(fe.timeUnixNano, hrToNanos(e.time), `${what}: event time`);
    assert.deepEqual(attrMap(fe.attributes), expectedAttrs(e.attributes ?? {}), `${what}: event attributes`);
  });
  assert.equal(span.links?.length ?? 0, sdk.links.length, `${what}: link count`);
  sdk.links.forEach((l, i) => {
    const fl = span.links[i];
    assert.equal(fl.traceId, l.context.traceId);
    assert.equal(fl.spanId, l.context.spanId);
    assert.deepEqual(attrMap(fl.attributes), expectedAttrs(l.attributes ?? {}), `${what}: link attributes`);
  });
  assert.equal(span.status?.code ?? 0, sdk.status.code, `${what}: status code`);
  assert.equal(span.status?.message ?? '', sdk.status.message ?? '', `${what}: status message`);
  assert.deepEqual(attrMap(resource.attributes), expectedAttrs({ 'service.name': service, ...RESOURCE_EXTRA, ...sdkResourceDefaults(sdk) }),
    `${what}: resource attributes`);
  assert.equal(scope.name, 'periscope-e2e-tracer');
  assert.equal(scope.version, '0.9.1');
}

// The SDK adds telemetry.sdk.* to every resource; expect whatever it put there.
function sdkResourceDefaults(sdk) {
  return Object.fromEntries(Object.entries(sdk.resource.attributes).filter(([k]) => k.startsWith('telemetry.sdk.')));
}

test('traces from the JS SDK over gRPC, HTTP/protobuf and HTTP/JSON arrive intact', async () => {
  const sent = {};
  for (const t of TRACE_TRANSPORTS) sent[t.service] = await sendTraces(t);

  const total = Object.values(sent).reduce((n, s) => n + s.length, 0);
  const spans = await waitFor(() => { const s = fileSpans(); return s.length >= total && s; },
    { what: `${total} spans in ${files.traces}` });
  assert.equal(spans.length, total, 'no span written twice');

  for (const [service, sdkSpans] of Object.entries(sent)) {
    for (const sdk of sdkSpans) {
      const got = spans.find((s) => s.span.spanId === sdk.spanContext().spanId);
      assert.ok(got, `${service}: span ${sdk.name} missing from the file`);
      assert.equal(resourceService(got.resource), service);
      checkSpan(sdk, got, service);
    }
    // Spot checks that do not go through the generic comparison.
    const byName = Object.fromEntries(spans.filter((s) => resourceService(s.resource) === service).map((s) => [s.span.name, s.span]));
    const client = byName['charge card'];
    const a = attrMap(client.attributes);
    assert.deepEqual(a['attr.int'], { intValue: '42' });
    assert.deepEqual(a['attr.big_int'], { intValue: '9007199254740991' });
    assert.deepEqual(a['attr.double'], { doubleValue: 3.25 });
    assert.deepEqual(a['attr.bool_false'], { boolValue: false });
    assert.deepEqual(a['attr.string_array'], { arrayValue: { values: [{ stringValue: 'a' }, { stringValue: 'b' }, { stringValue: '' }] } });
    assert.equal(client.kind, 3, 'SPAN_KIND_CLIENT');
    assert.equal(client.status.code, 2, 'STATUS_CODE_ERROR');
    assert.equal(client.status.message, 'card declined: insufficient funds');
    assert.equal(client.parentSpanId, byName['GET /checkout'].spanId);
    assert.equal(byName['compute fraud score'].parentSpanId, client.spanId);
    assert.equal(byName['GET /checkout'].parentSpanId ?? '', '');
    assert.equal(byName['GET /checkout'].kind, 2, 'SPAN_KIND_SERVER');
    assert.equal(byName['GET /checkout'].status?.code, 1, 'STATUS_CODE_OK');
    assert.equal(byName['publish order'].kind, 4);
    assert.equal(byName['process order'].kind, 5);
    assert.equal(byName['compute fraud score'].kind, 1);
    assert.notEqual(byName['process order'].traceId, byName['publish order'].traceId);
    assert.equal(byName['process order'].links[0].spanId, byName['publish order'].spanId);
    assert.deepEqual(client.events.map((e) => e.name), ['retry', 'card declined']);
    assert.deepEqual(attrMap(client.events[0].attributes)['retry.backoff_s'], { doubleValue: 0.125 });
    // W3C flags: the SDK samples everything, so each span and link carries the sampled bit.
    assert.equal((client.flags ?? 0) & 0xff, 1, 'span flags carry the sampled bit');
  }

  // The receiver's self-metrics count accepted spans per transport: 5 over gRPC, 10 over HTTP.
  const perTransport = { grpc: 0, http: 0 };
  for (const t of TRACE_TRANSPORTS) perTransport[t.transport] += sent[t.service].length;
  const text = await p.metrics();
  assert.equal(metricValue(text, 'otelcol_receiver_accepted_spans_total', { receiver: 'otlp', transport: 'grpc' }), perTransport.grpc, text);
  assert.equal(metricValue(text, 'otelcol_receiver_accepted_spans_total', { receiver: 'otlp', transport: 'http' }), perTransport.http);
  assert.equal(metricValue(text, 'otelcol_receiver_refused_spans_total', { receiver: 'otlp', transport: 'grpc' }) ?? 0, 0);
  assert.equal(metricValue(text, 'otelcol_receiver_refused_spans_total', { receiver: 'otlp', transport: 'http' }) ?? 0, 0);
  assert.equal(metricValue(text, 'otelcol_exporter_sent_spans_total', { exporter: 'file/traces' }), total);
});

// ---------------------------------------------------------------------------------------------
// Metrics

const METRIC_TRANSPORTS = [
  { service: 'js-metrics-http-proto', transport: 'http', make: () => new MetricProto({ url: p.url('http', '/v1/metrics') }) },
  { service: 'js-metrics-grpc', transport: 'grpc', make: () => new MetricGrpc({ url: p.url('grpc') }) },
  { service: 'js-metrics-http-json', transport: 'http', make: () => new MetricJson({ url: p.url('http', '/v1/metrics') }) },
];

async function sendMetrics({ service, make }) {
  const rec = recording(make());
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': service, ...RESOURCE_EXTRA }),
    // Exported once, at shutdown (the interval is longer than the test).
    readers: [new PeriodicExportingMetricReader({ exporter: rec, exportIntervalMillis: 600000, exportTimeoutMillis: 10000 })],
  });
  const meter = provider.getMeter('periscope-e2e-meter', '2.0.0');
  const counter = meter.createCounter('orders.placed', { description: 'orders placed', unit: '{order}', valueType: ValueType.INT });
  counter.add(5, { 'order.region': 'eu', 'order.express': true });
  counter.add(7, { 'order.region': 'eu', 'order.express': true });
  counter.add(1, { 'order.region': 'us', 'order.express': false });
  const hist = meter.createHistogram('checkout.duration', {
    description: 'checkout latency', unit: 'ms', advice: { explicitBucketBoundaries: [1, 10, 100] },
  });
  for (const v of [0.5, 5, 50, 70, 1000]) hist.record(v, { 'http.route': '/checkout' });
  const updown = meter.createUpDownCounter('queue.depth', { unit: '{item}', valueType: ValueType.INT });
  updown.add(10, { queue: 'orders' });
  updown.add(-3, { queue: 'orders' });
  const gauge = meter.createObservableGauge('cpu.temperature', { unit: 'Cel', description: 'temperature' });
  gauge.addCallback((r) => { r.observe(21.5, { core: 0 }); r.observe(-4.25, { core: 1 }); });
  const syncGauge = meter.createGauge('pool.size', { valueType: ValueType.INT });
  syncGauge.record(3, { pool: 'db' });
  syncGauge.record(9, { pool: 'db' });

  await provider.shutdown();
  assertAllExported(rec, `metrics to ${service}`);
}

function pointsByAttrs(points) {
  return Object.fromEntries(points.map((pt) => [JSON.stringify(attrMap(pt.attributes)), pt]));
}
const key = (o) => JSON.stringify(expectedAttrs(o));

test('metrics from the JS SDK (counter, histogram, up-down counter, gauges) arrive intact', async () => {
  for (const t of METRIC_TRANSPORTS) await sendMetrics(t);

  const names = ['orders.placed', 'checkout.duration', 'queue.depth', 'cpu.temperature', 'pool.size'];
  const metrics = await waitFor(() => {
    const all = fileMetrics();
    return METRIC_TRANSPORTS.every((t) => names.every((n) => all.some((m) => m.metric.name === n && resourceService(m.resource) === t.service))) && all;
  }, { what: `every metric of every service in ${files.metrics}` });

  for (const { service } of METRIC_TRANSPORTS) {
    const mine = metrics.filter((m) => resourceService(m.resource) === service);
    const get = (name) => {
      const found = mine.filter((m) => m.metric.name === name);
      assert.equal(found.length, 1, `${service}: ${name} exported once`);
      return found[0];
    };
    const res = attrMap(get('orders.placed').resource.attributes);
    assert.deepEqual(res['deployment.environment.name'], { stringValue: 'e2e' });
    assert.deepEqual(res['host.cpu.count'], { intValue: '8' });
    assert.equal(get('orders.placed').scope.name, 'periscope-e2e-meter');
    assert.equal(get('orders.placed').scope.version, '2.0.0');

    const counter = get('orders.placed').metric;
    assert.equal(counter.description, 'orders placed');
    assert.equal(counter.unit, '{order}');
    assert.ok(counter.sum, `${service}: counter is a sum`);
    assert.equal(counter.sum.isMonotonic, true);
    assert.equal(counter.sum.aggregationTemporality, 2, 'CUMULATIVE');
    const cp = pointsByAttrs(counter.sum.dataPoints);
    assert.equal(Object.keys(cp).length, 2);
    assert.equal(cp[key({ 'order.region': 'eu', 'order.express': true })].asInt, '12');
    assert.equal(cp[key({ 'order.region': 'us', 'order.express': false })].asInt, '1');
    for (const pt of counter.sum.dataPoints) {
      assert.match(pt.timeUnixNano, /^\d{19}$/);
      assert.match(pt.startTimeUnixNano, /^\d{19}$/);
      assert.ok(BigInt(pt.startTimeUnixNano) <= BigInt(pt.timeUnixNano));
    }

    const hist = get('checkout.duration').metric;
    assert.equal(hist.unit, 'ms');
    assert.equal(hist.description, 'checkout latency');
    assert.equal(hist.histogram.aggregationTemporality, 2);
    assert.equal(hist.histogram.dataPoints.length, 1);
    const hp = hist.histogram.dataPoints[0];
    assert.deepEqual(attrMap(hp.attributes), expectedAttrs({ 'http.route': '/checkout' }));
    assert.equal(hp.count, '5');
    assert.equal(hp.sum, 1125.5);
    assert.equal(hp.min, 0.5);
    assert.equal(hp.max, 1000);
    assert.deepEqual(hp.explicitBounds, [1, 10, 100]);
    assert.deepEqual(hp.bucketCounts, ['1', '1', '2', '1']);

    const updown = get('queue.depth').metric;
    assert.equal(updown.sum.isMonotonic ?? false, false, 'up-down counter is not monotonic');
    assert.equal(updown.sum.aggregationTemporality, 2);
    assert.equal(updown.sum.dataPoints.length, 1);
    assert.equal(updown.sum.dataPoints[0].asInt, '7');

    const gauge = get('cpu.temperature').metric;
    assert.equal(gauge.unit, 'Cel');
    assert.ok(gauge.gauge, `${service}: observable gauge is a gauge`);
    const gp = pointsByAttrs(gauge.gauge.dataPoints);
    assert.equal(gp[key({ core: 0 })].asDouble, 21.5);
    assert.equal(gp[key({ core: 1 })].asDouble, -4.25);

    const sg = get('pool.size').metric;
    assert.ok(sg.gauge);
    assert.equal(sg.gauge.dataPoints.length, 1);
    assert.equal(sg.gauge.dataPoints[0].asInt, '9', 'last value of a synchronous gauge');
  }

  const text = await p.metrics();
  // Points per service: 2 counter + 1 histogram + 1 up-down + 2 gauge + 1 sync gauge = 7.
  assert.equal(metricValue(text, 'otelcol_receiver_accepted_metric_points_total', { receiver: 'otlp', transport: 'grpc' }), 7);
  assert.equal(metricValue(text, 'otelcol_receiver_accepted_metric_points_total', { receiver: 'otlp', transport: 'http' }), 14);
});

// ---------------------------------------------------------------------------------------------
// Logs

const LOG_TRANSPORTS = [
  { service: 'js-logs-http-proto', transport: 'http', make: () => new LogProto({ url: p.url('http', '/v1/logs') }) },
  { service: 'js-logs-grpc', transport: 'grpc', make: () => new LogGrpc({ url: p.url('grpc') }) },
  { service: 'js-logs-http-json', transport: 'http', make: () => new LogJson({ url: p.url('http', '/v1/logs') }) },
];

const LOG_TIME_MS = 1767225600123; // 2026-01-01T00:00:00.123Z

async function sendLogs({ service, make }) {
  const rec = recording(make());
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': service, ...RESOURCE_EXTRA }),
    processors: [new SimpleLogRecordProcessor({ exporter: rec })],
  });
  const logger = provider.getLogger('periscope-e2e-logger', '3.1.4');

  // A span to correlate with (never exported; only its context matters).
  const tracer = new BasicTracerProvider().getTracer('ctx');
  const span = tracer.startSpan('request');
  const ctx = trace.setSpan(ROOT_CONTEXT, span);

  logger.emit({
    timestamp: LOG_TIME_MS,
    severityNumber: SeverityNumber.WARN,
    severityText: 'WARN',
    body: 'payment provider slow: 1.2s',
    attributes: { 'log.kind': 'latency', 'latency.ms': 1200, 'latency.ratio': 1.5, retried: true, tags: ['pay', 'slow'] },
    context: ctx,
  });
  logger.emit({
    timestamp: LOG_TIME_MS + 1,
    severityNumber: SeverityNumber.ERROR2,
    severityText: 'error',
    body: { event: 'payment.failed', amount: 12.5, attempts: 3, final: true, items: ['a', 'b'], card: { brand: 'visa', last4: '4242' } },
    attributes: { 'log.kind': 'structured' },
  });
  logger.emit({ body: 'no severity, no context' });
  span.end();

  await provider.forceFlush();
  await provider.shutdown();
  assertAllExported(rec, `logs to ${service}`);
  return span.spanContext();
}

test('logs from the JS SDK (body, severity, attributes, trace context) arrive intact', async () => {
  const ctxs = {};
  for (const t of LOG_TRANSPORTS) ctxs[t.service] = await sendLogs(t);

  const records = await waitFor(() => { const r = fileLogs(); return r.length >= 9 && r; },
    { what: `9 log records in ${files.logs}` });
  assert.equal(records.length, 9);

  for (const { service } of LOG_TRANSPORTS) {
    const mine = records.filter((r) => resourceService(r.resource) === service);
    assert.equal(mine.length, 3, `${service}: 3 records`);
    assert.equal(mine[0].scope.name, 'periscope-e2e-logger');
    assert.equal(mine[0].scope.version, '3.1.4');
    assert.deepEqual(attrMap(mine[0].resource.attributes)['service.version'], { stringValue: '1.2.3' });
    const byKind = (k) => mine.find((r) => attrMap(r.record.attributes)['log.kind']?.stringValue === k)?.record;

    const warn = byKind('latency');
    assert.ok(warn, `${service}: latency record`);
    assert.deepEqual(warn.body, { stringValue: 'payment provider slow: 1.2s' });
    assert.equal(warn.severityNumber, 13, 'SEVERITY_NUMBER_WARN');
    assert.equal(warn.severityText, 'WARN');
    assert.equal(warn.timeUnixNano, String(BigInt(LOG_TIME_MS) * 1000000n));
    assert.match(warn.observedTimeUnixNano, /^\d{19}$/);
    assert.deepEqual(attrMap(warn.attributes), expectedAttrs({
      'log.kind': 'latency', 'latency.ms': 1200, 'latency.ratio': 1.5, retried: true, tags: ['pay', 'slow'],
    }));
    assert.equal(warn.traceId, ctxs[service].traceId, `${service}: trace id of the active span`);
    assert.equal(warn.spanId, ctxs[service].spanId);
    assert.equal(warn.flags, 1, 'sampled flag');

    const err = byKind('structured');
    assert.ok(err, `${service}: structured record`);
    assert.equal(err.severityNumber, 18, 'SEVERITY_NUMBER_ERROR2');
    assert.equal(err.severityText, 'error');
    assert.deepEqual(err.body, anyValue({ event: 'payment.failed', amount: 12.5, attempts: 3, final: true, items: ['a', 'b'], card: { brand: 'visa', last4: '4242' } }));
    assert.equal(err.traceId ?? '', '', 'no trace context');
    assert.equal(err.spanId ?? '', '');

    const plain = mine.find((r) => r.record.body?.stringValue === 'no severity, no context')?.record;
    assert.ok(plain);
    assert.equal(plain.severityNumber ?? 0, 0);
    assert.equal(plain.attributes?.length ?? 0, 0);
  }

  const text = await p.metrics();
  assert.equal(metricValue(text, 'otelcol_receiver_accepted_log_records_total', { receiver: 'otlp', transport: 'grpc' }), 3);
  assert.equal(metricValue(text, 'otelcol_receiver_accepted_log_records_total', { receiver: 'otlp', transport: 'http' }), 6);
});
