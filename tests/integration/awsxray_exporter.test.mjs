// The awsxray exporter in the real binary: OTLP/JSON in over HTTP, X-Ray segment documents out
// as daemon-protocol UDP datagrams to a socket standing in for the X-Ray daemon.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';

import { Periscope, waitFor } from '../support/periscope.mjs';

const HEADER = '{"format": "json", "version": 1}\n';

test('OTLP spans reach the X-Ray daemon as segment and subsegment documents', async () => {
  const daemon = createSocket('udp4');
  const datagrams = [];
  daemon.on('message', (msg) => datagrams.push(msg.toString('utf8')));
  daemon.bind(0, '127.0.0.1');
  await once(daemon, 'listening');
  const p = await Periscope.start(`
receivers:
  otlp:
    protocols:
      http: {endpoint: "127.0.0.1:0"}
exporters:
  awsxray:
    local_mode: true
    daemon_address: "127.0.0.1:${daemon.address().port}"
    indexed_attributes: [tenant]
service:
  telemetry:
    metrics: {address: "127.0.0.1:0"}
  pipelines:
    traces: {receivers: [otlp], exporters: [awsxray]}
`);
  try {
    const epoch = Math.floor(Date.now() / 1000).toString(16).padStart(8, '0');
    const traceId = `${epoch}77b34da6a3ce929d0e0e4736`;
    const start = BigInt(Date.now()) * 1000000n;
    const body = {
      resourceSpans: [{
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }] },
        scopeSpans: [{
          spans: [
            {
              traceId, spanId: '53995c3f42cd8ad8', name: 'GET /cart', kind: 2,
              startTimeUnixNano: String(start), endTimeUnixNano: String(start + 2000000n),
              attributes: [
                { key: 'http.method', value: { stringValue: 'GET' } },
                { key: 'http.status_code', value: { intValue: '503' } },
                { key: 'tenant', value: { stringValue: 't-1' } },
              ],
            },
            {
              traceId, spanId: '0102030405060708', parentSpanId: '53995c3f42cd8ad8', name: 'SELECT', kind: 3,
              startTimeUnixNano: String(start), endTimeUnixNano: String(start + 1000000n),
              attributes: [
                { key: 'db.system', value: { stringValue: 'postgresql' } },
                { key: 'db.name', value: { stringValue: 'shop' } },
              ],
            },
          ],
        }],
      }],
    };
    const res = await fetch(p.url('http', '/v1/traces'), {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
    assert.equal(res.status, 200);
    await waitFor(() => datagrams.length >= 2, { what: 'two datagrams' });
    for (const d of datagrams) assert.ok(d.startsWith(HEADER), d);
    const docs = datagrams.map((d) => JSON.parse(d.slice(HEADER.length)));
    const segment = docs.find((d) => d.id === '53995c3f42cd8ad8');
    const sub = docs.find((d) => d.id === '0102030405060708');
    assert.equal(segment.trace_id, `1-${epoch}-77b34da6a3ce929d0e0e4736`);
    assert.equal(segment.name, 'checkout');
    assert.equal(segment.type, undefined);
    assert.equal(segment.fault, true);
    assert.deepEqual(segment.http, { request: { method: 'GET' }, response: { status: 503 } });
    assert.deepEqual(segment.annotations, { tenant: 't-1' });
    assert.equal(sub.type, 'subsegment');
    assert.equal(sub.parent_id, '53995c3f42cd8ad8');
    assert.equal(sub.namespace, 'remote');
    assert.equal(sub.name, 'shop');
    assert.equal(sub.sql.database_type, 'postgresql');
    assert.equal(sub.sql.connection_string, 'localhost/shop');
  } finally {
    await p.stop();
    p.cleanup();
    daemon.close();
  }
});
