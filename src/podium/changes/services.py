"""Every change to change requests: drafting, lines, submission, impact, decisions.

Each function is one transaction with the permission check first
(:mod:`podium.changes.access`), validation naming the field (``lines.<n>.<field>`` for
a line), the versioned write and an audit record.

Approval applies the request **atomically**, through the owning apps' services:

1. links removed (audited), durations changed (:func:`podium.schedule.services.
   update_activity`), links added (:func:`~podium.schedule.services.add_link`) and the
   schedule recomputed (:func:`~podium.schedule.services.recompute`);
2. cost lines → a finance budget change request, proposed and approved at once
   (:func:`podium.finance.services.propose_change` / ``approve_change``): the next
   approved budget baseline version;
3. descoped deliverables recorded on the deliverable's history (the deliverable
   lifecycle has no descoped state yet);
4. the decision in the governance log (:func:`podium.governance.services.
   record_decision`, kind ``change_request``), then the request's own state.

Any failure rolls everything back. An impact computed on a plan that has changed since
is recomputed first; a caller who passes the fingerprint of the impact it showed is
refused when the fresh impact differs.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from podium.accounts.models import User
from podium.changes import impact as impacts
from podium.changes.access import can_decide, can_edit, can_raise, can_read
from podium.changes.models import ChangeLine, ChangeRequest, CostLine, LineKind, State
from podium.core import audit
from podium.core.errors import (
    NotFound,
    PermissionDenied,
    TransitionRefused,
    ValidationFailed,
    VersionConflict,
)
from podium.core.services import update_versioned
from podium.delivery.models import Deliverable
from podium.finance import services as finance
from podium.finance.models import CostAccount
from podium.governance.services import record_decision
from podium.programs.models import Component, Program
from podium.programs.permissions import can_change_component, require
from podium.schedule import services as schedule
from podium.schedule.models import Activity, Link

__all__ = [
    "LINE_FIELDS",
    "add_line",
    "approve",
    "compute_impact",
    "create_change_request",
    "current_impact",
    "delete_change_request",
    "impact_is_stale",
    "reject",
    "remove_line",
    "submit",
    "update_change_request",
    "update_line",
    "withdraw",
]

EDITABLE = {"title", "description", "justification", "components"}
LINE_FIELDS = {
    "kind", "activity", "new_duration_days", "predecessor", "successor", "link_type",
    "lag_days", "link", "cost_account", "amount", "deliverable", "reason",
}  # fmt: skip
_RELATED: dict[str, type[models.Model]] = {
    "activity": Activity, "predecessor": Activity, "successor": Activity, "link": Link,
    "cost_account": CostAccount, "deliverable": Deliverable,
}  # fmt: skip
_DECIMALS = {"new_duration_days", "lag_days", "amount"}


def _check_version(cr: ChangeRequest, expected_version: int | None) -> ChangeRequest:
    current = ChangeRequest.objects.select_related("program").get(pk=cr.pk)
    if expected_version is not None and current.version != expected_version:
        raise VersionConflict(current.version)
    return current


def _require_open_draft(cr: ChangeRequest, what: str) -> None:
    if cr.state != State.DRAFT:
        raise TransitionRefused(f"{cr.code} is {cr.get_state_display().lower()}; {what}")


def _components(program: Program, ids: Any) -> list[Component]:
    ids = [int(i) for i in (ids or [])]
    found = list(Component.objects.filter(program=program, pk__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationFailed({"components": [f"Choose components of {program.code}."]})
    return found


def _text(changes: dict[str, Any]) -> dict[str, Any]:
    out = {k: str(v).strip() for k, v in changes.items() if k in {"title", "description",
                                                                   "justification"}}  # fmt: skip
    if "title" in out and not out["title"]:
        raise ValidationFailed({"title": ["Give the change request a title."]})
    if len(out.get("title", "")) > 200:
        raise ValidationFailed({"title": ["At most 200 characters."]})
    return out


# --------------------------------------------------------------------------- requests


@transaction.atomic
def create_change_request(
    *,
    actor: User | None,
    program: Program,
    title: str,
    description: str = "",
    justification: str = "",
    components: list[int] | None = None,
    requested_by: User | None = None,
) -> ChangeRequest:
    """A new draft, numbered next in the program (shown as CR-001)."""
    if actor is not None:
        require(
            can_raise(actor, program),
            "Only the program manager or a component manager can raise change requests.",
        )
    fields = _text({"title": title, "description": description, "justification": justification})
    chosen = _components(program, components)
    Program.objects.select_for_update().filter(pk=program.pk).first()
    last = ChangeRequest.objects.filter(program=program).aggregate(n=Max("number"))["n"] or 0
    cr = ChangeRequest.objects.create(
        program=program, number=last + 1, requested_by=requested_by or actor,
        created_by=actor, updated_by=actor, **fields,
    )  # fmt: skip
    cr.components.set(chosen)
    audit.record(
        user=actor, action="create", obj=cr, before=None,
        after={**audit.snapshot(cr), "components": [c.code for c in chosen]},
        program_id=program.pk,
    )  # fmt: skip
    return cr


@transaction.atomic
def update_change_request(
    *, actor: User, cr: ChangeRequest, expected_version: int | None, **changes: Any
) -> ChangeRequest:
    """Edit a draft's title, description, justification or components."""
    require(can_edit(actor, cr), f"You may not edit {cr.code}.")
    unknown = sorted(set(changes) - EDITABLE)
    if unknown:
        raise ValidationFailed({f: ["This field cannot be changed here."] for f in unknown})
    current = _check_version(cr, expected_version)
    _require_open_draft(current, "only a draft can be edited.")
    fields = _text(changes)
    before = audit.snapshot(current, fields=set(fields))
    before_components = sorted(current.components.values_list("code", flat=True))
    updated = update_versioned(current, expected_version, actor, **fields)
    after = audit.snapshot(updated, fields=set(fields))
    if "components" in changes:
        chosen = _components(updated.program, changes["components"])
        updated.components.set(chosen)
        before["components"] = before_components
        after["components"] = sorted(c.code for c in chosen)
    audit.record(
        user=actor, action="update", obj=updated, before=before, after=after,
        program_id=updated.program_id,
    )  # fmt: skip
    return updated


