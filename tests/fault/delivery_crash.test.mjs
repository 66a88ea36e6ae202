// At-least-once delivery of an exporter with a persistent sending queue under SIGKILL
// (docs/delivery.md, "Persistent queue").
//
//   senders ──OTLP/HTTP──▶ A: otlp receiver → batch → otlp exporter (gRPC), sending_queue on
//                            file_storage (one directory for the whole run), retries forever
//                         ──OTLP/gRPC──▶ B: otlp receiver → file exporter (json lines), never restarted
//
// Three senders post protobuf batches to A; a span counts as acknowledged only on HTTP 200
// without partial_success, and unacknowledged batches are posted again in the next cycle (as
// an at-least-once client does). Each cycle ends in a SIGKILL of A, in a seeded shuffled order:
//   - blackbox: the harness kills A 0.3–1.5 s after the senders start; in half of them B is
//     frozen (SIGSTOP) for a while first, so the kill lands with a backlog in the queue and
//     with exports in flight that time out and are retried;
//   - whitebox: A runs with PERISCOPE_KILL_POINT=<point>:1/N and kills itself at
//     `queue.append.before_sync` (an item written, its client not answered yet) or
//     `queue.ack.written` (a delivery recorded, the in-memory index not updated yet);
//   - compaction: `queue.compaction.before_delete` (the live items of the oldest segment copied
//     forward and synced, the segment not deleted yet). Compaction at start (file_storage
//     `compaction.on_start: true`; off by default, as in the collector) needs three segments
//     with the oldest at most a quarter live, which this harness builds deterministically: drain
//     the queue, freeze B, post one more request (acked: it is on disk, but stuck), kill A;
//     restart A with B still frozen (a fresh segment; the item cannot be delivered) and kill it;
//     the next start has three segments, the oldest holding just that item, and compacts.
// After the last cycle A is started once more without a kill point and without traffic, and
// the harness waits until its queue is empty (otelcol_exporter_queue_size == 0). Then:
//   - every acknowledged span is in B's file (lost: 0); every span in B's file was sent, with the
//     trace id and name it was sent with (phantom: 0);
//   - duplicates (at-least-once) and delivered unacknowledged spans are reported, never failed;
//   - nothing was dropped by the final process (periscope_exporter_dropped_spans_total);
//   - the queue directory holds only the current segment and LOCK (acknowledged segments are
//     deleted);
//   - every kill point fired, and the restarts did recover requests from the queue;
//   - every answer A gave was 200 (B frozen or not); only requests in flight at a kill failed.
//
// PERISCOPE_DELIVERY_SEED=<n> replays a schedule (the seed is printed); PERISCOPE_DELIVERY_ROUNDS=<k>
// multiplies the 21 cycles (nightly).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Periscope, tempDir, waitFor } from '../support/periscope.mjs';
import {
  seedFrom, prng, pause, Ledger, postBatch, forwarderConfig, sinkConfig, queueDir, queueFiles, exporterMetrics,
  SinkReader, compareSink, showSome,
} from '../support/delivery.mjs';

const SEED = seedFrom('PERISCOPE_DELIVERY_SEED');
const ROUNDS = Math.max(1, Number(process.env.PERISCOPE_DELIVERY_ROUNDS ?? 1));
console.log(`delivery_crash: seed ${SEED} (replay with PERISCOPE_DELIVERY_SEED=${SEED}), rounds ${ROUNDS}`);
const rand = prng(SEED);

const SENDERS = 3;
const SPANS_PER_BATCH = 40;
const PACE_MS = 5;                 // per-sender gap between requests (workload shape)
const KILL_POINT_DEADLINE_MS = 15000;
// 1/N: the append and ack points are reached once per batch of the batch processor (tens per
// second here), so they fire within about a second of traffic.
const KILL_POINTS = { 'queue.append.before_sync': 25, 'queue.ack.written': 25, 'queue.compaction.before_delete': 1 };

// 10 blackbox + 8 whitebox + 3 compaction cycles per round, shuffled within the round.
const schedule = [];
for (let r = 0; r < ROUNDS; r++) {
  const round = [];
  for (let i = 0; i < 10; i++) {
    const delayMs = rand.int(300, 1500);
    round.push({ kind: 'blackbox', delayMs, stall: rand() < 0.5 ? { atMs: rand.int(0, delayMs - 100), forMs: rand.int(200, 900) } : null });
  }
  for (let i = 0; i < 4; i++) round.push({ kind: 'whitebox', point: 'queue.append.before_sync' });
  for (let i = 0; i < 4; i++) round.push({ kind: 'whitebox', point: 'queue.ack.written' });
  for (let i = 0; i < 3; i++) round.push({ kind: 'compaction', point: 'queue.compaction.before_delete' });
  schedule.push(...rand.shuffle(round));
}

