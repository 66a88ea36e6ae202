// A real X-Ray client end to end: aws-xray-sdk-core (the AWS X-Ray SDK for Node.js) sends
// segments over UDP, as to the X-Ray daemon, to the `awsxray` receiver (port 0, learned from its
// "AWS X-Ray UDP listening" log line); the pipeline stores them and the Jaeger API gives them
// back with the right parents, names, annotations (tags), metadata and errors. One trace keeps
// its subsegments embedded (nested), the other streams a subsegment as its own document.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';

import AWSXRay from 'aws-xray-sdk-core';

import { tempDir, waitFor, metricValue } from '../support/periscope.mjs';
import { storeConfig, startStore, getJson, tagMap } from '../support/trace_store.mjs';

let p;
let dataDir;
const sent = {}; // SDK segments and subsegments by role

// The store config with the awsxray receiver (port 0) feeding the traces pipeline too.
function xrayConfig() {
  return storeConfig()
    .replace('receivers: {otlp:', 'receivers: {awsxray: {endpoint: "127.0.0.1:0"}, otlp:')
    .replace('traces: {receivers: [otlp]', 'traces: {receivers: [otlp, awsxray]');
}

const jaegerId = (xrayTraceId) => xrayTraceId.slice(2, 10) + xrayTraceId.slice(11);

before(async () => {
  dataDir = tempDir('periscope-xray-e2e-');
  p = await startStore(dataDir, xrayConfig());
  assert.ok(p.ports.xray > 0, 'the receiver logged its bound port');
  AWSXRay.setDaemonAddress(`127.0.0.1:${p.ports.xray}`);
  AWSXRay.setContextMissingStrategy('IGNORE_ERROR');
  AWSXRay.setLogger({ error() {}, warn() {}, info() {}, debug() {} });

  // Trace 1: subsegments embedded in the segment document (the SDK's default below 100).
  const seg = new AWSXRay.Segment('xray-e2e-api');
  seg.addAnnotation('customer', 'c-42');
  seg.addAnnotation('items', 3);
  seg.addMetadata('order', { id: 7, gift: true }, 'shop');
  const load = seg.addNewSubsegment('load-order');
  load.addAnnotation('cache_hit', false);
  const query = load.addNewSubsegment('orders-db');
  query.namespace = 'remote';
  query.close();
  load.close();
  const charge = seg.addNewSubsegment('charge-card');
  charge.close(new Error('card declined'));
  seg.close();
  Object.assign(sent, { seg, load, query, charge });

  // Trace 2: with a streaming threshold of 0, a subsegment closed while another is still open
  // is sent alone (type subsegment, parent_id, trace_id).
  AWSXRay.setStreamingThreshold(0);
  const root = new AWSXRay.Segment('xray-e2e-stream');
  const audit = root.addNewSubsegment('audit');
  const notify = root.addNewSubsegment('notify');
  audit.close();
  notify.close();
  root.close();
  AWSXRay.setStreamingThreshold(100);
  Object.assign(sent, { root, audit, notify });
});

after(async () => {
  if (p) {
    const r = await p.stop();
    p.cleanup();
    assert.deepEqual(r, { code: 0, signal: null }, p.stderr.slice(-3000));
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

// The Jaeger trace once it has `n` spans (UDP has no acknowledgement: poll, don't sleep).
async function jaegerTrace(xrayTraceId, n) {
  return waitFor(async () => {
    const r = await getJson(p, `/api/traces/${jaegerId(xrayTraceId)}`);
    const t = r.status === 200 ? r.body.data?.[0] : undefined;
    return t && t.spans.length >= n ? t : undefined;
  }, { what: `trace ${xrayTraceId} with ${n} spans` });
}

test('embedded subsegments: names, parents, kinds, annotations, metadata and the error', async () => {
  const t = await jaegerTrace(sent.seg.trace_id, 4);
  assert.equal(t.spans.length, 4);
  const spans = Object.fromEntries(t.spans.map((s) => [s.operationName, s]));
  assert.deepEqual(Object.keys(spans).sort(), ['charge-card', 'load-order', 'orders-db', 'xray-e2e-api']);
  for (const [role, name] of [['seg', 'xray-e2e-api'], ['load', 'load-order'], ['query', 'orders-db'], ['charge', 'charge-card']]) {
    assert.equal(spans[name].spanID, sent[role].id, `${name}: span id = the X-Ray id`);
  }
  const ref = (parent) => [{ refType: 'CHILD_OF', traceID: t.traceID, spanID: parent.id }];
  assert.deepEqual(spans['xray-e2e-api'].references, []);
  assert.deepEqual(spans['load-order'].references, ref(sent.seg));
  assert.deepEqual(spans['orders-db'].references, ref(sent.load));
  assert.deepEqual(spans['charge-card'].references, ref(sent.seg));

  assert.equal(t.processes[spans['xray-e2e-api'].processID].serviceName, 'xray-e2e-api');
  const root = tagMap(spans['xray-e2e-api'].tags);
  assert.equal(root['span.kind'], 'server');
  assert.equal(root.customer, 'c-42');
  assert.equal(root.items, 3);
  assert.equal(root['aws.xray.metadata.shop'], '{"order":{"gift":true,"id":7}}');
  assert.equal(root.error, undefined, 'the segment itself did not fail');
  assert.equal(tagMap(spans['load-order'].tags).cache_hit, false);
  assert.equal(tagMap(spans['orders-db'].tags)['span.kind'], 'client', 'namespace remote → CLIENT');

  const charge = tagMap(spans['charge-card'].tags);
  assert.equal(charge.error, true);
  assert.equal(charge['otel.status_code'], 'ERROR');
  assert.equal(charge['otel.status_description'], 'card declined');
  assert.equal(spans['charge-card'].logs.length, 1);
  const ev = tagMap(spans['charge-card'].logs[0].fields);
  assert.equal(ev.event, 'exception');
  assert.equal(ev['exception.type'], 'Error');
  assert.equal(ev['exception.message'], 'card declined');
  assert.match(ev['exception.stacktrace'], /^Error: card declined\n\tat /);
});

test('a separately sent subsegment joins its segment under the right parent', async () => {
  const t = await jaegerTrace(sent.root.trace_id, 3);
  const spans = Object.fromEntries(t.spans.map((s) => [s.operationName, s]));
  assert.deepEqual(Object.keys(spans).sort(), ['audit', 'notify', 'xray-e2e-stream']);
  assert.deepEqual(spans.audit.references, [{ refType: 'CHILD_OF', traceID: t.traceID, spanID: sent.root.id }]);
  assert.deepEqual(spans.notify.references, [{ refType: 'CHILD_OF', traceID: t.traceID, spanID: sent.root.id }]);
  assert.equal(spans.audit.spanID, sent.audit.id);
  // Proof that audit came alone: a document's resource is its own (service.name = its name, as
  // in the collector), while the embedded notify shares the segment's.
  assert.equal(t.processes[spans.audit.processID].serviceName, 'audit');
  assert.equal(t.processes[spans.notify.processID].serviceName, 'xray-e2e-stream');
});

test('self-metrics count the spans accepted over UDP', async () => {
  const accepted = await waitFor(async () => {
    const text = await (await fetch(p.url('metrics', '/metrics'))).text();
    const v = metricValue(text, 'otelcol_receiver_accepted_spans_total', { receiver: 'awsxray', transport: 'udp' });
    return v >= 7 ? v : undefined;
  }, { what: 'accepted spans' });
  assert.equal(accepted, 7);
});
