#!/usr/bin/env python3
"""Checks the instant `eval` cases of golden .test files against a real Prometheus.

Converts each file's loads and instant evals into a `promtool test rules` file (one test group
per `clear`-separated section), runs promtool, and prints, per case, what Prometheus returned
when it differs from the file's expectation. Usage:
  promtool_check.py testdata/functions.test [--show]   (--show: print every result)
Range evals are not checked (promtool has no range evaluation).
"""
import math, re, subprocess, sys, tempfile, os, json

def dur(s):
    if re.fullmatch(r"\d+", s): return int(s) * 1000
    total, units = 0, {"ms": 1, "s": 1000, "m": 60000, "h": 3600000, "d": 86400000, "w": 604800000, "y": 31536000000}
    for n, u in re.findall(r"(\d+)(ms|s|m|h|d|w|y)", s): total += int(n) * units[u]
    return total

def parse_values(s):
    out = []
    for tok in s.split():
        if "x" in tok:
            left, n = tok.rsplit("x", 1); n = int(n)
            if left == "_": out += [None] * n; continue
            m = re.fullmatch(r"(.+?)([+-])([^+-]+)", left)
            if m and not m.group(1).endswith(("e", "E")):
                a, b = num(m.group(1)), num(m.group(3)) * (-1 if m.group(2) == "-" else 1)
            else:
                a, b = num(left), 0
            out += [a + b * i for i in range(n + 1)]
        elif tok == "_": out.append(None)
        else: out.append(num(tok))
    return out

def num(t):
    return "stale" if t == "stale" else float(t)

def split_labels(line):
    i = 0
    depth = 0
    while i < len(line):
        c = line[i]
        if c == '"':
            i += 1
            while line[i] != '"':
                i += 2 if line[i] == "\\" else 1
        elif c == "{": depth += 1
        elif c == "}": depth -= 1
        elif c in " \t" and depth == 0: break
        i += 1
    return line[:i], line[i:]

def fmtv(v):
    if v is None: return "_"
    if v == "stale": return "stale"
    if math.isnan(v): return "NaN"
    if math.isinf(v): return "Inf" if v > 0 else "-Inf"
    return repr(v)

