// Hostile input against the OTLP receiver (HTTP and gRPC) of one real periscope process:
// malformed protobuf and JSON, compression bombs, oversized bodies, wrong methods and media
// types, per-span rejection. Every case asserts the exact status and that the process still
// serves a valid request afterwards; at the end, only data from accepted requests is in the file.
// See docs: shared/reference/reliability.md §4.3-4.4 and §5 R2.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import net from 'node:net';
import zlib from 'node:zlib';
import { dirname, join } from 'node:path';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Periscope, readJsonLines, waitFor } from '../support/periscope.mjs';
import * as P from '../support/otlp_proto.mjs';

const PROTO = { 'content-type': 'application/x-protobuf' };
const JSON_CT = { 'content-type': 'application/json' };
const TRACE_METHOD = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const MiB = 1 << 20;
const hasZstd = typeof zlib.zstdCompressSync === 'function';

let p;
let outPath;
let canaries = 0;
const expectedInFile = new Set(); // span names that accepted requests carried

before(async () => {
  outPath = join(mkdtempSync(join(tmpdir(), 'periscope-hostile-')), 'spans.jsonl');
  p = await Periscope.start(`
receivers:
  otlp:
    protocols:
      grpc: {endpoint: "127.0.0.1:0"}
      http: {endpoint: "127.0.0.1:0"}
processors:
  batch: {timeout: 20ms}
exporters:
  file: {path: "${outPath}", format: json}
service:
  telemetry:
    metrics: {address: "127.0.0.1:0"}
  pipelines:
    traces: {receivers: [otlp], processors: [batch], exporters: [file]}
`);
});

after(async () => {
  if (!p) return;
  const { code, signal } = await p.stop();
  p.cleanup();
  rmSync(dirname(outPath), { recursive: true, force: true });
  assert.equal(signal, null, `periscope died from ${signal}:\n${p.stderr.slice(-4000)}`);
  assert.equal(code, 0, `periscope exited with ${code}:\n${p.stderr.slice(-4000)}`);
});

// POST to the OTLP/HTTP receiver; resolves {status, headers, body: Buffer}.
async function post(body, headers = PROTO, path = '/v1/traces') {
  const res = await fetch(p.url('http', path), { method: 'POST', headers, body });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

// The process is up and a valid request still succeeds end to end.
async function assertAlive() {
  assert.ok(p.running(), `periscope is not running:\n${p.stderr.slice(-4000)}`);
  const name = `canary-${canaries++}`;
  const res = await post(P.exportTraces([P.span({ name })]));
  assert.equal(res.status, 200, `canary ${name} refused: ${res.body}`);
  expectedInFile.add(name);
}

// A 400 whose body is a google.rpc.Status with code INVALID_ARGUMENT (3).
function assertInvalidArgument(res, { json = false } = {}) {
  assert.equal(res.status, 400, `expected 400, got ${res.status}: ${res.body}`);
  const st = json ? JSON.parse(res.body.toString('utf8')) : P.decodeRpcStatus(res.body);
  assert.equal(st.code, 3, `google.rpc.Status code: ${JSON.stringify(st)}`);
  assert.ok(st.message.length > 0, 'google.rpc.Status has a message');
  return st;
}

// Peak resident set size of the server so far (VmHWM), in MiB.
function peakRssMiB() {
  const m = readFileSync(`/proc/${p.proc.pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+) kB/m);
  return Number(m[1]) / 1024;
}

// Streams `totalBytes` of zeros through a zlib compressor in 1 MiB chunks, so neither the
// plaintext nor more than one chunk of it is ever in this process's memory.
async function compressZeros(makeStream, totalBytes) {
  const z = makeStream();
  const out = [];
  z.on('data', (c) => out.push(c));
  const ended = new Promise((resolve, reject) => { z.once('end', resolve); z.once('error', reject); });
  const zero = Buffer.alloc(MiB);
  for (let sent = 0; sent < totalBytes;) {
    const n = Math.min(zero.length, totalBytes - sent);
    sent += n;
    if (!z.write(n === zero.length ? zero : zero.subarray(0, n))) await new Promise((r) => z.once('drain', r));
  }
  z.end();
  await ended;
  return Buffer.concat(out);
}

// One unary gRPC call with a raw request body (normally a 5-byte-prefixed frame).
function grpcCall(path, payload, extraHeaders = {}) {
  return new Promise((resolve, reject) => {
    const client = http2.connect(`http://127.0.0.1:${p.ports.grpc}`);
    client.on('error', reject);
    const req = client.request({
      ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers', ...extraHeaders,
    });
    let headers = {};
    let trailers = {};
    const data = [];
    req.on('response', (h) => { headers = h; });
    req.on('trailers', (t) => { trailers = t; });
    req.on('data', (d) => data.push(d));
    req.on('error', () => {}); // a reset stream still reports its status via headers/trailers
    req.on('close', () => {
      client.close();
      const status = trailers['grpc-status'] ?? headers['grpc-status'];
      resolve({
        status: status === undefined ? undefined : Number(status),
        message: trailers['grpc-message'] ?? headers['grpc-message'],
        data: Buffer.concat(data),
        rstCode: req.rstCode,
      });
    });
    req.end(payload);
  });
}

