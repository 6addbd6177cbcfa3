// gometer report: sortable tables and SVG charts. No network, no libraries.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#e6550d", "#31a354"];
  var MAX_VISIBLE = 12;
  var DATA = window.GOMETER_REPORT || { charts: [] };
  // Times are shown in the zone the report was generated in (the header's),
  // whatever the viewer's zone: one offset for the whole page.
  var ZONE = DATA.zoneOffsetMs || 0;
  // Units whose values are whole numbers: their axis ticks are too.
  var COUNTS = { count: true, threads: true };

  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) { if (Object.prototype.hasOwnProperty.call(attrs, k)) { e.setAttribute(k, attrs[k]); } }
    if (parent) { parent.appendChild(e); }
    return e;
  }

  // ---- tables -------------------------------------------------------------
  function sortTable(table, col, th) {
    var body = table.querySelector("tbody.items");
    if (!body) { return; }
    var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    var ths = table.querySelectorAll("thead th");
    for (var i = 0; i < ths.length; i++) { ths[i].removeAttribute("aria-sort"); }
    th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
    var numeric = th.getAttribute("data-type") === "num";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[col], y = b.cells[col];
      var u = x ? (x.getAttribute("data-v") !== null ? x.getAttribute("data-v") : x.textContent) : "";
      var v = y ? (y.getAttribute("data-v") !== null ? y.getAttribute("data-v") : y.textContent) : "";
      if (numeric) {
        var p = parseFloat(u), q = parseFloat(v);
        if (isNaN(p)) { p = -Infinity; }
        if (isNaN(q)) { q = -Infinity; }
        return (p - q) * dir || 0;
      }
      return u.localeCompare(v) * dir;
    });
    for (var j = 0; j < rows.length; j++) { body.appendChild(rows[j]); }
  }

  function initTables() {
    var tables = document.querySelectorAll("table.sortable");
    Array.prototype.forEach.call(tables, function (t) {
      var ths = t.querySelectorAll("thead th");
      Array.prototype.forEach.call(ths, function (th, i) {
        th.addEventListener("click", function () { sortTable(t, i, th); });
      });
    });
  }

  function initFilter() {
    var input = document.getElementById("label-filter");
    if (!input) { return; }
    input.addEventListener("input", function () {
      var q = input.value, re = null;
      try { re = new RegExp(q, "i"); } catch (e) { re = null; }
      var rows = document.querySelectorAll("#stats-table tbody.items tr");
      Array.prototype.forEach.call(rows, function (tr) {
        var label = tr.cells[0].textContent;
        var hit = q === "" || (re ? re.test(label) : label.toLowerCase().indexOf(q.toLowerCase()) >= 0);
        tr.style.display = hit ? "" : "none";
      });
    });
  }

  // ---- charts -------------------------------------------------------------
  var tip = null;
  function showTip(html, ev) {
    if (!tip) { tip = document.createElement("div"); tip.className = "tip"; document.body.appendChild(tip); }
    while (tip.firstChild) { tip.removeChild(tip.firstChild); }
    html.forEach(function (line, i) {
      var d = document.createElement("div");
      if (i === 0) { var b = document.createElement("b"); b.textContent = line; d.appendChild(b); } else { d.textContent = line; }
      tip.appendChild(d);
    });
    tip.style.display = "block";
    var x = ev.clientX + 14, y = ev.clientY + 14;
    if (x + tip.offsetWidth > window.innerWidth) { x = ev.clientX - tip.offsetWidth - 14; }
    if (y + tip.offsetHeight > window.innerHeight) { y = ev.clientY - tip.offsetHeight - 14; }
    tip.style.left = x + "px"; tip.style.top = y + "px";
  }
  function hideTip() { if (tip) { tip.style.display = "none"; } }
  function niceStep(range, n) {
    if (!(range > 0)) { return 1; }
    var raw = range / n, p = Math.pow(10, Math.floor(Math.log(raw) / Math.LN10)), m = raw / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
  }
  // ticks are n multiples of a nice step from 0 to at least max (whole
  // steps for counts), each label printed with the decimals the step needs
  // so that no two read the same
  function ticks(max, n, whole) {
    var step = niceStep(max || 1, n);
    if (whole) { step = Math.max(1, Math.round(step)); }
    var count = Math.max(1, Math.ceil((max || 1) / step - 1e-9));
    var top = count * step, scale = 1, suffix = "";
    if (top >= 1e9) { scale = 1e9; suffix = "G"; } else if (top >= 1e6) { scale = 1e6; suffix = "M"; } else if (top >= 1e4) { scale = 1e3; suffix = "k"; }
    var dec = Math.max(0, Math.ceil(-Math.log(step / scale) / Math.LN10 - 1e-9));
    var vs = [];
    for (var i = 0; i <= count; i++) { vs.push(i * step); }
    return { step: step, top: top, values: vs, fmt: function (v) { return v === 0 ? "0" : (v / scale).toFixed(dec) + suffix; } };
  }
  function timeStep(range, n) {
    var steps = [1e3, 2e3, 5e3, 1e4, 15e3, 3e4, 6e4, 12e4, 3e5, 6e5, 9e5, 18e5, 36e5, 72e5, 144e5, 216e5, 432e5, 864e5, 1728e5, 6048e5];
    for (var i = 0; i < steps.length; i++) { if (range / steps[i] <= n) { return steps[i]; } }
    return steps[steps.length - 1] * Math.ceil(range / n / steps[steps.length - 1]);
  }
  function pad(n) { return n < 10 ? "0" + n : "" + n; }
  function fmtTime(ms, withDate) {
    var d = new Date(ms + ZONE);
    var s = pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()) + ":" + pad(d.getUTCSeconds());
    return withDate ? (d.getUTCMonth() + 1) + "/" + d.getUTCDate() + " " + s : s;
  }
  function fmtSecs(ms) { return (ms / 1000).toFixed(ms % 1000 ? 1 : 0) + " s"; }
  function fmtNum(v) {
    var a = Math.abs(v);
    if (a >= 1e9) { return (v / 1e9).toFixed(1) + "G"; }
    if (a >= 1e6) { return (v / 1e6).toFixed(1) + "M"; }
    if (a >= 1e4) { return (v / 1e3).toFixed(0) + "k"; }
    if (a >= 100 || v === Math.round(v)) { return v.toFixed(0); }
    return v.toFixed(a >= 10 ? 1 : 2);
  }

  function drawChart(box, ch) {
    var W = 800, H = 300, L = 62, R = 14, T = 12, B = 34;
    var svg = el("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": ch.title }, null);
    box.insertBefore(svg, box.querySelector(".legend"));
    var legend = box.querySelector(".legend");
    var series = ch.series || [];
    var hidden = {};
    for (var i = MAX_VISIBLE; i < series.length; i++) { hidden[i] = true; }
    var hasData = series.some(function (s) { return s.points && s.points.length > 0; });
    if (!hasData) {
      var t = el("text", { x: W / 2, y: H / 2, "text-anchor": "middle", "class": "nodata" }, svg);
      t.textContent = "No data";
      box.setAttribute("data-drawn", "empty");
      return;
    }
    // covered is the share of the interval starting at x that the samples
    // span (1 but for a run's first and last intervals)
    function covered(x) {
      var g = ch.granularity, span = DATA.span;
      if (ch.x !== "time" || !g || !span) { return 1; }
      var from = Math.max(x, span[0]), to = Math.min(x + g, span[1]);
      return Math.max(0, Math.min(1, (to - from) / g));
    }
    function render() {
      while (svg.firstChild) { svg.removeChild(svg.firstChild); }
      var xmin = Infinity, xmax = -Infinity, ymax = 0, i, j, p;
      for (i = 0; i < series.length; i++) {
        if (hidden[i]) { continue; }
        for (j = 0; j < series[i].points.length; j++) {
          p = series[i].points[j];
          if (p[0] < xmin) { xmin = p[0]; }
          if (p[0] > xmax) { xmax = p[0]; }
          if (p[1] > ymax) { ymax = p[1]; }
        }
      }
      if (ch.x === "cat") { xmin = -0.5; xmax = (ch.categories || []).length - 0.5; }
      if (!isFinite(xmin)) { xmin = 0; xmax = 1; }
      var bar = ch.kind === "bar";
      var bw = 0;
      if (bar && ch.x !== "cat") {
        var step = Infinity;
        for (i = 0; i < series.length; i++) {
          for (j = 1; j < series[i].points.length; j++) { step = Math.min(step, series[i].points[j][0] - series[i].points[j - 1][0]); }
        }
        if (!isFinite(step) || step <= 0) { step = 100; }
        bw = step; xmax += step;
      }
      if (xmax === xmin) { xmin -= ch.x === "time" ? (ch.granularity || 1000) : 1; xmax += ch.x === "time" ? (ch.granularity || 1000) : 1; }
      var yt = ticks(ymax, 5, COUNTS[ch.y] === true), ytop = yt.top;
      var sx = function (x) { return L + (x - xmin) / (xmax - xmin) * (W - L - R); };
      var sy = function (y) { return H - B - y / ytop * (H - T - B); };
      // grid and y ticks
      yt.values.forEach(function (y) {
        el("line", { x1: L, x2: W - R, y1: sy(y), y2: sy(y), "class": "grid" }, svg);
        el("text", { x: L - 6, y: sy(y) + 4, "text-anchor": "end", "class": "tick ytick" }, svg).textContent = yt.fmt(y);
      });
      el("text", { x: 12, y: T + (H - T - B) / 2, "class": "tick", transform: "rotate(-90 12 " + (T + (H - T - B) / 2) + ")", "text-anchor": "middle" }, svg).textContent = ch.y;
      // x ticks
      var xs, fmt;
      if (ch.x === "time") {
        var ts = timeStep(xmax - xmin, 8), long = xmax - xmin > 864e5;
        xs = []; for (var x = Math.ceil((xmin + ZONE) / ts) * ts - ZONE; x <= xmax; x += ts) { xs.push(x); }
        fmt = function (v) { return fmtTime(v, long); };
      } else if (ch.x === "cat") {
        xs = (ch.categories || []).map(function (_, k) { return k; });
        fmt = function (v) { return ch.categories[v]; };
      } else {
        var xt = ticks(xmax, 8, COUNTS[ch.x] === true);
        xs = xt.values.filter(function (v) { return v >= xmin && v <= xmax; });
        fmt = function (v) { return xt.fmt(v) + (ch.x === "pct" ? "%" : ""); };
      }
      for (i = 0; i < xs.length; i++) {
        el("line", { x1: sx(xs[i]), x2: sx(xs[i]), y1: H - B, y2: H - B + 4, "class": "axis" }, svg);
        var lab = el("text", { x: sx(xs[i]), y: H - B + 17, "text-anchor": "middle", "class": "tick xtick" }, svg);
        lab.textContent = fmt(xs[i]);
        // a label at either edge stays inside the chart
        var half = lab.getComputedTextLength ? lab.getComputedTextLength() / 2 : 0;
        if (sx(xs[i]) + half > W - 2) { lab.setAttribute("x", W - 2); lab.setAttribute("text-anchor", "end"); }
        if (sx(xs[i]) - half < 2) { lab.setAttribute("x", 2); lab.setAttribute("text-anchor", "start"); }
      }
      el("line", { x1: L, x2: W - R, y1: H - B, y2: H - B, "class": "axis" }, svg);
      el("line", { x1: L, x2: L, y1: T, y2: H - B, "class": "axis" }, svg);
      // data
      var visible = [];
      for (i = 0; i < series.length; i++) { if (!hidden[i]) { visible.push(i); } }
      visible.forEach(function (si, vi) {
        var s = series[si], color = PALETTE[si % PALETTE.length], g = el("g", { "class": "series", "data-name": s.name }, svg);
        el("title", {}, g).textContent = s.name;
        if (bar) {
          var n = visible.length, k;
          for (k = 0; k < s.points.length; k++) {
            var pt = s.points[k], x0, w;
            if (ch.x === "cat") {
              w = (sx(1) - sx(0)) * 0.6 / n; x0 = sx(pt[0]) - (sx(1) - sx(0)) * 0.3 + vi * w;
              color = ["#9ACD32", "#F2C500", "#FF8C00", "#FF6347"][k % 4];
            } else {
              w = Math.max(1, (sx(pt[0] + bw) - sx(pt[0])) * 0.9 / n); x0 = sx(pt[0]) + vi * w;
            }
            var r = el("rect", { x: x0, y: sy(pt[1]), width: w, height: Math.max(0, sy(0) - sy(pt[1])), fill: color }, g);
            el("title", {}, r).textContent = s.name + " — " + (ch.x === "cat" ? ch.categories[pt[0]] : fmtNum(pt[0]) + " ms") + ": " + pt[1];
          }
        } else if (ch.kind === "scatter") {
          for (var q0 = 0; q0 < s.points.length; q0++) {
            var c0 = el("circle", { cx: sx(s.points[q0][0]), cy: sy(s.points[q0][1]), r: 3, fill: color, "fill-opacity": 0.75 }, g);
            el("title", {}, c0).textContent = s.name + " @ " + fmtNum(s.points[q0][0]) + " " + ch.x + ": " + fmtNum(s.points[q0][1]) + " " + ch.y;
          }
        } else {
          // an interval the samples cover only in part (the first and last
          // of a run, as buckets are aligned to the clock) is drawn hollow
          // and reached by a dashed segment: its rate reads low, not a cliff
          var pts = s.points, first = 0, last = pts.length, m;
          var part = function (k) { return covered(pts[k][0]); };
          if (pts.length > 1 && part(0) < 1) { first = 1; }
          if (pts.length > 1 && part(pts.length - 1) < 1) { last = pts.length - 1; }
          var xy = function (k) { return sx(pts[k][0]).toFixed(1) + " " + sy(pts[k][1]).toFixed(1); };
          var d = "";
          for (m = first; m < last; m++) { d += (m > first ? "L" : "M") + xy(m); }
          if (d) { el("path", { d: d, fill: "none", stroke: color, "stroke-width": 1.6 }, g); }
          if (first === 1) { el("path", { d: "M" + xy(0) + "L" + xy(1), fill: "none", stroke: color, "stroke-width": 1.6, "stroke-dasharray": "4 3", "class": "partial" }, g); }
          if (last === pts.length - 1) { el("path", { d: "M" + xy(last - 1) + "L" + xy(last), fill: "none", stroke: color, "stroke-width": 1.6, "stroke-dasharray": "4 3", "class": "partial" }, g); }
          for (var q = 0; q < pts.length; q++) {
            var isPart = (q === 0 && first === 1) || (q === pts.length - 1 && last === pts.length - 1);
            if (pts.length > 60 && !isPart) { continue; }
            var c = el("circle", { cx: sx(pts[q][0]), cy: sy(pts[q][1]), r: isPart ? 3.2 : 2.4, fill: isPart ? "#fff" : color, stroke: color, "stroke-width": isPart ? 1.4 : 0 }, g);
            if (isPart) { c.setAttribute("class", "partial"); }
            el("title", {}, c).textContent = s.name + " @ " + (ch.x === "time" ? fmtTime(pts[q][0], false) : fmtNum(pts[q][0])) + ": " + fmtNum(pts[q][1]) + " " + ch.y +
              (isPart ? " (partial interval: " + fmtSecs(part(q) * ch.granularity) + " of " + fmtSecs(ch.granularity) + ")" : "");
          }
        }
      });
      if (!bar && ch.kind !== "scatter") {
        var guide = el("line", { x1: 0, x2: 0, y1: T, y2: H - B, "class": "hover", visibility: "hidden" }, svg);
        var overlay = el("rect", { x: L, y: T, width: W - L - R, height: H - T - B, fill: "transparent" }, svg);
        overlay.addEventListener("mousemove", function (ev) {
          var box = svg.getBoundingClientRect();
          var xv = xmin + ((ev.clientX - box.left) * W / box.width - L) / (W - L - R) * (xmax - xmin);
          var best = null, lines = [];
          visible.forEach(function (si) {
            var pts = series[si].points, k, nb = null;
            for (k = 0; k < pts.length; k++) { if (nb === null || Math.abs(pts[k][0] - xv) < Math.abs(nb[0] - xv)) { nb = pts[k]; } }
            if (nb && (best === null || Math.abs(nb[0] - xv) < Math.abs(best - xv))) { best = nb[0]; }
          });
          if (best === null) { return; }
          visible.forEach(function (si) {
            var pts = series[si].points;
            for (var k = 0; k < pts.length; k++) { if (pts[k][0] === best) { lines.push(series[si].name + ": " + fmtNum(pts[k][1]) + " " + ch.y); break; } }
          });
          if (lines.length > 12) { lines = lines.slice(0, 12).concat(["…"]); }
          guide.setAttribute("x1", sx(best)); guide.setAttribute("x2", sx(best)); guide.setAttribute("visibility", "visible");
          showTip([ch.x === "time" ? fmtTime(best, false) : fmtNum(best) + ({ pct: "%", ms: " ms", threads: " threads", rps: " req/s" }[ch.x] || "")].concat(lines), ev);
        });
        overlay.addEventListener("mouseleave", function () { guide.setAttribute("visibility", "hidden"); hideTip(); });
      }
    }
    var spans = [], count = null;
    // refresh redraws after the legend changed what is hidden
    function refresh() {
      if (count) {
        var n = 0;
        series.forEach(function (_, k) { if (!hidden[k]) { n++; } });
        count.textContent = n + " of " + series.length + " series drawn · click a name to show or hide it";
      }
      render();
    }
    if (ch.x !== "cat") {
      if (series.length > MAX_VISIBLE) {
        // many series: say how many are drawn and let all be shown or hidden
        var tools = document.createElement("div");
        tools.className = "legend-tools";
        count = document.createElement("span");
        tools.appendChild(count);
        [["show all", false], ["hide all", true]].forEach(function (t) {
          var btn = document.createElement("button");
          btn.type = "button"; btn.textContent = t[0];
          btn.addEventListener("click", function () {
            series.forEach(function (_, k) { hidden[k] = t[1]; spans[k].className = t[1] ? "off" : ""; });
            refresh();
          });
          tools.appendChild(btn);
        });
        box.insertBefore(tools, legend);
      }
      series.forEach(function (s, i) {
        var sp = document.createElement("span");
        var sw = document.createElement("i");
        sw.style.background = PALETTE[i % PALETTE.length];
        sp.appendChild(sw);
        sp.appendChild(document.createTextNode(s.name));
        sp.title = s.name;
        if (hidden[i]) { sp.className = "off"; }
        sp.addEventListener("click", function () {
          hidden[i] = !hidden[i];
          sp.className = hidden[i] ? "off" : "";
          refresh();
        });
        spans.push(sp);
        legend.appendChild(sp);
      });
    }
    refresh();
    box.setAttribute("data-drawn", "yes");
  }

  function initCharts() {
    DATA.charts.forEach(function (ch) {
      var box = document.getElementById("chart-" + ch.id);
      if (box) { drawChart(box, ch); }
    });
    document.body.setAttribute("data-charts", "done");
  }

  initTables();
  initFilter();
  initCharts();
})();
