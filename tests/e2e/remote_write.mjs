// Prometheus remote-write requests for tests: protobuf (protobufjs) + snappy block format
// (snappyjs), both from npm, so the encoding is not Periscope's own.
import protobuf from 'protobufjs';
import snappy from 'snappyjs';

const root = protobuf.Root.fromJSON({
  nested: {
    prometheus: {
      nested: {
        WriteRequest: { fields: { timeseries: { rule: 'repeated', type: 'TimeSeries', id: 1 } } },
        TimeSeries: {
          fields: {
            labels: { rule: 'repeated', type: 'Label', id: 1 },
            samples: { rule: 'repeated', type: 'Sample', id: 2 },
          },
        },
        Label: { fields: { name: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
        Sample: { fields: { value: { type: 'double', id: 1 }, timestamp: { type: 'int64', id: 2 } } },
      },
    },
  },
});
const WriteRequest = root.lookupType('prometheus.WriteRequest');

// The stale marker Prometheus writes when a series ends.
export const STALE_NAN = new Float64Array(new BigUint64Array([0x7ff0000000000002n]).buffer)[0];

// series: [{labels: {__name__, ...}, samples: [[t_ms, value], ...]}]. Labels are sent sorted.
export function encodeWriteRequest(series) {
  const timeseries = series.map((s) => ({
    labels: Object.keys(s.labels).sort().map((name) => ({ name, value: String(s.labels[name]) })),
    samples: s.samples.map(([t, v]) => ({ value: v, timestamp: t })),
  }));
  const bytes = WriteRequest.encode(WriteRequest.create({ timeseries })).finish();
  return snappy.compress(bytes);
}

export async function remoteWrite(url, series) {
  const r = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-protobuf',
      'Content-Encoding': 'snappy',
      'X-Prometheus-Remote-Write-Version': '0.1.0',
    },
    body: encodeWriteRequest(series),
  });
  return { status: r.status, body: await r.text() };
}