// ---------------------------------------------------------------------------------------------

test('control: a valid protobuf request is accepted and exported', async () => {
  const res = await post(P.validTraces(3, 'ok-control'));
  assert.equal(res.status, 200, String(res.body));
  assert.equal(res.headers.get('content-type'), 'application/x-protobuf');
  for (let i = 0; i < 3; i++) expectedInFile.add(`ok-control-${i}`);
  await waitFor(() => P.spanNamesOf(readJsonLines(outPath)).includes('ok-control-2'), { what: 'control spans in the file' });
});

test('truncated protobuf body (cut at every offset) → 400', async () => {
  const valid = P.exportTraces([P.span({ name: 'bad-truncated', attributes: [P.stringAttr('k', 'v')] })]);
  // The body is one top-level length-delimited field, so every proper prefix except the empty
  // one is malformed (a length, tag or varint running past the end).
  for (let cut = 1; cut < valid.length; cut++) {
    const res = await post(valid.subarray(0, cut));
    assertInvalidArgument(res);
  }
  await assertAlive();
});

test('wrong and invalid wire types → 400', async () => {
  const cases = {
    'resource_spans as varint': P.varintField(1, 5),
    'resource_spans as fixed64': P.fixed64Field(1, 5),
    'wire type 7': P.concat(P.tag(1, 7), Buffer.from([1, 2, 3])),
    'wire type 6': P.concat(P.tag(1, 6), Buffer.from([1, 2, 3])),
    'start group': P.concat(P.tag(1, 3), P.tag(1, 4)),
    'span name as varint': P.exportTraces([P.concat(P.span({ name: 'bad-wt' }), P.varintField(5, 1))]),
    'field number 0': P.concat(P.tag(0, 2), P.varint(0)),
  };
  for (const [what, body] of Object.entries(cases)) {
    const res = await post(body);
    assert.equal(res.status, 400, `${what}: ${res.body}`);
    assertInvalidArgument(res);
  }
  await assertAlive();
});

test('11-byte varint → 400', async () => {
  const eleven = Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  assertInvalidArgument(await post(P.concat(P.tag(1, 0), eleven)));
  // ... also deep inside a span (kind), and as a length prefix.
  assertInvalidArgument(await post(P.exportTraces([P.concat(P.span({ name: 'bad-varint' }), P.tag(6, 0), eleven)])));
  assertInvalidArgument(await post(P.concat(P.tag(1, 2), eleven, Buffer.alloc(16))));
  await assertAlive();
});

