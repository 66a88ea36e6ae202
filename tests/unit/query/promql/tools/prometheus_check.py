#!/usr/bin/env python3
"""Checks golden .test files against a real Prometheus server (2.42, /usr/bin/prometheus):
for each `clear`-separated section, starts Prometheus on 127.0.0.1 with an empty TSDB and the
remote-write receiver, writes the section's samples (stale markers included), runs every
`eval instant` through /api/v1/query and every `eval range` through /api/v1/query_range, and
prints the cases whose results differ from the file. Unlike promtool_check.py this covers
range-query semantics (`@ start()`/`end()`, step-invariant expressions) as the server has them.
  prometheus_check.py testdata/range_queries.test [--show] [--fill]
"""
import json, math, os, re, shutil, socket, struct, subprocess, sys, tempfile, time
import urllib.parse, urllib.request

sys.path.insert(0, os.path.dirname(__file__))
STALE = struct.unpack("<d", struct.pack("<Q", 0x7ff0000000000002))[0]

def load_helpers():
    ns = {}
    src = open(os.path.join(os.path.dirname(__file__), "promtool_check.py")).read()
    exec(src.replace("\nmain()\n", "\n"), ns)
    return ns
H = load_helpers()

def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F; n >>= 7
        if n: out.append(b | 0x80)
        else: out.append(b); return bytes(out)

def field(num, wire, payload):
    if wire == 2: return varint(num << 3 | 2) + varint(len(payload)) + payload
    if wire == 1: return varint(num << 3 | 1) + payload
    return varint(num << 3 | 0) + varint(payload)

def write_request(series):
    out = bytearray()
    for labels, samples in series:
        ts = bytearray()
        for k, v in sorted(labels.items()):
            ts += field(1, 2, field(1, 2, k.encode()) + field(2, 2, v.encode()))
        for t, v in samples:
            ts += field(2, 2, field(1, 1, struct.pack("<d", v)) + field(2, 0, t & 0xFFFFFFFFFFFFFFFF))
        out += field(1, 2, bytes(ts))
    return bytes(out)

def snappy_literal(data):
    # A valid snappy block made of literals only (no compression needed for correctness).
    out = bytearray(varint(len(data)))
    for i in range(0, len(data), 65536):
        chunk = data[i:i + 65536]; n = len(chunk) - 1
        if n < 60: out.append(n << 2)
        elif n < 256: out += bytes([60 << 2, n])
        else: out += bytes([61 << 2]) + struct.pack("<H", n)
        out += chunk
    return bytes(out)

def parse_labels(lab):
    m = re.fullmatch(r"(\w*)(?:\{(.*)\})?", lab)
    labels = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(2) or ""))
    if m.group(1): labels["__name__"] = m.group(1)
    return {k: v for k, v in labels.items() if v != ""}

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def api(port, path, params):
    url = f"http://127.0.0.1:{port}{path}?" + urllib.parse.urlencode(params)
    try:
        with urllib.request.urlopen(url) as r: return json.load(r)
    except urllib.error.HTTPError as e:
        return json.load(e)

def fmt(v):
    return H["fmtnum"](float(v))

def result_lines(d):
    if d["status"] != "success": return ("error", d["error"])
    data = d["data"]; rt = data["resultType"]
    if rt == "scalar": return ("ok", ["{} " + fmt(data["result"][1])])
    if rt == "string": return ("ok", ['"' + data["result"][1] + '"'])
    out = []
    for s in data["result"]:
        m = dict(s["metric"]); name = m.pop("__name__", "")
        lab = name + "{" + ", ".join(f'{k}="{v}"' for k, v in sorted(m.items())) + "}"
        if "value" in s: out.append(f"{lab} {fmt(s['value'][1])}")
        else: out.append((lab, {int(round(float(t) * 1000)): fmt(v) for t, v in s["values"]}))
    return ("ok", out)

