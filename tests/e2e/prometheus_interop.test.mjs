// Prometheus interop with a real Prometheus 2.42 (Debian package) on 127.0.0.1:
//  1. metrics sent to periscope over OTLP/HTTP are served by its `prometheus` exporter; the
//     page passes `promtool check metrics`, and Prometheus scrapes it and answers queries with
//     the values sent;
//  2. periscope's `prometheus` receiver scrapes Prometheus's own /metrics; the file exporter
//     shows `up` = 1 for that target and Prometheus's own series (prometheus_build_info, ...).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { Periscope, waitFor, readJsonLines, tempDir } from '../support/periscope.mjs';
import { Prometheus, freePort } from '../support/prometheus.mjs';

const PROMETHEUS = '/usr/bin/prometheus';
const PROMTOOL = '/usr/bin/promtool';
const skip = !existsSync(PROMETHEUS) || !existsSync(PROMTOOL) ? 'prometheus/promtool not installed' : false;


const NOW_NS = BigInt(Date.now()) * 1000000n;
const START_NS = NOW_NS - 60n * 1000000000n;

const otlpRequest = {
  resourceMetrics: [{
    resource: {
      attributes: [
        { key: 'service.name', value: { stringValue: 'shop' } },
        { key: 'service.instance.id', value: { stringValue: 'shop-1' } },
        { key: 'deployment.environment', value: { stringValue: 'test' } },
      ],
    },
    scopeMetrics: [{
      scope: { name: 'interop-test' },
      metrics: [
        {
          name: 'http.server.requests', description: 'Requests served', unit: '1',
          sum: {
            aggregationTemporality: 2, isMonotonic: true,
            dataPoints: [
              { attributes: [{ key: 'http.route', value: { stringValue: '/orders' } }], startTimeUnixNano: String(START_NS), timeUnixNano: String(NOW_NS), asInt: '42' },
              { attributes: [{ key: 'http.route', value: { stringValue: '/a "quoted" \\ route' } }], startTimeUnixNano: String(START_NS), timeUnixNano: String(NOW_NS), asInt: '7' },
            ],
          },
        },
        {
          name: 'queue.depth', description: 'Items waiting', unit: '{item}',
          gauge: { dataPoints: [{ timeUnixNano: String(NOW_NS), asDouble: 3.5 }] },
        },
        {
          name: 'http.server.duration', description: 'Request latency', unit: 's',
          histogram: {
            aggregationTemporality: 2,
            dataPoints: [{ startTimeUnixNano: String(START_NS), timeUnixNano: String(NOW_NS), count: '6', sum: 4.5, bucketCounts: ['3', '2', '1'], explicitBounds: [0.1, 1] }],
          },
        },
      ],
    }],
  }],
};

let p;
let prom;
let promPort;
let dir;
let metricsFile;

before(async () => {
  if (skip) return;
  dir = tempDir('periscope-prom-interop-');
  metricsFile = join(dir, 'scraped.jsonl');
  promPort = await freePort();
  p = await Periscope.start(`
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:0
  prometheus:
    config:
      scrape_configs:
        - job_name: prometheus
          scrape_interval: 1s
          static_configs:
            - targets: ['127.0.0.1:${promPort}']
              labels: { team: observability }
exporters:
  prometheus:
    endpoint: 127.0.0.1:0
    const_labels: { source: periscope }
  file:
    path: ${metricsFile}
service:
  telemetry:
    metrics: {address: "127.0.0.1:0"}
  pipelines:
    metrics/in:
      receivers: [otlp]
      exporters: [prometheus]
    metrics/scraped:
      receivers: [prometheus]
      exporters: [file]
`);
  prom = await Prometheus.start(`
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: periscope
    honor_labels: true
    static_configs:
      - targets: ['127.0.0.1:${p.ports.prometheus}']
`, { port: promPort });
});

