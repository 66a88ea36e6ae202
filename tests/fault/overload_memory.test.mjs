// Overload: memory_limiter in front of a slow exporter (docs/delivery.md, "Backpressure").
//
//   4 senders ──OTLP/HTTP──▶ A: otlp receiver → memory_limiter (limit 128 MiB, spike 25 MiB,
//   check every 100 ms) → otlphttp exporter, in-memory sending queue of 1,000,000 requests
//   (never full: memory is the only limit) ──▶ a slow sink (node HTTP server in this test)
//
// How the 4× is established: the sink answers every export DELAY_MS after it arrived, A has
// CONSUMERS queue consumers and no batch processor, so each export is one client request of
// SPANS_PER_BATCH spans and A can drain at most CONSUMERS × SPANS_PER_BATCH × 1000 / DELAY_MS
// = 1000 spans/s. The senders post on a fixed schedule (not waiting for the previous answer to
// pace themselves, not slowing down when refused) at 4 × that: 4 senders × 20 requests/s × 50
// spans. The test measures both rates (spans posted per second; spans the sink received per
// second) and asserts the offered rate is at least 3 × the measured drain rate.
//
// With ~2 KB per span the queue grows by ~6 MB/s until RSS reaches the soft limit (103 MiB);
// from then on the limiter refuses. Asserted:
//   - VmRSS, sampled every 100 ms, and VmHWM (the kernel's peak, which catches spikes between
//     samples) stay ≤ limit + 10 % (140.8 MiB);
//   - the premise: RSS did reach 90 % of the soft limit and requests were refused (otherwise the
//     bound proves nothing);
//   - every answer is 200, 503 with a Retry-After, or 429: no 500, no connection failure;
//   - accepted + refused == sent, from the senders' side and from A's receiver counters
//     (otelcol_receiver_accepted/refused_spans_total equal what the senders saw).
// PERISCOPE_DELIVERY_SEED=<n> replays the payloads (the seed is printed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { Periscope, metricValue } from '../support/periscope.mjs';
import * as P from '../support/otlp_proto.mjs';
import { seedFrom, prng, pause, Ledger, postBatch, forwarderConfig, exporterMetrics, sampleRss, rssKb } from '../support/delivery.mjs';

const SEED = seedFrom('PERISCOPE_DELIVERY_SEED');
console.log(`overload_memory: seed ${SEED} (replay with PERISCOPE_DELIVERY_SEED=${SEED})`);

const LIMIT_MIB = 128;
const SPIKE_MIB = 25;
const BOUND_KB = LIMIT_MIB * 1024 * 1.1;
const SOFT_KB = (LIMIT_MIB - SPIKE_MIB) * 1024;
const DELAY_MS = 100;
const CONSUMERS = 2;
const SPANS_PER_BATCH = 50;
const PAYLOAD_BYTES = 2000;
const DRAIN_CAPACITY = (CONSUMERS * SPANS_PER_BATCH * 1000) / DELAY_MS; // spans/s
const SENDERS = 4;
const INTERVAL_MS = 50; // per sender: 20 requests/s → 4 × 20 × 50 = 4000 spans/s = 4 × capacity
const RUN_MS = Number(process.env.PERISCOPE_OVERLOAD_SECONDS ?? 25) * 1000;

// Spans in an ExportTraceServiceRequest (resource_spans=1 → scope_spans=2 → spans=2).
function countSpans(body) {
  let n = 0;
  for (const rs of P.readFields(body)) {
    if (rs.field !== 1) continue;
    for (const ss of P.readFields(rs.value)) {
      if (ss.field !== 2) continue;
      for (const f of P.readFields(ss.value)) if (f.field === 2) n++;
    }
  }
  return n;
}

