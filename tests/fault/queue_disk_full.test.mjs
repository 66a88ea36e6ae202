// Disk full under a persistent sending queue (docs/delivery.md, "Persistent queue": disk full →
// 503 + Retry-After, nothing half-written acknowledged, recovery by itself once space returns).
//
//   2 senders ──OTLP/HTTP──▶ A: otlp receiver → batch → otlp exporter, queue on file_storage in
//   a 24 MiB tmpfs mounted by the test ──OTLP/gRPC──▶ B: otlp receiver → file exporter (normal disk)
//
// The disk is made full at process level by a real filesystem limit: a tmpfs of its own (needs
// root; skipped otherwise). `prlimit --fsize` is not used: periscope does not ignore SIGXFSZ, so
// a write past RLIMIT_FSIZE kills it instead of failing with EFBIG.
//   1. traffic, B up: every answer 200;
//   2. a filler file takes every free byte: A refuses with 503 + Retry-After (and logs it),
//      otelcol_exporter_enqueue_failed_spans_total grows; only 200 and 503 answers;
//   3. the filler is deleted: ingest resumes (a request posted afterwards is answered 200), and
//      with the senders paused the queue empties (otelcol_exporter_queue_size 0);
//   4. B is killed: the backlog fills the tmpfs until A refuses again; then A is SIGKILLed and
//      restarted on the full disk (it must come up: it cannot make room without delivering; if
//      it does not, that is reported and the harness frees a 1 MiB reserve file to go on), and
//      B comes back on the same port: the queue drains, space returns, ingest resumes;
//   5. every acknowledged span is in B's file (lost 0, phantom 0; duplicates reported), the queue
//      empties (otelcol_exporter_queue_size 0) and only the current segment and LOCK remain.
// Senders post unacknowledged batches again (at-least-once clients).
// PERISCOPE_DELIVERY_SEED=<n> replays the payloads (the seed is printed).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Periscope, tempDir, waitFor } from '../support/periscope.mjs';
import {
  seedFrom, prng, pause, Ledger, postBatch, forwarderConfig, sinkConfig, queueDir, queueFiles, exporterMetrics,
  SinkReader, compareSink, showSome, stablePort,
} from '../support/delivery.mjs';

const SEED = seedFrom('PERISCOPE_DELIVERY_SEED');
console.log(`queue_disk_full: seed ${SEED} (replay with PERISCOPE_DELIVERY_SEED=${SEED})`);
const rand = prng(SEED);

const TMPFS_MIB = 24;
const SENDERS = 2;
const SPANS_PER_BATCH = 50;
const INTERVAL_MS = 50;      // per sender: ~2000 spans/s, ~2 MB/s in all
const PAYLOAD_BYTES = 1000;

