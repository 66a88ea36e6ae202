// OTLP in → X-Ray out with the OpenTelemetry JS SDK configured the way AWS documents it:
// `@opentelemetry/id-generator-aws-xray` (epoch-prefixed trace ids) and
// `@opentelemetry/propagator-aws-xray` (the X-Amzn-Trace-Id header). The SDK exports over
// OTLP/HTTP; the awsxray exporter (local_mode) sends daemon-protocol datagrams to a UDP socket
// standing in for the X-Ray daemon. The documents must carry the trace id the propagator put in
// the header, the right segment/subsegment structure and the HTTP and error blocks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';

import { trace, context, SpanKind, SpanStatusCode, ROOT_CONTEXT } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { AWSXRayIdGenerator } from '@opentelemetry/id-generator-aws-xray';
import { AWSXRayPropagator, AWSXRAY_TRACE_ID_HEADER } from '@opentelemetry/propagator-aws-xray';

import { Periscope, waitFor } from '../support/periscope.mjs';

const HEADER = '{"format": "json", "version": 1}\n';

test('X-Ray ids and headers from the OTel JS SDK survive OTLP in → X-Ray out', async () => {
  const daemon = createSocket('udp4');
  const docs = [];
  daemon.on('message', (msg) => {
    const text = msg.toString('utf8');
    assert.equal(text.startsWith(HEADER), true, 'daemon header line');
    docs.push(JSON.parse(text.slice(HEADER.length)));
  });
  daemon.bind(0, '127.0.0.1');
  await once(daemon, 'listening');
  const p = await Periscope.start(`
receivers:
  otlp:
    protocols:
      http: {endpoint: 127.0.0.1:0}
exporters:
  awsxray:
    local_mode: true
    daemon_address: 127.0.0.1:${daemon.address().port}
    invalid_trace_id: drop
    indexed_attributes: [tenant]
service:
  telemetry: {metrics: {address: 127.0.0.1:0}}
  pipelines:
    traces: {receivers: [otlp], exporters: [awsxray]}
`);
  try {
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'checkout' }),
      idGenerator: new AWSXRayIdGenerator(),
      spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: p.url('http', '/v1/traces') }))],
    });
    const tracer = provider.getTracer('e2e');
    const propagator = new AWSXRayPropagator();
    const root = tracer.startSpan('GET /cart', {
      kind: SpanKind.SERVER,
      attributes: { 'http.method': 'GET', 'http.status_code': 200, tenant: 't-1' },
    });
    const child = tracer.startSpan('payments', {
      kind: SpanKind.CLIENT,
      attributes: { 'http.method': 'POST', 'http.url': 'http://payments:8080/charge', 'http.status_code': 503 },
    }, trace.setSpan(ROOT_CONTEXT, root));
    child.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream unavailable' });
    // What an instrumented HTTP client would send downstream.
    const carrier = {};
    propagator.inject(trace.setSpan(context.active(), child), carrier, {
      set: (c, k, v) => { c[k] = v; },
    });
    child.end();
    root.end();
    await provider.forceFlush();
    await provider.shutdown();

    const header = carrier[AWSXRAY_TRACE_ID_HEADER];
    const m = /^Root=(1-[0-9a-f]{8}-[0-9a-f]{24});Parent=([0-9a-f]{16});Sampled=1$/.exec(header);
    assert.ok(m, `X-Amzn-Trace-Id: ${header}`);
    const [, rootId, parentId] = m;
    // The id generator's prefix is the current epoch: X-Ray accepts it (invalid_trace_id: drop
    // would have dropped the documents otherwise).
    const epoch = parseInt(rootId.slice(2, 10), 16);
    assert.ok(Math.abs(epoch - Date.now() / 1000) < 300, `epoch prefix ${epoch}`);

    await waitFor(() => docs.length >= 2, { what: 'two X-Ray documents' });
    assert.equal(docs.length, 2);
    const segment = docs.find((d) => d.type === undefined);
    const subsegment = docs.find((d) => d.type === 'subsegment');
    assert.ok(segment && subsegment, JSON.stringify(docs));
    for (const d of docs) assert.equal(d.trace_id, rootId);
    assert.equal(subsegment.id, parentId); // the header's Parent is the client span
    assert.equal(segment.id, root.spanContext().spanId);
    assert.equal(subsegment.parent_id, segment.id);
    assert.equal(segment.name, 'checkout');
    assert.equal(segment.annotations.tenant, 't-1');
    assert.equal(segment.http.request.method, 'GET');
    assert.equal(segment.http.response.status, 200);
    assert.equal(subsegment.namespace, 'remote');
    assert.equal(subsegment.http.request.url, 'http://payments:8080/charge');
    assert.equal(subsegment.http.response.status, 503);
    assert.equal(subsegment.fault, true);
    assert.ok(segment.end_time >= segment.start_time);
  } finally {
    await p.stop();
    p.cleanup();
    daemon.close();
  }
});
