"""Changes to schedules: imports, recomputation, baselines, activity edits.

Every function is one transaction with a permission check and an audit record, like the
programs app's services. A schedule that cannot be computed (a cycle, a calendar with no
working time) refuses the change that caused it: nothing is stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from podium.accounts.models import User
from podium.core import audit
from podium.core.bulk import bulk_set
from podium.core.errors import PodiumError, ValidationFailed
from podium.core.services import update_versioned
from podium.engine import CycleError, EngineError, schedule
from podium.engine import calendars as ecal
from podium.interchange.base import ProjectFile
from podium.programs.models import Component, Program
from podium.programs.permissions import can_change_component, can_change_program, require
from podium.programs.services import create_component
from podium.schedule.convert import build_network, calendar_fields
from podium.schedule.models import (
    Activity,
    Baseline,
    BaselineActivity,
    Calendar,
    Link,
    ScheduleSettings,
)
from podium.schedule.wall import to_db

__all__ = [
    "ImportSummary",
    "Progress",
    "ScheduleRefused",
    "add_link",
    "import_project",
    "import_projects",
    "recompute",
    "record_progress",
    "save_baseline",
    "settings_for",
    "update_activity",
]

ACTIVITY_EDITABLE = {
    "name", "duration_minutes", "constraint_type", "constraint_date", "deadline",
    "actual_start", "actual_finish", "remaining_minutes", "percent_complete",
    "leveling_priority",
}  # fmt: skip
_BATCH = 2000
# What a recompute stores on every activity.
_COMPUTED = (
    "start", "finish", "early_start", "early_finish", "late_start", "late_finish",
    "total_float_minutes", "free_float_minutes", "critical",
)  # fmt: skip


class ScheduleRefused(PodiumError):
    """The schedule cannot be computed with this change (e.g. it makes a cycle)."""

    status = 422


def settings_for(program: Program) -> ScheduleSettings:
    settings, _ = ScheduleSettings.objects.get_or_create(program=program)
    return settings


def _require_scheduler(actor: User | None, program: Program) -> None:
    if actor is None:
        return
    allowed = (
        can_change_program(actor, program) or program.components.filter(manager=actor).exists()
    )
    require(allowed, "Only the program manager or a component manager can change schedules.")


@transaction.atomic
def recompute(*, actor: User | None, program: Program) -> ScheduleSettings:
    """Schedule the whole program (all components and the links between them) and store
    every activity's dates, floats and criticality."""
    _require_scheduler(actor, program)
    settings = settings_for(program)
    activities = list(
        Activity.objects.filter(program=program).select_related("component").order_by("pk")
    )
    links = list(Link.objects.filter(program=program))
    if activities:
        try:
            result = schedule(build_network(program, settings, activities, links))
        except CycleError as exc:
            codes = {str(a.pk): f"{a.component.code} {a.code}" for a in activities}
            path = " -> ".join(codes.get(i, i) for i in exc.activity_ids)
            raise ScheduleRefused(f"cycle in the network: {path}") from exc
        except EngineError as exc:
            raise ScheduleRefused(_name_activities(str(exc), activities)) from exc
        changed = []
        for activity, res in zip(activities, result, strict=True):
            computed = (
                to_db(res.start), to_db(res.finish), to_db(res.early_start),
                to_db(res.early_finish), to_db(res.late_start), to_db(res.late_finish),
                res.total_float_minutes, res.free_float_minutes, bool(res.critical),
            )  # fmt: skip
            if computed == tuple(getattr(activity, f) for f in _COMPUTED):
                continue  # most of a big program keeps its dates after a small edit
            for field, value in zip(_COMPUTED, computed, strict=True):
                setattr(activity, field, value)
            changed.append(activity)
        bulk_set(Activity, changed, _COMPUTED)
        finish = to_db(result.project_finish)
    else:
        finish = None
    before = {"finish": settings.finish.isoformat() if settings.finish else None}
    ScheduleSettings.objects.filter(pk=settings.pk).update(
        finish=finish, computed_at=timezone.now()
    )
    settings.refresh_from_db()
    audit.record(
        user=actor, action="compute", obj=settings, before=before,
        after={"finish": finish.isoformat() if finish else None},
        program_id=program.pk, note=f"schedule computed: {len(activities)} activities",
    )  # fmt: skip
    return settings


