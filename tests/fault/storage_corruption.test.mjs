// R5-style storage damage on a real data directory (docs/testing.md, "Fault tests"):
//   (a) a WAL whose last segment ends in garbage, zeros or a cut-off record: exactly the spans
//       of intact records are served, and the bytes cut are counted (log + metric); the store
//       then carries on (more writes, another crash, everything replays);
//   (b) a truncated segment file: quarantined (moved, counted, named in the log), everything
//       else is served exactly;
//   (c) a directory holding a foreign file, (d) a data directory of a newer format: refused with
//       exit code 1 and a message naming the directory, nothing touched.
// The WAL is parsed here from its documented format (src/storage/wal/wal_format.h):
//   header "PSCWAL01" u32 version | records [u32 length][u32 crc32c][payload = u64 lsn | OTLP
//   ExportTraceServiceRequest bytes], little-endian.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { metricValue, tempDir } from '../support/periscope.mjs';
import * as P from '../support/otlp_proto.mjs';
import { storeConfig, startStore, storeOpenRecord, jaegerTracesByIds, getJson, storeFiles } from '../support/trace_store.mjs';

// No flush, compaction or retention while a test runs: the files stay as the test made them.
const CONFIG = storeConfig({ traces: { head_max_spans: 1000000, head_max_age: '1h', maintenance_interval: '1h' } });
const HOUR_NS = 3_600_000_000_000n;
// Start times in the middle of the previous hour: one hour partition, so one segment per flush.
const BASE_NS = (BigInt(Date.now()) * 1_000_000n / HOUR_NS - 1n) * HOUR_NS + 30n * 60_000_000_000n;