const work = tempDir('periscope-delivery-crash-');
const storageDir = join(work, 'queue');
const sinkPath = join(work, 'sink.jsonl');
let failed = false;
after(() => {
  if (failed) console.log(`delivery_crash: work directory kept for inspection: ${work}`);
  else rmSync(work, { recursive: true, force: true });
});

const ledger = new Ledger({ tag: 0xd1, rand, payloadBytes: 24 });
const pending = Array.from({ length: SENDERS }, () => []); // unacked batches, posted again
const totals = { requests: 0, acked: 0, refused: 0, errors: 0, resent: 0, recovered: 0, killed: 0 };
const fired = {};
const statuses = {};

let B;          // the sink
let A;          // the forwarder, while running
let aConfig;

async function startA(env = {}) {
  try {
    return { p: await Periscope.start(aConfig, { env, timeoutMs: 30000 }) };
  } catch (e) {
    if (e.periscope) {
      const r = await e.periscope.stop('SIGKILL');
      const err = e.periscope.stderr;
      e.periscope.cleanup();
      // A whitebox process may hit its point while starting (compaction at open, acks of
      // recovered requests).
      if (env.PERISCOPE_KILL_POINT && r.signal === 'SIGKILL' && !e.message.includes('not ready')) return { diedStarting: true, stderr: err };
    }
    throw e;
  }
}

async function noteRecovered(p) {
  const m = await exporterMetrics(p);
  totals.recovered += m.recovered ?? 0;
  return m;
}

async function runSender(sender, p, control) {
  const url = p.url('http', '/v1/traces');
  const queue = pending[sender];
  pending[sender] = [];
  while (!control.stopped && p.running()) {
    const b = queue.shift() ?? ledger.batch(sender, SPANS_PER_BATCH);
    if (b.attempts > 0) totals.resent++;
    totals.requests++;
    const r = await postBatch(url, b, { timeoutMs: 20000 });
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    if (r.acked) totals.acked++;
    else {
      if (r.status === 0) totals.errors++; else totals.refused++;
      pending[sender].push(b);
    }
    await pause(PACE_MS);
  }
  pending[sender].push(...queue); // never posted this cycle
}

const startSenders = (p, control) => Array.from({ length: SENDERS }, (_, k) => runSender(k, p, control));

function freezeB() { B.proc.kill('SIGSTOP'); }
function thawB() { if (B.running()) B.proc.kill('SIGCONT'); }

// Blackbox and whitebox cycles: traffic until A dies.
async function trafficCycle(c, label) {
  let diedStarting = false;
  let p;
  if (c.kind === 'whitebox') {
    const s = await startA({ PERISCOPE_KILL_POINT: `${c.point}:1/${KILL_POINTS[c.point]}` });
    diedStarting = !!s.diedStarting;
    p = s.p;
  } else {
    p = (await startA()).p;
  }
  if (diedStarting) return 'the kill point fired while starting';
  A = p;
  await noteRecovered(p).catch(() => {}); // a whitebox process may die before it answers
  const control = { stopped: false };
  const senders = startSenders(p, control);
  let exit;
  if (c.kind === 'blackbox') {
    // The fault schedule: B frozen from atMs for forMs (possibly past the kill), A killed at delayMs.
    if (c.stall) {
      await pause(c.stall.atMs);
      freezeB();
      const stallEnd = c.stall.atMs + c.stall.forMs;
      if (stallEnd < c.delayMs) {
        await pause(c.stall.forMs);
        thawB();
        await pause(c.delayMs - stallEnd);
      } else {
        await pause(c.delayMs - c.stall.atMs);
      }
    } else {
      await pause(c.delayMs);
    }
    p.proc.kill('SIGKILL');
    exit = await p.exited;
    thawB();
  } else {
    let timer;
    const deadline = new Promise((r) => { timer = setTimeout(() => r(null), KILL_POINT_DEADLINE_MS); });
    exit = await Promise.race([p.exited, deadline]);
    clearTimeout(timer);
  }
  control.stopped = true;
  if (exit === null) {
    await p.stop('SIGKILL');
    await Promise.all(senders);
    p.cleanup();
    A = undefined;
    assert.fail(`${label}: kill point ${c.point}:1/${KILL_POINTS[c.point]} did not fire within ${KILL_POINT_DEADLINE_MS} ms`);
  }
  await Promise.all(senders);
  assert.equal(exit.signal, 'SIGKILL', `${label}: A ended by ${JSON.stringify(exit)}, not SIGKILL:\n${p.stderr.slice(-3000)}`);
  p.cleanup();
  A = undefined;
  return '';
}

