// Crash-cycle harness shared by the store crash tests (tests/fault/{logs,metrics}_crash):
// senders post OTLP/JSON requests back to back while `periscope serve` is SIGKILLed — by a
// kill point (PERISCOPE_KILL_POINT) or by the harness at a random moment — recording per
// sender which request numbers were sent and which were acknowledged (200).
import assert from 'node:assert/strict';
import { Periscope } from './periscope.mjs';

// Posts request(sender.s, n) to `path` for n = sender.next, next+1, … until the process dies;
// adds n to sender.sent before posting and to sender.acked on a 200.
export async function postUntilDeath(p, path, sender, request) {
  for (;;) {
    const n = sender.next++;
    sender.sent.add(n);
    let r;
    try {
      r = await fetch(p.url('http', path), {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request(sender.s, n)),
      });
      await r.arrayBuffer();
    } catch {
      return;  // the process died with this request in flight
    }
    if (r.status === 200) sender.acked.add(n);
    else if (!p.running()) return;
  }
}

// One life of the server: start on dataDir, send from every sender, die. With killPoint, the
// process must kill itself at that point (its 1-in-`killPoints[killPoint]` hit) within 20 s;
// without, the harness kills it 0.3–1.5 s in (`rand` in [0, 1)).
export async function crashCycle({ config, dataDir, senders, path, request, killPoint, killPoints, rand }) {
  const env = killPoint ? { PERISCOPE_KILL_POINT: `${killPoint}:1/${killPoints[killPoint]}` } : {};
  const p = await Periscope.start(config, { args: ['--data', dataDir], env });
  const running = senders.map((s) => postUntilDeath(p, path, s, request));
  if (killPoint) {
    const result = await Promise.race([p.exited, new Promise((r) => setTimeout(() => r(null), 20000))]);
    assert.ok(result, `kill point ${killPoint} did not fire within 20 s`);
    assert.equal(result.signal, 'SIGKILL', `died at ${killPoint}`);
  } else {
    await new Promise((r) => setTimeout(r, 300 + rand() * 1200));  // the moment of the crash
    p.proc.kill('SIGKILL');
    await p.exited;
  }
  await Promise.all(running);
  p.cleanup();
}
