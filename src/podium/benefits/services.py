"""Every change to benefits, their realization profiles and measurements.

Each function is one transaction: permission check (:mod:`podium.benefits.access`),
validation, the versioned write and its audit records. Pages, the API and the demo
loader call these; nothing else saves the benefit models.

A benefit's **status** is recomputed (:func:`podium.benefits.rules.status_for`, the rule
is in :mod:`podium.benefits.models`) whenever a measurement, the profile, the baseline,
the direction or the thresholds change. A change of status is written with
``status_changed_at`` and an audit record of its own, action ``transition``, note
"status changed on track → at risk".

The expected value is money: it never appears in the benefit's own audit records; its
changes are audited on :class:`~podium.benefits.models.BenefitValue` (a cost type).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from podium.accounts.models import User
from podium.benefits import rules
from podium.benefits.access import can_manage, can_measure
from podium.benefits.models import (
    Benefit,
    BenefitStatus,
    BenefitValue,
    Direction,
    Measurement,
    RealizationTarget,
)
from podium.core import audit
from podium.core.errors import ValidationFailed, VersionConflict
from podium.core.services import update_versioned, validate_model
from podium.delivery.models import Deliverable
from podium.programs.models import Component, Goal, Program
from podium.programs.permissions import require

__all__ = [
    "create_benefit",
    "delete_benefit",
    "delete_measurement",
    "record_measurement",
    "set_targets",
    "update_benefit",
]

BENEFIT_FIELDS = {
    "code", "name", "description", "category", "owner", "goal", "kpi", "unit",
    "measurement_method", "baseline_value", "baseline_date", "direction", "at_risk_pct",
    "off_track_pct", "sustainment_owner",
}  # fmt: skip
# Fields whose change can move the status.
_STATUS_INPUTS = {"baseline_value", "baseline_date", "direction", "at_risk_pct", "off_track_pct"}
_AUDITED = [
    f.name
    for f in Benefit._meta.concrete_fields
    if f.name not in {"expected_value", "status", "status_changed_at"}
]
CENT = Decimal("0.01")
_NOT_GIVEN: Any = object()

Target = tuple[dt.date, float]


# -- helpers ------------------------------------------------------------------------------


def _refuse_unknown(changes: dict[str, Any]) -> None:
    unknown = sorted(set(changes) - BENEFIT_FIELDS)
    if unknown:
        raise ValidationFailed({f: ["This field cannot be changed here."] for f in unknown})


def _next_code(program: Program) -> str:
    pattern = re.compile(r"^B-(\d+)$")
    numbers = [
        int(m.group(1))
        for code in Benefit.objects.filter(program=program).values_list("code", flat=True)
        if (m := pattern.match(code))
    ]
    return f"B-{max(numbers, default=0) + 1:03d}"


def _money(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed({"expected_value": [f"{value!r} is not an amount."]}) from exc
    if not amount.is_finite() or amount < 0 or amount >= Decimal(10) ** 12:
        raise ValidationFailed({"expected_value": ["An amount from 0 up."]})
    return amount


def _check_people(program: Program, fields: dict[str, Any]) -> None:
    for name in ("owner", "sustainment_owner"):
        user = fields.get(name)
        if user is None or user.is_administrator:
            continue
        if not program.memberships.filter(user=user).exists():
            raise ValidationFailed({name: [f"{user} is not a member of {program.code}."]})


def _check_goal(program: Program, goal: Goal | None) -> None:
    if goal is not None and goal.program_id != program.pk:
        raise ValidationFailed({"goal": [f"“{goal}” is not a goal of {program.code}."]})


def _check_links(
    program: Program, components: list[Component] | None, deliverables: list[Deliverable] | None
) -> None:
    outside = [c.code for c in components or [] if c.program_id != program.pk]
    if outside:
        raise ValidationFailed({"components": [f"Not in {program.code}: {', '.join(outside)}."]})
    outside = [d.code for d in deliverables or [] if d.program_id != program.pk]
    if outside:
        raise ValidationFailed({"deliverables": [f"Not in {program.code}: {', '.join(outside)}."]})


def _validate(benefit: Benefit) -> None:
    if benefit.at_risk_pct > benefit.off_track_pct:
        raise ValidationFailed({"off_track_pct": ["Must be at least the at-risk threshold."]})
    validate_model(benefit, exclude=["created_by", "updated_by", "program", "goal"])


def _clean_targets(benefit: Benefit, targets: list[Target]) -> list[Target]:
    cleaned: dict[dt.date, float] = {}
    for day, value in targets:
        if day in cleaned:
            raise ValidationFailed({"targets": [f"Two targets on {day:%Y-%m-%d}."]})
        if day <= benefit.baseline_date:
            raise ValidationFailed(
                {
                    "targets": [
                        f"{day:%Y-%m-%d} is not after the baseline date "
                        f"{benefit.baseline_date:%Y-%m-%d}."
                    ]
                }
            )
        cleaned[day] = float(value)
    return sorted(cleaned.items())


def _snapshot(benefit: Benefit) -> dict[str, Any]:
    """The benefit's fields, links and profile, never its expected value."""
    data = audit.snapshot(benefit, fields=_AUDITED)
    data["components"] = sorted(c.code for c in benefit.components.all())
    data["deliverables"] = sorted(d.code for d in benefit.deliverables.all())
    data["targets"] = [[t.date.isoformat(), t.value] for t in benefit.targets.order_by("date")]
    return data