@transaction.atomic
def delete_change_request(*, actor: User, cr: ChangeRequest) -> None:
    """Delete a draft (a submitted request is withdrawn instead, and kept)."""
    require(can_edit(actor, cr), f"You may not delete {cr.code}.")
    current = _check_version(cr, None)
    _require_open_draft(current, "withdraw it instead of deleting it.")
    audit.record(
        user=actor, action="delete", obj=current, before=audit.snapshot(current), after=None,
        program_id=current.program_id,
    )  # fmt: skip
    current.delete()


# --------------------------------------------------------------------------- lines


def _line_values(cr: ChangeRequest, fields: dict[str, Any], n: int) -> dict[str, Any]:
    """Input (ids for related objects, numbers as text or numbers) → model values;
    ValidationFailed naming ``lines.<n>.<field>``."""
    unknown = sorted(set(fields) - LINE_FIELDS)
    if unknown:
        raise ValidationFailed(
            {f"lines.{n}.{f}": [f"Line {n}: unknown field {f!r}."] for f in unknown}
        )
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, raw in fields.items():
        if name in _RELATED:
            if raw in (None, ""):
                values[name] = None
                continue
            try:
                pk = int(raw)
            except (TypeError, ValueError):
                errors[f"lines.{n}.{name}"] = [f"Line {n}: {raw!r} is not an id."]
                continue
            obj = _RELATED[name]._default_manager.filter(pk=pk, program=cr.program).first()
            if obj is None:
                errors[f"lines.{n}.{name}"] = [f"Line {n}: no {name.replace('_', ' ')} {pk} "
                                               f"in {cr.program.code}."]  # fmt: skip
                continue
            values[name] = obj
        elif name in _DECIMALS:
            if raw in (None, ""):
                values[name] = Decimal(0) if name == "lag_days" else None
                continue
            try:
                number = Decimal(str(raw))
                if not number.is_finite():
                    raise InvalidOperation
                values[name] = number.quantize(Decimal("0.01"))
            except (InvalidOperation, ValueError):
                errors[f"lines.{n}.{name}"] = [f"Line {n}: {raw!r} is not a number."]
        elif name == "kind":
            if raw not in LineKind.values:
                errors[f"lines.{n}.kind"] = [
                    f"Line {n}: unknown kind {raw!r}; use one of {', '.join(LineKind.values)}."
                ]
            values["kind"] = raw
        elif name == "link_type":
            values[name] = str(raw or "FS").upper()
        else:
            values[name] = "" if raw is None else str(raw).strip()
    if errors:
        raise ValidationFailed(errors)
    return values


