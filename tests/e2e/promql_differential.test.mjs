// Differential PromQL test: the same samples go by remote write into a real Prometheus 2.42
// (Debian package) and into Periscope (prometheusremotewrite receiver → metrics pipeline →
// embedded store); then every query below runs on both — instant at several times and as range
// queries — and the answers must agree: same series, same values within float tolerance.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { Periscope, tempDir } from '../support/periscope.mjs';
import { Prometheus, promApi, freePort } from '../support/prometheus.mjs';
import { remoteWrite, STALE_NAN } from './remote_write.mjs';

const STEP_MS = 15_000;
const MINUTES = 60;
// Data covers the hour before T_END, aligned to the minute so that times are readable.
const T_END = Math.floor(Date.now() / 60_000) * 60_000;
const T0 = T_END - MINUTES * 60_000;
const at = (minutes) => T0 + minutes * 60_000;

// mulberry32: a small deterministic PRNG, so a failure can be reproduced.
function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate() {
  const rand = rng(20261124);
  const series = [];
  const times = [];
  for (let t = T0; t <= T_END; t += STEP_MS) times.push(t);
  const instances = ['host-1', 'host-2', 'host-3'];
  // Counters, one with a reset half-way.
  for (const instance of instances) {
    for (const method of ['GET', 'POST']) {
      for (const code of ['200', '500']) {
        let v = Math.floor(rand() * 1000);
        const reset = instance === 'host-2' && method === 'GET' && code === '200';
        const samples = times.map((t) => {
          if (reset && t === at(30)) v = 0;
          v += Math.floor(rand() * (code === '200' ? 20 : 4));
          return [t, v];
        });
        series.push({ labels: { __name__: 'http_requests_total', job: 'api', instance, method, code }, samples });
      }
    }
    let mem = 1e9 + rand() * 1e8;
    series.push({
      labels: { __name__: 'node_memory_bytes', job: 'node', instance },
      samples: times.map((t) => { mem += (rand() - 0.45) * 1e6; return [t, Math.round(mem)]; }),
    });
    // A classic histogram: cumulative buckets, _sum and _count.
    const bounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, Infinity];
    const counts = bounds.map(() => 0);
    let sum = 0, count = 0;
    const bucketSamples = bounds.map(() => []);
    const sumSamples = [], countSamples = [];
    for (const t of times) {
      const n = Math.floor(rand() * 30);
      for (let i = 0; i < n; i++) {
        const latency = Math.exp(rand() * 6 - 5.5);
        sum += latency;
        count++;
        bounds.forEach((b, j) => { if (latency <= b) counts[j]++; });
      }
      bounds.forEach((_, j) => bucketSamples[j].push([t, counts[j]]));
      sumSamples.push([t, sum]);
      countSamples.push([t, count]);
    }
    bounds.forEach((b, j) => series.push({
      labels: { __name__: 'rpc_duration_seconds_bucket', job: 'api', instance, le: b === Infinity ? '+Inf' : String(b) },
      samples: bucketSamples[j],
    }));
    series.push({ labels: { __name__: 'rpc_duration_seconds_sum', job: 'api', instance }, samples: sumSamples });
    series.push({ labels: { __name__: 'rpc_duration_seconds_count', job: 'api', instance }, samples: countSamples });
  }
  // Gauges with a gap longer than the lookback, and one ended by a stale marker.
  for (const room of ['lab', 'attic', 'cellar']) {
    let temp = 18 + rand() * 6;
    const samples = [];
    for (const t of times) {
      temp += rand() - 0.5;
      if (room === 'lab' && t > at(20) && t < at(35)) continue;
      if (room === 'attic' && t > at(40)) {
        if (t === at(40) + STEP_MS) samples.push([t, STALE_NAN]);
        continue;
      }
      samples.push([t, Math.round(temp * 100) / 100]);
    }
    series.push({ labels: { __name__: 'temperature_celsius', job: 'sensors', room }, samples });
  }
  return series;
}