function startSlowSink() {
  const sink = { spans: 0, requests: 0, concurrent: 0, maxConcurrent: 0, first: 0, last: 0, errors: [] };
  const server = http.createServer((req, res) => {
    const chunks = [];
    sink.concurrent++;
    sink.maxConcurrent = Math.max(sink.maxConcurrent, sink.concurrent);
    req.on('data', (d) => chunks.push(d));
    req.on('end', () => {
      try {
        sink.spans += countSpans(Buffer.concat(chunks));
      } catch (e) {
        sink.errors.push(e.message);
      }
      sink.requests++;
      sink.first ||= Date.now();
      // The slowness of the downstream (the workload), not a wait for state.
      setTimeout(() => {
        sink.concurrent--;
        sink.last = Date.now();
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      }, DELAY_MS);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, sink, port: server.address().port })));
}

test(`memory_limiter keeps RSS ≤ limit + 10 % at 4× the drain rate (seed ${SEED})`, { timeout: 120_000 }, async (t) => {
  const { server, sink, port } = await startSlowSink();
  const yaml = forwarderConfig({
    exporter: 'otlphttp',
    endpoint: `127.0.0.1:${port}`,
    timeout: '30s',
    queue: { num_consumers: CONSUMERS, queue_size: 1000000, sizer: 'requests' },
    retry: { initial_interval: '100ms', max_interval: '1s', max_elapsed_time: '0s' },
    processors: { memory_limiter: { check_interval: '100ms', limit_mib: LIMIT_MIB, spike_limit_mib: SPIKE_MIB } },
  });
  const A = await Periscope.start(yaml);
  const ledger = new Ledger({ tag: 0x0e, rand: prng(SEED), payloadBytes: PAYLOAD_BYTES });
  const answers = {};
  const noRetryAfter = [];
  let sentSpans = 0, acceptedSpans = 0, refusedSpans = 0;
  let stopped = false;
  const rss = sampleRss(() => A.proc.pid, 100);
  try {
    const sender = async (k) => {
      let next = Date.now() + k * (INTERVAL_MS / SENDERS); // spread the senders over the interval
      const inflight = new Set();
      while (!stopped) {
        await pause(Math.max(0, next - Date.now()));
        next += INTERVAL_MS;
        // Fixed schedule: a slow answer does not delay the next request (up to 8 in flight).
        if (inflight.size >= 8) { await Promise.race(inflight); }
        const b = ledger.batch(k, SPANS_PER_BATCH);
        sentSpans += b.ids.length;
        const p = postBatch(A.url('http', '/v1/traces'), b, { timeoutMs: 30000 }).then((r) => {
          answers[r.status] = (answers[r.status] ?? 0) + 1;
          if (r.status === 200) acceptedSpans += b.ids.length;
          else if (r.status === 503 || r.status === 429) {
            refusedSpans += b.ids.length;
            if (!/^\d+$/.test(r.retryAfter ?? '')) noRetryAfter.push(`${r.status} Retry-After ${r.retryAfter}`);
          }
          b.body = null;
          inflight.delete(p);
        });
        inflight.add(p);
      }
      await Promise.all(inflight);
    };
    const started = Date.now();
    const runs = Array.from({ length: SENDERS }, (_, k) => sender(k));
    await pause(RUN_MS); // the workload's duration
    stopped = true;
    await Promise.all(runs);
    const elapsedS = (Date.now() - started) / 1000;
    rss.stop();
    const hwmKb = rssKb(A.proc.pid, 'VmHWM');
    const maxKb = rss.max();
    const text = await A.metrics();
    const labels = { receiver: 'otlp', transport: 'http' };
    const recvAccepted = metricValue(text, 'otelcol_receiver_accepted_spans_total', labels) ?? 0;
    const recvRefused = metricValue(text, 'otelcol_receiver_refused_spans_total', labels) ?? 0;
    const limiterRefused = metricValue(text, 'otelcol_processor_refused_spans_total', { processor: 'memory_limiter' }) ?? 0;
    const m = await exporterMetrics(A, 'otlphttp');
    const offered = sentSpans / elapsedS;
    const drainS = Math.max(0.001, (sink.last - sink.first) / 1000);
    const drained = sink.spans / drainS;
    const firstRefusalS = rss.samples.find((s) => s.kb >= SOFT_KB)?.t / 1000;
    t.diagnostic(`offered ${offered.toFixed(0)} spans/s (${sentSpans} spans in ${elapsedS.toFixed(1)} s); sink received ${sink.spans}` +
      ` spans in ${sink.requests} requests = ${drained.toFixed(0)} spans/s (capacity ${DRAIN_CAPACITY}/s, max ${sink.maxConcurrent} concurrent)`);
    t.diagnostic(`answers ${JSON.stringify(answers)}; accepted ${acceptedSpans} spans, refused ${refusedSpans};` +
      ` receiver accepted ${recvAccepted} refused ${recvRefused}; memory_limiter refused ${limiterRefused};` +
      ` exporter queue ${m.queueSize} requests, sent ${m.sent}`);
    t.diagnostic(`RSS: max sampled ${(maxKb / 1024).toFixed(1)} MiB, VmHWM ${(hwmKb / 1024).toFixed(1)} MiB, bound` +
      ` ${(BOUND_KB / 1024).toFixed(1)} MiB, soft limit ${SOFT_KB / 1024} MiB (first sample above it at ${firstRefusalS ?? '-'} s);` +
      ` ${rss.samples.length} samples`);

    // The premise: 4× overload, memory really went to the limit, the limiter refused.
    assert.deepEqual(sink.errors, [], 'the sink could not decode what A sent');
    assert.ok(sink.spans > 0, 'the exporter delivered nothing');
    assert.ok(drained <= DRAIN_CAPACITY * 1.1, `measured drain ${drained.toFixed(0)} spans/s above the capacity ${DRAIN_CAPACITY}`);
    assert.ok(offered >= 3 * drained, `offered ${offered.toFixed(0)} spans/s is not ≥ 3 × the drain rate ${drained.toFixed(0)}`);
    assert.ok(maxKb >= 0.9 * SOFT_KB, `RSS peaked at ${(maxKb / 1024).toFixed(1)} MiB: the overload never reached the limiter`);
    assert.ok(refusedSpans > 0 && limiterRefused > 0, `nothing was refused (senders ${refusedSpans}, memory_limiter ${limiterRefused})`);

    // Memory bounded.
    assert.ok(maxKb <= BOUND_KB, `sampled RSS ${(maxKb / 1024).toFixed(1)} MiB > ${(BOUND_KB / 1024).toFixed(1)} MiB`);
    assert.ok(hwmKb <= BOUND_KB, `VmHWM ${(hwmKb / 1024).toFixed(1)} MiB > ${(BOUND_KB / 1024).toFixed(1)} MiB`);

    // Answers: only 200 / 503 + Retry-After / 429, and every span accounted for.
    const unexpected = Object.keys(answers).filter((s) => !['200', '503', '429'].includes(s));
    assert.deepEqual(unexpected, [], `unexpected answers (0 = connection failure): ${JSON.stringify(answers)}`);
    assert.deepEqual(noRetryAfter, [], 'refusals without a Retry-After');
    assert.equal(acceptedSpans + refusedSpans, sentSpans, 'accepted + refused == sent (senders)');
    assert.equal(recvAccepted, acceptedSpans, 'otelcol_receiver_accepted_spans_total == spans answered 200');
    assert.equal(recvRefused, refusedSpans, 'otelcol_receiver_refused_spans_total == spans refused');
    assert.equal(recvAccepted + recvRefused, sentSpans, 'accepted + refused == sent (receiver counters)');
    assert.ok(A.running(), 'A is still running');
  } finally {
    stopped = true;
    rss.stop();
    await A.stop('SIGKILL'); // its memory queue is deep; a graceful drain would take minutes
    A.cleanup();
    server.closeAllConnections?.();
    server.close();
  }
});