def _name_activities(message: str, activities: list[Activity]) -> str:
    """Engine messages name activities by primary key; say their codes instead."""
    names = {str(a.pk): f"{a.code} {a.name}" for a in activities}
    return re.sub(r"'(\d+)'", lambda m: f"'{names.get(m.group(1), m.group(1))}'", message)


@dataclass(frozen=True)
class ImportSummary:
    component: Component
    activities: int
    links: int
    calendars: int
    baseline: bool


def _component_code(program: Program, name: str) -> str:
    base = re.sub(r"[^A-Z0-9]+", "-", name.upper()).strip("-")[:16] or "IMPORT"
    if not base[0].isalpha():
        base = f"C-{base}"[:16]
    code, n = base, 2
    while program.components.filter(code=code).exists():
        code, n = f"{base}-{n}", n + 1
    return code


def _calendar_rows(program: Program, project: ProjectFile) -> dict[ecal.Calendar, Calendar]:
    rows: dict[ecal.Calendar, Calendar] = {}
    wanted = dict(project.calendars)
    for a in project.network.activities:
        if a.calendar is not None and a.calendar not in wanted.values():
            wanted[a.calendar.name] = a.calendar
    if project.network.default_calendar not in wanted.values():
        wanted[project.network.default_calendar.name] = project.network.default_calendar
    for name, cal in wanted.items():
        if cal in rows:
            continue
        existing = next(
            (
                c
                for c in Calendar.objects.filter(program=program)
                if calendar_fields(cal) == _fields(c)
            ),
            None,
        )
        if existing is None:
            unique, n = name[:110] or "Calendar", 2
            while Calendar.objects.filter(program=program, name=unique).exists():
                unique, n = f"{name[:100]} ({n})", n + 1
            existing = Calendar.objects.create(program=program, name=unique, **calendar_fields(cal))
        rows[cal] = existing
    return rows


def _fields(calendar: Calendar) -> dict[str, Any]:
    return {"week": calendar.week, "exceptions": calendar.exceptions, "yearly": calendar.yearly}