def main():
    path = sys.argv[1]; show = "--show" in sys.argv
    lines = open(path).read().split("\n")
    sections, series, cases = [], {}, []
    i = 0
    while i < len(lines):
        l = lines[i].strip(); i += 1
        if not l or l.startswith("#"): continue
        if l.startswith("load "):
            iv = dur(l[5:].strip())
            while i < len(lines) and lines[i][:1] in (" ", "\t"):
                body = lines[i].strip(); i += 1
                if not body: continue
                lab, vals = split_labels(body)
                pts = series.setdefault(lab, {})
                for k, v in enumerate(parse_values(vals)):
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
            if m: cases.append((lineno, m.group(1), dur(m.group(2)), m.group(3), body))
            if r:
                a, b, st = dur(r.group(2)), dur(r.group(3)), dur(r.group(4))
                cases.append((lineno, "range:" + r.group(1), (a, b, st), r.group(5), body))
    sections.append((series, cases))
    fill = {}
    for series, cases in sections:
        if not cases: continue
        times = sorted({t for pts in series.values() for t in pts})
        step = 0
        for t in times: step = math.gcd(step, t)
        step = step or 60000
        inputs = []
        for lab, pts in series.items():
            n = max(pts) // step + 1 if pts else 0
            vals = [pts.get(k * step) for k in range(n)]
            inputs.append({"series": lab, "values": " ".join(fmtv(v) for v in vals)})
        tests = []
        for (_, kind, t, q, _) in cases:
            for ts in (range(t[0], t[1] + 1, t[2]) if kind.startswith("range:") else [t]):
                tests.append({"expr": q, "eval_time_ms": ts, "exp_samples": []})
        # promtool only sees samples up to its last evaluation-interval tick before the
        # latest eval_time: add a trivial test past all data and eval times.
        last = max([max(pts) for pts in series.values() if pts] + [tt["eval_time_ms"] for tt in tests] + [0])
        tests.append({"expr": "1", "eval_time_ms": (last // 60000 + 2) * 60000, "exp_samples": []})
        for tt in tests: tt["eval_time"] = f'{tt.pop("eval_time_ms")}ms'
        doc = {"evaluation_interval": "1m", "tests": [{"interval": f"{step}ms", "input_series": inputs, "promql_expr_test": tests}]}
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
            json.dump(doc, f)
        out = subprocess.run(["promtool", "test", "rules", f.name], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout
        if os.environ.get("DEBUG"): print(out); print(open(f.name).read())
        os.unlink(f.name)
        # Split promtool's report per expression.
        results = {}
        for block in re.split(r"\n\s*\n", out):
            m = re.search(r'expr: "(.*)", time: (\S+),', block)
            if not m: continue
            key = (json.loads('"' + m.group(1) + '"'), m.group(2))
            err = re.search(r"time: [^,]*, err: (.*)", block)
            got = re.search(r"got: (.*)", block, re.S)
            results.setdefault(key, []).append("ERROR " + err.group(1) if err else (got.group(1).strip() if got else block))
        for (lineno, kind, t, q, body) in cases:
            if kind.startswith("range:"):
                check_range(path, lineno, kind, t, q, body, results, fill, show)
                continue
            got = results.get((q, fmt_promtool_time(t)))
            prom = parse_got(got)
            mine = [normalize(b) for b in body if not b.startswith("#")]
            if kind == "eval_fail":
                ok = prom is not None and prom[0] == "error"
                msg = [b[len("expected_fail_message "):] for b in body if b.startswith("expected_fail_message ")]
                if msg and ok and msg[0] != prom[1]: ok = False
                if not ok or show: print(f"{path}:{lineno}: eval_fail {q}\n    prom: {got}\n")
                continue
            if prom is not None and prom[0] == "error":
                print(f"{path}:{lineno}: {q}\n    prom ERROR: {prom[1]}\n"); continue
            want = [] if prom is None else prom[1]
            if kind != "eval_ordered":  # promtool sorts its output: keep the file's order
                fill[lineno] = want
            if not same(mine, want) or show:
                print(f"{path}:{lineno}: at {t/1000:g}s {q}\n    file: {mine}\n    prom: {want}\n")
    if "--fill" in sys.argv:
        out, i = [], 0
        while i < len(lines):
            out.append(lines[i]); i += 1
            if i in fill:  # i is the 1-based number of the eval line just copied
                ln = i
                while i < len(lines) and lines[i][:1] in (" ", "\t") and lines[i].strip() and not lines[i].strip().startswith("#"):
                    i += 1
                out += ["  " + e for e in fill[ln]]
        open(path, "w").write("\n".join(out))

def check_range(path, lineno, kind, t, q, body, results, fill, show):
    steps = list(range(t[0], t[1] + 1, t[2]))
    series = {}
    for k, ts in enumerate(steps):
        prom = parse_got(results.get((q, fmt_promtool_time(ts))))
        if prom is None: continue
        if prom[0] == "error":
            if kind != "range:eval_fail": print(f"{path}:{lineno}: {q} at {ts}ms\n    prom ERROR: {prom[1]}\n")
            return
        for e in prom[1]:
            lab, v = e.rsplit(" ", 1) if "{" in e else ("{}", e)
            series.setdefault(lab, ["_"] * len(steps))[k] = v
    if kind == "range:eval_fail":
        print(f"{path}:{lineno}: range eval_fail {q}: Prometheus gave no error per step\n"); return
    want = sorted(f"{lab} {' '.join(vals)}" for lab, vals in series.items())
    mine = sorted(" ".join(b.split()) for b in body if not b.startswith("#"))
    if mine != want or show:
        print(f"{path}:{lineno}: range {q}\n    file: {mine}\n    prom: {want}\n")
    fill[lineno] = want

def fmtnum(v):
    if math.isnan(v): return "NaN"
    if math.isinf(v): return "Inf" if v > 0 else "-Inf"
    if v == int(v) and abs(v) < 1e15: return str(int(v))
    return repr(v)

def parse_got(got):
    if got is None: return None
    text = "\n".join(got)
    if text.startswith("ERROR "): return ("error", text[6:])
    elems = []
    for m in re.finditer(r'\{((?:[^"}]|"(?:[^"\\]|\\.)*")*)\} (\S+?)(?:,|$|\s)', text):
        labs = re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(1))
        name = dict(labs).get("__name__", "")
        rest = ", ".join(f'{k}="{v}"' for k, v in sorted(labs) if k != "__name__")
        elems.append((name + "{" + rest + "} " + fmtnum(float(m.group(2)))))
    if not elems:
        m = re.fullmatch(r"\s*(\S+)\s*", text)
        if m:
            try: return ("ok", [fmtnum(float(m.group(1)))])
            except ValueError: pass
    return ("ok", sorted(elems))

def normalize(line):
    lab, val = split_labels(line)
    m = re.fullmatch(r"(\w*)\{(.*)\}", lab)
    if not m:
        try: return fmtnum(float(line))
        except ValueError: return line
    labs = re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(2))
    rest = ", ".join(f'{k}="{v}"' for k, v in sorted(labs))
    try: v = fmtnum(float(val.strip()))
    except ValueError: v = val.strip()
    return m.group(1) + "{" + rest + "} " + v

def same(a, b):
    if len(a) != len(b): return False
    for x, y in zip(sorted(a), sorted(b)):
        if x == y: continue
        lx, vx = x.rsplit(" ", 1) if " " in x else ("", x)
        ly, vy = y.rsplit(" ", 1) if " " in y else ("", y)
        try:
            fx, fy = float(vx), float(vy)
        except ValueError:
            return False
        if lx != ly: return False
        if not (fx == fy or (math.isnan(fx) and math.isnan(fy)) or abs(fx - fy) <= 1e-9 * max(abs(fx), abs(fy))): return False
    return True

def fmt_promtool_time(ms):
    # Prometheus's model.Duration spelling, which promtool prints.
    if ms == 0: return "0s"
    r = ""
    for unit, mult, exact in (("y", 31536000000, True), ("w", 604800000, True), ("d", 86400000, False),
                              ("h", 3600000, False), ("m", 60000, False), ("s", 1000, False), ("ms", 1, False)):
        if exact and ms % mult: continue
        if ms // mult > 0:
            r += f"{ms // mult}{unit}"; ms -= (ms // mult) * mult
    return r

main()