def _check_line(cr: ChangeRequest, line: ChangeLine, n: int, actor: User) -> None:
    problems = impacts.line_errors(cr, line)
    if problems:
        raise ValidationFailed(
            {f"lines.{n}.{name}": [f"Line {n}: {msg}"] for name, msg in problems.items()}
        )
    if line.kind == LineKind.COST:
        assert line.cost_account is not None
        require(
            can_change_component(actor, line.cost_account.component),
            f"You may not change the budget of {line.cost_account.code}.",
        )


def _fill(line: ChangeLine) -> None:
    """Keep what the line changes readable after approval: the link's ends and the
    duration before."""
    if line.kind == LineKind.REMOVE_LINK and line.link is not None:
        line.predecessor = line.link.pred
        line.successor = line.link.succ
        line.link_type = line.link.type
    if line.kind == LineKind.DURATION and line.activity is not None:
        line.old_duration_minutes = line.activity.duration_minutes


def _line_snapshot(line: ChangeLine) -> dict[str, Any]:
    return audit.snapshot(line, fields=LINE_FIELDS)


def _audited(line: ChangeLine) -> ChangeLine:
    """The object the audit record names: a cost line as :class:`CostLine` (cost data)."""
    if line.kind != LineKind.COST:
        return line
    proxy = CostLine(pk=line.pk)
    proxy.__dict__.update({k: v for k, v in line.__dict__.items() if k != "_state"})
    return proxy


@transaction.atomic
def add_line(*, actor: User, cr: ChangeRequest, **fields: Any) -> ChangeLine:
    """Add a typed line to a draft (fields: see :class:`ChangeLine`; related objects by
    id)."""
    require(can_edit(actor, cr), f"You may not edit {cr.code}.")
    current = _check_version(cr, None)
    _require_open_draft(current, "lines can only be added to a draft.")
    n = current.lines.count() + 1
    if "kind" not in fields:
        raise ValidationFailed({f"lines.{n}.kind": [f"Line {n}: choose what the line changes."]})
    values = _line_values(current, fields, n)
    last = current.lines.aggregate(n=Max("order"))["n"] or 0
    line = ChangeLine(change_request=current, order=last + 1, created_by=actor,
                      updated_by=actor, **values)  # fmt: skip
    _check_line(current, line, n, actor)
    _fill(line)
    line.save()
    update_versioned(current, None, actor)  # the request changed: its version moves on
    audit.record(
        user=actor, action="create", obj=_audited(line), before=None,
        after=_line_snapshot(line),
        program_id=current.program_id,
    )  # fmt: skip
    return line


def _position(line: ChangeLine) -> int:
    ids = list(line.change_request.lines.order_by("order", "pk").values_list("pk", flat=True))
    return ids.index(line.pk) + 1


@transaction.atomic
def update_line(
    *, actor: User, line: ChangeLine, expected_version: int | None, **fields: Any
) -> ChangeLine:
    cr = line.change_request
    require(can_edit(actor, cr), f"You may not edit {cr.code}.")
    current = _check_version(cr, None)
    _require_open_draft(current, "only a draft's lines can change.")
    n = _position(line)
    values = _line_values(current, fields, n)
    stored = ChangeLine.objects.get(pk=line.pk)
    if expected_version is not None and stored.version != expected_version:
        raise VersionConflict(stored.version)
    before = _line_snapshot(stored)
    for name, value in values.items():
        setattr(stored, name, value)
    _check_line(current, stored, n, actor)
    _fill(stored)
    stored.version += 1
    stored.updated_by = actor
    stored.save()
    update_versioned(current, None, actor)
    audit.record(
        user=actor, action="update", obj=_audited(stored), before=before,
        after=_line_snapshot(stored),
        program_id=current.program_id,
    )  # fmt: skip
    return stored


