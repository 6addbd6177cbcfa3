#!/usr/bin/env python3
"""Pull the table data JMeter's -g inlined into content/js/dashboard.js
(APDEX, requests summary, errors, top 5 errors) into plain JSON, so tests
can compare against it without keeping any part of JMeter's page.
With --graphs, pull the graph data of content/js/graph.js instead.
Usage: extract_dashboard.py [--graphs] <jmeter-report-dir> > name.dashboard.json"""
import json, math, re, sys

def fix(v):
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity")
    if isinstance(v, list):
        return [fix(x) for x in v]
    if isinstance(v, dict):
        return {k: fix(x) for k, x in v.items()}
    return v

dec = json.JSONDecoder()
if sys.argv[1] == "--graphs":
    src = open(sys.argv[2] + "/content/js/graph.js", encoding="utf-8").read()
    out = {}
    for m in re.finditer(r"var (\w+)Infos = \{\s*data\s*:\s*", src):
        obj, _ = dec.raw_decode(src[m.end():])
        res = obj["result"]
        for s in res.get("series", []):
            s["data"] = sorted(s["data"])
        out[m.group(1)] = res
    # one graph per line keeps the file small and diffable
    print("{\n" + ",\n".join(json.dumps(k) + ": " + json.dumps(fix(out[k]), ensure_ascii=False, sort_keys=True, separators=(",", ":")) for k in sorted(out)) + "\n}")
    sys.exit(0)
src = open(sys.argv[1] + "/content/js/dashboard.js", encoding="utf-8").read()
out = {}
m = re.search(r"var data = (\{\"OkPercent\".*?\});", src)
out["requestsSummary"] = json.loads(m.group(1))
for table, key in [("apdexTable", "apdexSummary"), ("statisticsTable", "statisticsSummary"),
                   ("errorsTable", "errorsSummary"), ("top5ErrorsBySamplerTable", "top5ErrorsBySampler")]:
    i = src.index('createTable($("#%s"), ' % table) + len('createTable($("#%s"), ' % table)
    obj, _ = dec.raw_decode(src[i:])
    out[key] = obj
print(json.dumps(fix(out), indent=1, ensure_ascii=False))
