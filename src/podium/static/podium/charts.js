/* Podium charts: draws every <div class="chart" data-chart="KIND" data-source="ID"> with
 * Apache ECharts (vendored: podium/vendor/echarts.min.js, loaded before this file).
 *
 * The data is never inline script: the page renders it with Django's json_script filter,
 * <script type="application/json" id="ID">…</script>, which CSP does not execute, and this
 * file reads it with JSON.parse. The page keeps the text alternative next to the chart
 * (a caption and a table, visually hidden or the page's own), linked with aria attributes;
 * the canvas itself is hidden from assistive technology.
 *
 * Kinds and their data:
 *   s-curve  {unit, data_date, series: [{key, name, points: [[date, value], …]}, …],
 *             projection: {name, points: [[date, value], …]} | null}
 *            cumulative PV, EV and AC; the projection (to the EAC) is dashed; a vertical
 *            marker at the status date (data_date: the schedule's data date unless the page
 *            was asked for another).
 *   trend    {series: [{key, name, points: [[date, value|null], …]}, …], reference: 1.0,
 *            monthly: true (optional: one point per month, labelled by month)}
 *            index values over status dates with a dashed reference line.
 *
 * Charts are drawn on page load and on every htmx swap (htmx:load), and follow the size of
 * their element (ResizeObserver, window resize as a fallback).
 */
