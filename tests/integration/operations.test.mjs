// Operating periscope: self-metrics (exact counter movement, promtool-clean exposition), health
// endpoint, `level: none`, memory_limiter refusing with 503 + Retry-After, and SIGTERM with data
// still in flight. Real processes on 127.0.0.1; every wait is on observable state with a deadline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import http2 from 'node:http2';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Periscope, metricValue, readJsonLines, waitFor } from '../support/periscope.mjs';
import * as P from '../support/otlp_proto.mjs';

const PROTO = { 'content-type': 'application/x-protobuf' };
const TRACE_METHOD = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const hasPromtool = spawnSync('promtool', ['--version'], { stdio: 'ignore' }).status === 0;

const tmp = (prefix) => mkdtempSync(join(tmpdir(), prefix));

async function postTraces(p, body) {
  const res = await fetch(p.url('http', '/v1/traces'), { method: 'POST', headers: PROTO, body });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

function grpcExport(p, body) {
  return new Promise((resolve, reject) => {
    const client = http2.connect(`http://127.0.0.1:${p.ports.grpc}`);
    client.on('error', reject);
    const req = client.request({ ':method': 'POST', ':path': TRACE_METHOD, 'content-type': 'application/grpc', te: 'trailers' });
    let status;
    req.on('response', (h) => { status ??= h['grpc-status']; });
    req.on('trailers', (t) => { status = t['grpc-status'] ?? status; });
    req.on('data', () => {});
    req.on('error', () => {});
    req.on('close', () => { client.close(); resolve(status === undefined ? undefined : Number(status)); });
    req.end(P.grpcFrame(body));
  });
}

// Pipes text to `promtool check metrics`; resolves {code, output}.
function promtoolCheck(text) {
  return new Promise((resolve, reject) => {
    const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
    child.stdin.end(text);
  });
}

// TCP ports the process listens on, from its socket fds and /proc/net/tcp{,6} (state 0A = LISTEN).
function listeningPorts(pid) {
  const inodes = new Set();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = readlinkSync(`/proc/${pid}/fd/${fd}`).match(/^socket:\[(\d+)\]$/);
      if (m) inodes.add(m[1]);
    } catch { /* fd closed meanwhile */ }
  }
  const ports = new Set();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text;
    try { text = readFileSync(file, 'utf8'); } catch { continue; }
    for (const line of text.split('\n').slice(1)) {
      const c = line.trim().split(/\s+/);
      if (c.length < 10 || c[3] !== '0A' || !inodes.has(c[9])) continue;
      ports.add(parseInt(c[1].split(':').pop(), 16));
    }
  }
  return ports;
}

