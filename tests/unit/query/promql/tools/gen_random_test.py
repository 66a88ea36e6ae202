#!/usr/bin/env python3
"""Generates a file of random PromQL range queries (nested functions, aggregations, binary
and set operators, subqueries, offsets) over the data of testdata/jittered_scrapes.test:
  gen_random_test.py <seed> testdata/random_queries.test
  prometheus_check.py testdata/random_queries.test --fill   # expectations from Prometheus
Used to hunt for differences from Prometheus; seed 7 is committed."""
import random, sys
random.seed(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
data = open('testdata/jittered_scrapes.test').read().split('\neval')[0]
sel = ['requests_total', 'inflight', 'latency_bucket', 'requests_total{service="api"}', 'inflight{instance=~"1|2"}', 'latency_bucket{le="0.5"}', 'inflight{service!="db"}']
rng = ['30s', '1m', '2m', '5m']
def vec(d):
    c = random.random()
    if d <= 0 or c < 0.25:
        s = random.choice(sel)
        if random.random() < 0.15: s += " offset " + random.choice(['1m', '30s', '-1m'])
        return s
    if c < 0.45:
        f = random.choice(['rate', 'irate', 'increase', 'delta', 'idelta', 'deriv', 'changes', 'resets', 'avg_over_time', 'max_over_time', 'min_over_time', 'sum_over_time', 'count_over_time', 'stddev_over_time', 'last_over_time', 'present_over_time'])
        if random.random() < 0.2:
            return f"{f}(({vec(d-1)})[{random.choice(rng)}:{random.choice(['', '15s', '1m'])}])"
        return f"{f}({random.choice(sel)}[{random.choice(rng)}])"
    if c < 0.65:
        op = random.choice(['sum', 'avg', 'max', 'min', 'count', 'stddev', 'group'])
        g = random.choice(['', ' by (service)', ' by (instance)', ' without (instance)', ' by (le, service)', ' without (le)'])
        return f"{op}{g} ({vec(d-1)})"
    if c < 0.8:
        op = random.choice(['+', '-', '*', '/', '>', '<', '>=', '!=', '> bool', '< bool', '%'])
        if random.random() < 0.5:
            return f"({vec(d-1)}) {op} {random.choice(['2', '0.5', '10', '-1', '100'])}"
        a, b = vec(d-1), vec(d-1)
        m = random.choice(['', ' on(service, instance)', ' ignoring(le)', ''])
        return f"({a}) {op}{m} ({b})"
    if c < 0.88:
        f = random.choice(['abs', 'ceil', 'floor', 'sqrt', 'ln', 'exp', 'sgn', 'timestamp', 'log2'])
        return f"{f}({vec(d-1)})"
    if c < 0.94:
        return f"histogram_quantile({random.choice(['0.5', '0.9', '0.99'])}, sum by (le{random.choice(['', ', service'])}) (rate(latency_bucket[{random.choice(rng)}])))"
    s = random.choice(['and', 'or', 'unless'])
    return f"({vec(d-1)}) {s} on({random.choice(['service', 'instance', 'service, instance'])}) ({vec(d-1)})"
out = [data.rstrip()]
seen = set()
while len(seen) < 150:
    q = vec(3)
    if q in seen: continue
    seen.add(q)
    out += ["", f"eval range from 10m to 40m step 53s {q}"]
open(sys.argv[2], 'w').write("\n".join(out) + "\n")
