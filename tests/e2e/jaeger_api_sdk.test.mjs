// A real client end to end through the embedded store: the OpenTelemetry JS SDK (OTLP/HTTP
// protobuf exporter) sends a small realistic trace to `periscope serve` (store exporter), and the
// query API must give it back: Jaeger v1 /api/traces/{id} field by field (operation names,
// CHILD_OF / FOLLOWS_FROM references, µs times from the SDK's hrtime, typed tags, logs from
// events, process and its tags, span.kind / otel.status_code / error tags), api_v3's OTLP/JSON,
// /api/services, and tag search. The store makes spans visible before it answers the exporter,
// so the first query after the SDK's flush must already see them (read-your-writes).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';

import { trace, ROOT_CONTEXT, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor, InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';

import { tempDir } from '../support/periscope.mjs';
import { storeConfig, startStore, getJson, tagMap } from '../support/trace_store.mjs';

const SERVICE = 'checkout-sdk-e2e';
const RESOURCE = { 'service.name': SERVICE, 'service.version': '2.4.1', 'deployment.environment.name': 'e2e', 'host.cpu.count': 8 };

let p;
let dataDir;
let sent; // { server, client, db, producer, results } finished SDK spans and export results

before(async () => {
  dataDir = tempDir('periscope-jaeger-e2e-');
  p = await startStore(dataDir, storeConfig());
  sent = await sendTrace();
});

after(async () => {
  if (p) {
    const r = await p.stop();
    p.cleanup();
    assert.deepEqual(r, { code: 0, signal: null }, p.stderr.slice(-3000));
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

// A checkout request: server span → client span (→ internal db span), with an event, an
// exception, an error status, and a link to a producer span of another trace.
async function sendTrace() {
  const results = [];
  const otlp = new OTLPTraceExporter({ url: p.url('http', '/v1/traces') });
  const recording = {
    export: (spans, cb) => otlp.export(spans, (r) => { results.push(r); cb(r); }),
    forceFlush: () => otlp.forceFlush(),
    shutdown: () => otlp.shutdown(),
  };
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(RESOURCE),
    spanProcessors: [new SimpleSpanProcessor(memory), new SimpleSpanProcessor(recording)],
  });
  const tracer = provider.getTracer('checkout-instrumentation', '1.7.0');

  // Another trace, linked from the client span.
  const producer = tracer.startSpan('enqueue payment', { kind: SpanKind.PRODUCER, root: true });
  producer.end();

  const server = tracer.startSpan('GET /orders/{id}', {
    kind: SpanKind.SERVER,
    attributes: {
      'http.request.method': 'GET',
      'http.route': '/orders/{id}',
      'http.response.status_code': 502,
      'server.duration_ratio': 0.75,
      'user.authenticated': true,
      'order.tags': ['gift', 'express'],
    },
  });
  server.addEvent('cache miss', { 'cache.key': 'order:42', 'cache.attempt': 3 });
  const serverCtx = trace.setSpan(ROOT_CONTEXT, server);
  const client = tracer.startSpan('POST payments', {
    kind: SpanKind.CLIENT,
    attributes: { 'peer.service': 'payments', 'http.request.resend_count': 1, 'retry.backoff_s': 0.25 },
    links: [{ context: producer.spanContext(), attributes: { 'link.reason': 'async payment' } }],
  }, serverCtx);
  const db = tracer.startSpan('SELECT orders', {
    kind: SpanKind.INTERNAL,
    attributes: { 'db.system': 'postgresql', 'db.rows': 0 },
  }, trace.setSpan(serverCtx, client));
  db.end();
  client.recordException(Object.assign(new Error('payment gateway timed out'), { name: 'TimeoutError' }));
  client.setStatus({ code: SpanStatusCode.ERROR, message: 'gateway timeout' });
  client.end();
  server.setStatus({ code: SpanStatusCode.ERROR });
  server.end();

  await provider.forceFlush();
  const spans = memory.getFinishedSpans().slice();
  await provider.shutdown();
  assert.ok(results.length > 0, 'the SDK exported');
  for (const r of results) assert.equal(r.code, 0, `export failed: ${r.error?.stack ?? r.error}`);
  const byName = Object.fromEntries(spans.map((s) => [s.name, s]));
  return { server: byName['GET /orders/{id}'], client: byName['POST payments'], db: byName['SELECT orders'], producer: byName['enqueue payment'], results };
}

const ns = ([s, n]) => BigInt(s) * 1_000_000_000n + BigInt(n);
const us = (hr) => Number(ns(hr) / 1000n);
const durationUs = (span) => Number((ns(span.endTime) - ns(span.startTime)) / 1000n);
const traceId = () => sent.server.spanContext().traceId;

// { key: {type, value} } of a Jaeger tag list, keys unique.
function typedTags(tags) {
  const out = {};
  for (const t of tags) {
    assert.ok(!(t.key in out), `tag ${t.key} appears once`);
    out[t.key] = { type: t.type, value: t.value };
  }
  return out;
}

let v1; // the Jaeger v1 answer, fetched once (the first query after the flush)

test('read-your-writes: the first query after the SDK flush finds the whole trace', async () => {
  const r = await getJson(p, `/api/traces/${traceId()}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  v1 = r.body;
  assert.equal(v1.data.length, 1);
  assert.equal(v1.data[0].spans.length, 3, 'server, client and db spans (the producer is another trace)');
  assert.equal(v1.errors, null);
  assert.equal((await getJson(p, `/api/traces/${sent.producer.spanContext().traceId}`)).status, 200, 'the linked trace too');
});

test('Jaeger v1 /api/traces/{id}: ids, operation names, references, µs times', () => {
  const t = v1.data[0];
  assert.equal(t.traceID, traceId());
  assert.match(t.traceID, /^[0-9a-f]{32}$/);
  const spans = Object.fromEntries(t.spans.map((s) => [s.operationName, s]));
  assert.deepEqual(Object.keys(spans).sort(), ['GET /orders/{id}', 'POST payments', 'SELECT orders']);
  for (const sdk of [sent.server, sent.client, sent.db]) {
    const s = spans[sdk.name];
    assert.equal(s.traceID, traceId());
    assert.equal(s.spanID, sdk.spanContext().spanId, `${sdk.name}: spanID`);
    assert.equal(s.startTime, us(sdk.startTime), `${sdk.name}: startTime (µs, from the SDK's hrtime)`);
    assert.equal(s.duration, durationUs(sdk), `${sdk.name}: duration (µs)`);
    assert.ok(s.duration >= 0);
    assert.equal(s.flags, 1, `${sdk.name}: sampled`);
    assert.equal(s.processID, 'p1');
  }
  assert.deepEqual(spans['GET /orders/{id}'].references, [], 'the root has no references');
  assert.deepEqual(spans['SELECT orders'].references,
    [{ refType: 'CHILD_OF', traceID: traceId(), spanID: sent.client.spanContext().spanId }]);
  // Parent first, then the link as FOLLOWS_FROM (pointing into the producer's trace).
  assert.deepEqual(spans['POST payments'].references, [
    { refType: 'CHILD_OF', traceID: traceId(), spanID: sent.server.spanContext().spanId },
    { refType: 'FOLLOWS_FROM', traceID: sent.producer.spanContext().traceId, spanID: sent.producer.spanContext().spanId },
  ]);
  // Times keep their order: the child starts where the SDK said, relative to its parent. (The
  // SDK's own clock, from performance.now() floats, can put a child a microsecond outside its
  // parent, so "the child runs inside its parent" is the SDK's property, not Periscope's.)
  const server = spans['GET /orders/{id}'];
  const client = spans['POST payments'];
  assert.equal(client.startTime - server.startTime, us(sent.client.startTime) - us(sent.server.startTime));
  assert.equal((client.startTime + client.duration) - (server.startTime + server.duration),
    (us(sent.client.startTime) + durationUs(sent.client)) - (us(sent.server.startTime) + durationUs(sent.server)));
});

test('Jaeger v1: tags with their types, span.kind, status and error tags', () => {
  const spans = Object.fromEntries(v1.data[0].spans.map((s) => [s.operationName, s]));
  const server = typedTags(spans['GET /orders/{id}'].tags);
  assert.deepEqual(server['otel.scope.name'], { type: 'string', value: 'checkout-instrumentation' });
  assert.deepEqual(server['otel.scope.version'], { type: 'string', value: '1.7.0' });
  assert.deepEqual(server['http.request.method'], { type: 'string', value: 'GET' });
  assert.deepEqual(server['http.route'], { type: 'string', value: '/orders/{id}' });
  assert.deepEqual(server['http.response.status_code'], { type: 'int64', value: 502 });
  assert.deepEqual(server['server.duration_ratio'], { type: 'float64', value: 0.75 });
  assert.deepEqual(server['user.authenticated'], { type: 'bool', value: true });
  assert.equal(server['order.tags'].type, 'string', 'an array becomes a string tag holding its JSON');
  assert.deepEqual(JSON.parse(server['order.tags'].value), ['gift', 'express']);
  assert.deepEqual(server['span.kind'], { type: 'string', value: 'server' });
  assert.deepEqual(server['otel.status_code'], { type: 'string', value: 'ERROR' });
  assert.deepEqual(server.error, { type: 'bool', value: true });
  assert.equal(server['otel.status_description'], undefined, 'no description was set on the server span');

  const client = typedTags(spans['POST payments'].tags);
  assert.deepEqual(client['span.kind'], { type: 'string', value: 'client' });
  assert.deepEqual(client['peer.service'], { type: 'string', value: 'payments' });
  assert.deepEqual(client['http.request.resend_count'], { type: 'int64', value: 1 });
  assert.deepEqual(client['retry.backoff_s'], { type: 'float64', value: 0.25 });
  assert.deepEqual(client['otel.status_code'], { type: 'string', value: 'ERROR' });
  assert.deepEqual(client['otel.status_description'], { type: 'string', value: 'gateway timeout' });
  assert.deepEqual(client.error, { type: 'bool', value: true });

  const db = typedTags(spans['SELECT orders'].tags);
  assert.deepEqual(db['span.kind'], { type: 'string', value: 'internal' });
  assert.deepEqual(db['db.rows'], { type: 'int64', value: 0 });
  assert.equal(db['otel.status_code'], undefined, 'UNSET status adds no tag');
  assert.equal(db.error, undefined);
});

test('Jaeger v1: events become logs with an `event` field', () => {
  const spans = Object.fromEntries(v1.data[0].spans.map((s) => [s.operationName, s]));
  const [cache] = spans['GET /orders/{id}'].logs;
  assert.equal(spans['GET /orders/{id}'].logs.length, 1);
  assert.equal(cache.timestamp, us(sent.server.events[0].time));
  const cf = typedTags(cache.fields);
  assert.deepEqual(cf.event, { type: 'string', value: 'cache miss' });
  assert.deepEqual(cf['cache.key'], { type: 'string', value: 'order:42' });
  assert.deepEqual(cf['cache.attempt'], { type: 'int64', value: 3 });

  const [exception] = spans['POST payments'].logs;
  assert.equal(spans['POST payments'].logs.length, 1);
  assert.equal(exception.timestamp, us(sent.client.events[0].time));
  const ef = typedTags(exception.fields);
  assert.deepEqual(ef.event, { type: 'string', value: 'exception' });
  assert.deepEqual(ef['exception.type'], { type: 'string', value: 'TimeoutError' });
  assert.deepEqual(ef['exception.message'], { type: 'string', value: 'payment gateway timed out' });
  assert.match(ef['exception.stacktrace'].value, /payment gateway timed out/);
  assert.deepEqual(spans['SELECT orders'].logs, []);
});

test('Jaeger v1: the process carries serviceName and the other resource attributes as tags', () => {
  const { processes } = v1.data[0];
  assert.deepEqual(Object.keys(processes), ['p1'], 'one resource, one process');
  assert.equal(processes.p1.serviceName, SERVICE);
  const tags = typedTags(processes.p1.tags);
  assert.equal(tags['service.name'], undefined, 'service.name is the serviceName, not a tag');
  assert.deepEqual(tags['service.version'], { type: 'string', value: '2.4.1' });
  assert.deepEqual(tags['deployment.environment.name'], { type: 'string', value: 'e2e' });
  assert.deepEqual(tags['host.cpu.count'], { type: 'int64', value: 8 });
  for (const [k, v] of Object.entries(sent.server.resource.attributes)) {
    if (k.startsWith('telemetry.sdk.')) assert.deepEqual(tags[k]?.value, v, `SDK resource attribute ${k}`);
  }
});

test('api_v3 /api/v3/traces/{id}: OTLP/JSON with hex ids, typed attributes, integer kinds, status', async () => {
  const r = await getJson(p, `/api/v3/traces/${traceId()}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const { resourceSpans } = r.body.result;
  assert.equal(resourceSpans.length, 1);
  const res = Object.fromEntries(resourceSpans[0].resource.attributes.map((a) => [a.key, a.value]));
  assert.deepEqual(res['service.name'], { stringValue: SERVICE });
  assert.deepEqual(res['host.cpu.count'], { intValue: '8' });
  const scopeSpans = resourceSpans[0].scopeSpans;
  assert.equal(scopeSpans.length, 1);
  assert.deepEqual(scopeSpans[0].scope, { name: 'checkout-instrumentation', version: '1.7.0' });
  const spans = Object.fromEntries(scopeSpans[0].spans.map((s) => [s.name, s]));
  assert.deepEqual(Object.keys(spans).sort(), ['GET /orders/{id}', 'POST payments', 'SELECT orders']);
  for (const sdk of [sent.server, sent.client, sent.db]) {
    const s = spans[sdk.name];
    assert.equal(s.traceId, traceId());
    assert.equal(s.spanId, sdk.spanContext().spanId);
    assert.equal(s.parentSpanId ?? '', sdk.parentSpanContext?.spanId ?? '', `${sdk.name}: parentSpanId`);
    assert.equal(s.kind, sdk.kind + 1, `${sdk.name}: kind is the OTLP enum, as an integer`);
    assert.equal(s.startTimeUnixNano, String(ns(sdk.startTime)), `${sdk.name}: start time in ns, as a string`);
    assert.equal(s.endTimeUnixNano, String(ns(sdk.endTime)));
  }
  const server = spans['GET /orders/{id}'];
  const attrs = Object.fromEntries(server.attributes.map((a) => [a.key, a.value]));
  assert.deepEqual(attrs['http.response.status_code'], { intValue: '502' });
  assert.deepEqual(attrs['server.duration_ratio'], { doubleValue: 0.75 });
  assert.deepEqual(attrs['user.authenticated'], { boolValue: true });
  assert.deepEqual(attrs['order.tags'], { arrayValue: { values: [{ stringValue: 'gift' }, { stringValue: 'express' }] } });
  assert.equal(server.kind, 2, 'SPAN_KIND_SERVER');
  assert.equal(server.status.code, 2, 'STATUS_CODE_ERROR');
  assert.equal(server.events[0].name, 'cache miss');
  const client = spans['POST payments'];
  assert.equal(client.kind, 3, 'SPAN_KIND_CLIENT');
  assert.deepEqual(client.status, { code: 2, message: 'gateway timeout' });
  assert.equal(client.links.length, 1);
  assert.equal(client.links[0].traceId, sent.producer.spanContext().traceId);
  assert.equal(client.links[0].spanId, sent.producer.spanContext().spanId);
  assert.deepEqual(client.links[0].attributes, [{ key: 'link.reason', value: { stringValue: 'async payment' } }]);
  assert.equal(client.events[0].name, 'exception');
  assert.equal(spans['SELECT orders'].kind, 1, 'SPAN_KIND_INTERNAL');
});

test('/api/services lists the service', async () => {
  const r = await getJson(p, '/api/services');
  assert.equal(r.status, 200);
  assert.ok(r.body.data.includes(SERVICE), JSON.stringify(r.body));
  const ops = await getJson(p, `/api/services/${encodeURIComponent(SERVICE)}/operations`);
  assert.deepEqual(ops.body.data.sort(), ['GET /orders/{id}', 'POST payments', 'SELECT orders', 'enqueue payment']);
});

test('/api/traces search by service and tags finds the trace; a non-matching tag does not', async () => {
  const search = async (tags) => {
    const r = await getJson(p, `/api/traces?service=${encodeURIComponent(SERVICE)}&lookback=1h&limit=20&tags=${encodeURIComponent(JSON.stringify(tags))}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.data.map((t) => t.traceID);
  };
  assert.deepEqual(await search({ 'http.route': '/orders/{id}' }), [traceId()]);
  assert.deepEqual(await search({ 'db.system': 'postgresql' }), [traceId()], 'a tag of a child span finds the whole trace');
  assert.deepEqual(await search({ 'http.route': '/orders/{id}', 'http.request.method': 'GET' }), [traceId()], 'tags combine with AND');
  assert.deepEqual(await search({ 'http.route': '/carts/{id}' }), [], 'another value');
  assert.deepEqual(await search({ 'http.route': '/orders/{id}', 'http.request.method': 'POST' }), [], 'one of two tags differs');
  assert.deepEqual(await search({ 'no.such.key': 'x' }), [], 'an unknown key');
  assert.deepEqual(await search({ 'link.reason': 'async payment' }), [], 'link attributes are not span tags');
  // The same search without tags finds both traces of the service (the producer's too).
  const all = await getJson(p, `/api/traces?service=${encodeURIComponent(SERVICE)}&lookback=1h`);
  assert.deepEqual(all.body.data.map((t) => t.traceID).sort(), [traceId(), sent.producer.spanContext().traceId].sort());
  const minDuration = await getJson(p, `/api/traces?service=${encodeURIComponent(SERVICE)}&lookback=1h&minDuration=1h`);
  assert.deepEqual(minDuration.body.data, [], 'minDuration filters');
});
