// The metrics path end to end, with real clients: the OpenTelemetry JS SDK sends metrics
// (counter, up-down counter, histogram, gauges) and spans over OTLP; Periscope stores the
// metrics, derives RED metrics (spanmetrics) and the service graph (servicegraph) from the
// spans, scrapes its own self-metrics (meta-monitoring), and answers PromQL through its
// Prometheus-compatible API — checked here with exact values.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';

import { trace, context, SpanKind, SpanStatusCode, ValueType } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';

import { Periscope, waitFor, tempDir } from '../support/periscope.mjs';
import { freePort, promApi } from '../support/prometheus.mjs';

let p, dataDir, selfPort;

before(async () => {
  dataDir = tempDir('periscope-metrics-e2e-');
  selfPort = await freePort();
  p = await Periscope.start(`
receivers:
  otlp:
    protocols:
      http: {endpoint: 127.0.0.1:0}
  prometheus/self:
    config:
      scrape_configs:
        - job_name: periscope
          scrape_interval: 1s
          static_configs: [{targets: ["127.0.0.1:${selfPort}"]}]
connectors:
  spanmetrics: {metrics_flush_interval: 500ms}
  servicegraph: {metrics_flush_interval: 500ms}
exporters:
  store:
query: {endpoint: 127.0.0.1:0}
service:
  telemetry: {metrics: {address: "127.0.0.1:${selfPort}"}}
  pipelines:
    traces: {receivers: [otlp], exporters: [store, spanmetrics, servicegraph]}
    metrics: {receivers: [otlp, spanmetrics, servicegraph, prometheus/self], exporters: [store]}
`, { args: ['--data', dataDir] });
});

after(async () => {
  await p?.stop();
  p?.cleanup();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

// One instant query; resolves to {labels-json → value} for a vector, or throws on an error answer.
async function query(q) {
  const r = await promApi(p.url('query'), 'query', { query: q });
  assert.equal(r.body.status, 'success', `${q}: ${JSON.stringify(r.body)}`);
  const out = {};
  for (const s of r.body.data.result) out[JSON.stringify(s.metric)] = Number(s.value[1]);
  return out;
}

// The single value of `q` once it equals `want` (data arrives asynchronously: flush intervals).
async function eventually(q, want) {
  let last;
  await waitFor(async () => {
    const values = Object.values(await query(q));
    last = values;
    return values.length === 1 && values[0] === want;
  }, { timeoutMs: 15000, what: `${q} == ${want} (last ${JSON.stringify(last)})` });
}

test('JS SDK metrics are queryable with Prometheus names and exact values', async () => {
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'shop', 'service.instance.id': 'shop-1', 'deployment.environment.name': 'e2e' }),
    readers: [new PeriodicExportingMetricReader({
      exporter: new OTLPMetricExporter({ url: p.url('http', '/v1/metrics') }),
      exportIntervalMillis: 600000,
    })],
  });
  const meter = provider.getMeter('e2e');
  const counter = meter.createCounter('orders.placed', { unit: '{order}', valueType: ValueType.INT });
  counter.add(5, { region: 'eu' });
  counter.add(7, { region: 'eu' });
  counter.add(1, { region: 'us' });
  const hist = meter.createHistogram('checkout.duration', { unit: 'ms', advice: { explicitBucketBoundaries: [1, 10, 100] } });
  for (const v of [0.5, 5, 50, 70, 1000]) hist.record(v);
  const updown = meter.createUpDownCounter('queue.depth', { unit: '{item}', valueType: ValueType.INT });
  updown.add(10);
  updown.add(-3);
  const gauge = meter.createGauge('pool.size', { unit: 'By' });
  gauge.record(3);
  gauge.record(9);
  await provider.shutdown();

  const sel = 'job="shop", instance="shop-1"';
  await eventually(`orders_placed_total{${sel}, region="eu"}`, 12);
  await eventually(`orders_placed_total{${sel}, region="us"}`, 1);
  await eventually(`checkout_duration_milliseconds_bucket{${sel}, le="10"}`, 2);
  await eventually(`checkout_duration_milliseconds_bucket{${sel}, le="+Inf"}`, 5);
  await eventually(`checkout_duration_milliseconds_count{${sel}}`, 5);
  await eventually(`checkout_duration_milliseconds_sum{${sel}}`, 1125.5);
  await eventually(`histogram_quantile(0.5, checkout_duration_milliseconds_bucket{${sel}})`, 32.5);
  await eventually(`queue_depth{${sel}}`, 7);
  await eventually(`pool_size_bytes{${sel}}`, 9);
  // Resource attributes other than the job/instance ones become one target_info series.
  await eventually(`target_info{${sel}, deployment_environment_name="e2e"}`, 1);

  // Metadata and label APIs see the same series.
  const md = await promApi(p.url('query'), 'metadata', { metric: 'orders_placed_total' });
  assert.equal(md.body.data.orders_placed_total?.[0]?.type, 'counter', JSON.stringify(md.body));
  const values = await promApi(p.url('query'), 'label/region/values', { 'match[]': 'orders_placed_total' });
  assert.deepEqual(values.body.data, ['eu', 'us']);
});

