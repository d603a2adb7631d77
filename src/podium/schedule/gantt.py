"""The program Gantt's data: every activity of a program in WBS order, in one compact payload.

The payload is made for a browser drawing 10,000 rows: rows and links are arrays, not
objects, and dates are whole minutes from ``origin`` (a midnight, wall-clock time of the
calendars), so the JSON stays small and quick to parse. Shape::

    {
      "origin": "2026-03-02T00:00",           # minute 0 of every date below
      "columns": ["id", "code", "name", ...],  # names of the row fields, in order
      "rows": [[id, code, name, component, level, flags, parent,
                start, finish, baseline_start, baseline_finish,
                percent_complete, total_float_minutes, duration_minutes], ...],
      "links": [[pred_row, succ_row, type], ...],   # type: index in "link_types"
      "link_types": ["FS", "SS", "FF", "SF"],
      "components": [[id, code, name, editable], ...],
      "resources": [[id, code, name], ...],    # resources assigned in the program
      "baselines": ["name", ...],              # the baselines the bars come from
      "data_date": minute | null, "today": minute,
      "filters": {"component": id | null, "resource": id | null}
    }

Each component is a row of its own (level 0, ``id`` = minus the component's id, flag
``GROUP``) with its activities below it in WBS order (parents before children, siblings
by their order in the file). ``component`` is an index into ``components``; ``parent`` is
the index of the parent row (-1 for component rows). ``start``/``finish`` are the
scheduled dates of the last computation (the early dates for activities scheduled as
soon as possible); the baseline dates come from the latest baseline that covers the
activity's component (a program-wide one or the component's own).

Filtering by resource keeps the activities the resource is assigned to and their
summary rows (so they keep their place in the WBS). The number of queries does not
depend on the number of activities.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from podium.programs.models import Component, Program
from podium.programs.permissions import can_change_program
from podium.schedule.models import Activity, Baseline, BaselineActivity, Link, ScheduleSettings
from podium.schedule.wall import to_wall

__all__ = [
    "COLUMNS",
    "CRITICAL",
    "GROUP",
    "LINK_TYPES",
    "MILESTONE",
    "SUMMARY",
    "GanttFilters",
    "gantt_payload",
]

COLUMNS = [
    "id", "code", "name", "component", "level", "flags", "parent", "start", "finish",
    "baseline_start", "baseline_finish", "percent_complete", "total_float_minutes",
    "duration_minutes",
]  # fmt: skip
LINK_TYPES = ["FS", "SS", "FF", "SF"]
# Bits of a row's ``flags``.
SUMMARY, MILESTONE, CRITICAL, GROUP = 1, 2, 4, 8

_FIELDS = (
    "pk", "code", "name", "component_id", "kind", "parent_id", "start", "finish",
    "percent_complete", "total_float_minutes", "duration_minutes", "critical", "order",
)  # fmt: skip


@dataclass(frozen=True)
class GanttFilters:
    """Which part of the program to show: one component, one resource's activities."""

    component: int | None = None
    resource: int | None = None


def _clock(origin: dt.datetime) -> Callable[[dt.datetime | None], int | None]:
    """Minutes from ``origin`` (a wall-clock time) of stored schedule dates (that wall
    time in UTC): a plain subtraction of timestamps, quick enough for 40,000 dates."""
    base = origin.replace(tzinfo=dt.UTC).timestamp()

    def minutes(value: dt.datetime | None) -> int | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return int(value.timestamp() - base) // 60

    return minutes


def _wbs_order(acts: list[tuple[Any, ...]]) -> list[tuple[tuple[Any, ...], int]]:
    """Activities of one component, parents first then their children, with their depth
    (1 for top-level activities: level 0 is the component row)."""
    present = {a[0] for a in acts}
    children: dict[int | None, list[tuple[Any, ...]]] = defaultdict(list)
    for a in acts:
        parent = a[5] if a[5] in present else None
        children[parent].append(a)
    for kids in children.values():
        kids.sort(key=lambda a: (a[12], a[0]))
    out: list[tuple[tuple[Any, ...], int]] = []
    stack: list[tuple[tuple[Any, ...], int]] = [(a, 1) for a in reversed(children[None])]
    while stack:
        act, level = stack.pop()
        out.append((act, level))
        stack.extend((kid, level + 1) for kid in reversed(children.get(act[0], [])))
    return out


def _keep_with_ancestors(acts: list[tuple[Any, ...]], keep: set[int]) -> list[tuple[Any, ...]]:
    parent_of = {a[0]: a[5] for a in acts}
    wanted = set()
    for pk in keep:
        node: int | None = pk
        while node is not None and node not in wanted and node in parent_of:
            wanted.add(node)
            node = parent_of[node]
    return [a for a in acts if a[0] in wanted]


