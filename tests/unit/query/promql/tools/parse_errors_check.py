#!/usr/bin/env python3
"""Checks the answers recorded in parser_prometheus_errors_test.cc against a real Prometheus
(2.42, /usr/bin/prometheus), or prints table rows for new queries (one JSON string a line).
Starts Prometheus on 127.0.0.1 with an empty TSDB, asks GET /api/v1/query?query=…&time=1000
for each query and compares the `error` after `invalid parameter "query": ` (an evaluation
error, or none, means the query parses).
  parse_errors_check.py               # prints the rows whose recorded answer differs
  parse_errors_check.py --rows FILE   # prints C++ rows for the queries in FILE
"""
import json, os, re, shutil, socket, subprocess, sys, tempfile, time
import urllib.parse, urllib.request

TABLE = os.path.join(os.path.dirname(__file__), "..", "parser_prometheus_errors_test.cc")
LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"(sv)?')

def unescape(body):
    out, i = bytearray(), 0
    while i < len(body):
        if body[i] != "\\":
            out += body[i].encode(); i += 1; continue
        n = body[i + 1]
        if n in "01234567":
            j = i + 1
            while j < i + 4 and j < len(body) and body[j] in "01234567": j += 1
            out.append(int(body[i + 1:j], 8)); i = j; continue
        out += {"n": b"\n", "t": b"\t", "r": b"\r", '"': b'"', "\\": b"\\", "?": b"?"}[n]; i += 2
    return bytes(out)

def literal(b):
    out = ""
    for c in b:
        ch = chr(c)
        if ch in '"\\': out += "\\" + ch
        elif ch == "\n": out += "\\n"
        elif ch == "\t": out += "\\t"
        elif ch == "?" and out.endswith("?"): out += "\\?"
        elif 0x20 <= c < 0x7F: out += ch
        else: out += "\\%03o" % c
    return '"%s"%s' % (out, "sv" if b"\0" in b else "")

def recorded():
    """(query, message) pairs; clang-format may split either into adjacent literals."""
    src = open(TABLE).read()
    body = src[src.index("cases[] = {") + len("cases[] = {"):src.index("\n  };")]
    rows, fields, current, i = [], [], b"", 0
    while i < len(body):
        m = LITERAL.match(body, i)
        if m:
            current += unescape(m.group(1)); i = m.end(); continue
        if body[i] == ",":
            fields.append(current); current = b""
        elif body[i] == "}":
            fields.append(current)
            rows.append((fields[0], fields[1].decode())); fields, current = [], b""
        elif body[i] == "{":
            fields, current = [], b""
        i += 1
    return rows

def answer(port, query):
    url = "http://127.0.0.1:%d/api/v1/query?%s" % (port, urllib.parse.urlencode({"query": query, "time": "1000"}))
    try: body = urllib.request.urlopen(url).read()
    except urllib.error.HTTPError as e: body = e.read()
    r = json.loads(body)
    err = r.get("error") or ""
    err = err.removeprefix('invalid parameter "query": ')
    return err if "parse error" in err else ""

def main():
    d = tempfile.mkdtemp()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]
    open(os.path.join(d, "p.yml"), "w").write("global: {scrape_interval: 15s}\n")
    proc = subprocess.Popen(["prometheus", "--config.file=" + os.path.join(d, "p.yml"),
                             "--storage.tsdb.path=" + os.path.join(d, "data"),
                             "--web.listen-address=127.0.0.1:%d" % port],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try: urllib.request.urlopen("http://127.0.0.1:%d/-/ready" % port); break
            except Exception: time.sleep(0.1)
        if len(sys.argv) > 2 and sys.argv[1] == "--rows":
            for line in open(sys.argv[2]):
                q = json.loads(line).encode()
                print("      {%s, %s}," % (literal(q), literal(answer(port, q).encode())))
            return
        rows = recorded()
        bad = [(q, want, answer(port, q)) for q, want in rows]
        bad = [b for b in bad if b[1] != b[2]]
        for q, want, got in bad: print("%r\n  recorded:   %s\n  prometheus: %s" % (q, want, got))
        print("%d rows, %d differ" % (len(rows), len(bad)))
    finally:
        proc.terminate(); proc.wait(); shutil.rmtree(d)

main()