@transaction.atomic
def remove_line(*, actor: User, line: ChangeLine) -> None:
    cr = line.change_request
    require(can_edit(actor, cr), f"You may not edit {cr.code}.")
    current = _check_version(cr, None)
    _require_open_draft(current, "only a draft's lines can be removed.")
    audit.record(
        user=actor, action="delete", obj=_audited(line), before=_line_snapshot(line), after=None,
        program_id=current.program_id,
    )  # fmt: skip
    line.delete()
    update_versioned(current, None, actor)


def _lines(cr: ChangeRequest) -> list[ChangeLine]:
    from podium.changes.selectors import lines_of

    return lines_of(cr)


# --------------------------------------------------------------------------- impact


def impact_is_stale(cr: ChangeRequest) -> bool:
    """Whether the stored impact is missing or was computed on another plan (only open
    requests: a decided one keeps the impact it was decided on)."""
    if not cr.is_open:
        return False
    return cr.impact is None or cr.impact_fingerprint != impacts.plan_fingerprint(cr)


def current_impact(cr: ChangeRequest) -> impacts.Impact | None:
    """The stored impact, as it is (stale or not)."""
    return impacts.Impact.from_json(cr.impact) if cr.impact else None


@transaction.atomic
def compute_impact(
    cr: ChangeRequest, *, actor: User | None = None, force: bool = False
) -> impacts.Impact:
    """The request's impact: the stored snapshot while it is fresh (and always for a
    decided request), else computed now and stored with its time and fingerprint.
    Anyone who may read the request may have it computed (a cache, not a change of the
    request: its version stays)."""
    if actor is not None and not can_read(actor, cr.program):
        raise NotFound("No such change request.")
    current = ChangeRequest.objects.select_related("program").get(pk=cr.pk)
    if current.impact and not force and not impact_is_stale(current):
        return impacts.Impact.from_json(current.impact)
    if not current.is_open and current.impact:
        return impacts.Impact.from_json(current.impact)
    result = impacts.compute(current, _lines(current))
    ChangeRequest.objects.filter(pk=current.pk).update(
        impact=result.to_json(), impact_computed_at=result.computed_at,
        impact_fingerprint=result.fingerprint,
    )  # fmt: skip
    cr.impact, cr.impact_computed_at = result.to_json(), result.computed_at
    cr.impact_fingerprint = result.fingerprint
    audit.record(
        user=actor, action="compute", obj=current, before=None,
        after={"finish_delta_days": result.finish_delta_days}, program_id=current.program_id,
        note=f"impact of {current.code} computed",
    )  # fmt: skip
    return result


# --------------------------------------------------------------------------- workflow


def _url(cr: ChangeRequest) -> str:
    return reverse("changes:detail", kwargs={"code": cr.program.code, "pk": cr.pk})


def _notify(users: list[Any], cr: ChangeRequest, title: str, body: str = "") -> None:
    from podium.notifications.services import notify

    for user in {u.pk: u for u in users if u is not None}.values():
        notify(user=user, title=title, body=body, url=_url(cr), program=cr.program,
               category="approvals")  # fmt: skip