def profile_of(benefit: Benefit) -> list[rules.Point]:
    """Baseline point then the targets, by date (from the database)."""
    points = [(t.date, t.value) for t in benefit.targets.order_by("date")]
    return [(benefit.baseline_date, benefit.baseline_value), *points]


def _computed_status(benefit: Benefit) -> str:
    latest = benefit.measurements.order_by("-date", "-id").first()
    status, _ = rules.status_for(
        profile_of(benefit),
        (latest.date, latest.value) if latest is not None else None,
        higher_is_better=benefit.direction == Direction.HIGHER,
        at_risk_pct=benefit.at_risk_pct,
        off_track_pct=benefit.off_track_pct,
    )
    return status


def _restatus(actor: Any, benefit: Benefit, reason: str) -> Benefit:
    """Store the recomputed status; on a change, date it and audit it on its own."""
    status = _computed_status(benefit)
    if status == benefit.status:
        return benefit
    old = BenefitStatus(benefit.status).label
    new = BenefitStatus(status).label
    updated = update_versioned(
        benefit, benefit.version, actor, status=status, status_changed_at=timezone.now()
    )
    audit.record(
        user=actor, action="transition", obj=updated, before={"status": benefit.status},
        after={"status": status}, program_id=benefit.program_id,
        note=f"status changed {old.lower()} → {new.lower()} ({reason})",
    )  # fmt: skip
    return updated


def _write_value(actor: Any, benefit: Benefit, before: Decimal | None) -> None:
    if benefit.expected_value == before:
        return
    proxy = BenefitValue.objects.get(pk=benefit.pk)

    def plain(v: Decimal | None) -> dict[str, Any]:
        return {"expected_value": None if v is None else str(v)}

    audit.record(
        user=actor, action="update" if before is not None else "create", obj=proxy,
        before=plain(before) if before is not None else None,
        after=plain(benefit.expected_value), program_id=benefit.program_id,
        note="expected value",
    )  # fmt: skip


def _replace_targets(actor: Any, benefit: Benefit, targets: list[Target]) -> None:
    RealizationTarget.objects.filter(benefit=benefit).delete()
    RealizationTarget.objects.bulk_create(
        RealizationTarget(benefit=benefit, date=d, value=v, created_by=actor, updated_by=actor)
        for d, v in targets
    )


