// Issue-7 processors chained in real pipelines, fed by the OpenTelemetry JS SDK:
//   traces: resourcedetection(env) → resource → attributes → redaction (detectors, URL and SQL
//           sanitisers) → filter → tail_sampling → file
//   logs:   redaction → transform → filter → file
// (probabilistic_sampler is proven by its unit tests: its decisions are per-item hashes.)
// The SDK sends a stream whose right outcome is known trace by trace (errors, slow traces,
// health checks, plain fast traces; attributes and bodies carrying secrets); we read what the
// file exporter wrote and check the exact set of kept traces, that no secret survived anywhere,
// and that every edit the config asks for was made.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync, rmSync } from 'node:fs';

import { trace, context, SpanStatusCode } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';

import { Periscope, metricValue, waitFor, readJsonLines, tempDir } from '../support/periscope.mjs';

const EMAIL = 'jane.doe@example.com';
const CARD = '4111 1111 1111 1111'; // passes the Luhn check
const AWS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const PASSWORD = 'hunter2-very-secret';
const URL_TOKEN = 'tok3n-in-the-query';
const SQL_SECRET = 's3cr3t-literal';
const SECRETS = [EMAIL, CARD, AWS_KEY, PASSWORD, '4111111111111111', URL_TOKEN, SQL_SECRET];

let p;
let dir;
let files;

before(async () => {
  dir = tempDir('periscope-processing-e2e-');
  files = { traces: join(dir, 'traces.jsonl'), logs: join(dir, 'logs.jsonl') };
  p = await Periscope.start(`
receivers:
  otlp:
    protocols:
      http: {endpoint: 127.0.0.1:0}
processors:
  resourcedetection:
    detectors: [env]
  resource:
    attributes:
      - {key: collector, value: periscope, action: insert}
  attributes/tag:
    actions:
      - {key: deployment.environment, action: insert, value: e2e}
      - {key: user.password, action: delete}
      - {key: http.target, pattern: '^/users/(?P<user_id>[0-9]+)$', action: extract}
  redaction:
    allow_all_keys: true
    blocked_values: ['AKIA[0-9A-Z]{16}']
    detectors: [email, credit_card]
    url_sanitizer: {enabled: true}
    db_sanitizer: {sql: {enabled: true}}
    summary: info
  filter/health:
    error_mode: ignore
    traces:
      span: ['attributes["http.route"] == "/health"']
  filter/debug:
    logs:
      log_record: ['severity_number < SEVERITY_NUMBER_INFO']
  transform:
    log_statements:
      - context: log
        statements: ['set(attributes["processed"], true)']
  tail_sampling:
    decision_wait: 300ms
    policies:
      - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
      - {name: slow, type: latency, latency: {threshold_ms: 200}}
exporters:
  file/traces: {path: ${files.traces}}
  file/logs: {path: ${files.logs}}
service:
  telemetry: {metrics: {address: 127.0.0.1:0}}
  pipelines:
    traces:
      receivers: [otlp]
      processors: [resourcedetection, resource, attributes/tag, redaction, filter/health, tail_sampling]
      exporters: [file/traces]
    logs:
      receivers: [otlp]
      processors: [redaction, transform, filter/debug]
      exporters: [file/logs]
`, { env: { OTEL_RESOURCE_ATTRIBUTES: 'cloud.region=eu-west-1,team=payments%20core' } });
});

