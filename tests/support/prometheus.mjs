// Test helpers for Prometheus interop: start a real Prometheus 2.42 (Debian package) on
// 127.0.0.1 with a temp data dir, query its HTTP API, and send Prometheus remote-write requests
// (protobuf + snappy, encoded with protobufjs and snappyjs from npm) to any endpoint.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import snappy from 'snappyjs';
import { tempDir, waitFor } from './periscope.mjs';

export const PROMETHEUS = process.env.PROMETHEUS_BINARY ?? '/usr/bin/prometheus';

export async function freePort() {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address();
  srv.close();
  await once(srv, 'close');
  return port;
}

export class Prometheus {
  // `yaml`: prometheus.yml contents; `args`: extra flags.
  static async start(yaml = 'global: {scrape_interval: 15s}\n', { args = [] } = {}) {
    const dir = tempDir('prometheus-test-');
    writeFileSync(join(dir, 'prometheus.yml'), yaml);
    const port = await freePort();
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

  async stop() {
    if (this.proc.exitCode === null) {
      this.proc.kill('SIGTERM');
      await once(this.proc, 'exit');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// GET <base>/api/v1/<path>?<params>; resolves to the parsed JSON (any status).
export async function promApi(base, path, params) {
  const r = await fetch(`${base}/api/v1/${path}?${new URLSearchParams(params)}`);
  return { status: r.status, body: await r.json() };
}

const root = protobuf.Root.fromJSON({
  nested: {
    prometheus: {
      nested: {
        WriteRequest: { fields: { timeseries: { rule: 'repeated', type: 'TimeSeries', id: 1 } } },
        TimeSeries: {
          fields: {
            labels: { rule: 'repeated', type: 'Label', id: 1 },
            samples: { rule: 'repeated', type: 'Sample', id: 2 },
          },
        },
        Label: { fields: { name: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
        Sample: { fields: { value: { type: 'double', id: 1 }, timestamp: { type: 'int64', id: 2 } } },
      },
    },
  },
});
const WriteRequest = root.lookupType('prometheus.WriteRequest');

// The stale marker Prometheus writes when a series ends.
export const STALE_NAN = new Float64Array(new BigUint64Array([0x7ff0000000000002n]).buffer)[0];

// series: [{labels: {__name__, ...}, samples: [[t_ms, value], ...]}]. Labels are sent sorted.
export function encodeWriteRequest(series) {
  const timeseries = series.map((s) => ({
    labels: Object.keys(s.labels).sort().map((name) => ({ name, value: String(s.labels[name]) })),
    samples: s.samples.map(([t, v]) => ({ value: v, timestamp: t })),
  }));
  const bytes = WriteRequest.encode(WriteRequest.create({ timeseries })).finish();
  return snappy.compress(bytes);
}

export async function remoteWrite(url, series) {
  const r = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-protobuf',
      'Content-Encoding': 'snappy',
      'X-Prometheus-Remote-Write-Version': '0.1.0',
    },
    body: encodeWriteRequest(series),
  });
  return { status: r.status, body: await r.text() };
}