test('length prefix past the end → 400', async () => {
  for (const len of [1000n, 0xffffffffn, 1n << 63n]) {
    const res = await post(P.concat(P.tag(1, 2), P.varint(len), Buffer.alloc(10)));
    assertInvalidArgument(res);
  }
  // A span's name claiming more bytes than the span has.
  const span = P.concat(P.lenField(1, P.newTraceId()), P.lenField(2, P.newSpanId()), P.tag(5, 2), P.varint(50), Buffer.from('bad'));
  assertInvalidArgument(await post(P.exportTraces([span])));
  await assertAlive();
});

test('AnyValue kvlist nested 1,000 deep in protobuf → 400; 10 deep is fine', async () => {
  const deep = P.exportTraces([P.span({ name: 'bad-deep', attributes: [P.keyValue('deep', P.nestedKvlistAnyValue(1000))] })]);
  const st = assertInvalidArgument(await post(deep));
  assert.match(st.message, /nest|deep/i);
  // Arrays nested 1,000 deep too.
  let arr = P.anyString('leaf');
  for (let i = 0; i < 1000; i++) arr = P.anyArray([arr]);
  assertInvalidArgument(await post(P.exportTraces([P.span({ name: 'bad-deep-array', attributes: [P.keyValue('deep', arr)] })])));
  // Moderate nesting is legitimate data.
  const ok = await post(P.exportTraces([P.span({ name: 'ok-nested10', attributes: [P.keyValue('n', P.nestedKvlistAnyValue(10))] })]));
  assert.equal(ok.status, 200, String(ok.body));
  expectedInFile.add('ok-nested10');
  await assertAlive();
});

test('AnyValue kvlist nested 1,000 deep in JSON → 400', async () => {
  let v = { stringValue: 'leaf' };
  for (let i = 0; i < 1000; i++) v = { kvlistValue: { values: [{ key: 'k', value: v }] } };
  const body = JSON.stringify(P.jsonTraces([P.jsonSpan({ name: 'bad-deep-json', attributes: [{ key: 'deep', value: v }] })]));
  const res = await post(body, JSON_CT);
  assert.equal(res.headers.get('content-type'), 'application/json');
  assertInvalidArgument(res, { json: true });
  await assertAlive();
});

test('JSON with 1,000 levels of array nesting → 400', async () => {
  const deep = '['.repeat(1000) + ']'.repeat(1000);
  assertInvalidArgument(await post(deep, JSON_CT), { json: true });
  assertInvalidArgument(await post(`{"resourceSpans":${deep}}`, JSON_CT), { json: true });
  // Unknown fields are skipped per the spec, but not without a depth limit.
  assertInvalidArgument(await post(`{"unknownField":${deep},"resourceSpans":[]}`, JSON_CT), { json: true });
  await assertAlive();
});

test('invalid UTF-8 in a protobuf string field → 400', async () => {
  assertInvalidArgument(await post(P.exportTraces([P.span({ name: Buffer.from([0x62, 0x61, 0x64, 0xff, 0xfe]) })])));
  // In an attribute value (truncated 2-byte sequence), and an overlong encoding of '/'.
  const attr = (bytes) => P.exportTraces([P.span({ name: 'bad-utf8', attributes: [P.keyValue('k', P.lenField(1, Buffer.from(bytes)))] })]);
  assertInvalidArgument(await post(attr([0xc3, 0x28])));
  assertInvalidArgument(await post(attr([0xc0, 0xaf])));
  // ... and in an attribute key.
  assertInvalidArgument(await post(P.exportTraces([P.span({ name: 'bad-utf8-key', attributes: [P.keyValue(Buffer.from([0xed, 0xa0, 0x80]), P.anyString('v'))] })])));
  await assertAlive();
});

test('invalid UTF-8 in JSON → 400', async () => {
  const body = Buffer.concat([
    Buffer.from(JSON.stringify(P.jsonTraces([P.jsonSpan({ name: '@@NAME@@' })])).split('@@NAME@@')[0]),
    Buffer.from([0x62, 0x61, 0x64, 0xff, 0xfe]),
    Buffer.from(JSON.stringify(P.jsonTraces([P.jsonSpan({ name: '@@NAME@@' })])).split('@@NAME@@')[1]),
  ]);
  assertInvalidArgument(await post(body, JSON_CT), { json: true });
  await assertAlive();
});