const s = (ms) => String(ms / 1000);
const QUERIES = [
  // selectors
  'http_requests_total', 'http_requests_total{code="500"}', 'http_requests_total{method!="GET"}',
  'http_requests_total{instance=~"host-[12]"}', 'http_requests_total{instance!~"host-1"}',
  '{__name__=~"http_requests_total|node_memory_bytes", instance="host-2"}',
  'http_requests_total offset 5m', 'node_memory_bytes offset 10m', 'temperature_celsius',
  `http_requests_total @ ${s(at(20))}`, `node_memory_bytes @ ${s(at(50))} offset 5m`,
  'http_requests_total[1m]', 'temperature_celsius[2m]',
  // counters and gauges over time
  'rate(http_requests_total[5m])', 'rate(http_requests_total[1m])', 'irate(http_requests_total[5m])',
  'increase(http_requests_total[10m])', 'delta(node_memory_bytes[5m])', 'idelta(node_memory_bytes[5m])',
  'deriv(node_memory_bytes[10m])', 'predict_linear(node_memory_bytes[10m], 600)',
  'changes(node_memory_bytes[10m])', 'resets(http_requests_total[30m])',
  'rate(http_requests_total[5m] offset 10m)', 'increase(http_requests_total{instance="host-2"}[40m])',
  'avg_over_time(node_memory_bytes[5m])', 'min_over_time(temperature_celsius[10m])',
  'max_over_time(temperature_celsius[10m])', 'sum_over_time(temperature_celsius[3m])',
  'count_over_time(temperature_celsius[10m])', 'last_over_time(temperature_celsius[10m])',
  'stddev_over_time(node_memory_bytes[10m])', 'stdvar_over_time(temperature_celsius[10m])',
  'quantile_over_time(0.9, temperature_celsius[10m])', 'present_over_time(temperature_celsius[5m])',
  'absent_over_time(temperature_celsius{room="lab"}[5m])', 'absent_over_time(nonexistent[5m])',
  'holt_winters(node_memory_bytes[10m], 0.5, 0.5)',
  // histograms
  'histogram_quantile(0.5, rate(rpc_duration_seconds_bucket[5m]))',
  'histogram_quantile(0.9, rate(rpc_duration_seconds_bucket[5m]))',
  'histogram_quantile(0.99, sum by (le) (rate(rpc_duration_seconds_bucket[5m])))',
  'histogram_quantile(0.75, sum by (le, job) (increase(rpc_duration_seconds_bucket[10m])))',
  'rate(rpc_duration_seconds_sum[5m]) / rate(rpc_duration_seconds_count[5m])',
  // instant functions
  'abs(delta(node_memory_bytes[5m]))', 'ceil(node_memory_bytes / 1e6)', 'floor(node_memory_bytes / 1e6)',
  'round(node_memory_bytes / 1e6)', 'round(temperature_celsius, 0.5)', 'clamp(temperature_celsius, 19, 22)',
  'clamp_min(temperature_celsius, 20)', 'clamp_max(temperature_celsius, 20)', 'exp(temperature_celsius / 10)',
  'ln(node_memory_bytes)', 'log2(node_memory_bytes)', 'log10(node_memory_bytes)', 'sqrt(temperature_celsius)',
  'sgn(delta(node_memory_bytes[5m]))', 'sin(temperature_celsius)', 'cos(temperature_celsius)',
  'tan(temperature_celsius)', 'asin(temperature_celsius / 100)', 'acos(temperature_celsius / 100)',
  'atan(temperature_celsius)', 'sinh(temperature_celsius / 10)', 'cosh(temperature_celsius / 10)',
  'tanh(temperature_celsius / 10)', 'asinh(temperature_celsius)', 'acosh(temperature_celsius)',
  'atanh(temperature_celsius / 100)', 'deg(temperature_celsius)', 'rad(temperature_celsius)', 'pi()',
  'absent(nonexistent)', 'absent(nonexistent{job="x", instance=~"y"})', 'absent(http_requests_total)',
  'label_replace(http_requests_total, "host", "$1", "instance", "host-(.*)")',
  'label_replace(node_memory_bytes, "instance", "", "instance", ".*")',
  'label_join(http_requests_total, "id", "-", "instance", "method", "code")',
  'time()', 'timestamp(node_memory_bytes)', 'timestamp(temperature_celsius)', 'vector(42)',
  'scalar(sum(node_memory_bytes))', 'scalar(node_memory_bytes)',
  'sort(rate(http_requests_total[5m]))', 'sort_desc(node_memory_bytes)',
  'day_of_month()', 'day_of_week()', 'day_of_year()', 'days_in_month()', 'hour()', 'minute()',
  'month()', 'year()', 'hour(timestamp(node_memory_bytes))',
  // aggregations
  'sum(rate(http_requests_total[5m]))', 'sum by (code) (rate(http_requests_total[5m]))',
  'sum without (instance) (rate(http_requests_total[5m]))', 'avg by (method) (rate(http_requests_total[5m]))',
  'min(node_memory_bytes)', 'max by (job) (node_memory_bytes)', 'count(http_requests_total)',
  'count by (code) (http_requests_total)', 'stddev(node_memory_bytes)', 'stdvar by (job) (temperature_celsius)',
  'topk(3, rate(http_requests_total[5m]))', 'bottomk(2, node_memory_bytes)',
  'topk by (code) (1, rate(http_requests_total[5m]))', 'quantile(0.5, rate(http_requests_total[5m]))',
  'quantile by (code) (0.9, rate(http_requests_total[5m]))',
  'count_values("v", ceil(rate(http_requests_total[5m]) * 2))', 'group by (job) (http_requests_total)',
  'sum(http_requests_total) by (instance)',
  // binary operators
  'rate(http_requests_total{code="500"}[5m]) / ignoring(code) rate(http_requests_total{code="200"}[5m])',
  'sum by (instance) (rate(http_requests_total{code="500"}[5m])) / sum by (instance) (rate(http_requests_total[5m]))',
  'rate(http_requests_total[5m]) * on(instance) group_left() (node_memory_bytes / 1e9)',
  'node_memory_bytes / on(instance) group_right(job) sum by (instance) (http_requests_total)',
  'rate(http_requests_total[5m]) > 0.3', 'rate(http_requests_total[5m]) > bool 0.3',
  'node_memory_bytes >= 1e9', 'temperature_celsius < 20', 'temperature_celsius == bool 20',
  'temperature_celsius != 100', 'temperature_celsius <= 21',
  'http_requests_total{code="500"} and http_requests_total{method="GET"}',
  'http_requests_total{code="500"} or node_memory_bytes', 'http_requests_total unless http_requests_total{method="POST"}',
  'http_requests_total and on(instance) node_memory_bytes > 1.05e9',
  '2 * rate(http_requests_total[5m])', 'rate(http_requests_total[5m]) ^ 2', 'node_memory_bytes % 1000',
  '-rate(http_requests_total[5m])', '1 - rate(http_requests_total[5m])', 'temperature_celsius atan2 10',
  '1 + 2', '2 ^ 3 ^ 2', '10 % 3', '1 / 0', '-1 / 0', '0 / 0', '1 > bool 2',
  // subqueries
  'max_over_time(rate(http_requests_total[1m])[10m:1m])', 'avg_over_time(sum(node_memory_bytes)[15m:])',
  'rate(http_requests_total[5m])[10m:2m]', 'min_over_time(temperature_celsius[20m:30s])',
];
const ERRORS = ['sum(', 'rate(http_requests_total)', 'foo{', 'http_requests_total[5m] + 1', '1 +'];