@transaction.atomic
def submit(*, actor: User, cr: ChangeRequest, expected_version: int | None) -> ChangeRequest:
    """Draft → submitted: the lines are validated against the current plan and the
    impact computed, so the deciders find it ready."""
    require(can_edit(actor, cr), f"You may not submit {cr.code}.")
    current = _check_version(cr, expected_version)
    _require_open_draft(current, "only a draft can be submitted.")
    if not current.title.strip():
        raise ValidationFailed({"title": ["Give the change request a title."]})
    compute_impact(current, actor=actor)
    updated = update_versioned(
        current, expected_version, actor, state=State.SUBMITTED, submitted_at=timezone.now()
    )
    audit.record(
        user=actor, action="transition", obj=updated, before={"state": State.DRAFT},
        after={"state": State.SUBMITTED}, program_id=updated.program_id,
    )  # fmt: skip
    from podium.programs.models import Role

    managers = [m.user for m in updated.program.memberships.filter(role=Role.PROGRAM_MANAGER)
                .select_related("user")]  # fmt: skip
    _notify(managers, updated, f"{updated.code} awaits your decision", updated.title)
    return updated


@transaction.atomic
def withdraw(
    *, actor: User, cr: ChangeRequest, expected_version: int | None, reason: str = ""
) -> ChangeRequest:
    require(can_edit(actor, cr), f"You may not withdraw {cr.code}.")
    current = _check_version(cr, expected_version)
    if not current.is_open:
        raise TransitionRefused(f"{current.code} is {current.state}; it cannot be withdrawn.")
    updated = update_versioned(
        current, expected_version, actor, state=State.WITHDRAWN, withdrawn_at=timezone.now()
    )
    audit.record(
        user=actor, action="transition", obj=updated, before={"state": current.state},
        after={"state": State.WITHDRAWN}, program_id=updated.program_id, note=reason.strip(),
    )  # fmt: skip
    return updated


def _decide_checks(actor: User, cr: ChangeRequest, expected_version: int | None) -> ChangeRequest:
    if not can_read(actor, cr.program):
        raise NotFound("No such change request.")
    if not can_decide(actor, cr.program):
        raise PermissionDenied("Only the program manager can decide on change requests.")
    current = _check_version(cr, expected_version)
    if current.state != State.SUBMITTED:
        raise TransitionRefused(
            f"{current.code} is {current.get_state_display().lower()}; only a submitted "
            "change request can be decided."
        )
    return current


@transaction.atomic
def reject(
    *, actor: User, cr: ChangeRequest, expected_version: int | None, reason: str
) -> ChangeRequest:
    """Submitted → rejected, with the reason (required) recorded as the decision's
    rationale."""
    current = _decide_checks(actor, cr, expected_version)
    if not reason.strip():
        raise ValidationFailed({"reason": ["Say why the change request is rejected."]})
    decision = record_decision(
        actor=actor, program=current.program, kind="change_request", outcome="rejected",
        rationale=reason.strip(), subject=current, subject_label=str(current)[:200],
    )  # fmt: skip
    updated = update_versioned(
        current, expected_version, actor, state=State.REJECTED, decision=decision,
        decided_at=timezone.now(), decided_by=actor, rejection_reason=reason.strip(),
    )  # fmt: skip
    audit.record(
        user=actor, action="transition", obj=updated, before={"state": State.SUBMITTED},
        after={"state": State.REJECTED}, program_id=updated.program_id, note=reason.strip(),
    )  # fmt: skip
    _notify([updated.requested_by], updated, f"{updated.code} was rejected", reason.strip())
    return updated


@transaction.atomic
def approve(
    *,
    actor: User,
    cr: ChangeRequest,
    expected_version: int | None,
    rationale: str,
    impact_fingerprint: str | None = None,
) -> ChangeRequest:
    """Submitted → approved, applying every line (see the module) in this transaction."""
    current = _decide_checks(actor, cr, expected_version)
    if not rationale.strip():
        raise ValidationFailed({"rationale": ["Say why the change request is approved."]})
    lines = _lines(current)
    fresh = compute_impact(current, actor=actor)  # recomputed when the plan has changed
    if impact_fingerprint and impact_fingerprint != fresh.fingerprint:
        raise TransitionRefused(
            f"The plan changed since the impact of {current.code} you saw was computed; "
            "review the recomputed impact and decide again."
        )
    program = current.program
    _apply_schedule(actor, program, current, lines)
    _apply_cost(actor, program, current, lines)
    _apply_descopes(actor, current, lines)
    decision = record_decision(
        actor=actor, program=program, kind="change_request", outcome="approved",
        rationale=rationale.strip(), subject=current, subject_label=str(current)[:200],
    )  # fmt: skip
    updated = update_versioned(
        current, expected_version, actor, state=State.APPROVED, decision=decision,
        decided_at=timezone.now(), decided_by=actor,
    )  # fmt: skip
    audit.record(
        user=actor, action="transition", obj=updated, before={"state": State.SUBMITTED},
        after={"state": State.APPROVED}, program_id=program.pk, note=rationale.strip(),
    )  # fmt: skip
    _notify([updated.requested_by], updated, f"{updated.code} was approved", rationale.strip())
    return updated


