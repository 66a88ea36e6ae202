// Test helper: a tiny hand-written protobuf writer for OTLP request bodies, plus the matching
// OTLP/JSON builders. Deliberately independent of the product's codecs (and of npm packages) so
// integration tests can also build malformed bodies byte by byte.
//
// Field numbers (opentelemetry-proto):
//   ExportTraceServiceRequest{resource_spans=1}  ResourceSpans{resource=1, scope_spans=2}
//   Resource{attributes=1}  ScopeSpans{scope=1, spans=2}  InstrumentationScope{name=1, version=2}
//   Span{trace_id=1, span_id=2, parent_span_id=4, name=5, kind=6, start=7 fixed64, end=8 fixed64,
//        attributes=9}
//   KeyValue{key=1, value=2}  AnyValue{string=1, bool=2, int=3, double=4, array=5, kvlist=6, bytes=7}
//   ArrayValue{values=1}  KeyValueList{values=1}
import { randomBytes } from 'node:crypto';

export const WIRE = { VARINT: 0, FIXED64: 1, LEN: 2, START_GROUP: 3, END_GROUP: 4, FIXED32: 5 };

const toBuf = (x) => (Buffer.isBuffer(x) ? x : x instanceof Uint8Array ? Buffer.from(x) : Buffer.from(String(x), 'utf8'));

// Base-128 varint of a non-negative number or BigInt (up to 64 bits).
export function varint(value) {
  let v = BigInt(value);
  if (v < 0n) v = BigInt.asUintN(64, v);
  const out = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Buffer.from(out);
}

export const tag = (field, wireType) => varint((BigInt(field) << 3n) | BigInt(wireType));
// Length-delimited field: bytes, string or embedded message.
export const lenField = (field, bytes) => {
  const b = toBuf(bytes);
  return Buffer.concat([tag(field, WIRE.LEN), varint(b.length), b]);
};
export const varintField = (field, value) => Buffer.concat([tag(field, WIRE.VARINT), varint(value)]);
export const fixed64Field = (field, value) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(value));
  return Buffer.concat([tag(field, WIRE.FIXED64), b]);
};
export const concat = (...parts) => Buffer.concat(parts.flat().filter(Boolean).map(toBuf));

// ---- AnyValue / KeyValue ----
export const anyString = (s) => lenField(1, s);
export const anyInt = (n) => varintField(3, n);
export const anyKvlist = (keyValues) => lenField(6, concat(keyValues.map((kv) => lenField(1, kv))));
export const anyArray = (anyValues) => lenField(5, concat(anyValues.map((v) => lenField(1, v))));
export const keyValue = (key, anyValueBytes) => concat(lenField(1, key), lenField(2, anyValueBytes));
export const stringAttr = (key, value) => keyValue(key, anyString(value));

// kvlist nested `depth` levels deep: {k: {k: {... "leaf"}}}.
export function nestedKvlistAnyValue(depth) {
  let v = anyString('leaf');
  for (let i = 0; i < depth; i++) v = anyKvlist([keyValue('k', v)]);
  return v;
}

// ---- Spans ----
export const newTraceId = () => randomBytes(16);
export const newSpanId = () => randomBytes(8);

// spec: {traceId: Buffer, spanId: Buffer, name, kind, start: BigInt ns, end: BigInt ns, attributes: [KeyValue bytes]}
export function span({ traceId = newTraceId(), spanId = newSpanId(), name = 'span', kind = 1,
  start = 1_700_000_000_000_000_000n, end = 1_700_000_000_001_000_000n, attributes = [] } = {}) {
  return concat(
    lenField(1, traceId),
    lenField(2, spanId),
    lenField(5, name),
    varintField(6, kind),
    fixed64Field(7, start),
    fixed64Field(8, end),
    attributes.map((kv) => lenField(9, kv)),
  );
}

export const resource = (attributes = [stringAttr('service.name', 'integration-test')]) =>
  concat(attributes.map((kv) => lenField(1, kv)));