const dirs = [];
const live = new Set(); // servers still running, killed if a test fails half-way
after(async () => {
  for (const p of live) {
    await p.stop('SIGKILL');
    p.cleanup();
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
async function start(dir) {
  const p = await startStore(dir, CONFIG);
  live.add(p);
  p.exited.then(() => live.delete(p));
  return p;
}
function dataDir(name) {
  const d = tempDir(`periscope-corrupt-${name}-`);
  dirs.push(d);
  return d;
}

let batchNo = 0;
// One request: `traces` traces of `spansPerTrace` spans. Returns { body, spans: Map spanHex → traceHex }.
function makeBatch(traces = 2, spansPerTrace = 5) {
  const spans = new Map();
  const bodies = [];
  const b = batchNo++;
  for (let t = 0; t < traces; t++) {
    const traceId = P.newTraceId();
    for (let i = 0; i < spansPerTrace; i++) {
      const spanId = P.newSpanId();
      spans.set(spanId.toString('hex'), traceId.toString('hex'));
      const start = BASE_NS + BigInt(b * 1000 + t * 10 + i) * 1000n;
      bodies.push(P.span({ traceId, spanId, name: `batch-${b}`, start, end: start + 5000n, attributes: [P.stringAttr('batch', String(b))] }));
    }
  }
  return { body: P.exportTraces(bodies, { resourceAttrs: [P.stringAttr('service.name', 'corruption')] }), spans };
}

// Sends the batches one after the other; every one must be acked.
async function sendAll(p, batches) {
  for (const b of batches) {
    const res = await fetch(p.url('http', '/v1/traces'), { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: b.body });
    const body = Buffer.from(await res.arrayBuffer());
    assert.equal(res.status, 200, body.toString());
    assert.equal(P.decodeExportTraceResponse(body).partialSuccess, undefined);
  }
}

async function kill(p) {
  const r = await p.stop('SIGKILL');
  p.cleanup();
  assert.equal(r.signal, 'SIGKILL');
}

async function term(p) {
  const r = await p.stop('SIGTERM');
  p.cleanup();
  assert.deepEqual(r, { code: 0, signal: null }, p.stderr.slice(-3000));
}

// Records of a WAL segment file: [{ offset, end, spanIds: [hex] }] and the end of the last intact one.
function parseWal(buf) {
  assert.equal(buf.subarray(0, 8).toString('latin1'), 'PSCWAL01', 'WAL segment magic');
  const records = [];
  let off = 12;
  while (off + 8 <= buf.length) {
    const len = buf.readUInt32LE(off);
    if (len === 0 || off + 8 + len > buf.length) break;
    const payload = buf.subarray(off + 8, off + 8 + len);
    const spanIds = [];
    for (const rs of P.readFields(payload.subarray(8))) {
      if (rs.field !== 1) continue;
      for (const ss of P.readFields(rs.value)) {
        if (ss.field !== 2) continue;
        for (const sp of P.readFields(ss.value)) {
          if (sp.field !== 2) continue;
          for (const f of P.readFields(sp.value)) if (f.field === 2) spanIds.push(f.value.toString('hex'));
        }
      }
    }
    records.push({ offset: off, end: off + 8 + len, spanIds });
    off += 8 + len;
  }
  return records;
}

// The last (highest-numbered) WAL segment file of a data directory.
function lastWalFile(dir) {
  const f = storeFiles(dir);
  assert.ok(f.wal.length > 0, `no WAL segment in ${f.walDir}`);
  return join(f.walDir, f.wal.at(-1));
}

// Every span the server has of the given traces: Set of span hex ids (and traceID checks).
async function servedSpans(p, traceIds) {
  const found = await jaegerTracesByIds(p, traceIds);
  const out = new Set();
  for (const [traceId, t] of found) {
    for (const s of t.spans) {
      assert.equal(s.traceID, traceId);
      assert.ok(!out.has(s.spanID), `span ${s.spanID} served twice`);
      out.add(s.spanID);
    }
  }
  return out;
}

const sorted = (xs) => [...xs].sort();
const union = (maps) => new Map(maps.flatMap((m) => [...m]));

// ---------------------------------------------------------------------------------------------
// (a) WAL tail damage

async function walTailCase(name, damage) {
  const dir = dataDir(name);
  let p = await start(dir);
  const batches = Array.from({ length: 8 }, () => makeBatch());
  await sendAll(p, batches);
  await kill(p);
  const file = lastWalFile(dir);
  const before = readFileSync(file);
  const records = parseWal(before);
  const sentSpans = union(batches.map((b) => b.spans));
  assert.equal(records.at(-1).end, before.length, 'the WAL ends with an intact record before the damage');
  assert.deepEqual(sorted(records.flatMap((r) => r.spanIds)), sorted(sentSpans.keys()), 'every acked span is in the WAL');

  const { expectedTruncated, intactRecords } = damage(file, records, before.length);
  const expected = new Set(records.slice(0, intactRecords).flatMap((r) => r.spanIds));

  p = await start(dir);
  const open = storeOpenRecord(p);
  assert.equal(open.wal_truncated_bytes, String(expectedTruncated), `"trace store open" wal_truncated_bytes:\n${p.stderr}`);
  assert.equal(open.wal_records_replayed, String(intactRecords));
  assert.equal(open.wal_spans_replayed, String(expected.size));
  assert.equal(metricValue(await p.metrics(), 'periscope_store_wal_truncated_bytes_total'), expectedTruncated);
  assert.equal(metricValue(await p.metrics(), 'periscope_store_wal_spans_replayed_total'), expected.size);
  if (expectedTruncated > 0) {
    assert.ok(p.logs.some((r) => r.msg === 'WAL recovered with damage' && r.truncated_bytes === String(expectedTruncated)),
      `a warning about the cut tail:\n${p.stderr}`);
  }
  const traceIds = [...new Set(sentSpans.values())];
  assert.deepEqual(sorted(await servedSpans(p, traceIds)), sorted(expected), 'exactly the spans of intact records are served');

  // Carry on: new writes after the repair, another crash, and everything replays.
  const more = Array.from({ length: 3 }, () => makeBatch());
  await sendAll(p, more);
  await kill(p);
  p = await start(dir);
  const open2 = storeOpenRecord(p);
  assert.equal(open2.wal_truncated_bytes, '0', 'the repaired WAL needs no second repair');
  const moreSpans = union(more.map((b) => b.spans));
  const all = await servedSpans(p, [...traceIds, ...new Set(moreSpans.values())]);
  assert.deepEqual(sorted(all), sorted([...expected, ...moreSpans.keys()]), 'after carrying on: the intact records plus the new writes');
  await term(p);
}

test('WAL: garbage appended to the last segment is cut, every acked span is served', async () => {
  await walTailCase('garbage', (file, records) => {
    // Bytes that cannot be a record: a length far past the end of the file, then noise.
    const garbage = Buffer.concat([Buffer.from([0xff, 0xff, 0xff, 0x7f]), Buffer.from('not a WAL record; '.repeat(7))]);
    appendFileSync(file, garbage);
    return { expectedTruncated: garbage.length, intactRecords: records.length };
  });
});

test('WAL: a zero-filled 4 KiB tail is cut, every acked span is served', async () => {
  await walTailCase('zeros', (file, records) => {
    appendFileSync(file, Buffer.alloc(4096));
    return { expectedTruncated: 4096, intactRecords: records.length };
  });
});

test('WAL: a last record cut short is dropped whole, the records before it are served', async () => {
  await walTailCase('cut', (file, records, size) => {
    const last = records.at(-1);
    const cut = Math.floor((last.end - last.offset) / 2); // inside the last record's payload
    truncateSync(file, size - cut);
    return { expectedTruncated: last.end - last.offset - cut, intactRecords: records.length - 1 };
  });
});

test('WAL: a record with a flipped payload bit at the tail is dropped whole', async () => {
  await walTailCase('bitflip', (file, records, size) => {
    const buf = readFileSync(file);
    const last = records.at(-1);
    buf[last.end - 3] ^= 0x10; // checksum no longer matches
    writeFileSync(file, buf);
    return { expectedTruncated: last.end - last.offset, intactRecords: records.length - 1 };
  });
});

test('WAL: a damaged record in an earlier segment is reported with file and offset; later segments still replay', async () => {
  const dir = dataDir('midlog');
  // Two runs killed without a flush: each restart starts a fresh WAL segment.
  let p = await start(dir);
  const first = Array.from({ length: 4 }, () => makeBatch());
  await sendAll(p, first);
  await kill(p);
  const damagedFile = lastWalFile(dir);
  p = await start(dir);
  const second = Array.from({ length: 3 }, () => makeBatch());
  await sendAll(p, second);
  await kill(p);
  assert.notEqual(lastWalFile(dir), damagedFile, 'the second run wrote a new WAL segment');

  const buf = readFileSync(damagedFile);
  const records = parseWal(buf);
  assert.equal(records.length, first.length, 'one WAL record per request sent one at a time');
  const bad = records[1];
  buf[bad.end - 1] ^= 0x01; // a checksum failure with more records after it: not a torn tail
  writeFileSync(damagedFile, buf);

  p = await start(dir);
  const open = storeOpenRecord(p);
  assert.equal(open.wal_truncated_bytes, '0', 'damage in the middle of the log is not cut away');
  assert.equal(readFileSync(damagedFile).length, buf.length, 'the damaged segment is left as it is, for inspection');
  const logged = p.logs.find((r) => r.level === 'error' && /WAL segment damaged/.test(r.msg));
  assert.ok(logged, `an error naming the damaged WAL segment:\n${p.stderr}`);
  assert.equal(logged.file, damagedFile);
  assert.equal(logged.offset, String(bad.offset), 'the offset of the first bad record');
  // Policy (src/storage/wal/wal.h): replay of the damaged segment stops at the bad record;
  // later segments replay in full.
  const expected = [...records[0].spanIds, ...second.flatMap((b) => [...b.spans.keys()])];
  const traceIds = [...new Set([...first, ...second].flatMap((b) => [...b.spans.values()]))];
  assert.deepEqual(sorted(await servedSpans(p, traceIds)), sorted(expected));
  await term(p);
});

// ---------------------------------------------------------------------------------------------
// (b) a damaged segment

test('segment: a truncated segment file is quarantined and everything else is served exactly', async () => {
  const dir = dataDir('segment');
  const a = [makeBatch(3, 4), makeBatch(2, 7)];
  const b = [makeBatch(4, 3)];
  const aSpans = union(a.map((x) => x.spans));
  const bSpans = union(b.map((x) => x.spans));
  const aTraces = [...new Set(aSpans.values())];
  const bTraces = [...new Set(bSpans.values())];

  // Two clean runs: SIGTERM flushes each run's head into its own segment.
  let p = await start(dir);
  await sendAll(p, a);
  await term(p);
  const afterA = storeFiles(dir).segments;
  assert.equal(afterA.length, 1, `one segment after the first run: ${afterA}`);
  p = await start(dir);
  await sendAll(p, b);
  assert.deepEqual(sorted(await servedSpans(p, [...aTraces, ...bTraces])), sorted([...aSpans.keys(), ...bSpans.keys()]), 'before the damage');
  await term(p);
  const segs = storeFiles(dir).segments;
  assert.equal(segs.length, 2, `two segments after the second run: ${segs}`);
  const victim = afterA[0];
  const victimPath = join(dir, 'traces', victim);
  const size = statSync(victimPath).size;
  truncateSync(victimPath, size - 37);

  p = await start(dir);
  const open = storeOpenRecord(p);
  assert.equal(open.segments_quarantined, '1', p.stderr);
  assert.equal(open.segments, '1');
  assert.equal(metricValue(await p.metrics(), 'periscope_store_segments_quarantined_total'), 1);
  assert.equal(metricValue(await p.metrics(), 'periscope_store_segments'), 1);
  const logged = p.logs.find((r) => r.level === 'error' && /quarantine/.test(r.msg));
  assert.ok(logged, `an error log about the quarantine:\n${p.stderr}`);
  assert.equal(logged.file, victimPath, 'the log names the damaged file');
  // Moved, not deleted or rewritten: the bytes are kept for inspection.
  assert.ok(!existsSync(victimPath), 'the damaged segment left the store directory');
  const moved = join(dir, 'traces', 'quarantine', victim);
  assert.equal(statSync(moved).size, size - 37, 'the quarantined file keeps its (damaged) bytes');
  assert.deepEqual(storeFiles(dir).segments, [segs[1]], 'the other segment stays');

  // Everything else, exactly; nothing of the damaged segment (its WAL records are past the checkpoint).
  assert.deepEqual(sorted(await servedSpans(p, bTraces)), sorted(bSpans.keys()), 'the intact segment is served whole');
  for (const id of aTraces) {
    const r = await getJson(p, `/api/traces/${id}`);
    assert.equal(r.status, 404, `trace ${id} of the quarantined segment: ${JSON.stringify(r.body).slice(0, 300)}`);
  }
  const services = await getJson(p, '/api/services');
  assert.deepEqual(services.body.data, ['corruption']);
  await term(p);

  // The next start finds nothing left to quarantine.
  p = await start(dir);
  assert.equal(storeOpenRecord(p).segments_quarantined, '0');
  assert.deepEqual(sorted(await servedSpans(p, [...aTraces, ...bTraces])), sorted(bSpans.keys()));
  await term(p);
});

test('segment: a flipped bit inside a column block is never served; the segment is quarantined on first read', async () => {
  const dir = dataDir('segment-bitflip');
  const a = makeBatch(3, 6);
  const b = makeBatch(3, 6);
  let p = await start(dir);
  await sendAll(p, [a]);
  await term(p);
  p = await start(dir);
  await sendAll(p, [b]);
  await term(p);
  const [victim, other] = storeFiles(dir).segments;
  const victimPath = join(dir, 'traces', victim);
  const buf = readFileSync(victimPath);
  buf[40] ^= 0x40; // inside the first column block, far from the footer
  writeFileSync(victimPath, buf);

  p = await start(dir);
  // The footer is intact, so the damage shows only when the block is read: the reader gets
  // "not found" (never wrong spans, never a 500), and the segment leaves the read set.
  assert.equal(storeOpenRecord(p).segments_quarantined, '0', 'nothing is known to be damaged at open');
  for (const id of new Set(a.spans.values())) {
    const r = await getJson(p, `/api/traces/${id}`);
    assert.equal(r.status, 404, `trace ${id}: ${r.status} ${JSON.stringify(r.body)}`);
  }
  assert.equal(metricValue(await p.metrics(), 'periscope_store_segments_quarantined_total'), 1);
  const logged = p.logs.find((r) => r.level === 'error' && /quarantine/.test(r.msg));
  assert.ok(logged, `an error log about the quarantine:\n${p.stderr}`);
  assert.equal(logged.file, victimPath, 'the log names the damaged file');
  assert.ok(existsSync(join(dir, 'traces', 'quarantine', victim)), 'moved to quarantine/, bytes kept');
  assert.deepEqual(storeFiles(dir).segments, [other]);
  assert.deepEqual(sorted(await servedSpans(p, [...new Set(b.spans.values())])), sorted(b.spans.keys()),
    'the intact segment is served whole');
  assert.ok(p.running(), 'reading a damaged block does not bring the server down');
  await term(p);
});

// ---------------------------------------------------------------------------------------------
// (c), (d) directories that are not ours

// Starting must fail with exit code 1 and an error naming `dir`; returns the error text.
async function expectRefused(dir, pattern) {
  let err;
  try {
    const p = await start(dir);
    await term(p);
  } catch (e) {
    err = e;
  }
  assert.ok(err, `periscope started on ${dir}`);
  const p = err.periscope;
  assert.ok(p, err.message);
  const exit = await p.exited;
  p.cleanup();
  assert.deepEqual(exit, { code: 1, signal: null }, p.stderr);
  const msg = p.logs.filter((r) => r.level === 'error').map((r) => `${r.msg}: ${r.error ?? ''}`).join('\n');
  assert.ok(msg.includes(dir), `the error names ${dir}: ${msg || p.stderr}`);
  assert.match(msg, pattern);
  return msg;
}

function snapshot(dir) {
  const out = {};
  const walk = (d, rel) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      const st = statSync(full);
      if (st.isDirectory()) walk(full, `${rel}${name}/`);
      else out[`${rel}${name}`] = { bytes: readFileSync(full).toString('base64'), mtimeMs: st.mtimeMs };
    }
  };
  walk(dir, '');
  return out;
}

test('a directory holding a foreign file (no PERISCOPE_DATA marker) is refused and left untouched', async () => {
  const dir = dataDir('foreign');
  writeFileSync(join(dir, 'notes.txt'), 'my notes, not a trace store\n');
  const before = snapshot(dir);
  await expectRefused(dir, /not a Periscope data directory|not empty/);
  assert.deepEqual(snapshot(dir), before, 'nothing created, changed or removed');
});

test('a foreign file inside the trace store directory is refused and left untouched', async () => {
  const dir = dataDir('foreign-traces');
  let p = await start(dir);
  await sendAll(p, [makeBatch()]);
  await term(p);
  writeFileSync(join(dir, 'traces', 'backup.tar'), 'someone else\'s file');
  const before = snapshot(dir);
  await expectRefused(join(dir, 'traces'), /backup\.tar/);
  assert.deepEqual(snapshot(dir), before, 'nothing created, changed or removed');
});

test('a data directory of a newer format is refused with a message about the newer version', async () => {
  const dir = dataDir('newer');
  mkdirSync(join(dir, 'traces'));
  writeFileSync(join(dir, 'PERISCOPE_DATA'), 'periscope data directory\nformat 99\n');
  writeFileSync(join(dir, 'traces', 'seg-0000000000000001.pst'), 'from the future');
  const before = snapshot(dir);
  const msg = await expectRefused(dir, /newer/);
  assert.match(msg, /99/, 'the message gives the format found');
  assert.deepEqual(snapshot(dir), before, 'nothing created, changed or removed');
});
