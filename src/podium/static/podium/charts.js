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
 *   trend    {series: [{key, name, points: [[date, value|null], …]}, …], reference: 1.0}
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
