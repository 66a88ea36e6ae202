// Log correlation with real clients: the OpenTelemetry JS SDK emits logs inside active spans
// (and outside any span) over OTLP/HTTP protobuf and OTLP/gRPC; Periscope stores them and its
// logs API answers — checked record by record: /api/periscope/traces/{id}/logs returns exactly
// the records emitted inside that trace (with their span ids, oldest first), log queries filter
// and order them, and the live tail (server-sent events) delivers a record written after the
// client subscribed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';

import { trace, context, SpanStatusCode } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPLogExporter as OTLPLogExporterProto } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPLogExporter as OTLPLogExporterGrpc } from '@opentelemetry/exporter-logs-otlp-grpc';

import { Periscope, tempDir, waitFor } from '../support/periscope.mjs';

let p, dataDir;

before(async () => {
  dataDir = tempDir('periscope-logs-e2e-');
  p = await Periscope.start(`
receivers:
  otlp:
    protocols:
      grpc: {endpoint: 127.0.0.1:0}
      http: {endpoint: 127.0.0.1:0}
exporters:
  store:
query: {endpoint: 127.0.0.1:0}
service:
  telemetry: {metrics: {address: 127.0.0.1:0}}
  pipelines:
    traces: {receivers: [otlp], exporters: [store]}
    logs: {receivers: [otlp], exporters: [store]}
`, { args: ['--data', dataDir] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
});

after(async () => {
  context.disable();
  await p?.stop();
  p?.cleanup();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

function sdk(serviceName, exporter) {
  const resource = resourceFromAttributes({ 'service.name': serviceName, 'deployment.environment': 'e2e' });
  const loggerProvider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter })] });
  const tracerProvider = new BasicTracerProvider({
    resource,
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: p.url('http', '/v1/traces') }))],
  });
  return {
    logger: loggerProvider.getLogger('e2e-logger', '1.2.3'),
    tracer: tracerProvider.getTracer('e2e-tracer'),
    async shutdown() {
      await loggerProvider.forceFlush();
      await tracerProvider.forceFlush();
      await loggerProvider.shutdown();
      await tracerProvider.shutdown();
    },
  };
}

async function api(path, params = {}) {
  const url = new URL(p.url('query', path));
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, String(v));
  const r = await fetch(url);
  const body = await r.json();
  return { status: r.status, body };
}

// The records of a logs answer (log query or trace logs), as the API documents them.
function records(body) {
  assert.ok(Array.isArray(body.records), `no records in ${JSON.stringify(body).slice(0, 500)}`);
  return body.records;
}