// Bytes queued in the kernel on the server's side of the connection localPort→serverPort that
// the server has not read yet (undefined if no such connection).
function serverUnreadBytes(serverPort, clientPort) {
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text;
    try { text = readFileSync(file, 'utf8'); } catch { continue; }
    for (const line of text.split('\n').slice(1)) {
      const c = line.trim().split(/\s+/);
      if (c.length < 5) continue;
      if (parseInt(c[1].split(':').pop(), 16) === serverPort && parseInt(c[2].split(':').pop(), 16) === clientPort) {
        return parseInt(c[4].split(':')[1], 16); // tx_queue:rx_queue
      }
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// One collector for the self-metrics and health cases.

let p;
let outPath;

before(async () => {
  outPath = join(tmp('periscope-ops-'), 'spans.jsonl');
  p = await Periscope.start(`
receivers:
  otlp:
    protocols:
      grpc: {endpoint: "127.0.0.1:0"}
      http: {endpoint: "127.0.0.1:0"}
processors:
  batch: {timeout: 50ms}
exporters:
  file: {path: "${outPath}"}
extensions:
  health_check: {endpoint: "127.0.0.1:0"}
service:
  extensions: [health_check]
  telemetry:
    metrics: {address: "127.0.0.1:0"}
  pipelines:
    traces: {receivers: [otlp], processors: [batch], exporters: [file]}
`);
});

after(async () => {
  if (!p) return;
  const { code, signal } = await p.stop();
  p.cleanup();
  rmSync(dirname(outPath), { recursive: true, force: true });
  assert.deepEqual({ code, signal }, { code: 0, signal: null }, p.stderr.slice(-4000));
});

const ACCEPTED = 'otelcol_receiver_accepted_spans_total';
const REFUSED = 'otelcol_receiver_refused_spans_total';
const SENT = 'otelcol_exporter_sent_spans_total';
const BATCH_SIZE = 'otelcol_processor_batch_batch_send_size';

async function sample(names) {
  const text = await p.metrics();
  return Object.fromEntries(Object.entries(names).map(([k, [name, labels]]) => [k, metricValue(text, name, labels) ?? 0]));
}

test('health endpoint answers 200 while running', async () => {
  const res = await fetch(p.url('health', '/'));
  assert.equal(res.status, 200, await res.text());
});

test('every listener is on the announced ports and nothing else listens', () => {
  const ports = listeningPorts(p.proc.pid);
  assert.deepEqual([...ports].sort(), [p.ports.grpc, p.ports.http, p.ports.health, p.ports.metrics].sort());
});

test('receiver and exporter counters move by exactly the number of spans sent', async () => {
  const names = {
    httpAccepted: [ACCEPTED, { receiver: 'otlp', transport: 'http' }],
    grpcAccepted: [ACCEPTED, { receiver: 'otlp', transport: 'grpc' }],
    httpRefused: [REFUSED, { receiver: 'otlp', transport: 'http' }],
    sent: [SENT, { exporter: 'file' }],
    batchCount: [`${BATCH_SIZE}_count`, { processor: 'batch' }],
    batchSum: [`${BATCH_SIZE}_sum`, { processor: 'batch' }],
  };
  const before = await sample(names);

  // 7 spans over HTTP.
  const res = await postTraces(p, P.validTraces(7, 'metrics-http'));
  assert.equal(res.status, 200, String(res.body));
  let now = await waitFor(async () => {
    const s = await sample(names);
    return s.httpAccepted >= before.httpAccepted + 7 && s.sent >= before.sent + 7 && s;
  }, { what: 'http accepted and exporter sent counters to move by 7' });
  assert.equal(now.httpAccepted - before.httpAccepted, 7);
  assert.equal(now.sent - before.sent, 7);
  assert.equal(now.grpcAccepted, before.grpcAccepted, 'gRPC counter untouched by HTTP traffic');
  assert.ok(now.batchCount > before.batchCount, 'batch_send_size histogram count increased');
  assert.equal(now.batchSum - before.batchSum, 7, 'batch_send_size histogram sum grew by the spans batched');

  // 4 spans over gRPC.
  const mid = now;
  assert.equal(await grpcExport(p, P.validTraces(4, 'metrics-grpc')), 0);
  now = await waitFor(async () => {
    const s = await sample(names);
    return s.grpcAccepted >= mid.grpcAccepted + 4 && s.sent >= mid.sent + 4 && s;
  }, { what: 'grpc accepted and exporter sent counters to move by 4' });
  assert.equal(now.grpcAccepted - mid.grpcAccepted, 4);
  assert.equal(now.sent - mid.sent, 4);
  assert.equal(now.httpAccepted, mid.httpAccepted);

  // 3 spans, one with a bad trace id: 2 accepted, 1 refused.
  const last = now;
  const partial = await postTraces(p, P.exportTraces([
    P.span({ name: 'metrics-partial-0' }), P.span({ name: 'metrics-bad', traceId: Buffer.alloc(4, 1) }), P.span({ name: 'metrics-partial-1' }),
  ]));
  assert.equal(partial.status, 200);
  now = await waitFor(async () => {
    const s = await sample(names);
    return s.httpAccepted >= last.httpAccepted + 2 && s.httpRefused >= last.httpRefused + 1 && s.sent >= last.sent + 2 && s;
  }, { what: 'partial request counted' });
  assert.equal(now.httpAccepted - last.httpAccepted, 2);
  assert.equal(now.httpRefused - last.httpRefused, 1);
  assert.equal(now.sent - last.sent, 2);

  // And the exported file agrees with the counters.
  const names2 = P.spanNamesOf(readJsonLines(outPath));
  assert.equal(names2.filter((n) => n.startsWith('metrics-')).length, 7 + 4 + 2);
});

test('process self-metrics are present and plausible', async () => {
  const a = await p.metrics();
  const rss = metricValue(a, 'otelcol_process_memory_rss');
  const uptime = metricValue(a, 'otelcol_process_uptime_total');
  const cpu = metricValue(a, 'otelcol_process_cpu_seconds_total');
  assert.ok(rss > 1024 * 1024, `rss ${rss}`);
  const procRss = Number(readFileSync(`/proc/${p.proc.pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m)[1]) * 1024;
  assert.ok(rss < 4 * procRss && rss > procRss / 4, `otelcol_process_memory_rss ${rss} vs VmRSS ${procRss}`);
  assert.ok(uptime > 0, `uptime ${uptime}`);
  assert.ok(cpu >= 0, `cpu ${cpu}`);
  // Uptime is a counter of seconds: it moves forward.
  await waitFor(async () => metricValue(await p.metrics(), 'otelcol_process_uptime_total') > uptime, { what: 'uptime to increase' });
});

test('self-metrics pass `promtool check metrics` after traffic', { skip: hasPromtool ? false : 'promtool not installed' }, async () => {
  // Make sure every family has samples (the counters test may have run filtered).
  assert.equal((await postTraces(p, P.validTraces(2, 'promtool'))).status, 200);
  assert.equal(await grpcExport(p, P.validTraces(1, 'promtool-grpc')), 0);
  const res = await fetch(p.url('metrics', '/metrics'));
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
  const text = await res.text();
  for (const family of [ACCEPTED, REFUSED, SENT, `${BATCH_SIZE}_bucket`, 'otelcol_process_memory_rss',
    'otelcol_process_uptime_total', 'otelcol_process_cpu_seconds_total']) {
    assert.match(text, new RegExp(`^${family}[{ ]`, 'm'), `${family} missing`);
  }
  assert.match(text, new RegExp(`^# TYPE ${BATCH_SIZE} histogram$`, 'm'));
  const { code, output } = await promtoolCheck(text);
  assert.equal(code, 0, `promtool exit ${code}:\n${output}`);
  assert.equal(output.trim(), '', `promtool lint findings:\n${output}`);
});

// ---------------------------------------------------------------------------------------------

test('service.telemetry.metrics.level: none → no self-metrics listener', async () => {
  const q = await Periscope.start(`
receivers:
  otlp:
    protocols:
      http: {endpoint: "127.0.0.1:0"}
exporters:
  debug: {}
extensions:
  health_check: {endpoint: "127.0.0.1:0"}
service:
  extensions: [health_check]
  telemetry:
    metrics: {address: "127.0.0.1:0", level: none}
  pipelines:
    traces: {receivers: [otlp], exporters: [debug]}
`);
  try {
    assert.equal(q.ports.metrics, undefined, 'a "self-metrics listening" log line was written');
    assert.equal(q.logs.filter((l) => /self-metrics/.test(l.msg ?? '')).length, 0);
    const ports = listeningPorts(q.proc.pid);
    assert.deepEqual([...ports].sort(), [q.ports.http, q.ports.health].sort(), 'only OTLP/HTTP and health listen');
    // Still a working collector.
    assert.equal((await postTraces(q, P.validTraces(1))).status, 200);
  } finally {
    const r = await q.stop();
    q.cleanup();
    assert.deepEqual(r, { code: 0, signal: null });
  }
});

test('memory_limiter above its limit → 503 with Retry-After, counted as refused', async () => {
  const q = await Periscope.start(`
receivers:
  otlp:
    protocols:
      http: {endpoint: "127.0.0.1:0"}
processors:
  memory_limiter: {check_interval: 100ms, limit_mib: 2, spike_limit_mib: 1}
exporters:
  debug: {}
service:
  telemetry:
    metrics: {address: "127.0.0.1:0"}
  pipelines:
    traces: {receivers: [otlp], processors: [memory_limiter], exporters: [debug]}
`);
  try {
    const labels = { receiver: 'otlp', transport: 'http' };
    const refusedBefore = metricValue(await q.metrics(), REFUSED, labels) ?? 0;
    // The process's RSS is far above 1 MiB, so once the limiter has measured it, data is refused.
    const res = await waitFor(async () => {
      const r = await postTraces(q, P.validTraces(5, 'limited'));
      return r.status !== 200 && r;
    }, { what: 'memory_limiter to refuse' });
    assert.equal(res.status, 503, String(res.body));
    const retryAfter = res.headers.get('retry-after');
    assert.match(retryAfter ?? '', /^\d+$/, `Retry-After: ${retryAfter}`);
    assert.ok(Number(retryAfter) >= 1);
    const st = P.decodeRpcStatus(res.body);
    assert.equal(st.code, 14, `google.rpc.Status code UNAVAILABLE: ${JSON.stringify(st)}`);

    // Every refused request counts its spans.
    const before2 = metricValue(await q.metrics(), REFUSED, labels);
    assert.ok(before2 >= refusedBefore + 5);
    const again = await postTraces(q, P.validTraces(3, 'limited'));
    assert.equal(again.status, 503);
    const after2 = await waitFor(async () => {
      const v = metricValue(await q.metrics(), REFUSED, labels);
      return v >= before2 + 3 && v;
    }, { what: 'refused_spans_total to grow by 3' });
    assert.equal(after2 - before2, 3);
    assert.equal(metricValue(await q.metrics(), ACCEPTED, labels) ?? 0, 0, 'nothing accepted');
  } finally {
    const r = await q.stop();
    q.cleanup();
    assert.deepEqual(r, { code: 0, signal: null });
  }
});

test('health endpoint answers 503 while the collector is stopping', async () => {
  // A backend that holds the exporter's request until released keeps the shutdown in progress.
  const held = [];
  const backend = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => held.push(res));
  });
  backend.listen(0, '127.0.0.1');
  await new Promise((r) => backend.once('listening', r));
  const q = await Periscope.start(`
receivers:
  otlp:
    protocols:
      http: {endpoint: "127.0.0.1:0"}
exporters:
  otlphttp: {endpoint: "http://127.0.0.1:${backend.address().port}", compression: none, timeout: 30s}
extensions:
  health_check: {endpoint: "127.0.0.1:0"}
service:
  extensions: [health_check]
  telemetry:
    metrics: {address: "127.0.0.1:0"}
  pipelines:
    traces: {receivers: [otlp], exporters: [otlphttp]}
`);
  try {
    assert.equal((await fetch(q.url('health', '/'))).status, 200);
    const client = postTraces(q, P.validTraces(2, 'held')).catch((e) => ({ error: e.message }));
    await waitFor(() => held.length === 1, { what: 'the exporter request to reach the backend' });

    q.proc.kill('SIGTERM');
    const seen = await waitFor(async () => {
      try {
        const r = await fetch(q.url('health', '/'));
        return r.status !== 200 && r.status;
      } catch (e) {
        return `connection failed: ${e.cause?.code ?? e.message}`;
      }
    }, { what: 'health to leave 200 after SIGTERM' });
    assert.equal(seen, 503, 'health while stopping');

    // Release the export: the pipeline finishes and the process exits cleanly.
    for (const res of held) res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    assert.deepEqual(await q.exited, { code: 0, signal: null });
    await client;
  } finally {
    for (const res of held) if (!res.writableEnded) res.destroy();
    backend.close();
    await q.stop();
    q.cleanup();
  }
});

test('SIGTERM with a request waiting in the batch: the batch is flushed, the client gets 200, exit 0', {
  timeout: 40000,
}, async () => {
  const dir = tmp('periscope-sigterm-');
  const path = join(dir, 'spans.jsonl');
  const q = await Periscope.start(`
receivers:
  otlp:
    protocols:
      http: {endpoint: "127.0.0.1:0"}
processors:
  batch: {timeout: 5s}
exporters:
  file: {path: "${path}"}
extensions:
  health_check: {endpoint: "127.0.0.1:0"}
service:
  extensions: [health_check]
  telemetry:
    metrics: {address: "127.0.0.1:0"}
  pipelines:
    traces: {receivers: [otlp], processors: [batch], exporters: [file]}
`);
  try {
    const body = P.validTraces(5, 'inflight');
    let answered = false;
    const req = http.request({
      host: '127.0.0.1', port: q.ports.http, path: '/v1/traces', method: 'POST',
      headers: { ...PROTO, 'content-length': body.length },
    });
    const response = new Promise((resolve) => {
      req.on('response', (res) => {
        const chunks = [];
        res.on('data', (d) => chunks.push(d));
        res.on('end', () => { answered = true; resolve({ status: res.statusCode, body: Buffer.concat(chunks) }); });
        res.on('error', (e) => { answered = true; resolve({ error: e.message }); });
      });
      req.on('error', (e) => { answered = true; resolve({ error: e.message }); });
    });
    req.end(body);
    await new Promise((r) => req.once('finish', r));
    // The body is written; wait until the server has read it off the socket (it is then in the batch).
    const clientPort = req.socket.localPort;
    await waitFor(() => serverUnreadBytes(q.ports.http, clientPort) === 0, { what: 'server to read the request' });
    assert.equal(answered, false, 'the request is still waiting for its batch (timeout 5s)');

    q.proc.kill('SIGTERM');
    const res = await response;
    const exit = await q.exited;
    assert.equal(res.status, 200, `client got ${JSON.stringify(res)}`);
    assert.equal(P.decodeExportTraceResponse(res.body).partialSuccess, undefined);
    const names = P.spanNamesOf(readJsonLines(path));
    assert.deepEqual(names.filter((n) => n.startsWith('inflight-')).sort(), [0, 1, 2, 3, 4].map((i) => `inflight-${i}`));
    assert.deepEqual(exit, { code: 0, signal: null });
  } finally {
    await q.stop();
    q.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('memory_limiter over gRPC → UNAVAILABLE with a RetryInfo in grpc-status-details-bin', async () => {
  const q = await Periscope.start(`
receivers:
  otlp:
    protocols:
      grpc: {endpoint: "127.0.0.1:0"}
processors:
  memory_limiter: {check_interval: 100ms, limit_mib: 2, spike_limit_mib: 1}
exporters:
  debug: {}
service:
  telemetry:
    metrics: {address: "127.0.0.1:0"}
  pipelines:
    traces: {receivers: [otlp], processors: [memory_limiter], exporters: [debug]}
`);
  const call = () => new Promise((resolve, reject) => {
    const client = http2.connect(`http://127.0.0.1:${q.ports.grpc}`);
    client.on('error', reject);
    const req = client.request({
      ':method': 'POST', ':path': '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
      'content-type': 'application/grpc', te: 'trailers',
    });
    let trailers = {};
    let headers = {};
    req.on('response', (h) => { headers = h; });
    req.on('trailers', (t) => { trailers = t; });
    req.on('data', () => {});
    req.on('error', () => {});
    req.on('close', () => { client.close(); resolve({ ...headers, ...trailers }); });
    req.end(P.grpcFrame(P.validTraces(2, 'grpc-limited')));
  });
  try {
    const t = await call();
    assert.equal(Number(t['grpc-status']), 14, JSON.stringify(t));
    const details = Buffer.from(t['grpc-status-details-bin'] ?? '', 'base64');
    const st = P.decodeRpcStatus(details);
    assert.equal(st.code, 14, JSON.stringify(st));
    assert.ok(details.includes(Buffer.from('type.googleapis.com/google.rpc.RetryInfo')),
      `RetryInfo in details: ${details.toString('hex')}`);
  } finally {
    await q.stop();
    q.cleanup();
  }
});