const EVAL_TIMES = [at(25), at(38), at(45), T_END];
const RANGE = { start: s(at(10)), end: s(T_END), step: '60' };

function key(metric) {
  return JSON.stringify(Object.entries(metric).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function close(a, b) {
  const x = Number(a), y = Number(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y);
  if (x === y) return true;
  return Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
}

function normalise(data) {
  if (data.resultType === 'scalar' || data.resultType === 'string') return { type: data.resultType, value: data.result };
  const rows = new Map();
  for (const r of data.result) rows.set(key(r.metric), r.value ? [r.value] : r.values);
  return { type: data.resultType, rows };
}

// Answers with at least one series or a scalar: a test in which both sides answer nothing
// (data that never arrived) must not pass.
let nonEmpty = 0;

function compare(query, where, expected, actual) {
  const label = `${query} (${where})`;
  assert.equal(actual.status, expected.status, `${label}: HTTP status; Periscope said ${JSON.stringify(actual.body)}`);
  if (expected.body.status !== 'success') {
    assert.equal(actual.body.errorType, expected.body.errorType, `${label}: errorType`);
    return;
  }
  const e = normalise(expected.body.data), a = normalise(actual.body.data);
  if (e.type === 'scalar' || e.type === 'string' || e.rows.size > 0) nonEmpty++;
  assert.equal(a.type, e.type, `${label}: result type`);
  if (e.type === 'scalar' || e.type === 'string') {
    assert.equal(a.value[0], e.value[0], `${label}: time`);
    assert.ok(e.type === 'string' ? a.value[1] === e.value[1] : close(a.value[1], e.value[1]),
      `${label}: value ${a.value[1]} vs Prometheus ${e.value[1]}`);
    return;
  }
  assert.deepEqual([...a.rows.keys()].sort(), [...e.rows.keys()].sort(), `${label}: series`);
  for (const [k, points] of e.rows) {
    const got = a.rows.get(k);
    assert.equal(got.length, points.length, `${label}: points of ${k}`);
    points.forEach(([t, v], i) => {
      assert.equal(Number(got[i][0]), Number(t), `${label}: time of point ${i} of ${k}`);
      assert.ok(close(got[i][1], v), `${label}: ${k} at ${t}: ${got[i][1]} vs Prometheus ${v}`);
    });
  }
}

let prometheus, periscope, dataDir;

before(async () => {
  prometheus = await Prometheus.start(
    'global: {scrape_interval: 15s}\nstorage: {tsdb: {out_of_order_time_window: 1d}}\n');
  const rwPort = await freePort();
  dataDir = tempDir('periscope-promql-diff-');
  periscope = await Periscope.start(`
receivers:
  prometheusremotewrite: {endpoint: "127.0.0.1:${rwPort}"}
exporters:
  store:
query: {endpoint: "127.0.0.1:0"}
service:
  telemetry: {metrics: {address: "127.0.0.1:0"}}
  pipelines:
    metrics: {receivers: [prometheusremotewrite], exporters: [store]}
`, { args: ['--data', dataDir] });
  const series = generate();
  // Several requests, as a Prometheus agent would send them.
  for (let i = 0; i < series.length; i += 10) {
    const batch = series.slice(i, i + 10);
    const p = await remoteWrite(prometheus.url('/api/v1/write'), batch);
    assert.equal(p.status, 204, `Prometheus remote write: ${p.body}`);
    const q = await remoteWrite(`http://127.0.0.1:${rwPort}/api/v1/write`, batch);
    assert.equal(q.status, 204, `Periscope remote write: ${q.body}`);
  }
});

after(async () => {
  await periscope?.stop();
  periscope?.cleanup();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  await prometheus?.stop();
});

test('both servers hold every series', async () => {
  for (const [query, n] of [['count(http_requests_total)', 12], ['count(rpc_duration_seconds_bucket)', 36],
    ['count(node_memory_bytes)', 3], ['count(temperature_celsius)', 2]]) {
    const params = { query, time: s(T_END) };
    for (const [name, base] of [['Prometheus', prometheus.url('')], ['Periscope', periscope.url('query')]]) {
      const r = await promApi(base, 'query', params);
      assert.equal(r.body.data?.result?.[0]?.value?.[1], String(n), `${name}: ${query}`);
    }
  }
});

test(`${QUERIES.length} instant queries at ${EVAL_TIMES.length} times agree with Prometheus 2.42`, async () => {
  assert.ok(QUERIES.length >= 100);
  nonEmpty = 0;
  for (const query of QUERIES) {
    for (const t of EVAL_TIMES) {
      const params = { query, time: s(t) };
      const [e, a] = await Promise.all([promApi(prometheus.url(''), 'query', params),
        promApi(periscope.url('query'), 'query', params)]);
      compare(query, `instant at ${s(t)}`, e, a);
    }
  }
  // A few queries are empty by design (absent of present series, comparisons that filter all).
  assert.ok(nonEmpty >= QUERIES.length * EVAL_TIMES.length * 0.9, `only ${nonEmpty} answers had data`);
});

test('range queries agree with Prometheus 2.42', async () => {
  for (const query of QUERIES.filter((q) => !q.includes('[10m:2m]') && !/\[\d+m\]$/.test(q))) {
    const params = { query, ...RANGE };
    const [e, a] = await Promise.all([promApi(prometheus.url(''), 'query_range', params),
      promApi(periscope.url('query'), 'query_range', params)]);
    compare(query, 'range', e, a);
  }
});

test('invalid queries fail the same way', async () => {
  for (const query of ERRORS) {
    const params = { query, time: s(T_END) };
    const [e, a] = await Promise.all([promApi(prometheus.url(''), 'query', params),
      promApi(periscope.url('query'), 'query', params)]);
    compare(query, 'error', e, a);
    assert.equal(a.body.error, e.body.error, `${query}: error message`);
  }
});
