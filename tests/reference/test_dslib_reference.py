"""DSLIB: schedule each workbook's baseline network and compare with its baseline dates.

DSLIB baselines come from ProTrack and are often *resource-constrained* (activities
pushed later than their logic allows) or hand-entered; a pure CPM schedule cannot
reproduce those. Every activity is therefore put in exactly one class:

``match``
    Start and end equal the workbook's (a zero-duration milestone's end may sit at
    the previous working end, ProTrack's convention: same working instant).
``delayed``
    The workbook starts it later than the CPM early start, its end is start plus
    duration on the Agenda calendar, and every link into it holds with the workbook's
    dates: a feasible but later schedule (resource leveling or a manual choice in
    ProTrack), not a reader or engine error.
``inconsistent``
    The workbook's own dates break one of its links or its duration, or sit outside
    working time (hand-entered dates at 00:00): no CPM engine can match them.
``inherited``
    Earlier than the CPM date while every link into it holds, because a predecessor
    is ``inconsistent`` (its too-early dates propagate).
``rollup``
    A summary whose children are delayed or inconsistent.
``unexplained``
    Anything else — a reader or engine defect; the test fails on these.

Independently of the classes, the engine's dates must satisfy every link of every
file (checked here with our own arithmetic, not the engine's). Prints the per-file
match rate.
"""

from __future__ import annotations

import warnings
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from podium.engine import ParseError, schedule
from podium.engine.calendars import Calendar
from podium.engine.network import Link
from podium.interchange.base import ProjectFile
from podium.interchange.dslib import read_dslib

pytestmark = pytest.mark.reference

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "dslib" / "Excel"
FILES = sorted(DATA.glob("*.xlsx")) if DATA.is_dir() else []

# Workbooks whose baseline sheet is itself invalid: the reader must refuse them with a
# one-line ParseError naming the cell (file name -> expected message part).
INVALID = {
    "C2023-07 Building Nevele.xlsx": "'Baseline Schedule'!D32: activity '31' lists itself",
    "C2023-12 Railroad construction.xlsx": "'Baseline Schedule'!A87: duplicate ID '89'",
}

# Exact-match counts measured on 2026-11-25 (activities with a baseline start);
# a drop means a regression in the reader or the engine.
EXPECTED_MATCHES = {
    "C2011-10 Building a House.xlsx": 7,
    "C2015-07 Industrial Complex (2).xlsx": 15,
    "C2016-11 Residential House (1).xlsx": 64,
    "C2016-25 Residential House Finishing Works (10).xlsx": 29,
    "C2016-32 Apartment Building Finishing Works (2).xlsx": 25,
    "C2016-43 Mail delivery app.xlsx": 13,
    "C2018-04 Christmas market (1).xlsx": 21,
    "C2019-10 Family residence (3).xlsx": 64,
    "C2019-19 Transitional house.xlsx": 10,
    "C2023-10 UK Roap map.xlsx": 20,
}


def _end(project: ProjectFile, aid: str) -> datetime | None:
    b = project.baselines[aid]
    if b.start is None:
        return None
    if b.finish is not None:
        return b.finish
    act = project.network.activities[project.network.index[aid]]
    return project.network.default_calendar.add_work(b.start, act.duration_minutes)


def _holds(
    cal: Calendar, link: Link, ps: datetime, pf: datetime, ss: datetime, sf: datetime
) -> bool:
    """Whether ``link`` holds for predecessor (ps, pf) and successor (ss, sf)."""
    src = ps if link.type in ("SS", "SF") else pf
    dst = ss if link.type in ("FS", "SS") else sf
    need = cal.add_work(src, link.lag_minutes)
    return cal.work_between(need, dst) >= 0


def _classify(project: ProjectFile) -> tuple[Counter[str], list[str]]:
    net = project.network
    cal = net.default_calendar
    result = schedule(net)
    into: dict[str, list[Link]] = {}
    for ln in net.links:
        into.setdefault(ln.succ, []).append(ln)
        p, s = result[ln.pred], result[ln.succ]
        assert _holds(cal, ln, p.start, p.finish, s.start, s.finish), f"engine breaks {ln.label}"
    kind: dict[str, str] = {}
    for act in net.activities:
        b = project.baselines[act.id]
        if b.start is None or act.kind == "summary":
            continue
        got = result[act.id]
        end = _end(project, act.id)
        assert end is not None
        same_end = end == got.finish or (
            act.kind == "milestone" and end <= b.start and cal.work_between(end, b.start) == 0
        )
        if b.start == got.start and same_end:
            kind[act.id] = "match"
            continue
        on_calendar = b.start in (cal.next_work_start(b.start), cal.prev_work_end(b.start))
        duration_ok = act.kind != "task" or cal.add_work(b.start, act.duration_minutes) == end
        links_ok = True
        for ln in into.get(act.id, []):
            ps = project.baselines[ln.pred].start
            pf = _end(project, ln.pred)
            if ps is not None and pf is not None:
                links_ok &= _holds(cal, ln, ps, pf, b.start, end)
        if not (on_calendar and duration_ok and links_ok):
            kind[act.id] = "inconsistent"
        elif b.start > got.start:
            kind[act.id] = "delayed"
        else:
            kind[act.id] = "unexplained"
    changed = True
    while changed:  # earlier than CPM only because a predecessor's dates are inconsistent
        changed = False
        for aid, k in kind.items():
            if k == "unexplained" and any(
                kind.get(ln.pred) in ("inconsistent", "inherited") for ln in into.get(aid, [])
            ):
                kind[aid] = "inherited"
                changed = True
    classes: Counter[str] = Counter(kind.values())
    unexplained = [
        f"{aid}: workbook {project.baselines[aid].start}, engine {result[aid].start}"
        for aid, k in kind.items()
        if k == "unexplained"
    ]
    off = {aid for aid, k in kind.items() if k != "match"}
    parent = {a.id: a.parent for a in net.activities}
    for act in net.activities:
        b = project.baselines[act.id]
        if act.kind != "summary" or b.start is None:
            continue
        got = result[act.id]
        if b.start == got.start and _end(project, act.id) == got.finish:
            classes["match"] += 1
            continue
        below = [a for a in off if _is_below(a, act.id, parent)]
        if below:
            classes["rollup"] += 1
        else:
            classes["unexplained"] += 1
            unexplained.append(f"summary {act.id}: workbook {b.start}, engine {got.start}")
    return classes, unexplained


def _is_below(aid: str, summary: str, parent: dict[str, str | None]) -> bool:
    up = parent.get(aid)
    while up is not None:
        if up == summary:
            return True
        up = parent.get(up)
    return False


@pytest.mark.skipif(not FILES, reason=f"{DATA} is absent")
@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_baseline_dates(path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl: "Unknown extension is not supported"
        if path.name in INVALID:
            with pytest.raises(ParseError) as info:
                read_dslib(path)
            assert INVALID[path.name] in str(info.value)
            return
        project = read_dslib(path)
    classes, unexplained = _classify(project)
    total = sum(classes.values())
    print(f"\n{path.name}: {classes['match']}/{total} match; {dict(classes)}")
    assert unexplained == [], "; ".join(unexplained)
    assert classes["match"] >= EXPECTED_MATCHES.get(path.name, 0)