after(async () => {
  await p?.stop();
  p?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const hex = (id) => id.toLowerCase();
const attrs = (list = []) => Object.fromEntries(list.map((kv) => [kv.key, Object.values(kv.value ?? {})[0]]));

function spansIn(lines) {
  const out = [];
  for (const req of lines) {
    for (const rs of req.resourceSpans ?? []) {
      for (const ss of rs.scopeSpans ?? []) {
        for (const s of ss.spans ?? []) out.push({ resource: attrs(rs.resource?.attributes), span: s, attrs: attrs(s.attributes) });
      }
    }
  }
  return out;
}

async function selfMetrics() {
  const r = await fetch(p.url('metrics', '/metrics'));
  return r.text();
}

test('tail sampling keeps exactly the error and slow traces; edits and redaction applied', async () => {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout' }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: p.url('http', '/v1/traces') }), { maxExportBatchSize: 16 })],
  });
  const tracer = provider.getTracer('e2e');
  const expectKept = new Set();
  const all = new Set();
  const base = Date.now() - 60_000;
  const health = new Set();
  for (let i = 0; i < 30; ++i) {
    const kind = i % 3 === 0 ? 'error' : i % 3 === 1 ? 'slow' : (i % 2 ? 'fast' : 'health');
    const start = base + i * 1000;
    // Health checks are slow: only the filter (not tail sampling) can be what removes them.
    const durationMs = kind === 'slow' || kind === 'health' ? 450 : 20;
    const root = tracer.startSpan(`GET /users/${i}`, {
      startTime: start,
      attributes: {
        'http.target': `/users/${1000 + i}`,
        'http.route': kind === 'health' ? '/health' : '/users/:id',
        'url.full': `https://shop.example.com/users/${i}?access_token=${URL_TOKEN}&page=2`,
        'user.email': EMAIL,
        'user.password': PASSWORD,
        'payment.card': `card ${CARD} on file`,
        'aws.key': AWS_KEY,
      },
    });
    const id = hex(root.spanContext().traceId);
    all.add(id);
    if (kind === 'health') {
      health.add(id);
      root.end(start + durationMs); // a single span: the filter removes the whole trace
      continue;
    }
    const ctx = trace.setSpan(context.active(), root);
    const child = tracer.startSpan('SELECT users', {
      startTime: start + 1,
      attributes: { 'db.system': 'postgresql', 'db.statement': `SELECT * FROM users WHERE pw = '${SQL_SECRET}' AND id = ${i}` },
    }, ctx);
    if (kind === 'error') child.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
    child.end(start + durationMs - 1);
    root.end(start + durationMs);
    if (kind === 'error' || kind === 'slow') expectKept.add(id);
  }
  await provider.forceFlush();
  await provider.shutdown();

  // Every trace that reached tail sampling (health checks were filtered before it) is decided.
  assert.equal(health.size, 5); // i = 2, 8, 14, 20, 26
  const decided = all.size - health.size;
  await waitFor(async () => {
    const text = await selfMetrics();
    const yes = metricValue(text, 'otelcol_processor_tail_sampling_global_count_traces_sampled_total', { sampled: 'true' }) ?? 0;
    const no = metricValue(text, 'otelcol_processor_tail_sampling_global_count_traces_sampled_total', { sampled: 'false' }) ?? 0;
    return yes + no >= decided;
  }, { timeoutMs: 20000, what: 'every trace decided' });
  const spans = await waitFor(() => {
    const got = spansIn(readJsonLines(files.traces));
    return got.length >= expectKept.size * 2 ? got : null;
  }, { what: 'kept spans written' });

  const keptIds = new Set(spans.map((s) => hex(s.span.traceId)));
  assert.deepEqual([...keptIds].sort(), [...expectKept].sort());
  assert.equal(spans.length, expectKept.size * 2);
  const metrics = await selfMetrics();
  assert.equal(metricValue(metrics, 'otelcol_processor_filter_spans_filtered_total', { filter: 'filter/health' }), health.size);
  const sampled = (v) => metricValue(metrics, 'otelcol_processor_tail_sampling_global_count_traces_sampled_total', { sampled: v }) ?? 0;
  assert.equal(sampled('true'), expectKept.size);
  assert.equal(sampled('false'), decided - expectKept.size);

  const text = readFileSync(files.traces, 'utf8');
  for (const secret of SECRETS) assert.equal(text.includes(secret), false, `${secret} leaked`);

  for (const { resource, span, attrs: a } of spans) {
    assert.equal(resource['cloud.region'], 'eu-west-1');
    assert.equal(resource.team, 'payments core');
    assert.equal(resource['service.name'], 'checkout');
    assert.equal(resource.collector, 'periscope');
    assert.equal(a['deployment.environment'], 'e2e');
    assert.equal('user.password' in a, false);
    if (span.parentSpanId) {
      assert.match(a['db.statement'], /^SELECT \* FROM users WHERE pw = \? AND id = \?$/);
      continue;
    }
    assert.match(a['url.full'], /^https:\/\/shop\.example\.com\/users\/\d+\?access_token=\*\*\*\*&page=\*\*\*\*$/);
    assert.match(a['http.target'], /^\/users\/\d+$/);
    assert.equal(a.user_id, a['http.target'].slice('/users/'.length));
    assert.equal(a['aws.key'], '****');
    assert.equal(a['user.email'].includes('@'), false);
    assert.equal(a['payment.card'].startsWith('card '), true);
  }
});

test('logs: bodies redacted, debug records filtered, transform applied', async () => {
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout' }),
    processors: [new SimpleLogRecordProcessor({ exporter: new OTLPLogExporter({ url: p.url('http', '/v1/logs') }) })],
  });
  const logger = provider.getLogger('e2e');
  logger.emit({ severityNumber: SeverityNumber.INFO, body: `payment by ${EMAIL} with ${CARD}` });
  logger.emit({ severityNumber: SeverityNumber.DEBUG, body: 'debug noise' });
  logger.emit({ severityNumber: SeverityNumber.ERROR, body: 'order 1234-5678 failed', attributes: { 'aws.key': AWS_KEY } });
  await provider.forceFlush();
  await provider.shutdown();

  const records = await waitFor(() => {
    const out = [];
    for (const req of readJsonLines(files.logs)) {
      for (const rl of req.resourceLogs ?? []) for (const sl of rl.scopeLogs ?? []) out.push(...(sl.logRecords ?? []));
    }
    return out.length >= 2 ? out : null;
  }, { what: 'log records written' });
  assert.equal(records.length, 2);
  const text = readFileSync(files.logs, 'utf8');
  for (const secret of SECRETS) assert.equal(text.includes(secret), false, `${secret} leaked`);
  assert.equal(text.includes('debug noise'), false);
  // Each record went in its own request, so the file order is not fixed: find them by content.
  const bodies = records.map((r) => r.body.stringValue).sort();
  assert.equal(bodies[0], 'order 1234-5678 failed'); // a look-alike left alone
  assert.match(bodies[1], /^payment by \S+ with \S+/);
  for (const r of records) assert.equal(attrs(r.attributes).processed, true);

  const metrics = await selfMetrics();
  assert.equal(metricValue(metrics, 'otelcol_processor_incoming_items_total', { processor: 'filter/debug', otel_signal: 'logs' }), 3);
  assert.equal(metricValue(metrics, 'otelcol_processor_outgoing_items_total', { processor: 'filter/debug', otel_signal: 'logs' }), 2);
});