@transaction.atomic
def import_project(
    *,
    actor: User | None,
    program: Program,
    project: ProjectFile,
    component: Component | None = None,
    component_name: str | None = None,
) -> ImportSummary:
    """Store a file's schedule as a component of ``program`` (a new one unless
    ``component`` is given and still has no activities), then recompute the program.
    All or nothing."""
    if actor is not None:
        require(can_change_program(actor, program), "Only the program manager can import.")
    if component is None:
        name = (component_name or project.name or "Imported schedule")[:200]
        component = create_component(
            actor=actor, program=program, code=_component_code(program, name), name=name,
            start_date=project.network.project_start.date(),
        )  # fmt: skip
    elif Activity.objects.filter(component=component).exists():
        raise ValidationFailed(
            {
                "component": [
                    f"{component.code} already has a schedule; import into a new component."
                ]
            }
        )
    network = project.network
    calendars = _calendar_rows(program, project)
    settings = settings_for(program)
    changed: dict[str, Any] = {}
    if settings.default_calendar_id is None:
        changed["default_calendar"] = calendars[network.default_calendar]
    start = to_db(network.project_start)
    if settings.project_start is None or (start is not None and start < settings.project_start):
        changed["project_start"] = start
    if network.data_date is not None and settings.data_date is None:
        changed["data_date"] = to_db(network.data_date)
        changed["progress"] = network.options.progress
    if changed:
        ScheduleSettings.objects.filter(pk=settings.pk).update(**changed)

    rows = [
        Activity(
            program=program, component=component, code=a.id[:60], name=(a.name or a.id)[:300],
            kind=a.kind, order=i, duration_minutes=a.duration_minutes, elapsed=a.elapsed,
            calendar=calendars[a.calendar] if a.calendar is not None else None,
            constraint_type=a.constraint_type.value, constraint_date=to_db(a.constraint_date),
            deadline=to_db(a.deadline), actual_start=to_db(a.actual_start),
            actual_finish=to_db(a.actual_finish), remaining_minutes=a.remaining_minutes,
            percent_complete=a.percent_complete, wbs=project.wbs.get(a.id, "")[:60],
            splits=[list(p) for p in a.splits], created_by=actor, updated_by=actor,
        )
        for i, a in enumerate(network.activities)
    ]  # fmt: skip
    Activity.objects.bulk_create(rows, batch_size=_BATCH)
    by_code = {a.code: a for a in Activity.objects.filter(component=component).only("pk", "code")}
    parents = []
    for a in network.activities:
        if a.parent is not None:
            row = by_code[a.id[:60]]
            row.parent_id = by_code[a.parent[:60]].pk
            parents.append(row)
    Activity.objects.bulk_update(parents, ["parent"], batch_size=_BATCH)
    Link.objects.bulk_create(
        [
            Link(
                program=program, pred=by_code[ln.pred[:60]], succ=by_code[ln.succ[:60]],
                type=ln.type, lag_minutes=ln.lag_minutes, lag_kind=ln.lag_kind,
                lag_percent=ln.lag_percent, created_by=actor, updated_by=actor,
            )
            for ln in network.links
        ],
        batch_size=_BATCH,
    )  # fmt: skip
    if project.baselines:
        baseline = Baseline.objects.create(
            program=program, component=component, name=f"Imported baseline of {component.code}",
            created_by=actor, updated_by=actor,
        )  # fmt: skip
        BaselineActivity.objects.bulk_create(
            [
                BaselineActivity(
                    baseline=baseline, activity=by_code[code[:60]], start=to_db(b.start),
                    finish=to_db(b.finish), duration_minutes=b.duration_minutes or 0,
                )
                for code, b in project.baselines.items()
                if code[:60] in by_code
            ],
            batch_size=_BATCH,
        )  # fmt: skip
    from podium.resources.services import store_from_project  # resources build on schedule

    resources, assignments = store_from_project(
        actor=actor, program=program, project=project,
        activities={code: row for code, row in by_code.items()},
    )  # fmt: skip
    recompute(actor=actor, program=program)
    summary = ImportSummary(
        component, len(rows), len(network.links), len(set(calendars.values())),
        bool(project.baselines),
    )  # fmt: skip
    audit.record(
        user=actor, action="import", obj=component, before=None,
        after={"activities": summary.activities, "links": summary.links,
               "calendars": summary.calendars, "resources": resources,
               "assignments": assignments, "format": project.format},
        program_id=program.pk, note=f"imported {project.source or project.name}",
    )  # fmt: skip
    return summary


@transaction.atomic
def import_projects(
    *,
    actor: User | None,
    program: Program,
    projects: list[ProjectFile],
    component_name: str | None = None,
) -> list[ImportSummary]:
    """Import every project of one file (an XER may hold several), all or nothing. With
    several projects, ``component_name`` is suffixed with each project's name."""
    summaries = []
    for project in projects:
        name = component_name or None
        if name and len(projects) > 1:
            name = f"{name} — {project.name}"
        summaries.append(
            import_project(actor=actor, program=program, project=project, component_name=name)
        )
    return summaries


@transaction.atomic
def save_baseline(
    *, actor: User | None, program: Program, name: str, component: Component | None = None
) -> Baseline:
    """Copy the current dates of a component (or of the whole program) into a baseline."""
    if actor is not None:
        allowed = (
            can_change_component(actor, component)
            if component is not None
            else can_change_program(actor, program)
        )
        require(allowed, "You may not save a baseline here.")
    if not name.strip():
        raise ValidationFailed({"name": ["Give the baseline a name."]})
    baseline = Baseline.objects.create(
        program=program, component=component, name=name.strip()[:120],
        created_by=actor, updated_by=actor,
    )  # fmt: skip
    acts = Activity.objects.filter(program=program)
    if component is not None:
        acts = acts.filter(component=component)
    BaselineActivity.objects.bulk_create(
        [
            BaselineActivity(
                baseline=baseline, activity_id=a.pk, start=a.start, finish=a.finish,
                duration_minutes=a.duration_minutes,
            )
            for a in acts.only("pk", "start", "finish", "duration_minutes")
        ],
        batch_size=_BATCH,
    )  # fmt: skip
    audit.record(
        user=actor, action="create", obj=baseline, before=None,
        after={"name": baseline.name, "activities": baseline.entries.count()},
        program_id=program.pk,
    )  # fmt: skip
    return baseline


