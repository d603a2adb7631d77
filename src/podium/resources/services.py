"""Changes to the resource pool and to assignments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse

from podium.accounts.models import User
from podium.core import audit
from podium.core.errors import ValidationFailed
from podium.core.services import update_versioned, validate_model
from podium.interchange.base import ProjectFile
from podium.notifications.services import notify
from podium.programs.models import Program
from podium.programs.permissions import (
    can_change_component,
    can_change_program,
    require,
    visible_programs,
)
from podium.resources.models import Assignment, Resource, Skill
from podium.resources.selectors import can_manage_pool
from podium.schedule.models import Activity

__all__ = [
    "assign",
    "create_resource",
    "store_from_project",
    "unassign",
    "update_resource",
]

RESOURCE_EDITABLE = {
    "name", "kind", "capacity", "calendar", "availability", "standard_rate", "overtime_rate",
    "cost_per_use", "user",
}  # fmt: skip
ORG_POOL_ONLY = "Only administrators manage the organisation pool."
PROGRAM_POOL_ONLY = "Only the program manager manages the pool."


def _check_units(field: str, value: float) -> None:
    if value <= 0:
        raise ValidationFailed({field: ["Must be more than 0."]})


def _check_availability(periods: Any) -> list[dict[str, Any]]:
    """``[{"start": "YYYY-MM-DD", "end": "YYYY-MM-DD" (optional), "units": n ≥ 0}]``."""
    if not isinstance(periods, list):
        raise ValidationFailed({"availability": ["A list of periods."]})
    out = []
    for n, period in enumerate(periods, start=1):
        try:
            start = dt.date.fromisoformat(str(period["start"]))
            end = dt.date.fromisoformat(str(period.get("end") or period["start"]))
            units = float(period["units"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationFailed(
                {"availability": [f"Period {n}: give start, end (dates) and units."]}
            ) from exc
        if end < start or units < 0:
            raise ValidationFailed(
                {"availability": [f"Period {n}: end before start, or negative units."]}
            )
        out.append({"start": start.isoformat(), "end": end.isoformat(), "units": units})
    return out


def _check_calendar(resource: Resource, calendar: Any) -> None:
    mine = getattr(calendar, "program_id", None) == resource.program_id
    if calendar is not None and resource.program_id is not None and not mine:
        raise ValidationFailed({"calendar": ["Use a calendar of the resource's program."]})


def _check_user(resource: Resource) -> None:
    """A linked account belongs to a person resource, and to someone who can see the
    resource's program (any user for an organisation resource)."""
    user = resource.user
    if user is None:
        return
    if resource.kind != Resource.Kind.PERSON:
        raise ValidationFailed({"user": ["Only a person resource can be linked to an account."]})
    if not user.is_active:
        raise ValidationFailed({"user": [f"{user.username} is not an active account."]})
    program_id = resource.program_id
    if program_id is not None and not visible_programs(user).filter(pk=program_id).exists():
        raise ValidationFailed({"user": [f"{user.username} is not a member of the program."]})


def _require_pool_change(actor: User, resource: Resource) -> None:
    program = resource.program
    if program is None:
        require(can_manage_pool(actor), ORG_POOL_ONLY)
    else:
        require(can_change_program(actor, program), PROGRAM_POOL_ONLY)


def _skills(actor: User | None, names: Iterable[str]) -> list[Skill]:
    """The skills named (any case), created when new (each creation audited)."""
    wanted: dict[str, str] = {}
    for raw in names:
        name = " ".join(str(raw).split())
        if not name:
            continue
        if len(name) > 80:
            raise ValidationFailed({"skills": [f"{name[:20]}…: at most 80 characters."]})
        wanted.setdefault(name.lower(), name)
    found = []
    for name in wanted.values():
        skill = Skill.objects.filter(name__iexact=name).first()
        if skill is None:
            skill = Skill.objects.create(name=name, created_by=actor, updated_by=actor)
            audit.record(user=actor, action="create", obj=skill, before=None, after={"name": name})
        found.append(skill)
    return found


def _skill_names(resource: Resource) -> list[str]:
    return sorted((s.name for s in resource.skills.all()), key=str.lower)


def _snapshot(resource: Resource) -> dict[str, Any]:
    return {**audit.snapshot(resource), "skills": _skill_names(resource)}


@transaction.atomic
def create_resource(
    *,
    actor: User | None,
    program: Program | None,
    code: str,
    name: str,
    skills: Iterable[str] = (),
    **fields: Any,
) -> Resource:
    """Add a resource to ``program``'s pool (its program manager), or to the organisation
    pool when ``program`` is None (administrators)."""
    if actor is not None:
        if program is None:
            require(can_manage_pool(actor), ORG_POOL_ONLY)
        else:
            require(can_change_program(actor, program), PROGRAM_POOL_ONLY)
    unknown = sorted(set(fields) - RESOURCE_EDITABLE)
    if unknown:
        raise ValidationFailed({f: ["Unknown field."] for f in unknown})
    if "availability" in fields:
        fields["availability"] = _check_availability(fields["availability"])
    resource = Resource(program=program, code=code.strip().upper(), name=name.strip(), **fields)
    resource.created_by = resource.updated_by = actor
    validate_model(resource, exclude=["created_by", "updated_by"])
    _check_units("capacity", resource.capacity)
    _check_calendar(resource, resource.calendar)
    _check_user(resource)
    resource.save()
    chosen = _skills(actor, skills)
    if chosen:
        resource.skills.set(chosen)
    audit.record(
        user=actor, action="create", obj=resource, before=None,
        after=_snapshot(resource), program_id=program.pk if program else None,
    )  # fmt: skip
    return resource