(function () {
  "use strict";

  // Series colours come from the stylesheet (--chart-KEY), so the tooltip's dots, styled
  // by class (.chart-dot-KEY), match the lines without any inline style.
  var FALLBACK = ["#2456a6", "#1f7a43", "#b3261e", "#a86400", "#6b4fa3", "#5d6778"];

  function colourFor(key, i) {
    var css = getComputedStyle(document.documentElement).getPropertyValue("--chart-" + key);
    return css.trim() || FALLBACK[i % FALLBACK.length];
  }

  function numberFormat(digits) {
    return new Intl.NumberFormat(document.documentElement.lang || undefined, {
      minimumFractionDigits: digits, maximumFractionDigits: digits,
    });
  }

  var amount = numberFormat(0);
  var index = numberFormat(2);

  function shortAmount(value) {
    var abs = Math.abs(value);
    if (abs >= 1e9) return numberFormat(1).format(value / 1e9) + " bn";
    if (abs >= 1e6) return numberFormat(1).format(value / 1e6) + " M";
    if (abs >= 1e4) return numberFormat(0).format(value / 1e3) + " k";
    return amount.format(value);
  }

  function dateLabel(value) {
    var d = new Date(value);
    return isNaN(d) ? String(value) : d.toISOString().slice(0, 10);
  }

  function escape(text) {
    return window.echarts.format.encodeHTML(String(text));
  }

  // The tooltip is HTML set with innerHTML: every name in it is escaped, and it carries no
  // style attribute (CSP style-src 'self' blocks those; ECharts' own markers have them).
  function tooltip(format) {
    return {
      trigger: "axis",
      className: "chart-tooltip",
      formatter: function (params) {
        if (!params.length) return "";
        var lines = [dateLabel(params[0].value[0])];
        params.forEach(function (p) {
          var v = p.value[1];
          if (v === null || v === undefined) return;
          var key = String(p.seriesId).replace(/[^a-z0-9_-]/gi, "");
          lines.push('<span class="chart-dot chart-dot-' + key + '"></span>' +
                     escape(p.seriesName) + ": " + format(v));
        });
        return lines.join("<br>");
      },
    };
  }

  function base(spec) {
    return {
      animation: false,
      grid: { left: 12, right: 24, top: 56, bottom: 12, containLabel: true },
      legend: { top: 0, type: "scroll" },
      xAxis: { type: "time" },
      yAxis: { type: "value", scale: spec.scale || false },
    };
  }

  function line(s, i, extra) {
    var out = {
      type: "line", id: s.key, name: s.name, data: s.points, showSymbol: false, connectNulls: false,
      color: colourFor(s.key, i), lineStyle: { width: 2 },
    };
    Object.keys(extra || {}).forEach(function (k) { out[k] = extra[k]; });
    return out;
  }

  var KINDS = {
    "s-curve": function (data) {
      var unit = data.unit ? " " + data.unit : "";
      var option = base({});
      option.yAxis.axisLabel = { formatter: shortAmount };
      option.yAxis.name = data.unit || "";
      option.tooltip = tooltip(function (v) { return amount.format(v) + unit; });
      option.series = data.series.map(function (s, i) { return line(s, i); });
      if (data.projection && data.projection.points.length) {
        option.series.push(line(
          { key: "eac", name: data.projection.name, points: data.projection.points },
          option.series.length,
          { lineStyle: { width: 2, type: "dashed" } }
        ));
      }
      if (data.data_date && option.series.length) {
        option.series[0].markLine = {
          silent: true, symbol: "none", animation: false,
          lineStyle: { color: "#17233a", type: "solid", width: 1 },
          label: { formatter: "Status date " + data.data_date, position: "insideEndTop" },
          data: [{ xAxis: data.data_date }],
        };
      }
      return option;
    },

    trend: function (data) {
      var option = base({ scale: true });
      option.tooltip = tooltip(function (v) { return index.format(v); });
      option.yAxis.axisLabel = { formatter: function (v) { return index.format(v); } };
      option.series = data.series.map(function (s, i) {
        return line(s, i, { showSymbol: true, symbolSize: 6 });
      });
      if (data.monthly) {
        option.xAxis.minInterval = 28 * 24 * 3600 * 1000;
        option.xAxis.axisLabel = { formatter: "{MMM} {yyyy}", hideOverlap: true };
      }
      if (data.reference !== undefined && data.reference !== null && option.series.length) {
        option.series[0].markLine = {
          silent: true, symbol: "none", animation: false,
          lineStyle: { color: "#5d6778", type: "dashed", width: 1 },
          label: { formatter: index.format(data.reference), position: "insideEndTop" },
          data: [{ yAxis: data.reference }],
        };
      }
      return option;
    },
  };

  /* Forecast kinds (podium.forecast), added to KINDS below:
   *   histogram   {bins: [[start, end, count], …], lines: [{key, name, date}, …],
   *                target: {name, date} | null}
   *               finish dates of the iterations as bars from each bin's start to its end;
   *               vertical lines at the P-dates (lines), the target date (dashed).
   *   cumulative  {points: [[date, share], …], lines: […], target: {name, date} | null}
   *               P(finish ≤ date) from 0 to 100 %, with the same vertical lines.
   *   tornado     {name, items: [{label, value}, …]}
   *               horizontal bars, the first item on top; values in -1..1 (correlations).
   * Dates are wall-clock "YYYY-MM-DDTHH:MM" and shown as they are (local time, no zone).
   */
  var percent = numberFormat(0);

  function localDate(value) {
    var d = new Date(value);
    if (isNaN(d)) return String(value);
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }

  var LINE_COLOURS = { p: "#2456a6", target: "#b3261e", deterministic: "#5d6778" };

  function dateLines(data) {
    var marks = (data.lines || []).map(function (l, i) {
      var deterministic = l.key === "deterministic";
      return {
        xAxis: l.date, name: l.name,
        lineStyle: { color: deterministic ? LINE_COLOURS.deterministic : LINE_COLOURS.p,
                     type: deterministic ? "dotted" : "solid", width: 1 },
        label: { formatter: l.name, position: i % 2 ? "insideEndBottom" : "insideEndTop",
                 color: "#17233a" },
      };
    });
    if (data.target && data.target.date) {
      marks.push({
        xAxis: data.target.date, name: data.target.name,
        lineStyle: { color: LINE_COLOURS.target, type: "dashed", width: 2 },
        label: { formatter: data.target.name, position: "insideMiddleTop",
                 color: LINE_COLOURS.target },
      });
    }
    return { silent: true, symbol: "none", animation: false, data: marks };
  }

  // The time axis spans the data and every marked date (a marker outside it is not drawn).
  function dateAxis(data, first, last) {
    var marks = (data.lines || []).map(function (l) { return l.date; });
    if (data.target && data.target.date) marks.push(data.target.date);
    marks.forEach(function (d) {
      var t = new Date(d).getTime();
      if (isNaN(t)) return;
      first = Math.min(first, t);
      last = Math.max(last, t);
    });
    var pad = Math.max((last - first) * 0.03, 3600e3);
    return {
      type: "time", min: first - pad, max: last + pad,
      axisLabel: { formatter: function (v) { return localDate(v); }, hideOverlap: true },
    };
  }

  function itemTooltip(format) {
    return { trigger: "item", className: "chart-tooltip", formatter: format };
  }

  KINDS.histogram = function (data) {
    var option = base({});
    option.legend = { show: false };
    option.grid.top = 24;
    option.yAxis.name = "Iterations";
    option.yAxis.minInterval = 1;
    var bins = data.bins.map(function (b) {
      return [new Date(b[0]).getTime(), new Date(b[1]).getTime(), b[2]];
    });
    option.xAxis = dateAxis(data, bins.length ? bins[0][0] : Date.now(),
                            bins.length ? bins[bins.length - 1][1] : Date.now());
    option.tooltip = itemTooltip(function (p) {
      if (!p.value) return "";
      return escape(localDate(p.value[0]) + " – " + localDate(p.value[1])) + "<br>" +
             amount.format(p.value[2]) + " iterations";
    });
    option.series = [{
      type: "custom", id: "finish", name: "Finish dates",
      color: colourFor("histogram", 0),
      encode: { x: [0, 1], y: 2 },
      data: bins,
      renderItem: function (params, api) {
        var from = api.coord([api.value(0), api.value(2)]);
        var to = api.coord([api.value(1), 0]);
        var width = Math.max(1, to[0] - from[0] - 1);
        return {
          type: "rect",
          shape: { x: from[0], y: from[1], width: width, height: to[1] - from[1] },
          style: api.style(),
        };
      },
      markLine: dateLines(data),
    }];
    return option;
  };

  KINDS.cumulative = function (data) {
    var option = base({});
    option.legend = { show: false };
    option.grid.top = 24;
    var times = data.points.map(function (p) { return new Date(p[0]).getTime(); });
    option.xAxis = dateAxis(data, times.length ? times[0] : Date.now(),
                            times.length ? times[times.length - 1] : Date.now());
    option.yAxis.min = 0;
    option.yAxis.max = 1;
    option.yAxis.axisLabel = { formatter: function (v) { return percent.format(v * 100) + " %"; } };
    option.tooltip = {
      trigger: "axis", className: "chart-tooltip",
      formatter: function (params) {
        if (!params.length) return "";
        var p = params[0];
        return escape(localDate(p.value[0])) + "<br>P(finish ≤ date): " +
               percent.format(p.value[1] * 100) + " %";
      },
    };
    option.series = [line(
      { key: "cumulative", name: "Probability of finishing by the date", points: data.points },
      0, { markLine: dateLines(data) }
    )];
    return option;
  };

  KINDS.tornado = function (data) {
    var items = data.items || [];
    var top = items.reduce(function (m, it) { return Math.max(m, Math.abs(it.value)); }, 0);
    var bound = Math.min(1, Math.max(0.1, Math.ceil(top * 10) / 10));
    var negative = items.some(function (it) { return it.value < 0; });
    var option = base({});
    option.legend = { show: false };
    option.grid.top = 12;
    option.grid.right = 56;
    option.grid.left = negative ? 56 : 12;
    option.xAxis = {
      type: "value", min: negative ? -bound : 0, max: bound,
      name: data.name || "", nameLocation: "middle", nameGap: 28,
      axisLabel: { formatter: function (v) { return index.format(v); } },
    };
    option.yAxis = {
      type: "category", inverse: true, data: items.map(function (it) { return it.label; }),
      axisLabel: { width: 280, overflow: "truncate" }, axisTick: { show: false },
    };
    option.tooltip = itemTooltip(function (p) {
      return escape(p.name) + "<br>" + escape(data.name || "") + ": " + index.format(p.value);
    });
    var up = colourFor("tornado-up", 0);
    var down = colourFor("tornado-down", 1);
    option.series = [{
      type: "bar", id: "sensitivity", name: data.name || "", barMaxWidth: 22,
      data: items.map(function (it) {
        return { value: it.value, itemStyle: { color: it.value < 0 ? down : up },
                 label: { position: it.value < 0 ? "left" : "right" } };
      }),
      label: { show: true, position: "right", formatter: function (p) {
        return index.format(p.value);
      } },
    }];
    return option;
  };

  /* Resources kind (podium.resources), added to KINDS below:
   *   heatmap  {rows: [{code, name, organisation}, …], columns: ["YYYY-MM-DD", …],
   *             values: [[column, row, share|null, peak, capacity], …],
   *             bands: [{key, label, max|null}, …]}
   *            peak daily load per resource (rows, first on top) and week (columns, the
   *            Mondays) as a share of capacity, coloured by the bands of the table's legend
   *            (a share up to max, inclusive; the last band is open; share null: load
   *            with no capacity, counted in the last band). Weeks without load are absent.
   *            Band colours come from the stylesheet (--chart-KEY, e.g. --chart-heat-1).
   */
  var HEAT_FALLBACK = { "heat-1": "#e6f2ea", "heat-2": "#bfe0c9", "heat-3": "#7fc493",
                        "heat-over": "#c8463a" };
  var HEAT_ROWS = 14; // rows shown at once; more scroll with the slider on the right

  function weekLabel(value) {
    var d = new Date(value + "T00:00:00Z");
    if (isNaN(d)) return String(value);
    return new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
      day: "2-digit", month: "short", timeZone: "UTC",
    }).format(d);
  }

  KINDS.heatmap = function (data) {
    var rows = data.rows || [];
    var columns = data.columns || [];
    var bands = data.bands || [];
    // a share too large for any bounded band; stands for "load with no capacity"
    var unbounded = Number.MAX_VALUE;
    // shares above the last bounded band are "over": their labels are white on red
    var bounded = bands.filter(function (b) { return b.max !== null && b.max !== undefined; });
    var top = bounded.length ? bounded[bounded.length - 1].max : null;
    var pieces = bands.map(function (b, i) {
      var css = getComputedStyle(document.documentElement).getPropertyValue("--chart-" + b.key);
      var piece = { label: b.label, gt: i ? bands[i - 1].max : 0,
                    color: css.trim() || HEAT_FALLBACK[b.key] || FALLBACK[i % FALLBACK.length] };
      if (b.max !== null && b.max !== undefined) piece.lte = b.max;
      return piece;
    });
    var option = base({});
    option.legend = { show: false };
    option.grid = { left: 12, right: rows.length > HEAT_ROWS ? 40 : 16, top: 44, bottom: 8,
                    containLabel: true };
    option.xAxis = {
      type: "category", data: columns, position: "top", splitArea: { show: true },
      axisLabel: { formatter: weekLabel, hideOverlap: true }, axisTick: { show: false },
    };
    option.yAxis = {
      type: "category", inverse: true, splitArea: { show: true }, axisTick: { show: false },
      data: rows.map(function (r) { return r.code; }),
      axisLabel: { width: 160, overflow: "truncate" },
    };
    option.visualMap = {
      type: "piecewise", dimension: 2, pieces: pieces, orient: "horizontal", top: 0,
      left: "center", itemWidth: 14, itemHeight: 14, textStyle: { color: "#17233a" },
    };
    option.tooltip = itemTooltip(function (p) {
      var v = p.data && p.data.cell;
      if (!v) return "";
      var row = rows[v[1]] || {};
      var share = v[2] === null ? "no capacity" : percent.format(v[2] * 100) + " %";
      return "<strong>" + escape(row.code || "") + "</strong> " + escape(row.name || "") +
             (row.organisation ? " (organisation)" : "") + "<br>" +
             escape("Week of " + columns[v[0]]) + "<br>" +
             "Peak " + index.format(v[3]) + " of " + index.format(v[4]) + ": " + share;
    });
    option.series = [{
      type: "heatmap", id: "load", name: "Load",
      data: (data.values || []).map(function (v) {
        var share = v[2] === null ? unbounded : v[2];
        var item = { value: [v[0], v[1], share], cell: v };
        if (top !== null && share > top) item.label = { color: "#ffffff", fontWeight: "bold" };
        return item;
      }),
      label: { show: columns.length <= 26, fontSize: 10, color: "#17233a",
               formatter: function (p) {
                 var v = p.data.cell;
                 return v[2] === null ? "∞" : percent.format(v[2] * 100) + "%";
               } },
      emphasis: { itemStyle: { borderColor: "#17233a", borderWidth: 1 } },
      itemStyle: { borderColor: "#ffffff", borderWidth: 1 },
    }];
    if (rows.length > HEAT_ROWS) {
      var end = (HEAT_ROWS / rows.length) * 100;
      option.dataZoom = [
        { type: "slider", yAxisIndex: 0, right: 4, width: 16, start: 0, end: end,
          showDetail: false, brushSelect: false },
        { type: "inside", yAxisIndex: 0, start: 0, end: end, zoomOnMouseWheel: false,
          moveOnMouseWheel: true },
      ];
    }
    return option;
  };

  var observer = typeof ResizeObserver === "function"
    ? new ResizeObserver(function (entries) {
        entries.forEach(function (entry) {
          var chart = window.echarts.getInstanceByDom(entry.target);
          if (chart) chart.resize();
        });
      })
    : null;

  function draw(el) {
    if (window.echarts.getInstanceByDom(el)) return;
    var build = KINDS[el.dataset.chart];
    var source = document.getElementById(el.dataset.source || "");
    if (!build || !source) {
      el.classList.add("chart-failed");
      console.warn("podium charts: nothing to draw for", el);
      return;
    }
    var chart = window.echarts.init(el, null, { renderer: el.dataset.renderer || "canvas" });
    chart.setOption(build(JSON.parse(source.textContent)));
    // the figure's caption and table are the text alternative; the drawing is decoration
    Array.prototype.forEach.call(el.children, function (child) {
      child.setAttribute("aria-hidden", "true");
    });
    el.classList.add("chart-drawn");
    if (observer) observer.observe(el);
  }

  function drawAll(root) {
    if (!window.echarts) {
      console.error("podium charts: ECharts is not loaded");
      return;
    }
    var scope = root && root.querySelectorAll ? root : document;
    if (scope.matches && scope.matches(".chart[data-chart]")) draw(scope);
    Array.prototype.forEach.call(scope.querySelectorAll(".chart[data-chart]"), draw);
  }

  if (!observer) {
    window.addEventListener("resize", function () {
      Array.prototype.forEach.call(document.querySelectorAll(".chart-drawn"), function (el) {
        var chart = window.echarts.getInstanceByDom(el);
        if (chart) chart.resize();
      });
    });
  }
  document.addEventListener("htmx:load", function (event) { drawAll(event.target); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  } else {
    drawAll(document);
  }
  window.podiumCharts = { draw: drawAll, kinds: KINDS };
})();

