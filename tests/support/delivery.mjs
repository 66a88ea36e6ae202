// Test helper for exporter delivery tests (tests/fault/delivery_*.test.mjs, overload_memory,
// queue_disk_full): seeded randomness, a ledger of the spans a harness sent and which of them
// were acknowledged, OTLP/HTTP posting with the answer classified, a forwarder config (periscope
// A: otlp receiver → [processors] → otlp/otlphttp exporter with the exporter helper's keys), a
// sink config (periscope B: otlp receiver → file exporter, json lines), an incremental reader of
// the sink's file that counts every span id (so duplicates are visible, unlike the store, which
// de-duplicates on read), RSS sampling and a free port outside the ephemeral range.
import { createServer } from 'node:net';
import { closeSync, existsSync, openSync, readFileSync, readSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as P from './otlp_proto.mjs';
import { metricValue } from './periscope.mjs';

// ---------------------------------------------------------------------------------------------
// Seeded randomness (mulberry32), as in tests/fault/crash_recovery.test.mjs.

export function seedFrom(envName) {
  return (Number(process.env[envName] ?? Date.now() % 0x7fffffff) >>> 0);
}

export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  next.shuffle = (xs) => {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [xs[i], xs[j]] = [xs[j], xs[i]];
    }
    return xs;
  };
  return next;
}

// Workload pacing (a schedule, never a stand-in for waiting on state).
export const pause = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// The ledger: every span sent, by id. Span ids are [tag, sender, seq u48] so they are unique per
// harness run and a sink span can be traced back to its batch; trace ids are [tag 3 B, sender,
// batch u64]. Each span's name encodes its id's seq, so a sink span with a known id but another
// name or trace is "torn" (counted as phantom).

export class Ledger {
  // tag: one byte distinguishing concurrent scenarios that share a sink (or none).
  constructor({ tag = 0xd1, service = 'delivery-harness', rand = Math.random, payloadBytes = 32 } = {}) {
    this.tag = tag;
    this.service = service;
    this.rand = rand;
    this.payloadBytes = payloadBytes;
    this.batches = [];
    this.spans = new Map(); // span hex → { batch, traceHex, name }
    this.nextSeq = new Map();
    this.nextBatch = new Map();
  }

  // A new batch of `n` spans for `sender` (0..255); its protobuf body is built now.
  batch(sender, n) {
    const bn = this.nextBatch.get(sender) ?? 0;
    this.nextBatch.set(sender, bn + 1);
    const traceId = Buffer.alloc(16);
    traceId[0] = 0xde; traceId[1] = 0x11; traceId[2] = this.tag; traceId[3] = sender;
    traceId.writeBigUInt64BE(BigInt(bn) + 1n, 8);
    const traceHex = traceId.toString('hex');
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    // One random chunk per batch, repeated: payload size without per-span random generation.
    const chunk = this.rand().toString(36).slice(2, 10).padEnd(8, 'x');
    const filler = chunk.repeat(Math.ceil(this.payloadBytes / chunk.length)).slice(0, this.payloadBytes);
    const ids = [];
    const bodies = [];
    let seq = this.nextSeq.get(sender) ?? 0;
    const batch = { sender, n: bn, traceHex, ids, acked: false, attempts: 0, answers: [], body: null };
    for (let i = 0; i < n; i++, seq++) {
      const spanId = Buffer.alloc(8);
      spanId[0] = this.tag;
      spanId[1] = sender;
      spanId.writeUIntBE(seq, 2, 6);
      const spanHex = spanId.toString('hex');
      const name = `op-${seq}`;
      ids.push(spanHex);
      this.spans.set(spanHex, { batch, traceHex, name });
      bodies.push(P.span({
        traceId, spanId, name, kind: 2, start: nowNs + BigInt(i), end: nowNs + BigInt(i) + 1_000_000n,
        attributes: [P.stringAttr('payload', filler), P.keyValue('sender', P.anyInt(sender))],
      }));
    }
    this.nextSeq.set(sender, seq);
    batch.body = P.exportTraces(bodies, { resourceAttrs: [P.stringAttr('service.name', this.service)], scopeName: 'delivery' });
    this.batches.push(batch);
    return batch;
  }