test('empty body → 200 (an empty request is a success)', async () => {
  const res = await post(Buffer.alloc(0));
  assert.equal(res.status, 200, String(res.body));
  assert.equal(P.decodeExportTraceResponse(res.body).partialSuccess, undefined);
  const json = await post('{}', JSON_CT);
  assert.equal(json.status, 200, String(json.body));
  assert.deepEqual(JSON.parse(json.body.toString('utf8')), {});
  await assertAlive();
});

test('gzip bomb (1 GiB of zeros, ~1 MB on the wire) → 413 without decompressing it into memory', async () => {
  const bomb = await compressZeros(() => zlib.createGzip({ level: 9 }), 1024 * MiB);
  assert.ok(bomb.length < 2 * MiB, `bomb is ${bomb.length} bytes`);
  const res = await post(bomb, { ...PROTO, 'content-encoding': 'gzip' });
  assert.equal(res.status, 413, String(res.body));
  assert.equal(P.decodeRpcStatus(res.body).code, 8, 'RESOURCE_EXHAUSTED in the Status body');
  const peak = peakRssMiB();
  assert.ok(peak < 300, `peak RSS (VmHWM) ${peak.toFixed(0)} MiB`);
  await assertAlive();
});

test('deflate (zlib) bomb → 413', async () => {
  const bomb = await compressZeros(() => zlib.createDeflate({ level: 9 }), 256 * MiB);
  const res = await post(bomb, { ...PROTO, 'content-encoding': 'deflate' });
  assert.equal(res.status, 413, String(res.body));
  assert.ok(peakRssMiB() < 300, `peak RSS ${peakRssMiB().toFixed(0)} MiB`);
  await assertAlive();
});

test('zstd bomb → 413', { skip: hasZstd ? false : 'node:zlib has no zstd in this node version' }, async () => {
  const bomb = zlib.zstdCompressSync(Buffer.alloc(64 * MiB));
  const res = await post(bomb, { ...PROTO, 'content-encoding': 'zstd' });
  assert.equal(res.status, 413, String(res.body));
  await assertAlive();
});

test('the body limit applies after decompression, exactly at max_request_body_size (20 MiB)', async () => {
  // 20 MiB of zeros decompresses to exactly the limit: allowed through to the decoder, which
  // rejects it (field number 0) → 400. One byte more is 413.
  const atLimit = await compressZeros(() => zlib.createGzip(), 20 * MiB);
  assertInvalidArgument(await post(atLimit, { ...PROTO, 'content-encoding': 'gzip' }));
  const over = await compressZeros(() => zlib.createGzip(), 20 * MiB + 1);
  const res = await post(over, { ...PROTO, 'content-encoding': 'gzip' });
  assert.equal(res.status, 413, String(res.body));
  await assertAlive();
});

test('compressed valid bodies are accepted (gzip, deflate)', async () => {
  const g = await post(zlib.gzipSync(P.exportTraces([P.span({ name: 'ok-gzip' })])), { ...PROTO, 'content-encoding': 'gzip' });
  assert.equal(g.status, 200, String(g.body));
  const d = await post(zlib.deflateSync(P.exportTraces([P.span({ name: 'ok-deflate' })])), { ...PROTO, 'content-encoding': 'deflate' });
  assert.equal(d.status, 200, String(d.body));
  expectedInFile.add('ok-gzip');
  expectedInFile.add('ok-deflate');
  // A body that is not gzip at all is permanently bad (400), not a server error.
  assertInvalidArgument(await post(Buffer.from('definitely not gzip'), { ...PROTO, 'content-encoding': 'gzip' }));
});

