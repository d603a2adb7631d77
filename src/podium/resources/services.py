"""Changes to the resource pool and to assignments."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from podium.accounts.models import User
from podium.core import audit
from podium.core.errors import ValidationFailed
from podium.core.services import update_versioned, validate_model
from podium.interchange.base import ProjectFile
from podium.programs.models import Program
from podium.programs.permissions import can_change_component, can_change_program, require
from podium.resources.models import Assignment, Resource
from podium.schedule.models import Activity

__all__ = ["assign", "create_resource", "store_from_project", "unassign", "update_resource"]

RESOURCE_EDITABLE = {
    "name", "kind", "capacity", "calendar", "availability", "standard_rate", "overtime_rate",
    "cost_per_use",
}  # fmt: skip


def _check_units(field: str, value: float) -> None:
    if value <= 0:
        raise ValidationFailed({field: ["Must be more than 0."]})


@transaction.atomic
def create_resource(
    *, actor: User | None, program: Program, code: str, name: str, **fields: Any
) -> Resource:
    if actor is not None:
        require(can_change_program(actor, program), "Only the program manager manages the pool.")
    unknown = sorted(set(fields) - RESOURCE_EDITABLE)
    if unknown:
        raise ValidationFailed({f: ["Unknown field."] for f in unknown})
    resource = Resource(program=program, code=code.strip().upper(), name=name.strip(), **fields)
    resource.created_by = resource.updated_by = actor
    validate_model(resource, exclude=["created_by", "updated_by"])
    _check_units("capacity", resource.capacity)
    resource.save()
    audit.record(
        user=actor, action="create", obj=resource, before=None,
        after=audit.snapshot(resource), program_id=program.pk,
    )  # fmt: skip
    return resource


@transaction.atomic
def update_resource(
    *, actor: User, resource: Resource, expected_version: int | None, **changes: Any
) -> Resource:
    require(
        can_change_program(actor, resource.program), "Only the program manager manages the pool."
    )
    unknown = sorted(set(changes) - RESOURCE_EDITABLE)
    if unknown:
        raise ValidationFailed({f: ["This field cannot be changed here."] for f in unknown})
    if "capacity" in changes:
        _check_units("capacity", changes["capacity"])
    before = audit.snapshot(resource)
    updated = update_versioned(resource, expected_version, actor, **changes)
    audit.record(
        user=actor, action="update", obj=updated, before=before, after=audit.snapshot(updated),
        program_id=updated.program_id,
    )  # fmt: skip
    return updated


@transaction.atomic
def assign(
    *, actor: User | None, activity: Activity, resource: Resource, units: float = 1.0
) -> Assignment:
    """Assign ``units`` of a pool resource to an activity of the same program."""
    if actor is not None:
        require(
            can_change_component(actor, activity.component),
            f"You may not staff activities of {activity.component.code}.",
        )
    if resource.program_id != activity.program_id:
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