def _apply_schedule(
    actor: User, program: Program, cr: ChangeRequest, lines: list[ChangeLine]
) -> None:
    schedule_lines = [
        ln for ln in lines
        if ln.kind in {LineKind.DURATION, LineKind.ADD_LINK, LineKind.REMOVE_LINK}
    ]  # fmt: skip
    if not schedule_lines:
        return
    plan = impacts.Plan.load(program)
    note = f"change request {cr.code}"
    for line in schedule_lines:  # removals first: a request may reverse a link
        if line.kind != LineKind.REMOVE_LINK:
            continue
        link = Link.objects.select_related("pred", "succ__component").get(pk=line.link_id or 0)
        require(
            can_change_component(actor, link.succ.component),
            f"You may not change the logic of {link.succ.component.code}.",
        )
        audit.record(
            user=actor, action="delete", obj=link, before=audit.snapshot(link), after=None,
            program_id=program.pk, note=note,
        )  # fmt: skip
        link.delete()
    by_pk = {a.pk: a for a in plan.activities}
    for line in schedule_lines:
        if line.kind != LineKind.DURATION:
            continue
        activity = by_pk[line.activity_id or 0]
        minutes, remaining = impacts.new_duration(plan, activity, line)
        changes: dict[str, Any] = {"duration_minutes": minutes}
        if remaining != activity.remaining_minutes:
            changes["remaining_minutes"] = remaining
        schedule.update_activity(
            actor=actor, activity=Activity.objects.select_related("component", "program").get(
                pk=activity.pk
            ), expected_version=None, **changes,
        )  # fmt: skip
    for line in schedule_lines:
        if line.kind != LineKind.ADD_LINK:
            continue
        pred = by_pk[line.predecessor_id or 0]
        schedule.add_link(
            actor=actor,
            pred=Activity.objects.select_related("program").get(pk=pred.pk),
            succ=Activity.objects.select_related("component", "program").get(
                pk=line.successor_id or 0
            ),
            type=line.link_type or Link.Type.FS,
            lag_minutes=impacts.lag_minutes(plan, pred, line),
        )
    schedule.recompute(actor=actor, program=program)


def _apply_cost(actor: User, program: Program, cr: ChangeRequest, lines: list[ChangeLine]) -> None:
    baseline = impacts.approved_baseline(program)
    operations = impacts.budget_operations(baseline, lines)
    if not operations:
        return
    assert baseline is not None
    reason = cr.justification.strip() or cr.description.strip() or cr.title
    request = finance.propose_change(
        actor=actor, baseline=baseline, title=f"{cr.code}: {cr.title}"[:200], reason=reason,
        changes=operations,
    )  # fmt: skip
    finance.approve_change(
        actor=actor, request=request, expected_version=None,
        note=f"approved with change request {cr.code}",
    )  # fmt: skip


def _apply_descopes(actor: User, cr: ChangeRequest, lines: list[ChangeLine]) -> None:
    for line in lines:
        if line.kind != LineKind.DESCOPE_DELIVERABLE or line.deliverable is None:
            continue
        audit.record(
            user=actor, action="update", obj=line.deliverable, before={"scope": "in scope"},
            after={"scope": f"descoped by {cr.code}"}, program_id=cr.program_id,
            note=f"descoped by change request {cr.code}: {line.reason.strip()}",
        )  # fmt: skip