test('logs emitted inside spans are returned for their trace, exactly and in order', async () => {
  const http = sdk('checkout-e2e', new OTLPLogExporterProto({ url: p.url('http', '/v1/logs') }));
  const grpc = sdk('payment-e2e', new OTLPLogExporterGrpc({ url: `http://127.0.0.1:${p.ports.grpc}` }));

  // One trace crossing two services (the payment span is a child of the checkout span), logging
  // in both, over both transports; a second trace and a log outside any span as distractors.
  const expected = [];
  let traceId, checkoutSpanId, paymentSpanId;
  await http.tracer.startActiveSpan('PlaceOrder', async (span) => {
    traceId = span.spanContext().traceId;
    checkoutSpanId = span.spanContext().spanId;
    http.logger.emit({ severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: 'order received', attributes: { 'order.id': 'o-1', 'order.items': 3 } });
    expected.push({ body: 'order received', span: checkoutSpanId, service: 'checkout-e2e' });
    await grpc.tracer.startActiveSpan('Charge', async (child) => {
      paymentSpanId = child.spanContext().spanId;
      grpc.logger.emit({ severityNumber: SeverityNumber.WARN, severityText: 'WARN', body: 'card issuer slow, retrying' });
      expected.push({ body: 'card issuer slow, retrying', span: paymentSpanId, service: 'payment-e2e' });
      grpc.logger.emit({ severityNumber: SeverityNumber.ERROR, severityText: 'ERROR', body: { msg: 'charge failed', code: 'E42', retryable: false } });
      expected.push({ body: { msg: 'charge failed', code: 'E42', retryable: false }, span: paymentSpanId, service: 'payment-e2e' });
      child.setStatus({ code: SpanStatusCode.ERROR });
      child.end();
    });
    http.logger.emit({ severityNumber: SeverityNumber.ERROR, severityText: 'ERROR', body: 'order failed: payment declined' });
    expected.push({ body: 'order failed: payment declined', span: checkoutSpanId, service: 'checkout-e2e' });
    span.end();
  });
  let otherTrace;
  await http.tracer.startActiveSpan('GetCart', async (span) => {
    otherTrace = span.spanContext().traceId;
    http.logger.emit({ severityNumber: SeverityNumber.INFO, body: 'cart shown' });
    span.end();
  });
  http.logger.emit({ severityNumber: SeverityNumber.INFO, body: 'cache warmed (no span)' });
  await http.shutdown();
  await grpc.shutdown();
  assert.notEqual(traceId, otherTrace);

  const got = await waitFor(async () => {
    const r = await api(`/api/periscope/traces/${traceId}/logs`);
    return r.status === 200 && records(r.body).length >= expected.length ? records(r.body) : undefined;
  }, { what: 'the trace logs' });
  assert.equal(got.length, expected.length, JSON.stringify(got, null, 1));
  for (let i = 0; i < expected.length; i++) {
    const rec = got[i];
    assert.equal(rec.traceId, traceId);
    assert.equal(rec.spanId, expected[i].span, `record ${i}`);
    assert.deepEqual(rec.body, expected[i].body, `record ${i}`);
    assert.equal(rec.resource['service.name'], expected[i].service);
  }
  // Oldest first.
  const times = got.map((r) => BigInt(r.timestamp));
  for (let i = 1; i < times.length; i++) assert.ok(times[i - 1] <= times[i], 'trace logs are oldest first');
  // Typed attributes survive: an integer stays a number.
  assert.equal(got[0].attributes['order.id'], 'o-1');
  assert.equal(got[0].attributes['order.items'], 3);
  assert.equal(got[2].severityText, 'ERROR');
  assert.equal(got[2].severityNumber, SeverityNumber.ERROR);

  // The other trace has exactly its one record; an unknown trace has none; a bad id is a 400.
  const other = records((await api(`/api/periscope/traces/${otherTrace}/logs`)).body);
  assert.deepEqual(other.map((r) => r.body), ['cart shown']);
  assert.deepEqual(records((await api(`/api/periscope/traces/${'ab'.repeat(16)}/logs`)).body), []);
  assert.equal((await api('/api/periscope/traces/not-hex/logs')).status, 400);

  // Log queries over the same records: selector + line filter, newest first by default.
  const errors = records((await api('/api/periscope/logs', { query: '{deployment.environment="e2e", severity>="ERROR"}' })).body);
  assert.deepEqual(errors.map((r) => r.line), ['order failed: payment declined', '{"msg":"charge failed","code":"E42","retryable":false}']);
  const forward = records((await api('/api/periscope/logs', { query: '{service.name="checkout-e2e"} |= "order"', direction: 'forward' })).body);
  assert.deepEqual(forward.map((r) => r.line), ['order received', 'order failed: payment declined']);
  const byTrace = records((await api('/api/periscope/logs', { query: `{service.name=~".+-e2e"} | trace_id="${traceId}" | json | code="E42"` })).body);
  assert.equal(byTrace.length, 1);
  assert.equal(byTrace[0].spanId, paymentSpanId);
  // A query error names the column.
  const bad = await api('/api/periscope/logs', { query: '{service.name="x"} |= ' });
  assert.equal(bad.status, 400);
  assert.match(JSON.stringify(bad.body), /1:\d+: parse error/);
});

test('live tail delivers records written after subscribing, filtered', async () => {
  const url = new URL(p.url('query', '/api/periscope/logs/tail'));
  url.searchParams.set('query', '{service.name="tail-e2e"} |= "shipped"');
  const abort = new AbortController();
  const r = await fetch(url, { signal: abort.signal });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/event-stream/);
  const reader = r.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const events = [];
  const nextEvents = async (n) => {
    while (events.length < n) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`tail ended early: ${text}`);
      text += decoder.decode(value, { stream: true });
      let sep;
      while ((sep = text.indexOf('\n\n')) >= 0) {
        const block = text.slice(0, sep);
        text = text.slice(sep + 2);
        const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
        const ev = block.split('\n').find((l) => l.startsWith('event:'))?.slice(6).trim() ?? 'message';
        if (data) events.push({ event: ev, data: JSON.parse(data) });
      }
    }
    return events;
  };

  // The subscription is active once the response headers are sent (documented in docs/api.md),
  // so a record written now must arrive; the one that does not match must not.
  const s = sdk('tail-e2e', new OTLPLogExporterProto({ url: p.url('http', '/v1/logs') }));
  s.logger.emit({ severityNumber: SeverityNumber.INFO, body: 'order o-9 packed' });
  s.logger.emit({ severityNumber: SeverityNumber.INFO, body: 'order o-9 shipped' });
  await s.shutdown();
  const evs = await nextEvents(1);
  abort.abort();
  const log = evs.find((e) => e.event === 'log');
  assert.ok(log, JSON.stringify(evs));
  assert.equal(log.data.line, 'order o-9 shipped');
  assert.ok(!evs.some((e) => e.event === 'log' && e.data.line.includes('packed')));
  assert.equal(log.data.resource['service.name'], 'tail-e2e');
});
