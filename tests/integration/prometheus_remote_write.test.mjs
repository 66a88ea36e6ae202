// Prometheus remote write with a real Prometheus 2.42 and VictoriaMetrics 1.79 (Debian packages)
// on 127.0.0.1: Periscope's prometheusremotewrite exporter writes into each (checked through
// their /api/v1/query), and Prometheus, scraping itself, remote-writes into Periscope's
// prometheusremotewrite receiver (checked in a file exporter's output and the self-metrics).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Periscope, tempDir, readJsonLines, waitFor, metricValue } from '../support/periscope.mjs';
import { Prometheus, hasPrometheus, VictoriaMetrics, hasVictoriaMetrics } from '../support/prometheus.mjs';

// Prometheus 2.42 from Debian, through tests/support/prometheus.mjs.
const startPrometheus = (configYaml) => Prometheus.start(configYaml);

const nowNanos = () => BigInt(Date.now()) * 1000000n;

// OTLP metrics in, Periscope's prometheusremotewrite exporter out to `prom` (a Prometheus or a
// VictoriaMetrics), then read back through the target's own query API.
async function exporterRoundTrip(prom) {
  let p;
  try {
    p = await Periscope.start(`
receivers:
  otlp:
    protocols:
      http: {endpoint: "127.0.0.1:0"}
exporters:
  prometheusremotewrite:
    endpoint: "http://127.0.0.1:${prom.port}/api/v1/write"
    external_labels: {cluster: "test"}
    remote_write_queue: {num_consumers: 2}
service:
  pipelines:
    metrics: {receivers: [otlp], exporters: [prometheusremotewrite]}
`);
    const t = nowNanos() - 5000000000n;
    const start = t - 60000000000n;
    const attrs = (o) => Object.entries(o).map(([key, v]) => ({ key, value: { stringValue: v } }));
    const request = {
      resourceMetrics: [{
        resource: { attributes: attrs({ 'service.name': 'shop', 'service.instance.id': 'i-1', 'host.name': 'box' }) },
        scopeMetrics: [{
          metrics: [
            { name: 'queue.depth', gauge: { dataPoints: [{ attributes: attrs({ queue: 'a' }), timeUnixNano: String(t), asDouble: 7.5 }] } },
            { name: 'http.requests', unit: '1', sum: { aggregationTemporality: 2, isMonotonic: true,
              dataPoints: [{ startTimeUnixNano: String(start), timeUnixNano: String(t), asInt: '42' }] } },
            { name: 'latency', unit: 's', histogram: { aggregationTemporality: 2, dataPoints: [{
              startTimeUnixNano: String(start), timeUnixNano: String(t), count: '6', sum: 10.5,
              bucketCounts: ['1', '2', '3'], explicitBounds: [0.1, 1] }] } },
          ],
        }],
      }],
    };
    const r = await fetch(p.url('http', '/v1/metrics'), {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request),
    });
    assert.equal(r.status, 200);
    const at = (Number(t / 1000000n) / 1000).toFixed(3);
    const value = async (q) => {
      const res = await prom.query(q, at);
      return res.length === 1 ? res[0] : undefined;
    };
    const depth = await waitFor(() => value('queue_depth'), { timeoutMs: 20000, intervalMs: 100, what: 'queue_depth in Prometheus' });
    assert.deepEqual(depth.metric, { __name__: 'queue_depth', cluster: 'test', instance: 'i-1', job: 'shop', queue: 'a' });
    assert.equal(depth.value[1], '7.5');
    assert.equal(depth.value[0], Number(at));
    assert.equal((await value('http_requests_total')).value[1], '42');
    assert.equal((await value('latency_seconds_bucket{le="0.1"}')).value[1], '1');
    assert.equal((await value('latency_seconds_bucket{le="1"}')).value[1], '3');
    assert.equal((await value('latency_seconds_bucket{le="+Inf"}')).value[1], '6');
    assert.equal((await value('latency_seconds_count')).value[1], '6');
    assert.equal((await value('latency_seconds_sum')).value[1], '10.5');
    const info = await value('target_info');
    assert.deepEqual(info.metric, { __name__: 'target_info', cluster: 'test', host_name: 'box', instance: 'i-1', job: 'shop' });
    assert.equal(info.value[1], '1');
  } finally {
    if (p) { await p.stop(); p.cleanup(); }
    await prom.stop();
  }
}

