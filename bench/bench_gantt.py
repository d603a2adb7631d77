"""Benchmark: the program Gantt page with 10,000 activities in headless Chromium.

Builds, in a temporary SQLite database, a program of 10 components x 1,000 activities
(per component 20 work packages — summaries — of 49 activities, ~5% milestones; ~1.6
links per activity inside a component plus 20 links across components), schedules it,
saves a baseline, then lengthens 10% of the activities and reschedules (so baseline bars
and bars differ) and sets a data date. It serves the site with waitress on 127.0.0.1 (as
``podium serve`` does) in a thread and opens the page in Debian's Chromium through
Playwright.

Measured, in the same run:

* first paint: ``performance.mark("gantt-first-paint")`` (set by gantt.js after its
  first full draw; the time is from the start of navigation, so it includes the server,
  the transfer, parsing the JSON and drawing) — median of ``--loads`` page loads, against
  the target of 1.5 s, and against the same page of an empty program (the baseline);
* smooth scrolling: 2,000 rows scrolled in ``requestAnimationFrame`` steps of 10 rows
  (200 frames); frame times (between animation frames), the draw time of each frame and
  the frames dropped (a frame longer than 1.5 x the display's frame, counted by the
  frames it covered), against idle animation frames on the same page (the baseline);
* the payload: bytes of the JSON the page embeds (and gzipped) and the server's time to
  build it.

Run: ``.venv/bin/python bench/bench_gantt.py`` (``--activities 2000`` for a quick run;
``--data DIR`` keeps the database in DIR and reuses it on the next run).
Chromium: ``PODIUM_CHROMIUM`` or /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import gzip
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

TARGET_MS = 1500.0
CHROMIUM = os.environ.get("PODIUM_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def configure(folder: Path) -> None:
    """Django on a fresh SQLite file in ``folder`` (never the caller's database)."""
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["PODIUM_DATA_DIR"] = str(folder)
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(40)
    os.environ["PODIUM_SECURE_COOKIES"] = "0"
    os.environ["PODIUM_TASKS"] = "immediate"
    os.environ["EMAIL_URL"] = "locmem"
    os.environ.pop("PODIUM_DEBUG", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "podium.config.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


def build(n_activities: int, seed: int = 11) -> dict[str, Any]:
    """The big program (BIG) and an empty one (EMPTY), both managed by ``pm``."""
    import datetime as dt
    import random

    from podium.accounts.services import create_user
    from podium.engine import Activity as EActivity
    from podium.engine import Calendar as ECalendar
    from podium.engine import Link as ELink
    from podium.engine import Network
    from podium.interchange.base import ProjectFile
    from podium.programs.services import create_component, create_program
    from podium.schedule import services
    from podium.schedule.models import Activity, Link, ScheduleSettings
    from podium.schedule.wall import to_db

    rng = random.Random(seed)
    pm = create_user(actor=None, username="pm", password=secrets.token_urlsafe(16))
    big = create_program(actor=None, code="BIG", name="Big program", manager=pm)
    empty = create_program(actor=None, code="EMPTY", name="Empty program", manager=pm)
    create_component(actor=None, program=empty, code="NONE", name="Nothing yet")

    components = 10
    per_component = n_activities // components
    packages = max(1, per_component // 50)
    started = time.perf_counter()
    for c in range(components):
        acts: list[EActivity] = []
        links: list[ELink] = []
        per_package = per_component // packages - 1
        for p in range(packages):
            wp = f"WP{p:02d}"
            acts.append(EActivity(wp, f"Work package {c}.{p}", kind="summary"))
            first = len(acts)
            for k in range(per_package):
                code = f"{wp}-{k:03d}"
                milestone = rng.random() < 0.05
                days = 0 if milestone else rng.randint(1, 10)
                acts.append(
                    EActivity(
                        code, f"Activity {c}.{p}.{k}", days * 480,
                        kind="milestone" if milestone else "task", parent=wp,
                    )
                )  # fmt: skip
                if k:
                    window = acts[max(first, len(acts) - 8) : len(acts) - 1]
                    for pred in rng.sample(window, min(len(window), rng.choice([1, 1, 2, 2, 3]))):
                        links.append(ELink(pred.id, code))
            if p:  # the work packages follow one another loosely
                links.append(ELink(f"WP{p - 1:02d}-{per_package - 1:03d}", f"{wp}-000"))
        network = Network(
            acts, links, project_start=dt.datetime(2026, 1, 5, 8),
            default_calendar=ECalendar.standard("Standard"),
        )  # fmt: skip
        project = ProjectFile(
            name=f"Component {c:02d}", format="json", network=network, source="bench"
        )
        services.import_project(actor=None, program=big, project=project)
    # links across components: the first activity of each component waits for one of the
    # previous component
    firsts = list(Activity.objects.filter(program=big, code="WP01-000").order_by("component__code"))
    lasts = list(Activity.objects.filter(program=big, code="WP00-010").order_by("component__code"))
    Link.objects.bulk_create(
        [Link(program=big, pred=lasts[i], succ=firsts[i + 1]) for i in range(len(firsts) - 1)]
        + [Link(program=big, pred=firsts[i], succ=lasts[i + 1]) for i in range(len(firsts) - 1)]
    )
    services.recompute(actor=None, program=big)
    services.save_baseline(actor=None, program=big, name="Approved plan")
    moved = list(
        Activity.objects.filter(program=big, kind="task").order_by("?")[: n_activities // 10]
    )
    for a in moved:
        a.duration_minutes += 480 * rng.randint(1, 5)
        a.percent_complete = float(rng.choice([0, 25, 50, 75]))
    Activity.objects.bulk_update(moved, ["duration_minutes", "percent_complete"], batch_size=2000)
    ScheduleSettings.objects.filter(program=big).update(data_date=to_db(dt.datetime(2026, 4, 1)))
    services.recompute(actor=None, program=big)
    return {
        "pm": pm,
        "activities": Activity.objects.filter(program=big).count(),
        "links": Link.objects.filter(program=big).count(),
        "build_s": time.perf_counter() - started,
    }


def reuse() -> dict[str, Any] | None:
    """The figures of a program built by an earlier run with ``--data``."""
    from podium.accounts.models import User
    from podium.schedule.models import Activity, Link

    pm = User.objects.filter(username="pm").first()
    if pm is None:
        return None
    return {
        "pm": pm,
        "activities": Activity.objects.filter(program__code="BIG").count(),
        "links": Link.objects.filter(program__code="BIG").count(),
        "build_s": 0.0,
    }


class Server:
    """waitress (the server of ``podium serve``) on 127.0.0.1 in a thread."""

    def __init__(self) -> None:
        from waitress import create_server

        from podium.config.wsgi import application

        self.server = create_server(application, host="127.0.0.1", port=0, threads=4)
        self.url = f"http://127.0.0.1:{self.server.effective_port}"  # type: ignore[union-attr]
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.close()


def session_cookie(user: Any) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return str(client.cookies["sessionid"].value)


def payload_figures(user: Any) -> dict[str, float]:
    from podium.programs.models import Program
    from podium.schedule.api_gantt import dumps
    from podium.schedule.gantt import gantt_payload

    program = Program.objects.get(code="BIG")
    times, text = [], ""
    for _ in range(5):
        began = time.perf_counter()
        text = dumps(gantt_payload(user, program))
        times.append((time.perf_counter() - began) * 1000)
    raw = text.encode()
    return {
        "bytes": len(raw),
        "gzip": len(gzip.compress(raw, 6)),
        "build_ms": statistics.median(times),
    }


FIRST_PAINT = """() => new Promise(resolve => {
  const done = () => {
    const mark = performance.getEntriesByName('gantt-first-paint')[0];
    const nav = performance.getEntriesByType('navigation')[0];
    if (!mark) { requestAnimationFrame(done); return; }
    resolve({paint: mark.startTime, response: nav.responseEnd, ttfb: nav.responseStart});
  };
  done();
})"""

SCROLL = """async ([rows, step]) => {
  const g = window.podiumGantt;
  const frames = [], draws = [];
  // idle frames first: the display's own frame time on this page (the baseline)
  const idle = [];
  await new Promise(resolve => {
    let last = null, count = 0;
    const tick = t => { if (last !== null) idle.push(t - last); last = t;
      if (++count <= 61) requestAnimationFrame(tick); else resolve(); };
    requestAnimationFrame(tick);
  });
  g.scrollTo(0);
  await new Promise(resolve => {
    let last = null, row = 0;
    const tick = t => {
      if (last !== null) frames.push(t - last);
      last = t;
      if (row >= rows) { resolve(); return; }
      row += step;
      draws.push(g.scrollTo(row));
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  return {frames, draws, idle, top: document.getElementById('gantt-viewport').scrollTop};
}"""


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def dropped(frames: list[float], period: float) -> int:
    return sum(max(0, round(f / period) - 1) for f in frames if f > 1.5 * period)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=10_000)
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument(
        "--data", type=Path, help="keep the database in this folder and reuse it next time"
    )
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")

    folder = args.data or Path(tempfile.mkdtemp(prefix="podium-bench-gantt-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        configure(folder)
        built = reuse() or build(args.activities)
        print(
            f"Program BIG: {built['activities']:,} activity rows (summaries included), "
            f"{built['links']:,} links, 10 components; "
            + (
                f"built and scheduled in {built['build_s']:.1f} s"
                if built["build_s"]
                else f"reused from {folder}"
            )
        )
        payload = payload_figures(built["pm"])
        print(
            f"Payload: {payload['bytes'] / 1024:,.0f} KiB JSON ({payload['gzip'] / 1024:,.0f} KiB "
            f"gzipped); built by the server in {payload['build_ms']:.0f} ms (median of 5)"
        )
        cookie = session_cookie(built["pm"])
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        from playwright.sync_api import sync_playwright

        with Server() as server, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
            context = browser.new_context(viewport={"width": 1440, "height": 900})
            context.add_cookies([{"name": "sessionid", "value": cookie, "url": server.url}])
            page = context.new_page()
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

            def loads(code: str) -> list[dict[str, float]]:
                out = []
                page.goto(f"{server.url}/programs/{code}/gantt/")  # warm-up, not counted
                page.evaluate(FIRST_PAINT)
                for _ in range(args.loads):
                    page.goto(f"{server.url}/programs/{code}/gantt/")
                    out.append(page.evaluate(FIRST_PAINT))
                return out

            big = loads("BIG")
            rows = page.evaluate("() => window.podiumGantt.rows.length")
            scroll = page.evaluate(SCROLL, [2000, 10])
            empty = loads("EMPTY")
            browser.close()

        paint = statistics.median(r["paint"] for r in big)
        response = statistics.median(r["response"] for r in big)
        base = statistics.median(r["paint"] for r in empty)
        print(
            f"\nFirst paint, {rows:,} rows, median of {args.loads} loads "
            f"(target ≤ {TARGET_MS:.0f} ms):"
        )
        print(
            f"  big Gantt   {paint:7.0f} ms  (min {min(r['paint'] for r in big):.0f}, max "
            f"{max(r['paint'] for r in big):.0f}; page received at {response:.0f} ms)  "
            f"{'PASS' if paint <= TARGET_MS else 'FAIL'}"
        )
        print(f"  empty Gantt {base:7.0f} ms  (baseline)")
        print(f"  ratio       {paint / base:7.1f} x the empty Gantt")

        period = statistics.median(scroll["idle"])
        frames, draws = scroll["frames"], scroll["draws"]
        print(f"\nScrolling 2,000 rows in {len(draws)} animation frames of 10 rows:")
        print(
            f"  frame time  p50 {pct(frames, 0.5):5.1f} ms  p95 {pct(frames, 0.95):5.1f} ms  "
            f"max {max(frames):5.1f} ms"
        )
        print(
            f"  idle frame  p50 {period:5.1f} ms  p95 {pct(scroll['idle'], 0.95):5.1f} ms "
            "(baseline)"
        )
        print(f"  ratio p95   {pct(frames, 0.95) / pct(scroll['idle'], 0.95):5.2f} x idle frames")
        print(
            f"  draw time   p50 {pct(draws, 0.5):5.2f} ms  p95 {pct(draws, 0.95):5.2f} ms  "
            f"max {max(draws):5.2f} ms per frame"
        )
        print(f"  dropped     {dropped(frames, period)} of {len(frames)} frames")
        print(f"  scrolled to {scroll['top']:.0f} px")
        if errors:
            print(f"\nConsole errors: {errors}")
    finally:
        if args.data is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