// Sends the request head of a POST with Content-Length `total`, then (if streamBody) streams the
// body like an ordinary client, reading whatever the server answers meanwhile.
function rawPost(total, { streamBody }) {
  return new Promise((resolve) => {
    const s = net.connect(p.ports.http, '127.0.0.1');
    let got = '';
    let sent = 0;
    let error;
    s.on('data', (d) => {
      got += d.toString('latin1');
      if (!streamBody && got.includes('\r\n\r\n')) s.end(); // the head is all we need
    });
    s.on('error', (e) => { error = e.code; });
    s.on('close', () => resolve({ statusLine: got.split('\r\n')[0], error, sent }));
    s.write(`POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-protobuf\r\nContent-Length: ${total}\r\n\r\n`);
    if (!streamBody) return;
    // One chunk per event-loop turn: a synchronous write loop could push the whole body into a
    // fast-draining socket before the 'data' event carrying the answer is ever dispatched.
    const chunk = Buffer.alloc(MiB);
    const pump = () => {
      if (sent >= total || s.destroyed || got) return;
      sent += chunk.length;
      if (s.write(chunk)) setImmediate(pump);
      else s.once('drain', pump);
    };
    pump();
  });
}

test('a raw 100 MB body is refused with 413 as soon as Content-Length announces it', async () => {
  const r = await rawPost(100 * MiB, { streamBody: false });
  assert.match(r.statusLine, /^HTTP\/1\.1 413 /, JSON.stringify(r));
  await assertAlive();
});

test('a client that streams an oversized body receives the 413', async () => {
  const r = await rawPost(100 * MiB, { streamBody: true });
  assert.match(r.statusLine, /^HTTP\/1\.1 413 /, `raw socket streaming 100 MB: ${JSON.stringify(r)}`);
  assert.ok(r.sent < 100 * MiB, 'server answered before the whole body was sent');
  // The same with an ordinary client: fetch sends the whole body before reading the answer.
  let res;
  try {
    res = await post(Buffer.alloc(20 * MiB + 1));
  } catch (e) {
    res = { status: `fetch failed: ${e.cause?.code ?? e.message}` };
  }
  assert.equal(res.status, 413, 'fetch of a 20 MiB + 1 body');
  await assertAlive();
});

test('text/plain content type → 415', async () => {
  const res = await post(P.validTraces(1, 'bad-415'), { 'content-type': 'text/plain' });
  assert.equal(res.status, 415, String(res.body));
  const none = await fetch(p.url('http', '/v1/traces'), { method: 'POST', body: P.validTraces(1, 'bad-415') });
  assert.equal(none.status, 415);
  await assertAlive();
});

test('GET → 405 with Allow: POST', async () => {
  const res = await fetch(p.url('http', '/v1/traces'));
  assert.equal(res.status, 405);
  assert.match(res.headers.get('allow') ?? '', /POST/);
  for (const method of ['PUT', 'DELETE', 'PATCH']) {
    const r = await fetch(p.url('http', '/v1/logs'), { method, headers: PROTO, body: 'x' });
    assert.equal(r.status, 405, method);
  }
  await assertAlive();
});

test('unknown path → 404', async () => {
  for (const path of ['/v1/trace', '/v2/traces', '/', '/v1/traces/extra']) {
    const res = await post(P.validTraces(1, 'bad-404'), PROTO, path);
    assert.equal(res.status, 404, path);
  }
  await assertAlive();
});

test('unsupported Content-Encoding → 400', async () => {
  for (const enc of ['br', 'compress', 'gzip, gzip', 'bogus']) {
    const res = await post(P.validTraces(1, 'bad-enc'), { ...PROTO, 'content-encoding': enc });
    assert.equal(res.status, 400, `${enc}: ${res.body}`);
    assertInvalidArgument(res);
  }
  await assertAlive();
});