def run_section(path, series, cases, show):
    port = free_port()
    tmp = tempfile.mkdtemp()
    cfg = os.path.join(tmp, "prom.yml")
    open(cfg, "w").write("global:\n  scrape_interval: 1h\n")
    proc = subprocess.Popen(["prometheus", f"--config.file={cfg}", f"--storage.tsdb.path={tmp}/data",
                             f"--web.listen-address=127.0.0.1:{port}", "--web.enable-remote-write-receiver",
                             "--storage.tsdb.retention.time=100y"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/-/ready"); break
            except Exception: time.sleep(0.1)
        batch = []
        for lab, pts in series.items():
            samples = [(t, STALE if v == "stale" else v) for t, v in sorted(pts.items())]
            batch.append((parse_labels(lab), samples))
        body = snappy_literal(write_request(batch))
        req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/write", data=body, method="POST",
            headers={"Content-Encoding": "snappy", "Content-Type": "application/x-protobuf",
                     "X-Prometheus-Remote-Write-Version": "0.1.0"})
        urllib.request.urlopen(req).read()
        for (lineno, kind, t, q, body) in cases:
            mine = [H["normalize"](b) for b in body if not b.startswith("#") and not b.startswith("expected_fail")]
            if kind.startswith("range:"):
                a, b, st = t
                res = result_lines(api(port, "/api/v1/query_range", {"query": q, "start": a / 1000, "end": b / 1000, "step": st / 1000}))
                if res[0] == "ok":
                    steps = list(range(a, b + 1, st))
                    res = ("ok", sorted(f"{lab} {' '.join(pts.get(s, '_') for s in steps)}" for lab, pts in res[1]))
                    mine = sorted(" ".join(x.split()) for x in body if not x.startswith("#"))
            else:
                res = result_lines(api(port, "/api/v1/query", {"query": q, "time": t / 1000}))
                if res[0] == "ok" and res[1] and isinstance(res[1][0], tuple):
                    res = ("ok", sorted(f"{lab} " + " ".join(f"{v}@{k}ms" for k, v in sorted(p.items())) for lab, p in res[1]))
                    mine = None  # matrix results: printed only with --show
            fail = "fail" in kind
            if not fail and res[0] == "ok" and mine is not None and kind != "eval_ordered":
                FILL[lineno] = sorted(res[1])
            if not fail and res[0] == "error":
                FAILS[lineno] = res[1]
            if fail:
                ok = res[0] == "error"
            else:
                ok = res[0] == "ok" and (mine is None or H["same"](mine, res[1]) or same_rows(mine, res[1]))
            if not ok or show:
                print(f"{path}:{lineno}: {q}\n    file: {mine}\n    prom: {res}\n")
    finally:
        proc.terminate(); proc.wait(); shutil.rmtree(tmp, ignore_errors=True)

def same_rows(a, b):
    if len(a) != len(b): return False
    for x, y in zip(sorted(a), sorted(b)):
        xs, ys = x.split(" "), y.split(" ")
        if len(xs) != len(ys): return False
        lab_x = " ".join(xs[:len(xs)]).split("} ")[0]
        for u, v in zip(xs, ys):
            if u == v: continue
            try:
                fu, fv = float(u), float(v)
            except ValueError:
                return False
            if not (abs(fu - fv) <= 1e-9 * max(abs(fu), abs(fv)) or (math.isnan(fu) and math.isnan(fv))): return False
    return True

def main():
    path = sys.argv[1]; show = "--show" in sys.argv
    lines = open(path).read().split("\n")
    sections, series, cases = [], {}, []
    i = 0
    while i < len(lines):
        l = lines[i].strip(); i += 1
        if not l or l.startswith("#"): continue
        if l.startswith("load "):
            iv = H["dur"](l[5:].strip())
            while i < len(lines) and lines[i][:1] in (" ", "\t"):
                b = lines[i].strip(); i += 1
                if not b: continue
                lab, vals = H["split_labels"](b)
                pts = series.setdefault(lab, {})
                for k, v in enumerate(H["parse_values"](vals)):
                    if v is not None: pts[k * iv] = v
        elif l == "clear":
            sections.append((series, cases)); series, cases = {}, []
        elif l.startswith("eval"):
            lineno = i
            m = re.match(r"(eval|eval_ordered|eval_fail) instant at (\S+) (.*)", l)
            r = re.match(r"(eval|eval_fail) range from (\S+) to (\S+) step (\S+) (.*)", l)
            body = []
            while i < len(lines) and lines[i][:1] in (" ", "\t"):
                body.append(lines[i].strip()); i += 1
            if m: cases.append((lineno, m.group(1), H["dur"](m.group(2)), m.group(3), body))
            if r: cases.append((lineno, "range:" + r.group(1), (H["dur"](r.group(2)), H["dur"](r.group(3)), H["dur"](r.group(4))), r.group(5), body))
    sections.append((series, cases))
    for series, cases in sections:
        if cases: run_section(path, series, cases, show)
    if "--fill" in sys.argv:  # write Prometheus's results as the expectations
        out, i = [], 0
        while i < len(lines):
            out.append(lines[i]); i += 1
            if i in FAILS:  # Prometheus rejects it: expect that error
                out[-1] = out[-1].replace("eval ", "eval_fail ", 1)
                out.append("  expected_fail_message " + FAILS[i])
                while i < len(lines) and lines[i][:1] in (" ", "\t") and lines[i].strip():
                    i += 1
            if i in FILL:
                ln = i
                while i < len(lines) and lines[i][:1] in (" ", "\t") and lines[i].strip() and not lines[i].strip().startswith("#"):
                    i += 1
                out += ["  " + e for e in FILL[ln]]
        open(path, "w").write("\n".join(out))

FILL = {}
FAILS = {}

main()
