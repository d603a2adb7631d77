/* Podium program Gantt: one canvas, drawn by this file, for programs of 10,000 activities.
 *
 * Data: the page embeds the payload of podium.schedule.gantt.gantt_payload as
 * <script type="application/json" id="gantt-data"> (never executed under the CSP); filters
 * and edits reload it from the API (data-api on #gantt). Rows are arrays (see COLUMNS in
 * gantt.py); dates are minutes from the payload's origin (wall-clock times, drawn as UTC).
 *
 * Drawing: the viewport (#gantt-viewport) scrolls a spacer as large as the whole chart;
 * the canvas sticks to the viewport's top-left corner and only the rows in view are
 * drawn, on the next animation frame after a scroll. The left grid (code, name, start,
 * finish) stays in place while the timeline scrolls sideways. Links are elbow arrows;
 * critical activities and the links between them are red; baseline bars sit under the
 * bars; today and the data date are vertical lines.
 *
 * Interaction: click a row or bar (or move with the arrow keys and press Enter) to open
 * the side panel, whose form saves through PATCH /api/v1/activities/{id} (the schedule
 * service's update_activity, with the activity's version as If-Match). The triangles,
 * or the left and right arrow keys, fold summary rows. Zoom: day, week, month, quarter.
 *
 * For benchmarks and tests: performance.mark("gantt-first-paint") after the first full
 * draw, and window.podiumGantt = {rows, visibleCount(), scrollTo(i), select(i), open(i),
 * zoom(name), reload(), draw(), lastDrawMs}.
 */