const work = tempDir('periscope-disk-full-');
const mnt = join(work, 'tmpfs');
mkdirSync(mnt);
let mounted = false;
let skip = false;
if (process.getuid?.() !== 0) skip = 'needs root to mount a tmpfs';
else {
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_MIB}m,mode=0755`, 'tmpfs', mnt], { encoding: 'utf8' });
  if (r.status === 0) mounted = true;
  else skip = `cannot mount a tmpfs: ${(r.stderr || r.error?.message || '').trim()}`;
}
let failed = false;
after(() => {
  if (mounted) spawnSync('umount', ['-l', mnt]);
  if (failed) console.log(`queue_disk_full: work directory kept for inspection: ${work}`);
  else rmSync(work, { recursive: true, force: true });
});

// Writes zeros to `path` until the filesystem refuses (ENOSPC); returns the bytes written.
function fillDisk(path) {
  const fd = openSync(path, 'a');
  let bytes = 0;
  try {
    for (const size of [1 << 20, 64 << 10, 4 << 10, 512]) {
      const buf = Buffer.alloc(size);
      for (;;) {
        try {
          bytes += writeSync(fd, buf);
        } catch (e) {
          if (e.code === 'ENOSPC') break;
          throw e;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return bytes;
}

test(`persistent queue on a full disk: 503 + Retry-After, nothing acknowledged lost, recovery (seed ${SEED})`, { skip, timeout: 240_000 }, async (t) => {
  const storageDir = join(mnt, 'queue');
  const sinkPath = join(work, 'sink.jsonl');
  const filler = join(mnt, 'filler');
  const port = await stablePort(rand);
  const sinkYaml = sinkConfig({ path: sinkPath, grpcPort: port });
  const aYaml = forwarderConfig({
    exporter: 'otlp',
    endpoint: `127.0.0.1:${port}`,
    timeout: '2s',
    queue: { num_consumers: 4, queue_size: 100000 },
    retry: { initial_interval: '50ms', max_interval: '500ms', max_elapsed_time: '0s' },
    breaker: { enabled: true, failure_threshold: 5, open_duration: '500ms' },
    storage: { directory: storageDir, fsync: false },
    processors: { batch: { timeout: '20ms', send_batch_size: 256 } },
  });
  const ledger = new Ledger({ tag: 0xdf, rand, payloadBytes: PAYLOAD_BYTES });
  const procs = [];
  let A, B;
  const startA = async () => { A = await Periscope.start(aYaml, { timeoutMs: 30000 }); procs.push(A); return A; };
  const startB = async () => { B = await Periscope.start(sinkYaml, { timeoutMs: 30000 }); procs.push(B); return B; };

  // Senders: every answer is recorded with the phase in which its request was posted.
  let phase = 'warmup';
  let stopped = false;
  let paused = false;
  let inflight = 0;
  const answers = [];   // { phase, status, retryAfter, t }
  const sender = async (k) => {
    const retry = [];
    let next = Date.now();
    while (!stopped) {
      if (paused || !A || !A.running()) { await pause(20); continue; }
      const b = retry.shift() ?? ledger.batch(k, SPANS_PER_BATCH);
      const ph = phase;
      inflight++;
      const r = await postBatch(A.url('http', '/v1/traces'), b, { timeoutMs: 30000 });
      inflight--;
      answers.push({ phase: ph, status: r.status, retryAfter: r.retryAfter, t: Date.now() });
      if (!r.acked) retry.push(b);
      next += INTERVAL_MS;
      const now = Date.now();
      if (next < now - 1000) next = now;
      await pause(Math.max(0, next - now));
    }
  };
  // What A said and holds, for failure messages.
  const context = async () => {
    let m = {};
    try { m = await exporterMetrics(A); } catch { /* A is down */ }
    const df = spawnSync('df', ['-k', mnt], { encoding: 'utf8' }).stdout.trim().split('\n').pop();
    const logs = (A?.logs ?? []).filter((l) => l.level !== 'info').slice(-3).map((l) => JSON.stringify(l).slice(0, 500)).join('\n');
    return `\nA: queue ${m.queueSize} requests, enqueue_failed ${m.enqueueFailed}, sent ${m.sent}, retries ${m.retries},` +
      ` dropped ${JSON.stringify(m.dropped)}; files ${JSON.stringify(queueFiles(queueDir(storageDir)))}; df: ${df}\nA's last warnings:\n${logs}`;
  };
  const waitOrExplain = async (fn, opts) => {
    try {
      return await waitFor(fn, opts);
    } catch (e) {
      e.message += await context();
      throw e;
    }
  };
  const problems = []; // recovery failures, reported after the loss check
  const count = (ph) => answers.filter((a) => a.phase === ph).reduce((o, a) => ({ ...o, [a.status]: (o[a.status] ?? 0) + 1 }), {});
  const seen = (ph, status) => answers.some((a) => a.phase === ph && a.status === status);

  try {
    await startB();
    await startA();
    const runs = Array.from({ length: SENDERS }, (_, k) => sender(k));
    await pause(2000); // the workload
    t.diagnostic(`1. warmup: ${JSON.stringify(count('warmup'))}`);
    assert.deepEqual(Object.keys(count('warmup')), ['200'], 'answers before the disk is full');

    // 2. Disk full (filler).
    const enqFailedBefore = (await exporterMetrics(A)).enqueueFailed ?? 0;
    phase = 'full';
    const filled = fillDisk(filler);
    await waitOrExplain(() => seen('full', 503), { timeoutMs: 15000, what: 'a 503 once the disk is full' });
    await pause(1500); // refusals go on while the disk stays full
    phase = 'freed';
    const full = count('full');
    const m2 = await exporterMetrics(A);
    t.diagnostic(`2. filler ${(filled / 1048576).toFixed(1)} MiB: ${JSON.stringify(full)}; enqueue_failed +${m2.enqueueFailed - enqFailedBefore}`);
    assert.deepEqual(Object.keys(full).filter((s) => s !== '200' && s !== '503'), [], `answers while the disk is full: ${JSON.stringify(full)}`);
    const bad = answers.filter((a) => a.status === 503 && !/^\d+$/.test(a.retryAfter ?? ''));
    assert.deepEqual(bad, [], '503 answers without Retry-After');
    assert.ok(m2.enqueueFailed > enqFailedBefore, 'otelcol_exporter_enqueue_failed_spans_total did not grow');
    assert.ok(A.logs.some((l) => l.msg === 'persistent queue refused data'), 'no "persistent queue refused data" log line');

    // 3. Space returns: ingest resumes.
    rmSync(filler);
    await waitOrExplain(() => seen('freed', 200), { timeoutMs: 30000, what: 'a 200 for a request posted after the filler was deleted' });
    // With the senders paused, everything accepted is delivered and leaves the queue, including
    // requests delivered while the disk was full (their acknowledgement records could not be
    // written then).
    paused = true;
    await waitFor(() => inflight === 0, { what: 'the senders to pause' });
    let emptied;
    try {
      emptied = await waitOrExplain(async () => (await exporterMetrics(A)).queueSize === 0, { timeoutMs: 20000, intervalMs: 100, what: 'A\'s queue to empty once space returned (senders paused)' });
    } catch (e) {
      problems.push(`3. ${e.message}`);
    }
    paused = false;
    t.diagnostic(`3. filler deleted: ${JSON.stringify(count('freed'))}; queue emptied: ${!!emptied}`);

    // 4. The backlog fills the disk while B is down; A is killed and restarted on the full disk.
    // A reserve the harness can give back if A cannot start on the full disk (as an operator would).
    const reserve = join(mnt, 'reserve');
    writeFileSync(reserve, Buffer.alloc(1 << 20));
    phase = 'outage';
    await B.stop('SIGKILL');
    await waitOrExplain(() => seen('outage', 503), { timeoutMs: 90000, what: 'a 503 once the backlog fills the disk' });
    await pause(1000); // refusals go on
    const mFull = await exporterMetrics(A);
    const onDisk = queueFiles(queueDir(storageDir));
    t.diagnostic(`4. backlog filled the disk: ${JSON.stringify(count('outage'))}; queue ${mFull.queueSize} requests,` +
      ` ${(onDisk.bytes / 1048576).toFixed(1)} MiB in ${onDisk.segments.length} segments`);
    phase = 'restart';
    A.proc.kill('SIGKILL');
    await A.exited;
    try {
      await startA();
    } catch (e) {
      e.periscope?.cleanup();
      // Reported at the end; meanwhile free the reserve so that the rest can still be checked.
      problems.push(`4. A could not start with its queue's disk full (so it cannot deliver, and nothing makes room):\n${e.message.slice(-1500)}`);
      rmSync(reserve);
      await startA();
    }
    const mRestart = await exporterMetrics(A);
    t.diagnostic(`   A restarted on the full disk: ${mRestart.recovered} requests recovered`);
    phase = 'back';
    await startB();
    try {
      await waitOrExplain(() => seen('back', 200), { timeoutMs: 60000, what: 'a 200 once B is back and the queue drains' });
    } catch (e) {
      problems.push(`4. ingest did not resume: ${e.message}`);
    }
    await pause(1000); // the workload goes on a little
    stopped = true;
    await Promise.all(runs);
    t.diagnostic(`   B back: ${JSON.stringify(count('back'))}`);

    // 5. Everything acknowledged arrives; the queue empties; its segments go.
    const sink = new SinkReader(sinkPath);
    const ackedIds = ledger.batches.filter((b) => b.acked).flatMap((b) => b.ids);
    await waitFor(() => { sink.poll(); return ackedIds.every((id) => sink.counts.has(id)); },
      { timeoutMs: 90000, intervalMs: 200, what: 'every acknowledged span in the sink' }).catch(() => {});
    const v = compareSink(ledger, sink);
    const all = answers.reduce((o, a) => ({ ...o, [a.status]: (o[a.status] ?? 0) + 1 }), {});
    t.diagnostic(`5. answers ${JSON.stringify(all)}; posted ${ledger.sentSpans()} spans, acknowledged ${ledger.ackedSpans()};` +
      ` sink ${v.sinkSpans} spans (${v.distinct} distinct), duplicates ${v.duplicates.length} ids` +
      `${v.duplicates.length ? ` (${showSome(v.duplicates, 10)})` : ''}, ${v.inDoubtDelivered} never-acknowledged spans delivered`);
    assert.deepEqual(sink.badLines, [], 'unparsable sink lines');
    assert.equal(v.lost.length, 0, `seed ${SEED}: acknowledged spans missing from the sink: ${showSome(v.lost)}`);
    assert.equal(v.phantom.length, 0, `seed ${SEED}: spans in the sink never sent as such: ${showSome(v.phantom)}`);
    assert.deepEqual(Object.keys(all).filter((s) => !['200', '503', '0'].includes(s)), [], `unexpected answers ${JSON.stringify(all)}`);
    const noRetryAfter = answers.filter((a) => a.status === 503 && !/^\d+$/.test(a.retryAfter ?? ''));
    assert.deepEqual(noRetryAfter, [], '503 answers without Retry-After');
    const connFailures = answers.filter((a) => a.status === 0 && a.phase !== 'outage' && a.phase !== 'restart');
    assert.deepEqual(connFailures, [], 'connection failures other than those of requests in flight when A was killed');
    // Losses and phantoms first (above); then what did not recover.
    assert.deepEqual(problems, [], 'the queue did not recover by itself once space returned');
    const m = await waitOrExplain(async () => {
      const x = await exporterMetrics(A);
      return x.queueSize === 0 && x;
    }, { timeoutMs: 30000, intervalMs: 200, what: 'otelcol_exporter_queue_size 0 after the drain' });
    for (const [reason, x] of Object.entries(m.dropped)) assert.equal(x ?? 0, 0, `dropped spans (${reason})`);
    const files = await waitOrExplain(() => {
      const f = queueFiles(queueDir(storageDir));
      return f.segments.length === 1 && f;
    }, { timeoutMs: 10000, what: `only the current segment left (${JSON.stringify(queueFiles(queueDir(storageDir)))})` });
    assert.deepEqual(files.other, ['LOCK']);
  } catch (e) {
    failed = true;
    throw e;
  } finally {
    stopped = true;
    for (const p of procs) {
      if (p.running()) await p.stop('SIGKILL');
      p.cleanup();
    }
  }
});