/* Benefits kind (podium.benefits), added to the KINDS above through window.podiumCharts:
 *   kpi  {unit, target: [[date, value], …], at_risk: [[date, value], …],
 *         off_track: [[date, value], …], measurements: [[date, value], …]}
 *        the realization profile from the baseline (solid line), the at-risk and
 *        off-track boundaries at the profile's dates (dashed) and the measurements
 *        (a line with points). Dates are "YYYY-MM-DD".
 * A deferred script runs after parsing, so the first draw may already have passed a
 * kpi chart by (marking it chart-failed): this block draws those again once the kind
 * is registered; charts already drawn are left alone.
 */
(function () {
  "use strict";
  var charts = window.podiumCharts;
  if (!charts) return;
  var fmt = new Intl.NumberFormat(document.documentElement.lang || undefined, {
    maximumFractionDigits: 2,
  });
  function css(key, fallback) {
    var v = getComputedStyle(document.documentElement).getPropertyValue("--chart-" + key);
    return v.trim() || fallback;
  }
  function escape(text) {
    return window.echarts.format.encodeHTML(String(text));
  }
  charts.kinds.kpi = function (data) {
    var unit = data.unit ? " " + data.unit : "";
    var series = [
      { key: "kpi-target", name: "Target", points: data.target, colour: "#2456a6",
        extra: { lineStyle: { width: 2 }, showSymbol: true, symbolSize: 5 } },
      { key: "kpi-at-risk", name: "At-risk boundary", points: data.at_risk, colour: "#a86400",
        extra: { lineStyle: { width: 1, type: "dashed" }, showSymbol: false } },
      { key: "kpi-off-track", name: "Off-track boundary", points: data.off_track,
        colour: "#b3261e", extra: { lineStyle: { width: 1, type: "dashed" }, showSymbol: false } },
      { key: "kpi-actual", name: "Measured", points: data.measurements, colour: "#1f7a43",
        extra: { lineStyle: { width: 2 }, showSymbol: true, symbolSize: 8 } },
    ].filter(function (s) { return s.points && s.points.length; });
    return {
      animation: false,
      grid: { left: 12, right: 24, top: 56, bottom: 12, containLabel: true },
      legend: { top: 0, type: "scroll" },
      xAxis: { type: "time" },
      yAxis: { type: "value", scale: true, name: data.unit || "",
               axisLabel: { formatter: function (v) { return fmt.format(v); } } },
      tooltip: {
        trigger: "axis", className: "chart-tooltip",
        formatter: function (params) {
          if (!params.length) return "";
          var d = new Date(params[0].value[0]);
          var lines = [isNaN(d) ? escape(params[0].value[0]) : d.toISOString().slice(0, 10)];
          params.forEach(function (p) {
            var key = String(p.seriesId).replace(/[^a-z0-9_-]/gi, "");
            lines.push('<span class="chart-dot chart-dot-' + key + '"></span>' +
                       escape(p.seriesName) + ": " + fmt.format(p.value[1]) + escape(unit));
          });
          return lines.join("<br>");
        },
      },
      series: series.map(function (s) {
        var out = { type: "line", id: s.key, name: s.name, data: s.points,
                    color: css(s.key, s.colour) };
        Object.keys(s.extra).forEach(function (k) { out[k] = s.extra[k]; });
        return out;
      }),
    };
  };
  Array.prototype.forEach.call(
    document.querySelectorAll('.chart[data-chart="kpi"].chart-failed'),
    function (el) { el.classList.remove("chart-failed"); }
  );
  if (window.echarts && document.readyState !== "loading") charts.draw(document);
})();
