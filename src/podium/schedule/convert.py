"""Between the database and the pure packages: stored rows ⇄ engine network / ProjectFile."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from podium.engine import calendars as ecal
from podium.engine.network import Activity as EActivity
from podium.engine.network import Link as ELink
from podium.engine.network import Network, ScheduleOptions
from podium.interchange.base import BaselineEntry, ProjectFile
from podium.programs.models import Component, Program
from podium.schedule.models import Activity, Baseline, Calendar, Link, ScheduleSettings
from podium.schedule.wall import to_wall

__all__ = [
    "build_network",
    "calendar_fields",
    "engine_calendar",
    "engine_splits",
    "project_file_for",
]


def engine_calendar(calendar: Calendar) -> ecal.Calendar:
    return ecal.Calendar(
        [[tuple(i) for i in day] for day in calendar.week],
        exceptions=[
            ecal.CalendarException(
                date.fromisoformat(e["start"]),
                date.fromisoformat(e.get("end") or e["start"]),
                tuple(tuple(i) for i in e.get("intervals", ())),
            )
            for e in calendar.exceptions
        ],
        yearly=[
            ecal.YearlyException(
                y["month"], y["day"], tuple(tuple(i) for i in y.get("intervals", ()))
            )
            for y in calendar.yearly
        ],
        name=calendar.name,
    )


def calendar_fields(calendar: ecal.Calendar) -> dict[str, Any]:
    """The stored form of an engine calendar."""
    return {
        "week": [[list(i) for i in day] for day in calendar.week],
        "exceptions": [
            {
                "start": e.start.isoformat(),
                "end": (e.end or e.start).isoformat(),
                "intervals": [list(i) for i in e.intervals],
            }
            for e in calendar.exceptions
        ],
        "yearly": [
            {"month": y.month, "day": y.day, "intervals": [list(i) for i in y.intervals]}
            for y in calendar.yearly
        ],
    }


def engine_splits(activity: Activity) -> tuple[tuple[int, int], ...]:
    """The stored splits the engine accepts: a task's gaps still inside its duration.

    A split whose work offset no longer lies inside the duration (the duration was
    shortened since the import) is dropped rather than refusing the whole schedule.
    """
    if activity.kind != Activity.Kind.TASK:
        return ()
    out: list[tuple[int, int]] = []
    for pair in activity.splits or ():
        work, gap = int(pair[0]), int(pair[1])
        if (out[-1][0] if out else 0) < work < activity.duration_minutes and gap > 0:
            out.append((work, gap))
    return tuple(out)


def _options(settings: ScheduleSettings) -> ScheduleOptions:
    return ScheduleOptions(
        progress=settings.progress,  # type: ignore[arg-type]
        lag_calendar=settings.lag_calendar,  # type: ignore[arg-type]
        critical_float_minutes=settings.critical_float_minutes,
    )


def _project_start(program: Program, settings: ScheduleSettings) -> datetime:
    if settings.project_start is not None:
        start = to_wall(settings.project_start)
        assert start is not None
        return start
    if program.start_date is not None:
        return datetime.combine(program.start_date, datetime.min.time())
    return datetime(2000, 1, 1)


def build_network(
    program: Program,
    settings: ScheduleSettings,
    activities: list[Activity],
    links: list[Link],
    *,
    component_starts: bool = True,
    leveling: bool = True,
) -> Network:
    """The program's whole network (every component, cross-component links included).
    Network ids are the activities' primary keys as strings.

    With ``component_starts``, an activity with no predecessor starts no earlier than its
    component's start date (as an inserted project keeps its own start in MS Project);
    the program's project start is the earliest of them.
    """
    starts: dict[int, datetime] = {}
    if component_starts:
        has_pred = {link.succ_id for link in links}
        starts = {
            c.pk: datetime.combine(c.start_date, datetime.min.time())
            for c in Component.objects.filter(program=program)
            if c.start_date is not None
        }
        starts = {
            a.pk: starts[a.component_id]
            for a in activities
            if a.component_id in starts
            and a.pk not in has_pred
            and a.constraint_type == Activity.Constraint.ASAP
            and a.kind != Activity.Kind.SUMMARY
        }
    for a in activities if leveling else ():  # an accepted leveling holds activities back
        leveled = to_wall(a.leveled_start)
        if leveled is not None and a.constraint_type == Activity.Constraint.ASAP:
            starts[a.pk] = max(leveled, starts.get(a.pk, leveled))
    cals: dict[int, ecal.Calendar] = {
        c.pk: engine_calendar(c) for c in Calendar.objects.filter(program=program)
    }
    default = (
        cals[settings.default_calendar_id]
        if settings.default_calendar_id in cals
        else ecal.Calendar.standard()
    )
    return Network(
        activities=[
            EActivity(
                id=str(a.pk),
                name=a.name,
                duration_minutes=a.duration_minutes,
                calendar=cals.get(a.calendar_id) if a.calendar_id else None,
                kind=a.kind,  # type: ignore[arg-type]
                parent=str(a.parent_id) if a.parent_id else None,
                constraint_type="SNET" if a.pk in starts else a.constraint_type,  # type: ignore[arg-type]
                constraint_date=starts[a.pk] if a.pk in starts else to_wall(a.constraint_date),
                deadline=to_wall(a.deadline),
                actual_start=to_wall(a.actual_start),
                actual_finish=to_wall(a.actual_finish),
                remaining_minutes=a.remaining_minutes,
                percent_complete=a.percent_complete,
                component=str(a.component_id),
                elapsed=a.elapsed,
                splits=engine_splits(a),
            )
            for a in activities
        ],
        links=[
            ELink(
                str(link.pred_id),
                str(link.succ_id),
                link.type,  # type: ignore[arg-type]
                link.lag_minutes,
                link.lag_kind,  # type: ignore[arg-type]
                link.lag_percent,
            )
            for link in links
        ],
        project_start=_project_start(program, settings),
        default_calendar=default,
        data_date=to_wall(settings.data_date),
        options=_options(settings),
    )


def project_file_for(program: Program, component: Component | None = None) -> ProjectFile:
    """The stored schedule as a :class:`ProjectFile` (for the MSPDI and JSON writers).
    Activity ids are the stored codes, prefixed with the component code when the whole
    program is exported."""
    settings = ScheduleSettings.objects.get(program=program)
    acts = Activity.objects.filter(program=program).select_related("component", "parent")
    links = Link.objects.filter(program=program).select_related("pred", "succ")
    if component is not None:
        acts = acts.filter(component=component)
        links = links.filter(pred__component=component, succ__component=component)
    activities = list(acts.order_by("component__code", "order", "pk"))
    links_list = list(links)

    def key(a: Activity) -> str:
        return a.code if component is not None else f"{a.component.code}.{a.code}"

    by_pk = {a.pk: key(a) for a in activities}
    network = build_network(program, settings, activities, links_list, component_starts=False)
    renamed = Network(
        activities=[
            _with_id(ea, by_pk[int(ea.id)], by_pk.get(int(ea.parent)) if ea.parent else None)
            for ea in network.activities
        ],
        links=[
            ELink(
                by_pk[int(ln.pred)],
                by_pk[int(ln.succ)],
                ln.type,
                ln.lag_minutes,
                ln.lag_kind,
                ln.lag_percent,
            )
            for ln in network.links
        ],
        project_start=network.project_start,
        default_calendar=network.default_calendar,
        data_date=network.data_date,
        options=network.options,
    )
    calendars = {c.name: engine_calendar(c) for c in Calendar.objects.filter(program=program)}
    baselines = {}
    latest = Baseline.objects.filter(program=program, component=component).first()
    if latest is not None:
        for entry in latest.entries.all():
            if entry.activity_id in by_pk:
                baselines[by_pk[entry.activity_id]] = BaselineEntry(
                    to_wall(entry.start), to_wall(entry.finish), entry.duration_minutes
                )
    return ProjectFile(
        name=component.name if component is not None else program.name,
        format="json",
        network=renamed,
        calendars=calendars,
        baselines=baselines,
        wbs={by_pk[a.pk]: a.wbs for a in activities if a.wbs},
        currency=program.currency,
    )


def _with_id(a: EActivity, new_id: str, parent: str | None) -> EActivity:
    fields = {f: getattr(a, f) for f in EActivity.__dataclass_fields__}
    fields.update(id=new_id, parent=parent)
    return EActivity(**fields)
