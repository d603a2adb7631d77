"""Geometry of the roadmap's SVG: the template draws what this computes.

Everything is in the SVG's own user units (``WIDTH`` wide); the page scales it with CSS.
No style attributes: colours come from classes in ``podium.css``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from podium.dashboard.selectors import Roadmap

__all__ = ["LABEL_WIDTH", "LANE_HEIGHT", "WIDTH", "Drawing", "layout"]

WIDTH = 1000
LABEL_WIDTH = 170
LANE_HEIGHT = 56
TOP = 34  # room for the month ticks
BOTTOM = 12
LABEL_CHARS = 22  # what fits the label column at 12 px
RIGHT = 16


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    title: str


@dataclass(frozen=True)
class Diamond:
    points: str  # the polygon's points
    x: float
    y: float
    css: str  # on-plan | slipped | done
    title: str
    label: str
    label_y: float


@dataclass(frozen=True)
class LaneDrawing:
    y: float  # top of the lane
    label_y: float
    code: str
    name: str
    label: str  # code and name, shortened to fit the label column
    bar: Bar | None
    milestones: list[Diamond]


@dataclass(frozen=True)
class Arrow:
    path: str
    title: str


@dataclass(frozen=True)
class Drawing:
    width: int
    height: int
    label_width: int
    lane_height: int
    lanes: list[LaneDrawing]
    arrows: list[Arrow]
    ticks: list[Tick]
    today_x: float | None
    today_label: str


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    out = []
    day = first.replace(day=1)
    while day <= last:
        if day >= first:
            out.append(day)
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return out


def layout(roadmap: Roadmap) -> Drawing | None:
    """None when nothing has a date yet (no computed schedule)."""
    if roadmap.first is None or roadmap.last is None:
        return None
    first = min(roadmap.first, roadmap.today) - dt.timedelta(days=7)
    last = max(roadmap.last, roadmap.today) + dt.timedelta(days=7)
    span = max((last - first).days, 1)
    plot = WIDTH - LABEL_WIDTH - RIGHT

    def x(day: dt.date) -> float:
        return round(LABEL_WIDTH + (day - first).days / span * plot, 1)

    months = _months(first, last)
    step = max(1, len(months) // 10)  # at most about ten labels
    ticks = [Tick(x(m), m.strftime("%b %Y")) for m in months[::step]]

    lanes = []
    centre: dict[str, float] = {}
    where: dict[tuple[str, str], tuple[float, float]] = {}
    for i, lane in enumerate(roadmap.lanes):
        top = TOP + i * LANE_HEIGHT
        mid = top + LANE_HEIGHT / 2
        centre[lane.code] = mid
        bar = None
        if lane.start is not None and lane.finish is not None:
            bar = Bar(
                x(lane.start),
                mid - 6,
                round(max(x(lane.finish) - x(lane.start), 2), 1),
                f"{lane.code} {lane.name}: {lane.start:%Y-%m-%d} to {lane.finish:%Y-%m-%d}",
            )
        diamonds = []
        for m in lane.milestones:
            cx = x(m.finish)
            css = "done" if m.done else "slipped" if (m.slip_days or 0) > 0 else "on-plan"
            slip = ""
            if m.slip_days is not None and m.baseline_finish is not None:
                slip = f", baseline {m.baseline_finish:%Y-%m-%d} ({m.slip_days:+g} d)"
            state = " (done)" if m.done else ""
            title = f"{m.code} {m.name}: {m.finish:%Y-%m-%d}{slip}{state}"
            pts = f"{cx},{mid - 8} {cx + 8},{mid} {cx},{mid + 8} {cx - 8},{mid}"
            diamonds.append(Diamond(pts, cx, mid, css, title, m.code, mid - 12))
            where[(lane.code, m.code)] = (cx, mid)
        full = f"{lane.code} {lane.name}"
        label = full if len(full) <= LABEL_CHARS else full[: LABEL_CHARS - 1] + "…"
        lanes.append(LaneDrawing(top, mid + 4, lane.code, lane.name, label, bar, diamonds))

    arrows = []
    for d in roadmap.dependencies:
        if d.pred_date is None or d.succ_date is None:
            continue
        if d.pred_component not in centre or d.succ_component not in centre:
            continue
        x1, y1 = where.get(
            (d.pred_component, d.pred_code), (x(d.pred_date), centre[d.pred_component])
        )
        x2, y2 = where.get(
            (d.succ_component, d.succ_code), (x(d.succ_date), centre[d.succ_component])
        )
        bend = max(abs(x2 - x1) / 2, 20)
        path = f"M{x1},{y1} C{x1 + bend},{y1} {x2 - bend},{y2} {x2},{y2}"
        title = (
            f"{d.pred_component} {d.pred_code} {d.pred_name} → {d.succ_component} "
            f"{d.succ_code} {d.succ_name} ({d.type})"
        )
        arrows.append(Arrow(path, title))

    today_x = x(roadmap.today)
    height = TOP + len(roadmap.lanes) * LANE_HEIGHT + BOTTOM
    return Drawing(
        WIDTH, height, LABEL_WIDTH, LANE_HEIGHT, lanes, arrows, ticks, today_x,
        f"Today {roadmap.today:%Y-%m-%d}",
    )  # fmt: skip