@transaction.atomic
def update_activity(
    *, actor: User, activity: Activity, expected_version: int | None, **changes: Any
) -> Activity:
    """Edit an activity (duration, constraint, progress…) and recompute the program."""
    require(
        can_change_component(actor, activity.component),
        "Only the program manager or this component's manager can edit its schedule.",
    )
    unknown = sorted(set(changes) - ACTIVITY_EDITABLE)
    if unknown:
        raise ValidationFailed({f: ["This field cannot be changed here."] for f in unknown})
    for key in ("constraint_date", "deadline", "actual_start", "actual_finish"):
        if key in changes:
            changes[key] = to_db(changes[key])
    before = audit.snapshot(activity, fields=set(changes))
    updated = update_versioned(activity, expected_version, actor, **changes)
    recompute(actor=actor, program=activity.program)
    updated.refresh_from_db()
    audit.record(
        user=actor, action="update", obj=updated, before=before,
        after=audit.snapshot(updated, fields=set(changes)), program_id=updated.program_id,
    )  # fmt: skip
    return updated


@dataclass(frozen=True)
class Progress:
    """Reported progress of one activity at the data date."""

    activity: Activity
    actual_start: Any = None
    actual_finish: Any = None
    percent_complete: float | None = None
    remaining_minutes: int | None = None


@transaction.atomic
def record_progress(
    *, actor: User | None, program: Program, data_date: Any, updates: list[Progress]
) -> ScheduleSettings:
    """Record progress of many activities at a data date and recompute once."""
    for update in updates:
        if actor is not None:
            require(
                can_change_component(actor, update.activity.component),
                f"You may not report progress on {update.activity.code}.",
            )
        if update.activity.program_id != program.pk:
            raise ValidationFailed(
                {"activity": [f"{update.activity.code} is not in {program.code}."]}
            )
    settings = settings_for(program)
    ScheduleSettings.objects.filter(pk=settings.pk).update(data_date=to_db(data_date))
    for update in updates:
        changes = {
            "actual_start": to_db(update.actual_start),
            "actual_finish": to_db(update.actual_finish),
            "percent_complete": update.percent_complete,
            "remaining_minutes": update.remaining_minutes,
        }
        before = audit.snapshot(update.activity, fields=set(changes))
        updated = update_versioned(update.activity, None, actor, **changes)
        audit.record(
            user=actor, action="update", obj=updated, before=before,
            after=audit.snapshot(updated, fields=set(changes)), program_id=program.pk,
            note=f"progress at {data_date:%Y-%m-%d %H:%M}",
        )  # fmt: skip
    return recompute(actor=actor, program=program)


@transaction.atomic
def add_link(
    *,
    actor: User | None,
    pred: Activity,
    succ: Activity,
    type: str = "FS",
    lag_minutes: int = 0,
) -> Link:
    """Link two activities of one program (also across components) and recompute; a link
    that closes a cycle is refused and nothing is stored."""
    if actor is not None:
        require(
            can_change_component(actor, succ.component),
            f"You may not change the logic of {succ.component.code}.",
        )
    if pred.program_id != succ.program_id:
        raise ValidationFailed({"pred": ["Both activities must belong to the same program."]})
    if type not in Link.Type.values:
        raise ValidationFailed({"type": [f"Unknown link type {type!r}."]})
    if Link.objects.filter(pred=pred, succ=succ).exists():
        raise ValidationFailed({"succ": [f"{pred.code} already precedes {succ.code}."]})
    link = Link.objects.create(
        program_id=pred.program_id, pred=pred, succ=succ, type=type, lag_minutes=lag_minutes,
        created_by=actor, updated_by=actor,
    )  # fmt: skip
    recompute(actor=actor, program=pred.program)
    audit.record(
        user=actor, action="create", obj=link, before=None, after=audit.snapshot(link),
        program_id=pred.program_id,
    )  # fmt: skip
    return link
