// The command line: help, version, validate (every error at once, with file:line:column), serve
// with a bad config, and a clean exit on SIGTERM / SIGINT.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { BINARY, Periscope, tempDir, waitFor } from '../support/periscope.mjs';

const dir = tempDir('periscope-cli-');
after(() => rmSync(dir, { recursive: true, force: true }));

// Runs the binary to completion (with a deadline) and returns { code, signal, stdout, stderr }.
async function run(args, { env = {}, timeoutMs = 20000 } = {}) {
  const env2 = { ...process.env, ...env };
  delete env2.NOPE;
  const proc = spawn(BINARY, args, { env: env2, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
  proc.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
  const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
  const [code, signal] = await once(proc, 'close');
  clearTimeout(timer);
  return { code, signal, stdout, stderr };
}

function writeConfig(name, text) {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const GOOD = `receivers:
  otlp:
    protocols:
      grpc:
        endpoint: \${env:GRPC_ENDPOINT:-127.0.0.1:0}
      http:
        endpoint: 127.0.0.1:0
processors:
  batch:
    timeout: 1s
    send_batch_size: 100
  memory_limiter:
    check_interval: 1s
    limit_mib: 512
exporters:
  debug:
    verbosity: detailed
  file:
    path: ${join(dir, 'out.jsonl')}
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [memory_limiter, batch]
      exporters: [debug, file]
    logs:
      receivers: [otlp]
      exporters: [debug]
`;

// Five mistakes that do not depend on the environment; the comment gives each one's line.
const MISTAKES = `receivers:
  otlp:
    protocols:
      grpc:
        endpiont: 127.0.0.1:4317
      http:
        endpoint: 127.0.0.1:4318
processors:
  batch:
    timeout: 5 seconds
  frobnicate:
exporters:
  debug:
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch, frobnicate]
      exporters: [debug, otlp/missing]
`;
// line 5: misspelt key; line 10: bad duration; line 11: unknown processor type;
// line 18: pipeline references that processor; line 19: pipeline references an undefined exporter.

// The same plus an unset environment variable on line 7.
const MISTAKES_AND_ENV = MISTAKES.replace('endpoint: 127.0.0.1:4318', 'endpoint: ${env:NOPE}');

// "file:line:column: ..." lines of an error listing.
function errorLines(text, path) {
  return text.split('\n').filter((l) => l.startsWith(`${path}:`)).map((l) => {
    const m = l.slice(path.length).match(/^:(\d+):(\d+): (.*)$/);
    assert.ok(m, `not file:line:column: ${l}`);
    return { line: Number(m[1]), column: Number(m[2]), message: m[3] };
  });
}

function assertMistakesListed(errs, out) {
  const at = (line) => errs.filter((e) => e.line === line);
  const one = (line, re) => {
    const hit = at(line).find((e) => re.test(e.message));
    assert.ok(hit, `no error on line ${line} matching ${re}:\n${out}`);
    return hit;
  };
  const key = one(5, /endpiont/);
  assert.match(key.message, /did you mean "endpoint"/);
  assert.equal(key.column, 9, 'column of the misspelt key');
  one(10, /5 seconds/);
  one(11, /frobnicate/);
  one(18, /frobnicate/);
  one(19, /otlp\/missing/);
}

test('--help lists the commands and exits 0', async () => {
  const r = await run(['--help']);
  assert.equal(r.code, 0);
  const text = r.stdout + r.stderr;
  for (const cmd of ['serve', 'validate', 'components', 'version']) assert.match(text, new RegExp(`^\\s+${cmd}\\b`, 'm'), `--help lists ${cmd}`);
  assert.match(text, /Usage: periscope/);

  for (const sub of ['serve', 'validate']) {
    const s = await run([sub, '--help']);
    assert.equal(s.code, 0, `${sub} --help`);
    assert.match(s.stdout + s.stderr, new RegExp(`Usage: periscope ${sub}`));
  }
  const v = await run(['validate', '--help']);
  assert.match(v.stdout + v.stderr, /--config/);
});

test('an unknown command is a usage error', async () => {
  const r = await run(['frobnicate']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /unknown command "frobnicate"/);
});

test('version prints the version', async () => {
  const r = await run(['version']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^periscope \d+\.\d+\.\d+/);
});

test('validate accepts a valid config (exit 0)', async () => {
  const path = writeConfig('good.yaml', GOOD);
  const r = await run(['validate', '--config', path]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout + r.stderr, /valid/);
  assert.doesNotMatch(r.stderr, /error/i);
});

test('validate lists every mistake with file:line:column and exits 1', async () => {
  const path = writeConfig('mistakes.yaml', MISTAKES);
  const r = await run(['validate', '--config', path]);
  assert.equal(r.code, 1);
  const errs = errorLines(r.stderr, path);
  assertMistakesListed(errs, r.stderr);
  assert.equal(errs.length, 5, r.stderr);
  assert.match(r.stderr, /5 error\(s\)/);
});

test('validate reports an unset ${env:NOPE} with its position', async () => {
  const path = writeConfig('env.yaml', `receivers:\n  otlp:\n    protocols:\n      http:\n        endpoint: \${env:NOPE}\n`);
  const r = await run(['validate', '--config', path]);
  assert.equal(r.code, 1);
  const errs = errorLines(r.stderr, path);
  assert.ok(errs.some((e) => e.line === 5 && /NOPE/.test(e.message)), r.stderr);
});

test('validate lists an unset ${env:NOPE} together with every other mistake', async () => {
  const path = writeConfig('mistakes_env.yaml', MISTAKES_AND_ENV);
  const r = await run(['validate', '--config', path]);
  assert.equal(r.code, 1);
  const errs = errorLines(r.stderr, path);
  assert.ok(errs.some((e) => e.line === 7 && /NOPE/.test(e.message)), `unset variable on line 7:\n${r.stderr}`);
  assertMistakesListed(errs, r.stderr);
  assert.equal(errs.length, 6, r.stderr);
});

test('validate without --config or with a missing file fails', async () => {
  const none = await run(['validate']);
  assert.notEqual(none.code, 0);
  assert.match(none.stderr, /--config/);
  const missing = await run(['validate', '--config', join(dir, 'does-not-exist.yaml')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /does-not-exist\.yaml/);
});

test('serve with an invalid config exits 1 with the errors and binds nothing', async () => {
  const path = writeConfig('serve_mistakes.yaml', MISTAKES);
  const r = await run(['serve', '--config', path, '--log-format', 'json']);
  assert.equal(r.code, 1);
  assertMistakesListed(errorLines(r.stderr, path), r.stderr);
  assert.doesNotMatch(r.stderr, /listening/);
  assert.doesNotMatch(r.stderr, /everything is ready/);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  test(`${signal} while serving: clean shutdown, exit 0, "stopped" logged`, async () => {
    const p = await Periscope.start(GOOD.replace(`path: ${join(dir, 'out.jsonl')}`, `path: ${join(dir, `out-${signal}.jsonl`)}`) + `  telemetry:
    metrics:
      address: 127.0.0.1:0
`, { args: ['--data', join(dir, `data-${signal}`)] });
    try {
      assert.ok(p.ports.grpc > 0 && p.ports.http > 0 && p.ports.metrics > 0, JSON.stringify(p.ports));
      // Serving for real: the HTTP receiver answers.
      const res = await fetch(p.url('http', '/v1/logs'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.equal(res.status, 200);
      const { code, signal: sig } = await p.stop(signal);
      assert.equal(sig, null, 'exited by itself, not killed by the signal');
      assert.equal(code, 0, p.stderr);
      await waitFor(() => p.logs.some((l) => l.msg === 'stopped'), { timeoutMs: 2000, what: '"stopped" log line' });
      assert.ok(p.logs.some((l) => /shutting down/.test(l.msg) && l.signal === signal), `shutdown logged with its signal:\n${p.stderr}`);
      const last = p.logs.at(-1);
      assert.equal(last.msg, 'stopped', 'the last log line');
      // The listeners are closed.
      await assert.rejects(fetch(p.url('http', '/v1/logs'), { method: 'POST', body: '{}' }));
    } finally {
      await p.stop('SIGKILL');
      p.cleanup();
    }
  });
}