  posted() { return this.batches.filter((b) => b.attempts > 0); }
  ackedSpans() { return this.batches.filter((b) => b.acked).reduce((n, b) => n + b.ids.length, 0); }
  sentSpans() { return this.posted().reduce((n, b) => n + b.ids.length, 0); }
}

// ---------------------------------------------------------------------------------------------
// Posting. → { status, retryAfter, acked, partial, error }. acked = 200 without partial_success.

export async function postOtlp(url, body, { timeoutMs = 30000 } = {}) {
  try {
    const res = await fetch(url, {
      method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body, signal: AbortSignal.timeout(timeoutMs),
    });
    const buf = Buffer.from(await res.arrayBuffer());
    let partial;
    if (res.status === 200) {
      try {
        ({ partialSuccess: partial } = P.decodeExportTraceResponse(buf));
      } catch (e) {
        return { status: res.status, acked: false, error: `undecodable 200 body: ${e.message}` };
      }
    }
    const acked = res.status === 200 && (!partial || (partial.rejected === 0n && partial.errorMessage === ''));
    return { status: res.status, retryAfter: res.headers.get('retry-after'), acked, partial, body: buf };
  } catch (e) {
    return { status: 0, acked: false, error: e.cause?.code ?? e.name ?? e.message };
  }
}