// The compaction cycle (see the header): three segments at start, the oldest holding one stuck item.
async function compactionCycle(c, label) {
  const qdir = queueDir(storageDir);
  // 1. A with traffic, then drained: every older segment is fully acknowledged and deleted.
  let p = (await startA()).p;
  A = p;
  await noteRecovered(p);
  const control = { stopped: false };
  const senders = startSenders(p, control);
  await pause(rand.int(300, 800)); // the workload
  control.stopped = true;
  await Promise.all(senders);
  const drain = () => waitFor(async () => (await exporterMetrics(p)).queueSize === 0, { timeoutMs: 30000, what: `${label}: A's queue to drain` });
  await drain();
  // The stuck item must be a small part of its segment (compaction needs at most a quarter
  // live): if the last acknowledgement just started a fresh segment, add delivered data to it.
  const currentSegmentBytes = () => {
    const f = queueFiles(qdir);
    try { return statSync(join(qdir, f.segments.at(-1))).size; } catch { return 0; }
  };
  for (let k = 0; currentSegmentBytes() < 64 * 1024; k++) {
    assert.ok(k < 20, `${label}: the current queue segment does not grow past 64 KiB`);
    const bs = Array.from({ length: 5 }, () => ledger.batch(SENDERS, SPANS_PER_BATCH));
    for (const b of bs) {
      const r = await postBatch(p.url('http', '/v1/traces'), b, { timeoutMs: 20000 });
      totals.requests++;
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      if (r.acked) totals.acked++;
    }
    await drain();
  }
  // 2. B frozen; one more request: acknowledged (on disk), not deliverable.
  freezeB();
  try {
    const stuck = ledger.batch(SENDERS, 1);
    const r = await postBatch(p.url('http', '/v1/traces'), stuck, { timeoutMs: 20000 });
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    totals.requests++;
    assert.ok(r.acked, `${label}: the request while B is frozen was not acknowledged: ${JSON.stringify({ status: r.status, error: r.error })}`);
    totals.acked++;
    p.proc.kill('SIGKILL');
    await p.exited;
    p.cleanup();
    totals.killed++;
    // 3. Restart with B frozen: a fresh segment, the item redelivered but stuck again.
    p = (await startA()).p;
    A = p;
    await noteRecovered(p);
    p.proc.kill('SIGKILL');
    await p.exited;
    p.cleanup();
    A = undefined;
    totals.killed++;
    const segs = queueFiles(qdir).segments;
    assert.ok(segs.length >= 2, `${label}: expected the stuck item's segment and a fresh one, found ${segs.join(', ')}`);
  } finally {
    thawB();
  }
  // 4. The third start compacts the oldest segment and dies at the kill point while starting.
  const s = await startA({ PERISCOPE_KILL_POINT: `${c.point}:1/${KILL_POINTS[c.point]}` });
  if (s.diedStarting) return 'the kill point fired while starting (compaction at open)';
  // Not fired at open: fail with what the directory held.
  const files = queueFiles(qdir);
  await s.p.stop('SIGKILL');
  s.p.cleanup();
  assert.fail(`${label}: ${c.point} did not fire at start; queue directory: ${files.segments.join(', ')} (${files.bytes} bytes)`);
}