// ExportTraceServiceRequest with one ResourceSpans / ScopeSpans holding the given span bodies.
export function exportTraces(spanBodies, { resourceAttrs, scopeName = 'integration' } = {}) {
  const scopeSpans = concat(lenField(1, lenField(1, scopeName)), spanBodies.map((s) => lenField(2, s)));
  const resourceSpans = concat(lenField(1, resource(resourceAttrs)), lenField(2, scopeSpans));
  return lenField(1, resourceSpans);
}

// N valid spans with names `${prefix}-${i}`.
export function validTraces(n = 1, prefix = 'ok') {
  return exportTraces(Array.from({ length: n }, (_, i) => span({ name: `${prefix}-${i}` })));
}

// ---- OTLP/JSON ----
export function jsonSpan({ traceId = newTraceId().toString('hex'), spanId = newSpanId().toString('hex'), name = 'span',
  kind = 1, start = '1700000000000000000', end = '1700000000001000000', attributes = [] } = {}) {
  return { traceId, spanId, name, kind, startTimeUnixNano: start, endTimeUnixNano: end, attributes };
}

export function jsonTraces(spans) {
  return {
    resourceSpans: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'integration-test' } }] },
      scopeSpans: [{ scope: { name: 'integration' }, spans }],
    }],
  };
}

// ---- gRPC framing ----
// 5-byte length prefix (compressed flag + big-endian length) followed by the message.
export function grpcFrame(message, { compressed = false, declaredLength } = {}) {
  const m = toBuf(message);
  const head = Buffer.alloc(5);
  head.writeUInt8(compressed ? 1 : 0, 0);
  head.writeUInt32BE(declaredLength ?? m.length, 1);
  return Buffer.concat([head, m]);
}

// ---- Reading (for responses: google.rpc.Status, Export*ServiceResponse) ----
// Top-level fields of a protobuf message: [{field, wireType, value}] where value is a BigInt
// (varint / fixed) or a Buffer (length-delimited). Throws on malformed input.
export function readFields(buf) {
  const out = [];
  let i = 0;
  const readVarint = () => {
    let v = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (i >= buf.length) throw new Error('truncated varint');
      const b = buf[i++];
      v |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return v;
    }
  };
  while (i < buf.length) {
    const t = readVarint();
    const field = Number(t >> 3n);
    const wireType = Number(t & 7n);
    let value;
    if (wireType === WIRE.VARINT) value = readVarint();
    else if (wireType === WIRE.FIXED64) { value = buf.readBigUInt64LE(i); i += 8; }
    else if (wireType === WIRE.FIXED32) { value = BigInt(buf.readUInt32LE(i)); i += 4; }
    else if (wireType === WIRE.LEN) {
      const n = Number(readVarint());
      if (i + n > buf.length) throw new Error('length past end');
      value = buf.subarray(i, i + n);
      i += n;
    } else throw new Error(`unsupported wire type ${wireType}`);
    out.push({ field, wireType, value });
  }
  return out;
}

// google.rpc.Status {code=1, message=2} → {code, message}.
export function decodeRpcStatus(buf) {
  const st = { code: 0, message: '' };
  for (const f of readFields(buf)) {
    if (f.field === 1) st.code = Number(f.value);
    if (f.field === 2) st.message = f.value.toString('utf8');
  }
  return st;
}

// ExportTraceServiceResponse {partial_success=1 {rejected_spans=1, error_message=2}}
// → {partialSuccess: {rejected: BigInt, errorMessage} | undefined}.
export function decodeExportTraceResponse(buf) {
  let partialSuccess;
  for (const f of readFields(buf)) {
    if (f.field !== 1) continue;
    partialSuccess = { rejected: 0n, errorMessage: '' };
    for (const g of readFields(f.value)) {
      if (g.field === 1) partialSuccess.rejected = g.value;
      if (g.field === 2) partialSuccess.errorMessage = g.value.toString('utf8');
    }
  }
  return { partialSuccess };
}

// Names of all spans in OTLP/JSON request objects (e.g. the file exporter's json lines).
export function spanNamesOf(requests) {
  const names = [];
  for (const r of requests) {
    for (const rs of r.resourceSpans ?? []) {
      for (const ss of rs.scopeSpans ?? []) for (const s of ss.spans ?? []) names.push(s.name);
    }
  }
  return names;
}
