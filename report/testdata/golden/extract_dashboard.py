#!/usr/bin/env python3
"""Pull the table data JMeter's -g inlined into content/js/dashboard.js
(APDEX, requests summary, errors, top 5 errors) into plain JSON, so tests
can compare against it without keeping any part of JMeter's page.
Usage: extract_dashboard.py <jmeter-report-dir> > name.dashboard.json"""
import json, math, re, sys

def fix(v):
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity")
    if isinstance(v, list):
        return [fix(x) for x in v]
    if isinstance(v, dict):
        return {k: fix(x) for k, x in v.items()}
    return v

src = open(sys.argv[1] + "/content/js/dashboard.js", encoding="utf-8").read()
dec = json.JSONDecoder()
out = {}
m = re.search(r"var data = (\{\"OkPercent\".*?\});", src)
out["requestsSummary"] = json.loads(m.group(1))
for table, key in [("apdexTable", "apdexSummary"), ("statisticsTable", "statisticsSummary"),
                   ("errorsTable", "errorsSummary"), ("top5ErrorsBySamplerTable", "top5ErrorsBySampler")]:
    i = src.index('createTable($("#%s"), ' % table) + len('createTable($("#%s"), ' % table)
    obj, _ = dec.raw_decode(src[i:])
    out[key] = obj
print(json.dumps(fix(out), indent=1, ensure_ascii=False))