def _baseline_dates(
    program: Program, components: list[Component]
) -> tuple[dict[int, tuple[Any, Any]], list[str]]:
    """activity id -> (start, finish) of the latest baseline covering its component."""
    baselines = list(
        Baseline.objects.filter(program=program)
        .order_by("-created_at", "-id")
        .values_list("pk", "component_id", "name")
    )
    chosen: dict[int, int] = {}  # component id -> baseline id
    for comp in components:
        for pk, component_id, _name in baselines:
            if component_id is None or component_id == comp.pk:
                chosen[comp.pk] = pk
                break
    if not chosen:
        return {}, []
    names = [name for pk, _c, name in baselines if pk in set(chosen.values())]
    entries = BaselineActivity.objects.filter(baseline_id__in=set(chosen.values())).values_list(
        "baseline_id", "activity_id", "activity__component_id", "start", "finish"
    )
    dates = {
        activity_id: (start, finish)
        for baseline_id, activity_id, component_id, start, finish in entries
        if chosen.get(component_id) == baseline_id
    }
    return dates, names


def gantt_payload(
    user: Any, program: Program, filters: GanttFilters | None = None
) -> dict[str, Any]:
    """The Gantt of ``program`` (which ``user`` may see) as one JSON-ready dict."""
    filters = filters or GanttFilters()
    all_components = list(
        Component.objects.filter(program=program)
        .order_by("code")
        .only("pk", "code", "name", "manager")
    )
    components = [c for c in all_components if filters.component in (None, c.pk)]
    editor = can_change_program(user, program)
    comp_index = {c.pk: i for i, c in enumerate(components)}

    acts_qs = Activity.objects.filter(program=program)
    if filters.component is not None:
        acts_qs = acts_qs.filter(component_id=filters.component)
    acts = list(acts_qs.values_list(*_FIELDS))
    if filters.resource is not None:
        assigned = set(
            acts_qs.filter(assignments__resource_id=filters.resource).values_list("pk", flat=True)
        )
        acts = _keep_with_ancestors(acts, assigned)

    from podium.resources.models import Resource  # resources build on schedule

    resources = list(
        Resource.objects.filter(assignments__activity__program=program)
        .distinct()
        .order_by("code")
        .values_list("pk", "code", "name")
    )
    baseline, baseline_names = _baseline_dates(program, components)
    settings = ScheduleSettings.objects.filter(program=program).first()
    data_date = settings.data_date if settings else None

    by_component: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for a in acts:
        by_component[a[3]].append(a)

    starts = [a[6] for a in acts if a[6] is not None]
    starts += [s for s, _f in baseline.values() if s is not None]
    today = timezone.localdate()
    first = to_wall(min(starts, default=None))
    origin_day = first.date() if first is not None else today
    origin = dt.datetime.combine(origin_day, dt.time())
    _minutes = _clock(origin)

    rows: list[list[Any]] = []
    row_of: dict[int, int] = {}
    for comp in components:
        comp_acts = by_component.get(comp.pk, [])
        if filters.resource is not None and not comp_acts:
            continue
        group = len(rows)
        rows.append([-comp.pk, comp.code, comp.name, comp_index[comp.pk], 0, GROUP | SUMMARY,
                     -1, None, None, None, None, None, None, 0])  # fmt: skip
        span: list[int] = []
        for act, level in _wbs_order(comp_acts):
            pk, code, name, _c, kind, parent_id = act[:6]
            flags = (
                (SUMMARY if kind == Activity.Kind.SUMMARY else 0)
                | (MILESTONE if kind == Activity.Kind.MILESTONE else 0)
                | (CRITICAL if act[11] else 0)
            )
            base = baseline.get(pk, (None, None))
            start, finish = _minutes(act[6]), _minutes(act[7])
            span += [m for m in (start, finish) if m is not None]
            row_of[pk] = len(rows)
            pct = act[8]
            rows.append([
                pk, code, name, comp_index[comp.pk], level, flags,
                row_of.get(parent_id, group) if parent_id is not None else group,
                start, finish, _minutes(base[0]), _minutes(base[1]),
                round(pct, 1) if pct is not None else None, act[9], act[10],
            ])  # fmt: skip
        if span:
            rows[group][7], rows[group][8] = min(span), max(span)

    type_index = {t: i for i, t in enumerate(LINK_TYPES)}
    links = [
        [row_of[pred], row_of[succ], type_index.get(typ, 0)]
        for pred, succ, typ in Link.objects.filter(program=program).values_list(
            "pred_id", "succ_id", "type"
        )
        if pred in row_of and succ in row_of
    ]
    return {
        "origin": origin.strftime("%Y-%m-%dT%H:%M"),
        "columns": COLUMNS,
        "rows": rows,
        "links": links,
        "link_types": LINK_TYPES,
        "components": [
            [c.pk, c.code, c.name, editor or c.manager_id == getattr(user, "pk", None)]
            for c in components
        ],
        "all_components": [[c.pk, c.code, c.name] for c in all_components],
        "resources": [list(r) for r in resources],
        "baselines": baseline_names,
        "data_date": _minutes(data_date),
        "today": int((dt.datetime.combine(today, dt.time()) - origin).total_seconds() // 60),
        "filters": {"component": filters.component, "resource": filters.resource},
    }