test(`persistent queue: at-least-once through ${schedule.length} SIGKILL cycles of the forwarder (seed ${SEED})`, { timeout: 280_000 * ROUNDS }, async (t) => {
  const started = Date.now();
  try {
    B = await Periscope.start(sinkConfig({ path: sinkPath }));
    aConfig = forwarderConfig({
      exporter: 'otlp',
      endpoint: `127.0.0.1:${B.ports.grpc}`,
      compression: 'gzip',
      timeout: '1s',
      queue: { num_consumers: 4, queue_size: 100000 },
      retry: { initial_interval: '50ms', max_interval: '500ms', max_elapsed_time: '0s' },
      breaker: { enabled: true, failure_threshold: 5, open_duration: '500ms' },
      storage: { directory: storageDir, fsync: false, compaction: { on_start: true } },
      processors: { batch: { timeout: '20ms', send_batch_size: 256 } },
    });
    for (const [i, c] of schedule.entries()) {
      const label = `cycle ${i + 1}/${schedule.length} ${c.kind}${c.point ? ` ${c.point}` : ` kill at ${c.delayMs} ms${c.stall ? `, B frozen ${c.stall.atMs}+${c.stall.forMs} ms` : ''}`}`;
      await t.test(label, async (st) => {
        const before = { ...totals };
        try {
          const note = c.kind === 'compaction' ? await compactionCycle(c, label) : await trafficCycle(c, label);
          totals.killed++;
          if (c.point) fired[c.point] = (fired[c.point] ?? 0) + 1;
          st.diagnostic(`${label}: ${totals.requests - before.requests} requests, ${totals.acked - before.acked} acked,` +
            ` ${totals.errors - before.errors} failed by the kill, ${totals.refused - before.refused} refused,` +
            ` ${totals.resent - before.resent} re-sent, ${totals.recovered - before.recovered} requests recovered at start` +
            `${note ? ` (${note})` : ''}; queue directory ${queueFiles(queueDir(storageDir)).segments.length} segments`);
        } catch (e) {
          failed = true;
          throw e;
        }
      });
      if (failed) return;
    }
    assert.ok(B.running(), 'the sink B is still running');

    // The final run: no kill point, no traffic; wait for the queue to drain.
    A = (await startA()).p;
    const m0 = await noteRecovered(A);
    t.diagnostic(`final start: ${m0.recovered} requests recovered from the queue, queue size ${m0.queueSize}`);
    const drained = await waitFor(async () => {
      const m = await exporterMetrics(A);
      return m.queueSize === 0 && m;
    }, { timeoutMs: 60000, intervalMs: 100, what: 'the final queue to drain (otelcol_exporter_queue_size 0)' });
    if (m0.recovered > 0) assert.ok(drained.sent > 0, `${m0.recovered} requests recovered, but otelcol_exporter_sent_spans_total is ${drained.sent}`);
    for (const [reason, v] of Object.entries(drained.dropped)) {
      assert.equal(v ?? 0, 0, `periscope_exporter_dropped_spans_total{reason="${reason}"} in the final run`);
    }
    const sink = new SinkReader(sinkPath);
    sink.poll();
    const v = compareSink(ledger, sink);
    const acked = ledger.ackedSpans();
    t.diagnostic(`done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${totals.killed} kills (fired ${JSON.stringify(fired)}),` +
      ` ${totals.requests} requests (${JSON.stringify(statuses)}), ${ledger.sentSpans()} spans posted, ${acked} acknowledged,` +
      ` ${totals.recovered} requests recovered at starts; sink: ${v.sinkSpans} spans (${v.distinct} distinct),` +
      ` ${v.inDoubtDelivered} of them never acknowledged to the sender`);
    if (v.duplicates.length > 0) {
      const extra = v.duplicates.reduce((n, [, c]) => n + c - 1, 0);
      const resentIds = v.duplicates.filter(([id]) => ledger.spans.get(id)?.batch.attempts > 1).length;
      t.diagnostic(`duplicates (at-least-once; reported, not failed): ${v.duplicates.length} span ids delivered more than once` +
        ` (${extra} extra copies; ${resentIds} of them in batches the senders posted more than once): ${showSome(v.duplicates, 20)}`);
    } else {
      t.diagnostic('duplicates: none');
    }
    assert.deepEqual(sink.badLines, [], 'the sink file has unparsable lines');
    assert.equal(v.lost.length, 0, `seed ${SEED}: acknowledged spans missing from the sink: ${showSome(v.lost)}`);
    assert.equal(v.phantom.length, 0, `seed ${SEED}: spans in the sink that were never sent as such: ${showSome(v.phantom)}`);
    // Acknowledged segments are deleted: the current segment and LOCK remain.
    const qdir = queueDir(storageDir);
    const files = await waitFor(() => {
      const f = queueFiles(qdir);
      return f.segments.length === 1 && f.other.length === 1 && f.other[0] === 'LOCK' && f;
    }, { timeoutMs: 10000, what: `only one segment and LOCK in ${qdir} (have ${JSON.stringify(queueFiles(qdir))})` });
    t.diagnostic(`queue directory after the drain: ${files.segments[0]}, LOCK`);
    assert.ok(acked > 0, 'some spans were acknowledged');
    // A persistent queue answers 200 whether B is up, frozen or slow; only a kill fails a request.
    assert.deepEqual(Object.keys(statuses).filter((s) => s !== '200' && s !== '0'), [], `answers other than 200 and connection failures: ${JSON.stringify(statuses)}`);
    for (const point of Object.keys(KILL_POINTS)) assert.ok(fired[point] >= 1, `kill point ${point} never fired`);
    assert.ok(totals.recovered > 0, 'no restart found unacknowledged requests in the queue: the kills never landed with data in flight');
    const exit = await A.stop();
    assert.deepEqual(exit, { code: 0, signal: null }, `A's clean shutdown:\n${A.stderr.slice(-3000)}`);
  } catch (e) {
    failed = true;
    throw e;
  } finally {
    if (B) thawB();
    if (A) {
      await A.stop('SIGKILL');
      A.cleanup();
    }
    if (B) {
      await B.stop();
      B.cleanup();
    }
  }
});
