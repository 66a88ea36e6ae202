// Test helper: starts the real periscope binary on 127.0.0.1 with a config written to a temp
// dir, waits for its "listening" log lines (JSON logs) to learn the ports it bound (configs use
// port 0), and stops it. Used by tests/integration and tests/e2e.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';

export const BINARY = process.env.PERISCOPE_BINARY ?? new URL('../../build/periscope', import.meta.url).pathname;

export function tempDir(prefix = 'periscope-test-') {
  return mkdtempSync(join(tmpdir(), prefix));
}

// Which log message announces which listener, and the key under which we expose its port.
const LISTENERS = {
  'OTLP/gRPC listening': 'grpc',
  'OTLP/HTTP listening': 'http',
  'health check listening': 'health',
  'self-metrics listening': 'metrics',
  'query API listening': 'query',
  'Prometheus remote write listening': 'promrw',
  'AWS X-Ray UDP listening': 'xray',
  'prometheus exporter listening': 'prometheus',
};

export class Periscope {
  constructor(proc, dir) {
    this.proc = proc;
    this.dir = dir;
    this.ports = {};
    this.logs = [];
    this.stderr = '';
    this.exited = once(proc, 'exit').then(([code, signal]) => ({ code, signal }));
  }

  // Starts `periscope serve --config <yaml>` and resolves once "everything is ready".
  static async start(yaml, { args = [], env = {}, timeoutMs = 15000 } = {}) {
    const dir = tempDir();
    const configPath = join(dir, 'config.yaml');
    writeFileSync(configPath, yaml);
    const proc = spawn(BINARY, ['serve', '--config', configPath, '--log-format', 'json', ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const p = new Periscope(proc, dir);
    let buffered = '';
    let resolveReady, rejectReady;
    const ready = new Promise((res, rej) => { resolveReady = res; rejectReady = rej; });
    proc.stderr.setEncoding('utf8');
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (d) => { p.stdout = (p.stdout ?? '') + d; });
    proc.stderr.on('data', (chunk) => {
      p.stderr += chunk;
      buffered += chunk;
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        let rec;
        try { rec = JSON.parse(line); } catch { continue; }
        p.logs.push(rec);
        const key = LISTENERS[rec.msg];
        if (key) p.ports[key] = Number(rec.port);
        if (rec.msg === 'everything is ready; waiting for data') resolveReady();
      }
    });
    p.exited.then(({ code }) => rejectReady(new Error(`periscope exited with ${code} before ready:\n${p.stderr}`)));
    const timer = setTimeout(() => rejectReady(new Error(`periscope not ready after ${timeoutMs} ms:\n${p.stderr}`)), timeoutMs);
    try {
      await ready;
    } catch (e) {
      e.periscope = p; // the process (exited or still running) for callers that expect failures
      throw e;
    } finally {
      clearTimeout(timer);
    }
    return p;
  }

  url(kind, path = '') {
    return `http://127.0.0.1:${this.ports[kind]}${path}`;
  }

  // SIGTERM and wait for exit; returns { code, signal }.
  async stop(signal = 'SIGTERM') {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill(signal);
    const result = await this.exited;
    return result;
  }

  // Resolves once a log record satisfies pred (records seen so far count too).
  waitForLog(pred, { timeoutMs = 10000 } = {}) {
    return waitFor(() => this.logs.find(pred), { timeoutMs, what: 'log record' });
  }

  cleanup() {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// Reads a metric sample from Prometheus text, e.g. metricValue(text, 'otelcol_receiver_accepted_spans_total', {transport: 'grpc'}).
export function metricValue(text, name, labels = {}) {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s+(\S+)$/);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[3] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[4]);
  }
  return undefined;
}

// Reads a file of JSON lines (the file exporter's json format); [] when it does not exist yet.
export function readJsonLines(path) {
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, 'utf8').split('\n');
  const out = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    try { out.push(JSON.parse(line)); } catch { break; } // a line still being written
  }
  return out;
}

// Polls `fn` (sync or async) until it returns a truthy value, which is returned; throws with
// `what` (and the last value or error) after `timeoutMs`. For waiting on metrics, files, logs and
// responses instead of sleeping.
export async function waitFor(fn, { timeoutMs = 10000, intervalMs = 20, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${detail})`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

// Prometheus text of the self-metrics endpoint (needs service.telemetry.metrics.address).
Periscope.prototype.metrics = async function metrics() {
  const r = await fetch(this.url('metrics', '/metrics'));
  if (r.status !== 200) throw new Error(`/metrics answered ${r.status}`);
  return r.text();
};

// A field of /proc/<pid>/status in kB, e.g. p.procStatusKb('VmRSS') or 'VmHWM' (peak RSS).
Periscope.prototype.procStatusKb = function procStatusKb(field) {
  const text = readFileSync(`/proc/${this.proc.pid}/status`, 'utf8');
  const m = text.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
  return m ? Number(m[1]) : undefined;
};

// True while the process has not exited.
Periscope.prototype.running = function running() {
  return this.proc.exitCode === null && this.proc.signalCode === null;
};