@transaction.atomic
def update_resource(
    *, actor: User, resource: Resource, expected_version: int | None, **changes: Any
) -> Resource:
    """Change a resource (``skills`` as a list of names replaces its skills): the program
    manager for a program resource, an administrator for an organisation one."""
    _require_pool_change(actor, resource)
    skill_names = changes.pop("skills", None)
    unknown = sorted(set(changes) - RESOURCE_EDITABLE)
    if unknown:
        raise ValidationFailed({f: ["This field cannot be changed here."] for f in unknown})
    if "capacity" in changes:
        _check_units("capacity", changes["capacity"])
    if "availability" in changes:
        changes["availability"] = _check_availability(changes["availability"])
    if "calendar" in changes:
        _check_calendar(resource, changes["calendar"])
    if "user" in changes or "kind" in changes:
        probe = Resource(program_id=resource.program_id, kind=changes.get("kind", resource.kind))
        probe.user = changes.get("user", resource.user)
        _check_user(probe)
    if "user" in changes:  # (``user`` is update_versioned's own argument: pass the id)
        account = changes.pop("user")
        changes["user_id"] = account.pk if account is not None else None
    before = _snapshot(resource)
    updated = update_versioned(resource, expected_version, actor, **changes)
    if skill_names is not None:
        updated.skills.set(_skills(actor, skill_names))
    audit.record(
        user=actor, action="update", obj=updated, before=before, after=_snapshot(updated),
        program_id=updated.program_id,
    )  # fmt: skip
    return updated


@transaction.atomic
def assign(
    *, actor: User | None, activity: Activity, resource: Resource, units: float = 1.0
) -> Assignment:
    """Assign ``units`` of a resource of the activity's program, or of the organisation
    pool, to the activity (its program or component manager). The person linked to the
    resource, if any, is notified (category "assignments")."""
    if actor is not None:
        require(
            can_change_component(actor, activity.component),
            f"You may not staff activities of {activity.component.code}.",
        )
    if resource.program_id is not None and resource.program_id != activity.program_id:
        raise ValidationFailed({"resource": ["The resource belongs to another program."]})
    _check_units("units", units)
    if Assignment.objects.filter(activity=activity, resource=resource).exists():
        raise ValidationFailed({"resource": [f"{resource.code} is already on {activity.code}."]})
    assignment = Assignment.objects.create(
        activity=activity, resource=resource, units=units, created_by=actor, updated_by=actor
    )
    audit.record(
        user=actor, action="create", obj=assignment, before=None,
        after=audit.snapshot(assignment), program_id=activity.program_id,
    )  # fmt: skip
    if resource.user_id is not None and resource.kind == Resource.Kind.PERSON:
        notify(
            user=resource.user,
            title=f"You are assigned to {activity.code} {activity.name}"[:200],
            body=f"{activity.component.code}: {units:g} units as {resource.code}.",
            url=reverse("work:mine"),
            program=activity.program,
            category="assignments",
        )
    return assignment


@transaction.atomic
def unassign(*, actor: User, assignment: Assignment) -> None:
    require(
        can_change_component(actor, assignment.activity.component),
        "You may not change this staffing.",
    )
    audit.record(
        user=actor, action="delete", obj=assignment, before=audit.snapshot(assignment),
        after=None, program_id=assignment.activity.program_id,
    )  # fmt: skip
    assignment.delete()


def store_from_project(
    *, actor: User | None, program: Program, project: ProjectFile, activities: dict[str, Activity]
) -> tuple[int, int]:
    """Add a file's resources to the pool (matched by code: existing ones are reused) and
    its assignments. Called inside the import's transaction."""
    pool = {r.code: r for r in Resource.objects.filter(program=program)}
    created = 0
    for res in project.resources:
        code = res.id.strip().upper()[:40] or res.name.upper()[:40]
        if code in pool:
            continue
        new = Resource(
            program=program, code=code, name=(res.name or code)[:200],
            kind=Resource.Kind.MATERIAL if res.kind == "material" else Resource.Kind.ROLE,
            capacity=res.max_units if res.max_units > 0 else 1.0,
            standard_rate=Decimal(str(round(res.standard_rate, 2))),
            overtime_rate=Decimal(str(round(res.overtime_rate, 2))),
            cost_per_use=Decimal(str(round(res.cost_per_use, 2))),
            created_by=actor, updated_by=actor,
        )  # fmt: skip
        new.save()
        pool[code] = new
        created += 1
    by_file_id = {res.id: pool[res.id.strip().upper()[:40] or res.name.upper()[:40]]
                  for res in project.resources}  # fmt: skip
    rows = []
    seen: set[tuple[int, int]] = set()
    for a in project.assignments:
        activity = activities.get(a.activity_id[:60])
        target = by_file_id.get(a.resource_id)
        if activity is None or target is None or a.units <= 0:
            continue
        if (activity.pk, target.pk) in seen:
            continue
        seen.add((activity.pk, target.pk))
        rows.append(Assignment(activity=activity, resource=target, units=a.units,
                               created_by=actor, updated_by=actor))  # fmt: skip
    Assignment.objects.bulk_create(rows, batch_size=2000)
    return created, len(rows)