def _actor(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


# -- benefits -----------------------------------------------------------------------------


@transaction.atomic
def create_benefit(
    *,
    actor: User | None,
    program: Program,
    name: str,
    kpi: str,
    baseline_value: float,
    baseline_date: dt.date,
    code: str = "",
    components: list[Component] | None = None,
    deliverables: list[Deliverable] | None = None,
    targets: list[Target] | None = None,
    expected_value: Any = None,
    **fields: Any,
) -> Benefit:
    """Add a benefit to the register (the program manager). ``targets``: the
    realization profile as ``[(date, KPI value), …]``, every date after the baseline's."""
    require(
        can_manage(actor, program), f"Only the program manager adds benefits to {program.code}."
    )
    _refuse_unknown(fields)
    _check_goal(program, fields.get("goal"))
    _check_people(program, fields)
    _check_links(program, components, deliverables)
    benefit = Benefit(
        program=program, code=(code or "").strip().upper() or _next_code(program),
        name=name.strip(), kpi=kpi.strip(), baseline_value=baseline_value,
        baseline_date=baseline_date, expected_value=_money(expected_value), **fields,
    )  # fmt: skip
    benefit.created_by = benefit.updated_by = _actor(actor)
    _validate(benefit)
    cleaned = _clean_targets(benefit, targets or [])
    benefit.save()
    if components:
        benefit.components.set(components)
    if deliverables:
        benefit.deliverables.set(deliverables)
    _replace_targets(_actor(actor), benefit, cleaned)
    audit.record(
        user=actor, action="create", obj=benefit, before=None, after=_snapshot(benefit),
        program_id=program.pk,
    )  # fmt: skip
    _write_value(actor, benefit, None)
    return benefit


@transaction.atomic
def update_benefit(
    *,
    actor: User,
    benefit: Benefit,
    expected_version: int | None,
    components: list[Component] | None = None,
    deliverables: list[Deliverable] | None = None,
    targets: list[Target] | None = None,
    expected_value: Any = _NOT_GIVEN,
    **changes: Any,
) -> Benefit:
    """Change a benefit (the program manager). ``components``, ``deliverables`` and
    ``targets`` None keep what is there; a list replaces it."""
    program = benefit.program
    require(can_manage(actor, program), f"Only the program manager changes {benefit.code}.")
    _refuse_unknown(changes)
    _check_goal(program, changes.get("goal"))
    _check_people(program, changes)
    _check_links(program, components, deliverables)
    if "code" in changes:
        changes["code"] = str(changes["code"]).strip().upper()
    if expected_value is not _NOT_GIVEN:
        changes["expected_value"] = _money(expected_value)
    candidate = copy.copy(benefit)
    for name, value in changes.items():
        setattr(candidate, name, value)
    _validate(candidate)
    cleaned = _clean_targets(candidate, targets) if targets is not None else None
    if cleaned is None and "baseline_date" in changes:
        _clean_targets(candidate, [(t.date, t.value) for t in benefit.targets.all()])
    before = _snapshot(benefit)
    value_before = benefit.expected_value
    updated = update_versioned(benefit, expected_version, actor, **changes)
    if components is not None:
        updated.components.set(components)
    if deliverables is not None:
        updated.deliverables.set(deliverables)
    if cleaned is not None:
        _replace_targets(actor, updated, cleaned)
    audit.record(
        user=actor, action="update", obj=updated, before=before, after=_snapshot(updated),
        program_id=program.pk,
    )  # fmt: skip
    _write_value(actor, updated, value_before)
    if cleaned is not None or _STATUS_INPUTS & set(changes):
        updated = _restatus(actor, updated, "profile or thresholds changed")
    return updated


@transaction.atomic
def set_targets(
    *, actor: User, benefit: Benefit, targets: list[Target], expected_version: int | None
) -> Benefit:
    """Replace the realization profile (the program manager); the status follows."""
    return update_benefit(
        actor=actor, benefit=benefit, expected_version=expected_version, targets=targets
    )


@transaction.atomic
def delete_benefit(*, actor: User, benefit: Benefit, expected_version: int | None) -> None:
    require(can_manage(actor, benefit.program), f"Only the program manager deletes {benefit.code}.")
    if expected_version is not None and expected_version != benefit.version:
        raise VersionConflict(benefit.version)
    audit.record(
        user=actor, action="delete", obj=benefit, before=_snapshot(benefit), after=None,
        program_id=benefit.program_id,
    )  # fmt: skip
    benefit.delete()


# -- measurements -------------------------------------------------------------------------


@transaction.atomic
def record_measurement(
    *,
    actor: User,
    benefit: Benefit,
    date: dt.date,
    value: float,
    note: str = "",
    expected_version: int | None = None,
) -> Measurement:
    """Record the KPI as measured on ``date`` (the benefit's owner or sustainment owner,
    or the program manager). The benefit's version goes up (``expected_version``: the
    benefit's, refused with 412 when stale) and its status is recomputed from the latest
    measurement."""
    require(can_measure(actor, benefit), f"You may not record measurements of {benefit.code}.")
    if date < benefit.baseline_date:
        raise ValidationFailed(
            {"date": [f"Before the baseline date {benefit.baseline_date:%Y-%m-%d}."]}
        )
    if date > timezone.localdate() + dt.timedelta(days=1):
        raise ValidationFailed({"date": ["A measurement cannot be in the future."]})
    current = update_versioned(benefit, expected_version, actor)
    measurement = Measurement(
        benefit=current, date=date, value=float(value), note=note.strip()[:300],
        recorded_by=actor, created_by=actor, updated_by=actor,
    )  # fmt: skip
    validate_model(measurement, exclude=["created_by", "updated_by", "recorded_by", "benefit"])
    measurement.save()
    audit.record(
        user=actor, action="create", obj=measurement, before=None,
        after=audit.snapshot(measurement), program_id=benefit.program_id,
    )  # fmt: skip
    _restatus(actor, current, f"measured {measurement.value:g} on {date:%Y-%m-%d}")
    return measurement


@transaction.atomic
def delete_measurement(*, actor: User, measurement: Measurement) -> Benefit:
    """Remove a measurement recorded in error (the program manager); the status follows."""
    benefit = measurement.benefit
    require(can_manage(actor, benefit.program), "Only the program manager removes measurements.")
    audit.record(
        user=actor, action="delete", obj=measurement, before=audit.snapshot(measurement),
        after=None, program_id=benefit.program_id,
    )  # fmt: skip
    measurement.delete()
    current = update_versioned(benefit, None, actor)
    return _restatus(actor, current, "measurement removed")