test('one span with a bad trace id → 200 partial success; the other spans are exported (protobuf)', async () => {
  const body = P.exportTraces([
    P.span({ name: 'ok-partial-a' }),
    P.span({ name: 'bad-partial', traceId: Buffer.alloc(15, 7) }),
    P.span({ name: 'ok-partial-b' }),
  ]);
  const res = await post(body);
  assert.equal(res.status, 200, String(res.body));
  const { partialSuccess } = P.decodeExportTraceResponse(res.body);
  assert.ok(partialSuccess, 'response carries partial_success');
  assert.equal(partialSuccess.rejected, 1n);
  assert.match(partialSuccess.errorMessage, /traceId/);
  expectedInFile.add('ok-partial-a');
  expectedInFile.add('ok-partial-b');
  await waitFor(() => {
    const names = P.spanNamesOf(readJsonLines(outPath));
    return names.includes('ok-partial-a') && names.includes('ok-partial-b');
  }, { what: 'the valid spans of the partial request in the file' });
});

test('one span with a bad trace id → 200 partial success (JSON)', async () => {
  const body = JSON.stringify(P.jsonTraces([
    P.jsonSpan({ name: 'bad-partial-json', traceId: '0102' }),
    P.jsonSpan({ name: 'ok-partial-json' }),
  ]));
  const res = await post(body, JSON_CT);
  assert.equal(res.status, 200, String(res.body));
  const parsed = JSON.parse(res.body.toString('utf8'));
  assert.equal(parsed.partialSuccess?.rejectedSpans, '1', JSON.stringify(parsed));
  assert.ok(parsed.partialSuccess.errorMessage.length > 0);
  expectedInFile.add('ok-partial-json');
  await waitFor(() => P.spanNamesOf(readJsonLines(outPath)).includes('ok-partial-json'), { what: 'ok-partial-json in the file' });
});

test('gRPC: a valid call succeeds (control)', async () => {
  const r = await grpcCall(TRACE_METHOD, P.grpcFrame(P.exportTraces([P.span({ name: 'ok-grpc' })])));
  assert.equal(r.status, 0, JSON.stringify(r));
  expectedInFile.add('ok-grpc');
});

test('gRPC: a 5 MB message → RESOURCE_EXHAUSTED (8)', async () => {
  const big = P.exportTraces([P.span({ name: 'bad-grpc-big', attributes: [P.stringAttr('big', 'x'.repeat(5 * MiB))] })]);
  const r = await grpcCall(TRACE_METHOD, P.grpcFrame(big));
  assert.equal(r.status, 8, JSON.stringify({ ...r, data: undefined }));
  await assertAlive();
  const ok = await grpcCall(TRACE_METHOD, P.grpcFrame(P.exportTraces([P.span({ name: 'ok-grpc-after-big' })])));
  assert.equal(ok.status, 0);
  expectedInFile.add('ok-grpc-after-big');
});

test('gRPC: a malformed message → INVALID_ARGUMENT (3)', async () => {
  const valid = P.exportTraces([P.span({ name: 'bad-grpc-malformed' })]);
  for (const body of [valid.subarray(0, valid.length - 3), Buffer.from([0x0a, 0xff, 0xff, 0x03]), P.concat(P.tag(1, 7))]) {
    const r = await grpcCall(TRACE_METHOD, P.grpcFrame(body));
    assert.equal(r.status, 3, JSON.stringify({ ...r, data: undefined }));
  }
  await assertAlive();
});

test('gRPC: an unknown method → UNIMPLEMENTED (12)', async () => {
  for (const path of ['/opentelemetry.proto.collector.trace.v1.TraceService/Nope', '/foo.Bar/Baz']) {
    const r = await grpcCall(path, P.grpcFrame(P.validTraces(1, 'bad-grpc-unknown')));
    assert.equal(r.status, 12, `${path}: ${JSON.stringify({ ...r, data: undefined })}`);
  }
  await assertAlive();
});

test('only data from accepted requests reached the exporter', async () => {
  await assertAlive();
  const names = await waitFor(() => {
    const n = P.spanNamesOf(readJsonLines(outPath));
    return [...expectedInFile].every((x) => n.includes(x)) && n;
  }, { what: `all accepted spans in ${outPath}` });
  const unexpected = names.filter((n) => !expectedInFile.has(n));
  assert.deepEqual(unexpected, [], 'spans from rejected requests were exported');
  assert.equal(names.length, new Set(names).size, 'no span exported twice');
  assert.ok(p.running());
});
