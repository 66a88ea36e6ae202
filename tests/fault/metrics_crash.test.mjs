// Crash consistency of the metrics store under SIGKILL (docs/testing.md, "Fault tests").
//
// Three senders post OTLP/JSON gauges to `periscope serve` (otlp receiver → store exporter,
// fsync always). Sender s owns ten series crash_probe{sender="s", series="k"}; its request n
// carries one sample per series at T0 + n·30 s with value n·100 + k, so every sample names the
// request it came from. A request counts as acknowledged only on HTTP 200. The head spans
// `block_duration` (10 min of sample time) every 20 requests, so flushes to blocks, checkpoints
// and WAL truncations happen all the time.
//
// Each cycle ends in a SIGKILL: from the harness at a seeded-random moment (blackbox), or from
// the process at a kill point (whitebox: after the WAL sync, before the answer; after a block
// is renamed into place; before and after the checkpoint rename). Cycles reuse the data
// directory. After each cycle the store is opened without a kill point and, before anything new
// is sent, every sender's samples are read back through the Prometheus API:
//   - every acknowledged request is there, all ten samples with their values (0 lost);
//   - every stored sample belongs to a request that was sent and has its value (0 phantom);
//   - a request is one store write: stored whole or not at all (0 torn).
// Unacknowledged requests are not sent again (a newer sample follows), so whether they were
// stored is reported, never failed.
//
// PERISCOPE_CRASH_SEED=<n> replays a schedule (the seed is printed).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { Periscope, tempDir, waitFor } from '../support/periscope.mjs';
import { crashCycle } from '../support/crash_cycle.mjs';

const SEED = (Number(process.env.PERISCOPE_CRASH_SEED ?? Date.now() % 0x7fffffff) >>> 0);
console.log(`metrics_crash: seed ${SEED} (replay with PERISCOPE_CRASH_SEED=${SEED})`);
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(SEED);

const SENDERS = 3;
const SERIES = 10;
const STEP_MS = 30_000;
const T0 = Math.floor((Date.now() - 3 * 86_400_000) / 60_000) * 60_000;
const KILL_POINTS = {
  'metrics.wal.after_sync_before_ack': 20,
  'metrics.block.after_rename': 1,
  'metrics.checkpoint.before_rename': 1,
  'metrics.checkpoint.after_rename': 1,
};
const BLACKBOX_CYCLES = 6;

const dataDir = tempDir('periscope-metrics-crash-');
after(() => rmSync(dataDir, { recursive: true, force: true }));

const CONFIG = `
receivers:
  otlp:
    protocols:
      http: {endpoint: "127.0.0.1:0"}
exporters:
  store:
storage:
  wal: {fsync: always}
  metrics: {block_duration: 10m, maintenance_interval: 100ms, retention: 365d}
query: {endpoint: "127.0.0.1:0"}
service:
  telemetry: {metrics: {address: "127.0.0.1:0"}}
  pipelines:
    metrics: {receivers: [otlp], exporters: [store]}
`;

const senders = Array.from({ length: SENDERS }, (_, s) => ({ s, next: 0, acked: new Set(), sent: new Set() }));

function request(s, n) {
  const t = String(BigInt(T0 + n * STEP_MS) * 1_000_000n);
  const dataPoints = Array.from({ length: SERIES }, (_, k) => ({
    attributes: [{ key: 'series', value: { stringValue: String(k) } }],
    timeUnixNano: t, asDouble: n * 100 + k,
  }));
  return {
    resourceMetrics: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'crash' } }] },
      scopeMetrics: [{ metrics: [{ name: 'crash_probe', gauge: { dataPoints: dataPoints.map((p) => ({ ...p, attributes: [...p.attributes, { key: 'sender', value: { stringValue: String(s) } }] })) } }] }],
    }],
  };
}

function cycle({ killPoint }) {
  return crashCycle({ config: CONFIG, dataDir, senders, path: '/v1/metrics', request, killPoint, killPoints: KILL_POINTS, rand });
}

async function verify(label) {
  const p = await Periscope.start(CONFIG, { args: ['--data', dataDir] });
  try {
    const last = Math.max(...senders.map((s) => s.next));
    const at = (T0 + last * STEP_MS) / 1000 + 1;
    let lost = 0, phantom = 0, torn = 0, unackedStored = 0;
    for (const sender of senders) {
      const q = `crash_probe{sender="${sender.s}"}[${Math.ceil((last * STEP_MS) / 60000) + 10}m]`;
      const body = await waitFor(async () => {
        const r = await fetch(p.url('query', `/api/v1/query?${new URLSearchParams({ query: q, time: String(at) })}`));
        return r.status === 200 && r.json();
      }, { what: `query ${q}` });
      // n → number of series holding request n's sample with the right value.
      const present = new Map();
      for (const series of body.data.result) {
        const k = Number(series.metric.series);
        for (const [t, v] of series.values) {
          const n = Math.round((t * 1000 - T0) / STEP_MS);
          if (!sender.sent.has(n) || Number(v) !== n * 100 + k || T0 + n * STEP_MS !== Math.round(t * 1000)) {
            phantom++;
            continue;
          }
          present.set(n, (present.get(n) ?? 0) + 1);
        }
      }
      for (const n of sender.sent) {
        const count = present.get(n) ?? 0;
        if (count !== 0 && count !== SERIES) torn++;
        if (sender.acked.has(n) && count !== SERIES) lost++;
        if (!sender.acked.has(n) && count === SERIES) unackedStored++;
      }
    }
    const acked = senders.reduce((a, s) => a + s.acked.size, 0);
    console.log(`${label}: acked ${acked} requests; lost ${lost}, phantom ${phantom}, torn ${torn}; unacked but stored ${unackedStored}`);
    assert.ok(acked > 0, `${label}: nothing was acknowledged`);
    assert.equal(lost, 0, `${label}: acknowledged samples lost`);
    assert.equal(phantom, 0, `${label}: samples nobody sent`);
    assert.equal(torn, 0, `${label}: requests stored in part`);
  } finally {
    await p.stop();
    p.cleanup();
  }
}

test('acknowledged metric samples survive SIGKILL at any moment', { timeout: 600000 }, async () => {
  const schedule = [
    ...Array.from({ length: BLACKBOX_CYCLES }, () => ({ killPoint: null })),
    ...Object.keys(KILL_POINTS).map((killPoint) => ({ killPoint })),
  ];
  for (let i = schedule.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [schedule[i], schedule[j]] = [schedule[j], schedule[i]];
  }
  for (const [i, c] of schedule.entries()) {
    await cycle(c);
    await verify(`cycle ${i + 1} (${c.killPoint ?? 'blackbox'})`);
  }
});