// Posts `batch` and records the answer on it.
export async function postBatch(url, batch, opts) {
  batch.attempts++;
  const r = await postOtlp(url, batch.body, opts);
  batch.answers.push(r.status);
  if (r.acked) {
    batch.acked = true;
    batch.body = null; // never posted again; keeps long runs' memory flat
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// Configs.

const flow = (o) => (o && typeof o === 'object' && !Array.isArray(o)
  ? `{${Object.entries(o).map(([k, v]) => `${k}: ${flow(v)}`).join(', ')}}`
  : Array.isArray(o) ? `[${o.map(flow).join(', ')}]` : String(o));
export { flow as yamlFlow };

// Periscope B: otlp receivers on the given ports (0 = any) → file exporter (json lines, appended
// so a restarted sink keeps what it wrote). No batch: each request is written before it is answered.
export function sinkConfig({ path, grpcPort = 0, httpPort = 0 }) {
  return `
receivers: {otlp: {protocols: {grpc: {endpoint: "127.0.0.1:${grpcPort}"}, http: {endpoint: "127.0.0.1:${httpPort}"}}}}
exporters: {file: {path: "${path}", append: true}}
service:
  telemetry: {metrics: {address: "127.0.0.1:0"}, logs: {encoding: json}}
  pipelines: {traces: {receivers: [otlp], exporters: [file]}}
`;
}

// Periscope A: otlp/http receiver (port 0) → processors → one exporter with the helper's keys.
//   exporter: 'otlp' (gRPC; endpoint host:port) or 'otlphttp' (endpoint http://host:port)
//   queue, retry, breaker: sending_queue / retry_on_failure / circuit_breaker maps
//   storage: { directory, fsync, compaction } → a file_storage extension and sending_queue.storage
//   processors: { id: map } in pipeline order
export function forwarderConfig({ exporter = 'otlp', endpoint, queue = {}, retry = {}, breaker, timeout = '5s',
  storage, processors = {}, compression = 'none' }) {
  const exp = {
    endpoint: exporter === 'otlp' ? `"${endpoint}"` : `"http://${endpoint}"`,
    compression,
    timeout,
    sending_queue: { enabled: true, ...queue, ...(storage ? { storage: 'file_storage' } : {}) },
    retry_on_failure: { enabled: true, ...retry },
    ...(breaker ? { circuit_breaker: breaker } : {}),
  };
  if (exporter === 'otlp') exp.tls = { insecure: true };
  const procIds = Object.keys(processors);
  return `
receivers: {otlp: {protocols: {http: {endpoint: "127.0.0.1:0"}}}}
${procIds.length ? `processors: ${flow(processors)}` : ''}
exporters: {${exporter}: ${flow(exp)}}
${storage ? `extensions: {file_storage: {directory: "${storage.directory}", create_directory: true, fsync: ${storage.fsync ?? false}${storage.compaction ? `, compaction: ${flow(storage.compaction)}` : ''}}}` : ''}
service:
  ${storage ? 'extensions: [file_storage]' : ''}
  telemetry: {metrics: {address: "127.0.0.1:0"}, logs: {encoding: json}}
  pipelines: {traces: {receivers: [otlp], processors: [${procIds.join(', ')}], exporters: [${exporter}]}}
`;
}

// The persistent queue's directory for an exporter id's traces (docs/delivery.md).
export const queueDir = (storageDir, exporterId = 'otlp', signal = 'traces') =>
  join(storageDir, `exporter_${exporterId.replace('/', '_')}_${signal}`);

// Files of a queue directory: { segments: [q-*.log sorted], other: [...], bytes }.
export function queueFiles(dir) {
  let names = [];
  try { names = readdirSync(dir).sort(); } catch { /* not created yet */ }
  const segments = names.filter((n) => /^q-\d+\.log$/.test(n));
  let bytes = 0;
  for (const n of segments) {
    try { bytes += statSync(join(dir, n)).size; } catch { /* deleted meanwhile */ }
  }
  return { segments, other: names.filter((n) => !segments.includes(n)), bytes };
}

// ---------------------------------------------------------------------------------------------
// Exporter self-metrics of A (labels as in docs/delivery.md).

export async function exporterMetrics(p, exporter = 'otlp') {
  const text = await p.metrics();
  const v = (name, labels) => metricValue(text, name, labels);
  const ed = { exporter, data_type: 'traces' };
  const dropped = {};
  for (const reason of ['permanent', 'retries_exhausted', 'shutdown', 'corrupt']) {
    dropped[reason] = v('periscope_exporter_dropped_spans_total', { exporter, reason });
  }
  return {
    text,
    queueSize: v('otelcol_exporter_queue_size', ed),
    queueCapacity: v('otelcol_exporter_queue_capacity', ed),
    enqueueFailed: v('otelcol_exporter_enqueue_failed_spans_total', { exporter }),
    sent: v('otelcol_exporter_sent_spans_total', { exporter }),
    sendFailed: v('otelcol_exporter_send_failed_spans_total', { exporter }),
    retries: v('periscope_exporter_retries_total', ed),
    recovered: v('periscope_exporter_queue_recovered_requests_total', ed),
    circuitState: v('periscope_exporter_circuit_state', { exporter }),
    circuitOpened: v('periscope_exporter_circuit_opened_total', { exporter }),
    dropped,
    receiverAccepted: v('otelcol_receiver_accepted_spans_total', { receiver: 'otlp', transport: 'http' }),
    receiverRefused: v('otelcol_receiver_refused_spans_total', { receiver: 'otlp', transport: 'http' }),
  };
}

// ---------------------------------------------------------------------------------------------
// The sink's file: read incrementally (only complete lines), counting every span id.

export class SinkReader {
  constructor(path) {
    this.path = path;
    this.offset = 0;
    this.rest = Buffer.alloc(0);
    this.counts = new Map(); // span hex → times seen
    this.first = new Map();  // span hex → { traceId, name } of its first occurrence
    this.lines = 0;
    this.spanCount = 0;
    this.badLines = [];
  }

  // Reads what was appended since the last call. Returns the number of spans read.
  poll() {
    if (!existsSync(this.path)) return 0;
    const fd = openSync(this.path, 'r');
    const before = this.spanCount;
    try {
      const chunk = Buffer.alloc(8 << 20);
      for (;;) {
        const n = readSync(fd, chunk, 0, chunk.length, this.offset);
        if (n === 0) break;
        this.offset += n;
        let data = this.rest.length ? Buffer.concat([this.rest, chunk.subarray(0, n)]) : chunk.subarray(0, n);
        let start = 0;
        for (let nl = data.indexOf(0x0a, start); nl >= 0; nl = data.indexOf(0x0a, start)) {
          this.line(data.toString('utf8', start, nl));
          start = nl + 1;
        }
        this.rest = Buffer.from(data.subarray(start)); // copy: `chunk` is reused
      }
    } finally {
      closeSync(fd);
    }
    return this.spanCount - before;
  }

  line(text) {
    if (text.trim() === '') return;
    this.lines++;
    let req;
    try { req = JSON.parse(text); } catch (e) {
      this.badLines.push(`line ${this.lines}: ${e.message}: ${text.slice(0, 120)}`);
      return;
    }
    for (const rs of req.resourceSpans ?? []) {
      for (const ss of rs.scopeSpans ?? []) {
        for (const s of ss.spans ?? []) {
          this.spanCount++;
          const id = String(s.spanId).toLowerCase();
          this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
          if (!this.first.has(id)) this.first.set(id, { traceId: String(s.traceId).toLowerCase(), name: s.name });
        }
      }
    }
  }
}

// Compares the sink with the ledger.
//   lost: acked span ids not in the sink; phantom: sink spans never sent (or with another trace
//   id / name than sent); duplicates: [id, times] for ids seen more than once;
//   inDoubtDelivered: spans of never-acked batches that arrived (allowed: at-least-once);
//   refusedDelivered: spans of batches whose every answer was a refusal (`refusedStatus`) and
//   that arrived anyway (only meaningful when refused batches are never re-sent).
export function compareSink(ledger, sink, { refusedStatuses = [] } = {}) {
  const lost = [];
  const phantom = [];
  const duplicates = [];
  let inDoubtDelivered = 0;
  const refusedDelivered = [];
  for (const b of ledger.posted()) {
    const everyAnswerRefused = refusedStatuses.length > 0 && b.answers.length > 0 && b.answers.every((s) => refusedStatuses.includes(s));
    for (const id of b.ids) {
      const c = sink.counts.get(id) ?? 0;
      if (b.acked && c === 0) lost.push(id);
      if (!b.acked && c > 0) inDoubtDelivered++;
      if (everyAnswerRefused && c > 0) refusedDelivered.push(id);
    }
  }
  for (const [id, c] of sink.counts) {
    const sent = ledger.spans.get(id);
    const got = sink.first.get(id);
    if (!sent || sent.batch.attempts === 0) phantom.push(`${id} (never sent)`);
    else if (got.traceId !== sent.traceHex || got.name !== sent.name) {
      phantom.push(`${id}: got trace ${got.traceId} name ${got.name}, sent trace ${sent.traceHex} name ${sent.name}`);
    }
    if (c > 1) duplicates.push([id, c]);
  }
  return { lost, phantom, duplicates, inDoubtDelivered, refusedDelivered, sinkSpans: sink.spanCount, distinct: sink.counts.size };
}

export const showSome = (xs, n = 10) => `${xs.length}${xs.length ? `: ${xs.slice(0, n).map((x) => (Array.isArray(x) ? x.join('×') : x)).join(', ')}${xs.length > n ? ', …' : ''}` : ''}`;

// ---------------------------------------------------------------------------------------------
// Process memory.

export function rssKb(pid, field = 'VmRSS') {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined; // exited
  }
}

// Samples VmRSS of `getPid()` every `intervalMs` until stop(); → { samples: [{t, pid, kb}], max(pid?) }.
export function sampleRss(getPid, intervalMs = 100) {
  const samples = [];
  const t0 = Date.now();
  const take = () => {
    const pid = getPid();
    if (!pid) return;
    const kb = rssKb(pid);
    if (kb !== undefined) samples.push({ t: Date.now() - t0, pid, kb });
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    samples,
    stop() { clearInterval(timer); take(); return samples; },
    max(pid) { return samples.filter((s) => pid === undefined || s.pid === pid).reduce((m, s) => Math.max(m, s.kb), 0); },
  };
}

// ---------------------------------------------------------------------------------------------
// A free TCP port on 127.0.0.1 below the ephemeral range, for a server that must come back on the
// same port after a restart: nothing binding port 0 can take it meanwhile, and no outgoing
// connection can use it as its local port (no TCP self-connect while the server is down).

export async function stablePort(rand = Math.random) {
  let low = 32768;
  try { low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]); } catch { /* default */ }
  const lo = 10000;
  const hi = Math.max(lo + 1000, low - 1);
  for (let i = 0; i < 200; i++) {
    const port = lo + Math.floor(rand() * (hi - lo));
    const ok = await new Promise((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error('no free port found below the ephemeral range');
}