test('spans become RED metrics and a service graph', async () => {
  const tracer = (service) => {
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': service }),
      spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: p.url('http', '/v1/traces') }))],
    });
    return { provider, tracer: provider.getTracer('e2e') };
  };
  const front = tracer('web'), back = tracer('api');
  // 6 requests: web (server) → web (client) → api (server); every third fails at the api.
  for (let i = 0; i < 6; i++) {
    const root = front.tracer.startSpan('GET /home', { kind: SpanKind.SERVER });
    const rootCtx = trace.setSpan(context.active(), root);
    const call = front.tracer.startSpan('call api', { kind: SpanKind.CLIENT }, rootCtx);
    const server = back.tracer.startSpan('GET /items', { kind: SpanKind.SERVER }, trace.setSpan(context.active(), call));
    if (i % 3 === 0) server.setStatus({ code: SpanStatusCode.ERROR });
    server.end();
    call.end();
    root.end();
    // A database call from api, an uninstrumented peer (virtual node).
    const db = back.tracer.startSpan('SELECT items', {
      kind: SpanKind.CLIENT, attributes: { 'db.system': 'postgresql', 'db.name': 'inventory' },
    }, trace.setSpan(context.active(), server));
    db.end();
  }
  await front.provider.forceFlush();
  await back.provider.forceFlush();
  await front.provider.shutdown();
  await back.provider.shutdown();

  await eventually('sum(traces_span_metrics_calls_total{service_name="api", span_name="GET /items"})', 6);
  await eventually('sum(traces_span_metrics_calls_total{service_name="api", span_name="GET /items", status_code="STATUS_CODE_ERROR"})', 2);
  await eventually('sum(traces_span_metrics_calls_total{service_name="web", span_kind="SPAN_KIND_CLIENT"})', 6);
  await eventually('sum(traces_span_metrics_duration_milliseconds_count{service_name="web", span_name="GET /home"})', 6);
  await eventually('sum(traces_service_graph_request_total{client="web", server="api"})', 6);
  await eventually('sum(traces_service_graph_request_failed_total{client="web", server="api"})', 2);
  await eventually('sum(traces_service_graph_request_total{client="api", server="inventory", connection_type="database"})', 6);
});

test('Periscope scrapes its own self-metrics into the store (meta-monitoring)', async () => {
  await eventually('up{job="periscope"}', 1);
  // The self-metrics are series like any other: the OTLP receiver's counters, by transport.
  await waitFor(async () => {
    const v = await query('sum(otelcol_receiver_accepted_spans_total{job="periscope", receiver="otlp"})');
    return Object.values(v)[0] >= 24;
  }, { timeoutMs: 15000, what: 'accepted spans in the self-scraped series' });
});
