// Crash consistency of the log store under SIGKILL, end to end (docs/testing.md, "Fault
// tests"); the store-level twin is fault/log_store_crash.cc.
//
// Three senders post OTLP/JSON logs to `periscope serve` (otlp receiver → store exporter, fsync
// always). Sender s's request n carries ten records of service crash-s (body "s=<s> n=<n>
// k=<k>", time T0 + n·30 s + k ns), so every record names the request it came from. A request
// counts as acknowledged only on HTTP 200. The head is flushed every 200 records and T0 is
// three days ago, so segment writes, checkpoints, WAL truncations and compactions of past
// hours happen all the time.
//
// Each cycle ends in a SIGKILL: from the harness at a seeded-random moment (blackbox), or from
// the process at a `logs.*` kill point (whitebox). Cycles reuse the data directory. After each
// cycle the server is started without a kill point and, before anything new is sent, every
// sender's records are read back through /api/periscope/logs:
//   - every acknowledged request is there, all ten records (0 lost);
//   - every stored record belongs to a request that was sent (0 phantom), once (0 duplicated);
//   - a request is one store write: stored whole or not at all (0 torn).
// Unacknowledged requests are not sent again, so whether they were stored is reported, never
// failed.
//
// PERISCOPE_CRASH_SEED=<n> replays a schedule (the seed is printed).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { Periscope, tempDir, waitFor } from '../support/periscope.mjs';
import { crashCycle } from '../support/crash_cycle.mjs';

const SEED = (Number(process.env.PERISCOPE_CRASH_SEED ?? Date.now() % 0x7fffffff) >>> 0);
console.log(`logs_crash: seed ${SEED} (replay with PERISCOPE_CRASH_SEED=${SEED})`);
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
const RECORDS = 10;
const STEP_NS = 30_000_000_000n;
const T0 = BigInt(Math.floor((Date.now() - 3 * 86_400_000) / 60_000) * 60_000) * 1_000_000n;
const KILL_POINTS = {
  'logs.wal.after_sync_before_ack': 20,
  'logs.flush.start': 1,
  'logs.segment.after_rename': 1,
  'logs.checkpoint.before_rename': 1,
  'logs.checkpoint.after_rename': 1,
  'logs.flush.before_wal_truncate': 1,
  'logs.rewrite.before_delete': 1,
};
const BLACKBOX_CYCLES = 6;

const dataDir = tempDir('periscope-logs-crash-');
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
  logs: {head_max_records: 200, maintenance_interval: 100ms, retention: 3650d}
query: {endpoint: "127.0.0.1:0"}
service:
  telemetry: {metrics: {address: "127.0.0.1:0"}}
  pipelines:
    logs: {receivers: [otlp], exporters: [store]}
`;

const senders = Array.from({ length: SENDERS }, (_, s) => ({ s, next: 0, acked: new Set(), sent: new Set() }));

function request(s, n) {
  const base = T0 + BigInt(n) * STEP_NS;
  const logRecords = Array.from({ length: RECORDS }, (_, k) => ({
    timeUnixNano: String(base + BigInt(k)),
    severityNumber: 9,
    body: { stringValue: `s=${s} n=${n} k=${k}` },
  }));
  return {
    resourceLogs: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: `crash-${s}` } }] },
      scopeLogs: [{ logRecords }],
    }],
  };
}

function cycle({ killPoint }) {
  return crashCycle({ config: CONFIG, dataDir, senders, path: '/v1/logs', request, killPoint, killPoints: KILL_POINTS, rand });
}

async function verify(label) {
  const p = await Periscope.start(CONFIG, { args: ['--data', dataDir] });
  try {
    const last = Math.max(...senders.map((s) => s.next));
    const end = T0 + BigInt(last + 1) * STEP_NS;
    let lost = 0, phantom = 0, torn = 0, duplicated = 0, unackedStored = 0;
    for (const sender of senders) {
      const params = new URLSearchParams({
        query: `{service.name="crash-${sender.s}"}`, start: String(T0), end: String(end),
        limit: '100000', direction: 'forward',
      });
      const body = await waitFor(async () => {
        const r = await fetch(p.url('query', `/api/periscope/logs?${params}`));
        return r.status === 200 && r.json();
      }, { what: `logs of sender ${sender.s}` });
      assert.equal(body.truncated, false, `${label}: more than 100000 records for one sender`);
      const present = new Map();  // n → set of k
      for (const rec of body.records) {
        const m = /^s=(\d+) n=(\d+) k=(\d+)$/.exec(rec.line);
        const n = m ? Number(m[2]) : -1;
        const k = m ? Number(m[3]) : -1;
        if (!m || Number(m[1]) !== sender.s || !sender.sent.has(n) ||
            rec.timestamp !== String(T0 + BigInt(n) * STEP_NS + BigInt(k))) {
          phantom++;
          continue;
        }
        const ks = present.get(n) ?? new Set();
        if (ks.has(k)) duplicated++;
        ks.add(k);
        present.set(n, ks);
      }
      for (const n of sender.sent) {
        const count = present.get(n)?.size ?? 0;
        if (count !== 0 && count !== RECORDS) torn++;
        if (sender.acked.has(n) && count !== RECORDS) lost++;
        if (!sender.acked.has(n) && count === RECORDS) unackedStored++;
      }
    }
    const acked = senders.reduce((a, s) => a + s.acked.size, 0);
    console.log(`${label}: acked ${acked} requests; lost ${lost}, phantom ${phantom}, torn ${torn}, duplicated ${duplicated}; unacked but stored ${unackedStored}`);
    assert.ok(acked > 0, `${label}: nothing was acknowledged`);
    assert.equal(lost, 0, `${label}: acknowledged records lost`);
    assert.equal(phantom, 0, `${label}: records nobody sent`);
    assert.equal(torn, 0, `${label}: requests stored in part`);
    assert.equal(duplicated, 0, `${label}: records stored twice`);
  } finally {
    await p.stop();
    p.cleanup();
  }
}

test('acknowledged log records survive SIGKILL at any moment', { timeout: 600000 }, async () => {
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
