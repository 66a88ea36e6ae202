// Test helper for the embedded trace store: a `serve` config that writes OTLP into the store,
// starting periscope on a given data directory, and reading traces back through the query API.
// Used by tests/fault and tests/e2e.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Periscope, waitFor } from './periscope.mjs';

// OTLP receivers (port 0) → batch → store, self-metrics and the query API on port 0, JSON logs.
// `traces` overrides storage.traces keys; `extra` is appended verbatim (top-level YAML).
export function storeConfig({ fsync = 'always', traces = {}, batch = { timeout: '10ms', send_batch_size: 512 }, query = {}, extra = '' } = {}) {
  const t = { head_max_spans: 2000, head_max_age: '1s', maintenance_interval: '500ms', retention: '7d', ...traces };
  const flow = (o) => `{${Object.entries(o).map(([k, v]) => `${k}: ${typeof v === 'object' ? flow(v) : v}`).join(', ')}}`;
  return `
receivers: {otlp: {protocols: {grpc: {endpoint: "127.0.0.1:0"}, http: {endpoint: "127.0.0.1:0"}}}}
processors: {batch: ${flow(batch)}}
exporters: {store: {}}
service:
  telemetry: {metrics: {address: "127.0.0.1:0"}, logs: {encoding: json}}
  pipelines: {traces: {receivers: [otlp], processors: [batch], exporters: [store]}}
storage:
  path: ignored-when---data-given
  wal: {fsync: ${fsync}}
  traces: ${flow(t)}
query: ${flow({ endpoint: '"127.0.0.1:0"', ...query })}
${extra}`;
}

// `periscope serve --data <dataDir>`, resolved once ready (query port known, store open).
export function startStore(dataDir, yaml = storeConfig(), { env = {}, timeoutMs = 30000 } = {}) {
  return Periscope.start(yaml, { args: ['--data', dataDir], env, timeoutMs });
}

// The `trace store open` log record (fields are strings in the JSON logs).
export function storeOpenRecord(p) {
  return p.logs.find((r) => r.msg === 'trace store open');
}

// Polls the query API until it answers (readiness after a restart).
export async function waitForQueryApi(p, { timeoutMs = 10000 } = {}) {
  await waitFor(async () => (await fetch(p.url('query', '/api/services'))).status === 200,
    { timeoutMs, what: 'query API /api/services 200' });
}

// GET on the query port → { status, body (parsed JSON, or text when it is not JSON) }.
export async function getJson(p, path) {
  const res = await fetch(p.url('query', path));
  const text = await res.text();
  let body;
  try { body = JSON.parse(text); } catch { body = text; }
  return { status: res.status, body };
}

// Jaeger v1 traces for many ids at once (/api/traces?traceID=…&traceID=…), in chunks.
// Returns Map traceID (hex as sent) → Jaeger trace, only for the ids found.
export async function jaegerTracesByIds(p, ids, { chunk = 40, concurrency = 4 } = {}) {
  const found = new Map();
  const chunks = [];
  for (let i = 0; i < ids.length; i += chunk) chunks.push(ids.slice(i, i + chunk));
  let next = 0;
  async function worker() {
    while (next < chunks.length) {
      const part = chunks[next++];
      const qs = part.map((id) => `traceID=${id}`).join('&');
      const { status, body } = await getJson(p, `/api/traces?${qs}`);
      if (status !== 200) throw new Error(`/api/traces?traceID=… answered ${status}: ${JSON.stringify(body).slice(0, 500)}`);
      for (const t of body.data ?? []) found.set(t.traceID, t);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));
  return found;
}

// Jaeger tag list → { key: value }.
export const tagMap = (tags = []) => Object.fromEntries(tags.map((t) => [t.key, t.value]));

// Files of the store directory: { wal: [...wal-*.log sorted], segments: [...seg-*.pst sorted] }.
export function storeFiles(dataDir) {
  const tracesDir = join(dataDir, 'traces');
  const list = (dir, re) => {
    try { return readdirSync(dir).filter((n) => re.test(n)).sort(); } catch { return []; }
  };
  return {
    tracesDir,
    walDir: join(tracesDir, 'wal'),
    wal: list(join(tracesDir, 'wal'), /^wal-.*\.log$/),
    segments: list(tracesDir, /^seg-\d+\.pst$/),
    quarantine: list(join(tracesDir, 'quarantine'), /./),
  };
}