after(async () => {
  await prom?.stop();
  if (p) {
    await p.stop();
    p.cleanup();
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function query(q) {
  return prom.query(q);
}

test('Prometheus scrapes the prometheus exporter; promtool accepts its page', { skip }, async () => {
  const r = await fetch(p.url('http', '/v1/metrics'), {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(otlpRequest),
  });
  assert.equal(r.status, 200);

  const page = await fetch(p.url('prometheus', '/metrics'));
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  const text = await page.text();
  assert.match(text, /^# TYPE http_server_requests_total counter$/m);
  assert.match(text, /^http_server_requests_total\{http_route="\/orders",instance="shop-1",job="shop",otel_scope_name="interop-test",source="periscope"\} 42$/m);
  const lint = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
  assert.equal(lint.status, 0, `promtool check metrics:\n${lint.stdout}${lint.stderr}\n${text}`);

  const requests = await waitFor(async () => {
    const res = await query('http_server_requests_total');
    return res.length === 2 ? res : null;
  }, { timeoutMs: 30000, intervalMs: 200, what: 'http_server_requests_total in Prometheus' });
  const byRoute = Object.fromEntries(requests.map((s) => [s.metric.http_route, s]));
  assert.equal(byRoute['/orders'].value[1], '42');
  assert.equal(byRoute['/a "quoted" \\ route'].value[1], '7');
  assert.deepEqual(byRoute['/orders'].metric, {
    __name__: 'http_server_requests_total', http_route: '/orders', instance: 'shop-1', job: 'shop',
    otel_scope_name: 'interop-test', source: 'periscope',
  });
  assert.equal((await query('queue_depth'))[0].value[1], '3.5');
  assert.equal((await query('http_server_duration_seconds_count'))[0].value[1], '6');
  assert.equal((await query('http_server_duration_seconds_sum'))[0].value[1], '4.5');
  const buckets = await query('http_server_duration_seconds_bucket');
  const byLe = Object.fromEntries(buckets.map((s) => [s.metric.le, s.value[1]]));
  assert.deepEqual(byLe, { '0.1': '3', '1': '5', '+Inf': '6' });
  const info = await query('target_info');
  assert.equal(info[0].metric.deployment_environment, 'test');
  // Prometheus's own view of the target.
  assert.equal((await query('up{job="periscope"}'))[0].value[1], '1');
});

function scrapedPoints(name) {
  const out = [];
  for (const req of readJsonLines(metricsFile)) {
    for (const rm of req.resourceMetrics ?? []) {
      const attrs = Object.fromEntries((rm.resource?.attributes ?? []).map((a) => [a.key, a.value.stringValue]));
      for (const sm of rm.scopeMetrics ?? []) {
        for (const m of sm.metrics ?? []) {
          if (m.name !== name) continue;
          const points = m.gauge?.dataPoints ?? m.sum?.dataPoints ?? [];
          for (const pt of points) out.push({ resource: attrs, metric: m, point: pt });
        }
      }
    }
  }
  return out;
}

test('the prometheus receiver scrapes Prometheus itself', { skip }, async () => {
  const up = await waitFor(() => scrapedPoints('up').find((x) => x.point.asDouble === 1),
    { timeoutMs: 30000, intervalMs: 200, what: 'up == 1 from the prometheus receiver' });
  assert.deepEqual(up.resource, {
    'service.name': 'prometheus',
    'service.instance.id': `127.0.0.1:${promPort}`,
    'server.address': '127.0.0.1',
    'server.port': String(promPort),
    'url.scheme': 'http',
  });
  assert.deepEqual(up.point.attributes, [{ key: 'team', value: { stringValue: 'observability' } }]);

  const build = await waitFor(() => scrapedPoints('prometheus_build_info')[0],
    { timeoutMs: 10000, what: 'prometheus_build_info' });
  assert.equal(build.point.asDouble, 1);
  const version = build.point.attributes.find((a) => a.key === 'version');
  assert.match(version.value.stringValue, /^2\./);
  // A counter arrives as a monotonic cumulative sum with a start time.
  const samples = await waitFor(() => scrapedPoints('prometheus_http_requests_total')[0],
    { timeoutMs: 10000, what: 'prometheus_http_requests_total' });
  assert.equal(samples.metric.sum.isMonotonic, true);
  assert.equal(samples.metric.sum.aggregationTemporality, 2);
  assert.ok(BigInt(samples.point.startTimeUnixNano) > 0n);
  // The scrape report series.
  assert.ok(scrapedPoints('scrape_samples_scraped').some((x) => x.point.asDouble > 50));
  assert.ok(scrapedPoints('scrape_duration_seconds').length > 0);
});