test('the exporter remote-writes OTLP metrics into Prometheus 2.42', { skip: !hasPrometheus }, async () => {
  await exporterRoundTrip(await startPrometheus(() => 'global: {scrape_interval: 1m}\n'));
});

test('the exporter remote-writes OTLP metrics into VictoriaMetrics 1.79', { skip: !hasVictoriaMetrics }, async () => {
  await exporterRoundTrip(await VictoriaMetrics.start());
});

test('Prometheus 2.42 remote-writes into the receiver', { skip: !hasPrometheus }, async () => {
  const dir = tempDir();
  const out = join(dir, 'metrics.jsonl');
  const p = await Periscope.start(`
receivers:
  prometheusremotewrite:
    endpoint: "127.0.0.1:0"
exporters:
  file: {path: "${out}"}
service:
  telemetry:
    metrics: {address: "127.0.0.1:0"}
  pipelines:
    metrics: {receivers: [prometheusremotewrite], exporters: [file]}
`);
  let prom;
  try {
    assert.ok(p.ports.promrw > 0, 'receiver port logged');
    prom = await startPrometheus((port) => `
global: {scrape_interval: 1s}
scrape_configs:
  - job_name: prometheus
    static_configs: [{targets: ["127.0.0.1:${port}"]}]
remote_write:
  - url: "http://127.0.0.1:${p.ports.promrw}/api/v1/write"
    queue_config: {batch_send_deadline: 1s, min_backoff: 50ms}
    metadata_config: {send_interval: 1s}
`);
    const instance = `127.0.0.1:${prom.port}`;
    // Every metric of every request written so far, with its resource.
    const metrics = () => readJsonLines(out).flatMap((req) => req.resourceMetrics.flatMap((rm) => {
      const res = Object.fromEntries((rm.resource.attributes ?? []).map((a) => [a.key, a.value.stringValue]));
      return rm.scopeMetrics.flatMap((sm) => sm.metrics.map((m) => ({ res, m })));
    }));
    const up = await waitFor(() => metrics().find(({ m }) => m.name === 'up'),
      { timeoutMs: 60000, intervalMs: 200, what: '`up` written by Prometheus' });
    assert.deepEqual(up.res, { 'service.name': 'prometheus', 'service.instance.id': instance });
    assert.equal(up.m.gauge.dataPoints[0].asDouble, 1);
    assert.equal(up.m.gauge.dataPoints[0].attributes, undefined); // job/instance moved to the resource
    // Once Prometheus has sent metadata, its counters arrive as monotonic cumulative sums.
    const counter = await waitFor(() => metrics().find(({ m }) => m.name === 'prometheus_http_requests_total' && m.sum),
      { timeoutMs: 60000, intervalMs: 200, what: 'a counter with metadata' });
    assert.equal(counter.m.sum.isMonotonic, true);
    assert.equal(counter.m.sum.aggregationTemporality, 2);
    assert.ok(counter.m.description.length > 0);
    assert.ok(counter.m.sum.dataPoints.some((d) => d.attributes.some((a) => a.key === 'handler')));
    // Histograms stay as their series: _bucket with `le`.
    const bucket = metrics().find(({ m }) => m.name === 'prometheus_http_request_duration_seconds_bucket');
    assert.ok(bucket, 'histogram buckets received');
    assert.ok(bucket.m.gauge.dataPoints.every((d) => d.attributes.some((a) => a.key === 'le')));
    // Prometheus saw no failed sends (a 400 would drop samples and count them here).
    const failed = await prom.query('sum(prometheus_remote_storage_samples_failed_total)');
    assert.equal(failed[0].value[1], '0');
    const text = await p.metrics();
    const accepted = metricValue(text, 'otelcol_receiver_accepted_metric_points_total',
      { receiver: 'prometheusremotewrite', transport: 'http' });
    assert.ok(accepted > 0, `accepted points counted: ${accepted}`);
  } finally {
    if (prom) await prom.stop();
    await p.stop();
    p.cleanup();
  }
});