(function () {
  "use strict";

  var ROW = 22, HEAD = 40, GRID_W = 474, MINUTES_PER_DAY_OF_WORK = 480;
  var COLS = [  // left grid: [field, title, x, width]
    ["code", "Id", 0, 96], ["name", "Activity", 96, 202], ["start", "Start", 298, 88],
    ["finish", "Finish", 386, 88],
  ];
  var ZOOMS = {  // pixels per day; lower scale tier; upper scale tier
    day: {px: 30, lower: "day", upper: "month"},
    week: {px: 9, lower: "week", upper: "month"},
    month: {px: 2.4, lower: "month", upper: "year"},
    quarter: {px: 0.9, lower: "quarter", upper: "year"},
  };
  var F = {id: 0, code: 1, name: 2, comp: 3, level: 4, flags: 5, parent: 6, start: 7, finish: 8,
           bstart: 9, bfinish: 10, pct: 11, tf: 12, dur: 13};
  var SUMMARY = 1, MILESTONE = 2, CRITICAL = 4, GROUP = 8;
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var C = {
    ink: "#1d2430", muted: "#5d6778", line: "#e3e7ee", lineStrong: "#c9d0db", head: "#f0f2f6",
    bar: "#6f8fc4", barDone: "#2456a6", crit: "#d64541", critDone: "#8f1d17",
    summary: "#1d2430", group: "#5d6778", baseline: "#9aa3b2", select: "#dbe6f8",
    today: "#a86400", dataDate: "#1f7a43", weekend: "#f7f8fb", white: "#ffffff",
  };

  var root = document.getElementById("gantt");
  var source = document.getElementById("gantt-data");
  if (!root || !source) return;
  var vp = document.getElementById("gantt-viewport");
  var spacer = document.getElementById("gantt-spacer");
  var canvas = document.getElementById("gantt-canvas");
  var ctx = canvas.getContext("2d", {alpha: false});
  var panel = document.getElementById("gantt-panel");
  var form = document.getElementById("gantt-edit");
  var status = document.getElementById("gantt-status");
  var filterForm = document.getElementById("gantt-filters");
  var emptyNote = document.getElementById("gantt-empty");

  var data, rows, n, originMs, parentOf, flagsOf, hasKids, collapsed, visible, posOf;
  var t0 = 0, t1 = 0, ppm = ZOOMS.week.px / 1440, zoomName = "week";
  var selected = -1, panelRow = -1, panelActivity = null;
  var width = 0, height = 0, dpr = 1, pending = false, painted = false, lastKey = "";
  var collapsedIds = new Set();
  var dateCache = [];
  var api = {lastDrawMs: 0};

  // ---- data ---------------------------------------------------------------------------

  function setData(payload) {
    data = payload;
    rows = payload.rows;
    n = rows.length;
    originMs = Date.parse(payload.origin + ":00Z");
    parentOf = new Int32Array(n);
    flagsOf = new Uint8Array(n);
    hasKids = new Uint8Array(n);
    collapsed = new Uint8Array(n);
    dateCache = new Array(n);
    var lo = Infinity, hi = -Infinity;
    for (var i = 0; i < n; i++) {
      var r = rows[i];
      parentOf[i] = r[F.parent];
      flagsOf[i] = r[F.flags];
      if (r[F.parent] >= 0) hasKids[r[F.parent]] = 1;
      if (collapsedIds.has(r[F.id])) collapsed[i] = 1;
      var s = r[F.start], f = r[F.finish], bs = r[F.bstart], bf = r[F.bfinish];
      if (s !== null && s < lo) lo = s;
      if (f !== null && f > hi) hi = f;
      if (bs !== null && bs < lo) lo = bs;
      if (bf !== null && bf > hi) hi = bf;
    }
    if (payload.data_date !== null) {
      lo = Math.min(lo, payload.data_date);
      hi = Math.max(hi, payload.data_date);
    }
    if (lo === Infinity) { lo = payload.today; hi = payload.today + 30 * 1440; }
    t0 = Math.floor(lo / 1440) * 1440 - 14 * 1440;
    t1 = Math.ceil(hi / 1440) * 1440 + 28 * 1440;
    computeVisible();
    if (emptyNote) emptyNote.hidden = n > 0;
  }

  function computeVisible() {
    var hidden = new Uint8Array(n);
    var vis = [];
    posOf = new Int32Array(n);
    for (var i = 0; i < n; i++) {
      var p = parentOf[i];
      if (p >= 0 && (hidden[p] || collapsed[p])) { hidden[i] = 1; posOf[i] = -1; continue; }
      posOf[i] = vis.length;
      vis.push(i);
    }
    visible = vis;
    layout();
  }

  // ---- geometry -----------------------------------------------------------------------

  function layout() {
    var timelineW = Math.ceil((t1 - t0) * ppm);
    spacer.style.width = (GRID_W + timelineW) + "px";
    spacer.style.height = (HEAD + visible.length * ROW) + "px";
    lastKey = "";
  }

  function resize() {
    width = vp.clientWidth;
    height = vp.clientHeight;
    dpr = window.devicePixelRatio || 1;
    canvas.width = Math.max(1, Math.round(width * dpr));
    canvas.height = Math.max(1, Math.round(height * dpr));
    canvas.style.width = width + "px";
    canvas.style.height = height + "px";
    spacer.style.minHeight = height + "px";
    lastKey = "";
  }

  function xOf(minute) { return GRID_W + (minute - t0) * ppm - vp.scrollLeft; }

  function dayString(minute) {
    return new Date(originMs + minute * 60000).toISOString().slice(0, 10);
  }

  function dateTimeString(minute) {
    if (minute === null || minute === undefined) return "—";
    return new Date(originMs + minute * 60000).toISOString().slice(0, 16).replace("T", " ");
  }

  function rowDates(i) {
    var cached = dateCache[i];
    if (cached) return cached;
    var r = rows[i];
    cached = [r[F.start] === null ? "" : dayString(r[F.start]),
              r[F.finish] === null ? "" : dayString(r[F.finish])];
    dateCache[i] = cached;
    return cached;
  }

  // ---- drawing ------------------------------------------------------------------------

  function schedule() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; draw(); });
  }

  function draw(force) {
    if (!rows || !width) return;
    var sx = vp.scrollLeft, sy = vp.scrollTop;
    var key = sx + ":" + sy + ":" + width + ":" + height + ":" + selected + ":" + ppm;
    if (!force && key === lastKey) return;
    lastKey = key;
    var began = performance.now();
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = C.white;
    ctx.fillRect(0, 0, width, height);
    var first = Math.max(0, Math.floor(sy / ROW));
    var last = Math.min(visible.length - 1, Math.floor((sy + height - HEAD) / ROW));
    drawTimeline(first, last, sx, sy);
    drawScale(sx);
    drawGrid(first, last, sy);
    api.lastDrawMs = performance.now() - began;
    if (!painted) {
      painted = true;
      performance.mark("gantt-first-paint");
      root.classList.add("gantt-drawn");
    }
  }

  function rowTop(pos, sy) { return HEAD + pos * ROW - sy; }

  function drawTimeline(first, last, sx, sy) {
    ctx.save();
    ctx.beginPath();
    ctx.rect(GRID_W, HEAD, width - GRID_W, height - HEAD);
    ctx.clip();
    var fromMin = t0 + sx / ppm, toMin = fromMin + (width - GRID_W) / ppm;
    // weekends at day zoom, then the lower scale's lines
    if (zoomName === "day") {
      ctx.fillStyle = C.weekend;
      eachTick("day", fromMin, toMin, function (m) {
        var wd = new Date(originMs + m * 60000).getUTCDay();
        if (wd === 0 || wd === 6) ctx.fillRect(xOf(m), HEAD, 1440 * ppm, height - HEAD);
      });
    }
    ctx.fillStyle = C.line;
    eachTick(ZOOMS[zoomName].lower, fromMin, toMin, function (m) {
      ctx.fillRect(Math.round(xOf(m)), HEAD, 1, height - HEAD);
    });
    if (selected >= 0 && posOf[selected] >= first && posOf[selected] <= last) {
      ctx.fillStyle = C.select;
      ctx.fillRect(GRID_W, rowTop(posOf[selected], sy), width - GRID_W, ROW);
    }
    for (var p = first; p <= last; p++) drawBar(visible[p], rowTop(p, sy));
    drawLinks(first, last, sy);
    vline(data.today, C.today, [4, 3]);
    if (data.data_date !== null) vline(data.data_date, C.dataDate, []);
    ctx.restore();
  }

  function vline(minute, colour, dash) {
    var x = Math.round(xOf(minute)) + 0.5;
    if (x < GRID_W || x > width) return;
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1.5;
    ctx.setLineDash(dash);
    ctx.beginPath();
    ctx.moveTo(x, HEAD);
    ctx.lineTo(x, height);
    ctx.stroke();
    ctx.setLineDash([]);
  }

  function diamond(x, y, r) {
    ctx.beginPath();
    ctx.moveTo(x, y - r); ctx.lineTo(x + r, y); ctx.lineTo(x, y + r); ctx.lineTo(x - r, y);
    ctx.closePath();
    ctx.fill();
  }

  function drawBar(i, top) {
    var r = rows[i], fl = flagsOf[i];
    var s = r[F.start], f = r[F.finish];
    if (r[F.bstart] !== null && r[F.bfinish] !== null) {
      ctx.fillStyle = C.baseline;
      var bx = xOf(r[F.bstart]);
      if (r[F.bfinish] === r[F.bstart]) diamond(bx, top + 17, 3);
      else ctx.fillRect(bx, top + 16, Math.max(2, (r[F.bfinish] - r[F.bstart]) * ppm), 3);
    }
    if (s === null || f === null) return;
    var x = xOf(s), w = Math.max(2, (f - s) * ppm);
    if (x > width || x + w < GRID_W - 10) return;
    var critical = (fl & CRITICAL) !== 0;
    if (fl & MILESTONE) {
      ctx.fillStyle = critical ? C.crit : C.summary;
      diamond(x, top + 10, 6);
    } else if (fl & SUMMARY) {
      ctx.fillStyle = (fl & GROUP) ? C.group : C.summary;
      ctx.fillRect(x, top + 6, w, 5);
      ctx.beginPath();
      ctx.moveTo(x, top + 11); ctx.lineTo(x + 5, top + 11); ctx.lineTo(x, top + 15);
      ctx.moveTo(x + w, top + 11); ctx.lineTo(x + w - 5, top + 11); ctx.lineTo(x + w, top + 15);
      ctx.fill();
    } else {
      ctx.fillStyle = critical ? C.crit : C.bar;
      ctx.fillRect(x, top + 4, w, 11);
      var pct = r[F.pct];
      if (pct) {
        ctx.fillStyle = critical ? C.critDone : C.barDone;
        ctx.fillRect(x, top + 8, w * Math.min(100, pct) / 100, 3);
      }
    }
  }

  function drawLinks(first, last, sy) {
    var links = data.links;
    ctx.lineWidth = 1;
    for (var k = 0; k < links.length; k++) {
      var ln = links[k];
      var pp = posOf[ln[0]], ps = posOf[ln[1]];
      if (pp < 0 || ps < 0) continue;
      if ((pp < first && ps < first) || (pp > last && ps > last)) continue;
      var pr = rows[ln[0]], sr = rows[ln[1]];
      if (pr[F.start] === null || sr[F.start] === null) continue;
      var type = ln[2];  // 0 FS, 1 SS, 2 FF, 3 SF
      var fromFinish = type === 0 || type === 2, toStart = type === 0 || type === 1;
      var fx = xOf(fromFinish ? pr[F.finish] : pr[F.start]);
      var tx = xOf(toStart ? sr[F.start] : sr[F.finish]);
      var fy = rowTop(pp, sy) + 10, ty = rowTop(ps, sy) + 10;
      var out = fx + (fromFinish ? 6 : -6), into = tx + (toStart ? -6 : 6);
      if ((fx < GRID_W && tx < GRID_W) || (fx > width && tx > width)) continue;
      var red = (flagsOf[ln[0]] & CRITICAL) && (flagsOf[ln[1]] & CRITICAL);
      ctx.strokeStyle = red ? C.crit : C.muted;
      ctx.fillStyle = ctx.strokeStyle;
      ctx.beginPath();
      ctx.moveTo(fx, fy);
      ctx.lineTo(out, fy);
      if ((toStart && out <= into) || (!toStart && out >= into)) {
        ctx.lineTo(into, fy);  // fx→out→into on the predecessor's line is fine for FF too
        ctx.lineTo(into, ty);
      } else {
        var mid = (ps > pp ? rowTop(ps, sy) : rowTop(ps, sy) + ROW);
        ctx.lineTo(out, mid);
        ctx.lineTo(into, mid);
        ctx.lineTo(into, ty);
      }
      ctx.lineTo(tx, ty);
      ctx.stroke();
      var d = toStart ? 1 : -1;  // arrow head pointing into the successor
      ctx.beginPath();
      ctx.moveTo(tx, ty); ctx.lineTo(tx - 4 * d, ty - 3); ctx.lineTo(tx - 4 * d, ty + 3);
      ctx.fill();
    }
  }

  function startOf(unit, ms) {
    var d = new Date(ms);
    var y = d.getUTCFullYear(), m = d.getUTCMonth();
    if (unit === "day") return Date.UTC(y, m, d.getUTCDate());
    if (unit === "week") return Date.UTC(y, m, d.getUTCDate() - (d.getUTCDay() + 6) % 7);
    if (unit === "month") return Date.UTC(y, m, 1);
    if (unit === "quarter") return Date.UTC(y, m - m % 3, 1);
    return Date.UTC(y, 0, 1);
  }

  function nextOf(unit, ms) {
    var d = new Date(ms);
    var y = d.getUTCFullYear(), m = d.getUTCMonth(), day = d.getUTCDate();
    if (unit === "day") return Date.UTC(y, m, day + 1);
    if (unit === "week") return Date.UTC(y, m, day + 7);
    if (unit === "month") return Date.UTC(y, m + 1, 1);
    if (unit === "quarter") return Date.UTC(y, m + 3, 1);
    return Date.UTC(y + 1, 0, 1);
  }

  function eachTick(unit, fromMin, toMin, fn) {
    var ms = startOf(unit, originMs + fromMin * 60000), end = originMs + toMin * 60000;
    for (var guard = 0; ms <= end && guard < 5000; guard++) {
      fn((ms - originMs) / 60000, ms);
      ms = nextOf(unit, ms);
    }
  }

  function tickLabel(unit, ms) {
    var d = new Date(ms);
    if (unit === "day") return String(d.getUTCDate());
    if (unit === "week") return d.getUTCDate() + " " + MONTHS[d.getUTCMonth()];
    if (unit === "month") return MONTHS[d.getUTCMonth()] + (ZOOMS[zoomName].upper === "month" ? " " + d.getUTCFullYear() : "");
    if (unit === "quarter") return "Q" + (Math.floor(d.getUTCMonth() / 3) + 1);
    return String(d.getUTCFullYear());
  }

  function drawScale(sx) {
    ctx.save();
    ctx.beginPath();
    ctx.rect(GRID_W, 0, width - GRID_W, HEAD);
    ctx.clip();
    ctx.fillStyle = C.head;
    ctx.fillRect(GRID_W, 0, width - GRID_W, HEAD);
    var fromMin = t0 + sx / ppm, toMin = fromMin + (width - GRID_W) / ppm;
    var z = ZOOMS[zoomName];
    ctx.font = "11px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    [[z.upper, 0], [z.lower, HEAD / 2]].forEach(function (tier) {
      eachTick(tier[0], fromMin - 400 * 1440, toMin, function (m, ms) {
        var x = Math.round(xOf(m));
        ctx.fillStyle = C.lineStrong;
        ctx.fillRect(x, tier[1], 1, HEAD / 2);
        ctx.fillStyle = C.ink;
        var nextX = xOf((nextOf(tier[0], ms) - originMs) / 60000);
        var label = tickLabel(tier[0], ms);
        var room = nextX - x - 6;
        if (room < 10) return;
        // keep the upper tier's label in view while its period scrolls past
        var lx = tier[1] === 0 ? Math.max(x + 4, Math.min(GRID_W + 4, nextX - 4 - ctx.measureText(label).width)) : x + 3;
        ctx.fillText(label, lx, tier[1] + HEAD / 4);
      });
    });
    ctx.fillStyle = C.lineStrong;
    ctx.fillRect(GRID_W, HEAD / 2, width - GRID_W, 1);
    ctx.fillRect(GRID_W, HEAD - 1, width - GRID_W, 1);
    ctx.restore();
  }

  function drawGrid(first, last, sy) {
    ctx.fillStyle = C.white;
    ctx.fillRect(0, HEAD, GRID_W, height - HEAD);
    ctx.font = "12px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    if (selected >= 0 && posOf[selected] >= first && posOf[selected] <= last) {
      ctx.fillStyle = C.select;
      ctx.fillRect(0, rowTop(posOf[selected], sy), GRID_W, ROW);
    }
    ctx.fillStyle = C.line;
    for (var p = first; p <= last; p++) ctx.fillRect(0, rowTop(p, sy) + ROW - 1, GRID_W, 1);
    for (var c = 0; c < COLS.length; c++) {
      var col = COLS[c];
      ctx.save();
      ctx.beginPath();
      ctx.rect(col[2], HEAD, col[3] - 4, height - HEAD);
      ctx.clip();
      for (p = first; p <= last; p++) {
        var i = visible[p], r = rows[i], y = rowTop(p, sy) + ROW / 2, fl = flagsOf[i];
        var bold = (fl & SUMMARY) !== 0;
        ctx.font = (bold ? "600 " : "") + "12px system-ui, sans-serif";
        ctx.fillStyle = (fl & CRITICAL) && col[0] === "code" ? C.crit : C.ink;
        if (col[0] === "code") ctx.fillText(r[F.code], col[2] + 6, y);
        else if (col[0] === "name") {
          var indent = col[2] + 4 + r[F.level] * 12;
          if (hasKids[i]) {
            ctx.beginPath();
            if (collapsed[i]) { ctx.moveTo(indent + 2, y - 5); ctx.lineTo(indent + 8, y); ctx.lineTo(indent + 2, y + 5); }
            else { ctx.moveTo(indent, y - 3); ctx.lineTo(indent + 10, y - 3); ctx.lineTo(indent + 5, y + 3); }
            ctx.fill();
          }
          ctx.fillText(r[F.name], indent + 14, y);
        } else {
          var dates = rowDates(i);
          ctx.fillText(col[0] === "start" ? dates[0] : dates[1], col[2] + 4, y);
        }
      }
      ctx.restore();
    }
    // header of the grid
    ctx.fillStyle = C.head;
    ctx.fillRect(0, 0, GRID_W, HEAD);
    ctx.fillStyle = C.muted;
    ctx.font = "600 11px system-ui, sans-serif";
    for (c = 0; c < COLS.length; c++) ctx.fillText(COLS[c][1].toUpperCase(), COLS[c][2] + 6, HEAD / 2);
    ctx.fillStyle = C.lineStrong;
    ctx.fillRect(0, HEAD - 1, GRID_W, 1);
    ctx.fillRect(GRID_W - 1, 0, 1, height);
  }

  // ---- selection, folding, keyboard ---------------------------------------------------

  function describe(i) {
    var r = rows[i], dates = rowDates(i);
    var text = r[F.code] + " " + r[F.name];
    if (dates[0]) text += ", " + dates[0] + " to " + dates[1];
    if (flagsOf[i] & CRITICAL) text += ", critical";
    if (hasKids[i]) text += collapsed[i] ? ", folded" : ", unfolded";
    return "Row " + (posOf[i] + 1) + " of " + visible.length + ": " + text;
  }

  function select(i, reveal) {
    if (i < 0 || i >= n || posOf[i] < 0) return;
    selected = i;
    if (reveal) {
      var top = posOf[i] * ROW, view = height - HEAD;
      if (top < vp.scrollTop) vp.scrollTop = top;
      else if (top + ROW > vp.scrollTop + view) vp.scrollTop = top + ROW - view;
      var s = rows[i][F.start];
      if (s !== null) {
        var x = (s - t0) * ppm;
        if (x < vp.scrollLeft || x > vp.scrollLeft + width - GRID_W - 40) vp.scrollLeft = Math.max(0, x - 40);
      }
    }
    status.textContent = describe(i);
    draw(true);
  }

  function toggle(i, open) {
    if (!hasKids[i]) return;
    var want = open === undefined ? !collapsed[i] : !open;
    if (!!collapsed[i] === want) return;
    collapsed[i] = want ? 1 : 0;
    if (want) collapsedIds.add(rows[i][F.id]); else collapsedIds.delete(rows[i][F.id]);
    if (selected >= 0) {  // keep the selection on a visible row
      var p = selected;
      computeVisible();
      while (p >= 0 && posOf[p] < 0) p = parentOf[p];
      selected = p;
    } else computeVisible();
    status.textContent = describe(i);
    draw(true);
  }

  function onKey(e) {
    if (!rows || !n) return;
    var pos = selected >= 0 ? posOf[selected] : -1, page = Math.max(1, Math.floor((height - HEAD) / ROW) - 1);
    var target = null;
    switch (e.key) {
      case "ArrowDown": target = pos + 1; break;
      case "ArrowUp": target = pos < 0 ? 0 : pos - 1; break;
      case "PageDown": target = pos + page; break;
      case "PageUp": target = pos - page; break;
      case "Home": target = 0; break;
      case "End": target = visible.length - 1; break;
      case "ArrowRight": if (selected >= 0) toggle(selected, true); break;
      case "ArrowLeft":
        if (selected < 0) break;
        if (hasKids[selected] && !collapsed[selected]) toggle(selected, false);
        else if (parentOf[selected] >= 0) select(parentOf[selected], true);
        break;
      case "Enter": if (selected >= 0) openPanel(selected); break;
      case "Escape": closePanel(); break;
      default: return;
    }
    e.preventDefault();
    if (target !== null) select(visible[Math.max(0, Math.min(visible.length - 1, target))], true);
  }

  function onClick(e) {
    var rect = canvas.getBoundingClientRect();
    var x = e.clientX - rect.left, y = e.clientY - rect.top;
    if (y < HEAD || !rows) return;
    var pos = Math.floor((y - HEAD + vp.scrollTop) / ROW);
    if (pos < 0 || pos >= visible.length) return;
    var i = visible[pos];
    var indent = COLS[1][2] + 4 + rows[i][F.level] * 12;
    vp.focus({preventScroll: true});
    if (hasKids[i] && x >= indent - 3 && x <= indent + 13) { selected = i; toggle(i); return; }
    select(i, false);
    openPanel(i);
  }

  // ---- side panel and edits -----------------------------------------------------------

  function csrfToken() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function activityUrl(id) { return root.dataset.activityApi.replace(/0$/, String(id)); }

  function fact(dl, label, value) {
    var dt = document.createElement("dt"), dd = document.createElement("dd");
    dt.textContent = label;
    dd.textContent = value === null || value === undefined || value === "" ? "—" : String(value);
    dd.dataset.fact = label;
    dl.appendChild(dt);
    dl.appendChild(dd);
  }

  function wallText(iso) { return iso ? iso.slice(0, 16).replace("T", " ") : "—"; }

  function days(minutes) { return minutes === null || minutes === undefined ? "" : String(+(minutes / MINUTES_PER_DAY_OF_WORK).toFixed(3)); }

  function renderPanel(i, activity) {
    var r = rows[i], fl = flagsOf[i], comp = data.components[r[F.comp]];
    var dl = document.getElementById("gantt-panel-facts");
    dl.textContent = "";
    document.getElementById("gantt-panel-title").textContent = r[F.code] + " " + r[F.name];
    if (fl & GROUP) {
      fact(dl, "Component", comp[1] + " " + comp[2]);
      fact(dl, "Start", dateTimeString(r[F.start]));
      fact(dl, "Finish", dateTimeString(r[F.finish]));
    } else {
      var a = activity || {};
      fact(dl, "Component", comp[1]);
      fact(dl, "Kind", (fl & GROUP) ? "component" : (fl & SUMMARY) ? "summary" : (fl & MILESTONE) ? "milestone" : (a.kind || "task"));
      fact(dl, "Start", activity ? wallText(a.start) : dateTimeString(r[F.start]));
      fact(dl, "Finish", activity ? wallText(a.finish) : dateTimeString(r[F.finish]));
      if (activity) {
        fact(dl, "Early start", wallText(a.early_start));
        fact(dl, "Early finish", wallText(a.early_finish));
        fact(dl, "Late start", wallText(a.late_start));
        fact(dl, "Late finish", wallText(a.late_finish));
      }
      fact(dl, "Duration (days)", (fl & SUMMARY) ? "" : days(activity ? a.duration_minutes : r[F.dur]));
      fact(dl, "Percent complete", activity ? a.percent_complete : r[F.pct]);
      var tf = activity ? a.total_float_minutes : r[F.tf];
      fact(dl, "Total float (days)", days(tf));
      fact(dl, "Critical", (activity ? a.critical : fl & CRITICAL) ? "yes" : "no");
      fact(dl, "Baseline start", dateTimeString(r[F.bstart]));
      fact(dl, "Baseline finish", dateTimeString(r[F.bfinish]));
    }
    var editable = !(fl & GROUP) && comp[3];
    form.hidden = !editable || !activity;
    document.getElementById("gantt-readonly").hidden = editable || !!(fl & GROUP);
    if (activity && editable) {
      form.elements.name.value = activity.name;
      form.elements.duration_days.value = days(activity.duration_minutes);
      form.elements.duration_days.disabled = (fl & SUMMARY) !== 0;
      form.elements.percent_complete.value = activity.percent_complete === null ? "" : activity.percent_complete;
    }
  }

  function clearErrors() {
    form.querySelectorAll("[data-error-for]").forEach(function (el) { el.textContent = ""; });
    document.getElementById("gantt-edit-error").textContent = "";
  }

  function openPanel(i) {
    panelRow = i;
    panelActivity = null;
    panel.hidden = false;
    root.classList.add("gantt-with-panel");
    clearErrors();
    renderPanel(i, null);
    resize();
    draw(true);
    var id = rows[i][F.id];
    if (id < 0) return;
    fetch(activityUrl(id), {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (resp) { return resp.ok ? resp.json() : Promise.reject(resp); })
      .then(function (activity) {
        if (panelRow < 0 || rows[panelRow][F.id] !== activity.id) return;
        panelActivity = activity;
        renderPanel(panelRow, activity);
        panel.dataset.loaded = String(activity.id);
      })
      .catch(function () {
        document.getElementById("gantt-edit-error").textContent = "This activity could not be loaded.";
      });
  }

  function closePanel() {
    if (panel.hidden) return;
    panel.hidden = true;
    panelRow = -1;
    root.classList.remove("gantt-with-panel");
    resize();
    draw(true);
    vp.focus({preventScroll: true});
  }

  function onSave(e) {
    e.preventDefault();
    if (!panelActivity) return;
    clearErrors();
    var a = panelActivity, body = {};
    var name = form.elements.name.value.trim();
    if (name !== a.name) body.name = name;
    var durField = form.elements.duration_days;
    if (!durField.disabled && durField.value !== "") {
      var minutes = Math.round(parseFloat(durField.value) * MINUTES_PER_DAY_OF_WORK);
      if (isNaN(minutes) || minutes < 0) {
        form.querySelector("[data-error-for=duration_minutes]").textContent = "Give a number of days, 0 or more.";
        return;
      }
      if (minutes !== a.duration_minutes) body.duration_minutes = minutes;
    }
    var pct = form.elements.percent_complete.value;
    if (pct !== "" && parseFloat(pct) !== a.percent_complete) body.percent_complete = parseFloat(pct);
    if (!Object.keys(body).length) {
      document.getElementById("gantt-edit-error").textContent = "Nothing changed.";
      return;
    }
    var id = a.id;
    fetch(activityUrl(id), {
      method: "PATCH", credentials: "same-origin",
      headers: {"Content-Type": "application/json", Accept: "application/json",
                "X-CSRFToken": csrfToken(), "If-Match": '"' + a.version + '"'},
      body: JSON.stringify(body),
    }).then(function (resp) {
      return resp.json().then(function (json) { return {ok: resp.ok, status: resp.status, json: json}; });
    }).then(function (res) {
      if (!res.ok) {
        var errors = res.json.errors || {}, shown = false;
        Object.keys(errors).forEach(function (field) {
          var el = form.querySelector("[data-error-for=" + field + "]");
          if (el) { el.textContent = errors[field].join(" "); shown = true; }
        });
        var msg = res.status === 412 ? "Someone else changed this activity meanwhile; the panel now shows the current values. Make your change again." : res.json.detail;
        if (!shown || res.status === 412) document.getElementById("gantt-edit-error").textContent = msg;
        if (res.status === 412) openPanel(panelRow);
        return;
      }
      status.textContent = "Saved " + res.json.code + "; finish " + wallText(res.json.finish) + ".";
      return reload().then(function () {
        var i = rowIndexOf(id);
        if (i < 0) { closePanel(); return; }
        selected = i;
        panelRow = i;
        panelActivity = res.json;
        renderPanel(i, res.json);
        draw(true);
      });
    }).catch(function () {
      document.getElementById("gantt-edit-error").textContent = "The change could not be saved; try again.";
    });
  }

  function rowIndexOf(id) {
    for (var i = 0; i < n; i++) if (rows[i][F.id] === id) return i;
    return -1;
  }

  // ---- filters, zoom, reload ----------------------------------------------------------

  function query() {
    var params = new URLSearchParams();
    ["component", "resource"].forEach(function (name) {
      var field = filterForm.elements[name];
      if (field && field.value) params.set(name, field.value);
    });
    return params.toString();
  }

  function reload() {
    var q = query(), selectedId = selected >= 0 ? rows[selected][F.id] : null;
    root.setAttribute("aria-busy", "true");
    return fetch(root.dataset.api + (q ? "?" + q : ""), {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (resp) { return resp.ok ? resp.json() : Promise.reject(resp); })
      .then(function (payload) {
        setData(payload);
        selected = selectedId === null ? -1 : rowIndexOf(selectedId);
        if (selected >= 0 && posOf[selected] < 0) selected = -1;
        root.removeAttribute("aria-busy");
        resize();
        draw(true);
        document.dispatchEvent(new CustomEvent("gantt:loaded", {detail: {rows: n}}));
      });
  }

  function onFilter(e) {
    e.preventDefault();
    var q = query();
    window.history.replaceState(null, "", window.location.pathname + (q ? "?" + q : ""));
    closePanel();
    reload().then(function () {
      status.textContent = n ? visible.length + " rows shown." : "No activities to show.";
    });
  }

  function setZoom(name) {
    if (!ZOOMS[name]) return;
    var centre = t0 + (vp.scrollLeft + (width - GRID_W) / 2) / ppm;
    zoomName = name;
    ppm = ZOOMS[name].px / 1440;
    layout();
    vp.scrollLeft = Math.max(0, (centre - t0) * ppm - (width - GRID_W) / 2);
    document.querySelectorAll("[data-zoom]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.dataset.zoom === name));
    });
    root.dataset.zoom = name;
    draw(true);
  }

  // ---- start --------------------------------------------------------------------------

  setData(JSON.parse(source.textContent));
  resize();
  root.dataset.zoom = zoomName;
  if (data.data_date !== null) vp.scrollLeft = Math.max(0, (data.data_date - t0) * ppm - 200);
  draw(true);

  vp.addEventListener("scroll", schedule, {passive: true});
  vp.addEventListener("keydown", onKey);
  canvas.addEventListener("click", onClick);
  form.addEventListener("submit", onSave);
  document.getElementById("gantt-panel-close").addEventListener("click", closePanel);
  filterForm.addEventListener("submit", onFilter);
  filterForm.querySelectorAll("select").forEach(function (s) {
    s.addEventListener("change", function () { filterForm.requestSubmit(); });
  });
  document.querySelectorAll("[data-zoom]").forEach(function (b) {
    b.addEventListener("click", function () { setZoom(b.dataset.zoom); });
  });
  if (window.ResizeObserver) new ResizeObserver(function () { resize(); draw(true); }).observe(vp);
  else window.addEventListener("resize", function () { resize(); draw(true); });

  api.visibleCount = function () { return visible.length; };
  api.scrollTo = function (i) {
    vp.scrollTop = Math.max(0, i) * ROW;
    draw();
    return api.lastDrawMs;
  };
  api.select = function (i) { select(i, true); };
  api.open = function (i) { select(i, true); openPanel(i); };
  api.zoom = setZoom;
  api.zoomName = function () { return zoomName; };
  api.pixelsPerDay = function () { return ppm * 1440; };
  api.reload = reload;
  api.draw = function () { draw(true); return api.lastDrawMs; };
  api.rowIndexOf = rowIndexOf;
  api.selected = function () { return selected; };
  Object.defineProperty(api, "rows", {get: function () { return rows; }});
  // ?activity=ID (links from the schedule table) opens that activity's panel.
  var wanted = Number(new URLSearchParams(window.location.search).get("activity"));
  if (wanted) {
    var wantedRow = rowIndexOf(wanted);
    if (wantedRow >= 0) api.open(wantedRow);
  }
  window.podiumGantt = api;
})();
