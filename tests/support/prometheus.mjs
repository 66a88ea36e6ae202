// Test helpers for Prometheus interop: start a real Prometheus 2.42 (Debian package) on
// 127.0.0.1 with a temp data dir and query its HTTP API. (Remote-write encoding needs npm
// packages and lives in tests/e2e/remote_write.mjs.)
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { existsSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, waitFor } from './periscope.mjs';

export const PROMETHEUS = process.env.PROMETHEUS_BINARY ?? '/usr/bin/prometheus';

// A port that was free a moment ago (Prometheus cannot report a port it picked itself).
export async function freePort() {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address();
  srv.close();
  await once(srv, 'close');
  return port;
}

export const hasPrometheus = existsSync(PROMETHEUS);

export class Prometheus {
  // `yaml`: prometheus.yml contents, or a function of the port Prometheus will listen on (for a
  // config that scrapes Prometheus itself); `port`: one chosen beforehand (default: a free one);
  // `args`: extra flags.
  static async start(yaml = 'global: {scrape_interval: 15s}\n', { args = [], port } = {}) {
    const dir = tempDir('prometheus-test-');
    port ??= await freePort();
    writeFileSync(join(dir, 'prometheus.yml'), typeof yaml === 'function' ? yaml(port) : yaml);
    const proc = spawn(PROMETHEUS, [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-remote-write-receiver',
      ...args,
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    const p = new Prometheus(proc, dir, port);
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (d) => { p.stderr += d; });
    await waitFor(async () => {
      if (proc.exitCode !== null) throw new Error(`prometheus exited: ${p.stderr}`);
      const r = await fetch(p.url('/-/ready'));
      return r.status === 200;
    }, { timeoutMs: 30000, what: 'prometheus ready' });
    return p;
  }

  constructor(proc, dir, port) {
    this.proc = proc;
    this.dir = dir;
    this.port = port;
    this.stderr = '';
  }

  url(path) { return `http://127.0.0.1:${this.port}${path}`; }

  // An instant query's result array; fails the test on an error answer.
  async query(q, time) {
    const params = { query: q };
    if (time !== undefined) params.time = String(time);
    const { body } = await promApi(this.url(''), 'query', params);
    if (body.status !== 'success') throw new Error(`${q}: ${JSON.stringify(body)}`);
    return body.data.result;
  }

  async stop() {
    if (this.proc.exitCode === null) {
      this.proc.kill('SIGTERM');
      await once(this.proc, 'exit');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export const VICTORIA_METRICS = process.env.VICTORIA_METRICS_BINARY ?? '/usr/bin/victoria-metrics';
export const hasVictoriaMetrics = existsSync(VICTORIA_METRICS);

// VictoriaMetrics 1.79 (Debian package): a remote-write target with Prometheus's query API.
export class VictoriaMetrics extends Prometheus {
  static async start() {
    const dir = tempDir('victoria-metrics-test-');
    const port = await freePort();
    const proc = spawn(VICTORIA_METRICS, [
      `-storageDataPath=${join(dir, 'data')}`, `-httpListenAddr=127.0.0.1:${port}`,
      // Without it the last 30 s are not visible to queries.
      '-search.latencyOffset=0s',
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    const vm = new VictoriaMetrics(proc, dir, port);
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (d) => { vm.stderr += d; });
    await waitFor(async () => {
      if (proc.exitCode !== null) throw new Error(`victoria-metrics exited: ${vm.stderr}`);
      return (await fetch(vm.url('/health'))).status === 200;
    }, { timeoutMs: 30000, what: 'victoria-metrics ready' });
    return vm;
  }
}

// GET <base>/api/v1/<path>?<params>; resolves to the parsed JSON (any status).
export async function promApi(base, path, params) {
  const r = await fetch(`${base}/api/v1/${path}?${new URLSearchParams(params)}`);
  return { status: r.status, body: await r.json() };
}
