"""Every change to deliverables, their evidence and the components' transition plans.

Each function is one transaction: permission check (:mod:`podium.delivery.access`),
validation, the versioned write, a :class:`~podium.delivery.models.DeliverableEvent`
for lifecycle steps and an audit record. Pages, the API and the demo loader call these;
nothing else saves the delivery models.

Lifecycle (who may move it)
---------------------------
=================  =====================  ==========================================
step               from → to              who
=================  =====================  ==========================================
start production   planned → in prod.     program manager, the component's manager
mark delivered     in prod. → delivered   program manager, the component's manager
accept             delivered → accepted   the named accepting stakeholder **only**
reject (reason)    delivered → in prod.   the named accepting stakeholder **only**
transition         accepted → transit.    program manager, the component's manager
=================  =====================  ==========================================

Each step stamps its date on the deliverable (``in_production_at`` the first start,
``delivered_at``/``rejected_at`` the latest delivery and rejection, ``accepted_at``,
``transitioned_at``) and writes an event with the actor, comment and reason.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from podium.accounts.models import User
from podium.core import audit
from podium.core.errors import (
    PermissionDenied,
    TransitionRefused,
    ValidationFailed,
    VersionConflict,
)
from podium.core.services import update_versioned, validate_model
from podium.delivery.access import can_add_evidence, can_decide, can_manage
from podium.delivery.models import (
    Deliverable,
    DeliverableEvent,
    DeliverableStatus,
    Evidence,
    TransitionItem,
    TransitionPlan,
)
from podium.programs.models import Component, Program
from podium.programs.permissions import require
from podium.schedule.models import Activity

__all__ = [
    "ALLOWED_EVIDENCE",
    "MAX_EVIDENCE_BYTES",
    "EvidenceInput",
    "accept_deliverable",
    "add_evidence",
    "add_transition_item",
    "create_deliverable",
    "delete_deliverable",
    "delete_transition_item",
    "mark_delivered",
    "reject_deliverable",
    "save_transition_plan",
    "start_production",
    "transition_complete",
    "transition_gaps",
    "transition_to_operations",
    "update_deliverable",
    "update_transition_item",
]

S = DeliverableStatus
DELIVERABLE_FIELDS = {
    "component", "code", "name", "kind", "description", "acceptance_criteria", "milestone",
    "accepting_stakeholder",
}  # fmt: skip
# What acceptance was given against: fixed once the stakeholder accepted.
LOCKED_AFTER_ACCEPTANCE = {"acceptance_criteria", "accepting_stakeholder", "component"}
PLAN_FIELDS = {
    "receiving_organization", "receiving_owner", "receiving_owner_name", "handover_date",
    "support_until", "notes",
}  # fmt: skip

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
# extension → (content type, test of the first bytes)
ALLOWED_EVIDENCE: dict[str, str] = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "txt": "text/plain",
    "csv": "text/csv",
}
_MAGIC = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
}


# -- helpers ------------------------------------------------------------------------------


def _refuse_unknown(changes: dict[str, Any], editable: set[str]) -> None:
    unknown = sorted(set(changes) - editable)
    if unknown:
        raise ValidationFailed({f: ["This field cannot be changed here."] for f in unknown})


def _next_code(program: Program) -> str:
    pattern = re.compile(r"^D-(\d+)$")
    numbers = [
        int(m.group(1))
        for code in Deliverable.objects.filter(program=program).values_list("code", flat=True)
        if (m := pattern.match(code))
    ]
    return f"D-{max(numbers, default=0) + 1:03d}"


def _require_manage(actor: Any, component: Component, what: str) -> None:
    require(can_manage(actor, component), f"You may not {what} in {component.code}.")


def _check_component(component: Component, program: Program) -> None:
    if component.program_id != program.pk:
        raise ValidationFailed({"component": [f"{component.code} is not in {program.code}."]})


def _check_milestone(milestone: Activity | None, program: Program) -> None:
    if milestone is None:
        return
    if milestone.program_id != program.pk:
        raise ValidationFailed({"milestone": [f"{milestone.code} is not in {program.code}."]})
    if milestone.kind != Activity.Kind.MILESTONE:
        raise ValidationFailed(
            {"milestone": [f"{milestone.code} {milestone.name} is not a milestone."]}
        )


def _check_stakeholder(user: User | None, program: Program) -> None:
    if user is None or user.is_administrator:
        return
    if not user.is_active or not program.memberships.filter(user=user).exists():
        raise ValidationFailed(
            {"accepting_stakeholder": [f"{user} is not a member of {program.code}."]}
        )


def _snapshot(deliverable: Deliverable) -> dict[str, Any]:
    return audit.snapshot(deliverable)


def _validate(deliverable: Deliverable) -> None:
    validate_model(
        deliverable,
        exclude=["created_by", "updated_by", "program", "component", "milestone",
                 "accepting_stakeholder"],
    )  # fmt: skip
    if not deliverable.name.strip():
        raise ValidationFailed({"name": ["A deliverable needs a name."]})


# -- deliverables -------------------------------------------------------------------------


@transaction.atomic
def create_deliverable(
    *,
    actor: User | None,
    program: Program,
    component: Component,
    name: str,
    code: str = "",
    milestone: Activity | None = None,
    accepting_stakeholder: User | None = None,
    at: dt.datetime | None = None,
    **fields: Any,
) -> Deliverable:
    """Add a planned deliverable to ``component`` (its manager or the program manager).
    ``actor`` None: the system (imports, the demo loader)."""
    if actor is not None:
        _require_manage(actor, component, "add deliverables")
    _refuse_unknown(fields, DELIVERABLE_FIELDS)
    _check_component(component, program)
    _check_milestone(milestone, program)
    _check_stakeholder(accepting_stakeholder, program)
    code = (code or "").strip().upper() or _next_code(program)
    deliverable = Deliverable(
        program=program, component=component, code=code, name=(name or "").strip(),
        milestone=milestone, accepting_stakeholder=accepting_stakeholder, **fields,
    )  # fmt: skip
    deliverable.created_by = deliverable.updated_by = actor
    _validate(deliverable)
    deliverable.save()
    DeliverableEvent.objects.create(
        deliverable=deliverable, actor=actor, from_status="", to_status=S.PLANNED,
        action="create", created_at=at or timezone.now(),
    )  # fmt: skip
    audit.record(
        user=actor, action="create", obj=deliverable, before=None, after=_snapshot(deliverable),
        program_id=program.pk,
    )  # fmt: skip
    return deliverable


@transaction.atomic
def update_deliverable(
    *, actor: User, deliverable: Deliverable, expected_version: int | None, **changes: Any
) -> Deliverable:
    """Change a deliverable's description, criteria, milestone or accepting stakeholder.
    Its status moves only through the lifecycle functions; once accepted, the criteria,
    the accepting stakeholder and the component are what acceptance was given against
    and stay as they are."""
    program = deliverable.program
    _require_manage(actor, deliverable.component, "change deliverables")
    _refuse_unknown(changes, DELIVERABLE_FIELDS)
    if deliverable.status in (S.ACCEPTED, S.TRANSITIONED):
        locked = sorted(
            f for f in set(changes) & LOCKED_AFTER_ACCEPTANCE
            if changes[f] != getattr(deliverable, f)
        )  # fmt: skip
        if locked:
            raise TransitionRefused(
                f"{deliverable.code} is {deliverable.get_status_display().lower()}: "
                f"{', '.join(locked)} can no longer change."
            )
    if "component" in changes and changes["component"] != deliverable.component:
        _check_component(changes["component"], program)
        _require_manage(actor, changes["component"], "move deliverables")
    if "milestone" in changes:
        _check_milestone(changes["milestone"], program)
    if "accepting_stakeholder" in changes:
        _check_stakeholder(changes["accepting_stakeholder"], program)
    if "code" in changes:
        changes["code"] = str(changes["code"] or "").strip().upper() or deliverable.code
    if "name" in changes:
        changes["name"] = str(changes["name"] or "").strip()
    candidate = copy.copy(deliverable)
    for name, value in changes.items():
        setattr(candidate, name, value)
    _validate(candidate)
    before = _snapshot(deliverable)
    updated = update_versioned(deliverable, expected_version, actor, **changes)
    audit.record(
        user=actor, action="update", obj=updated, before=before, after=_snapshot(updated),
        program_id=program.pk,
    )  # fmt: skip
    return updated


@transaction.atomic
def delete_deliverable(
    *, actor: User, deliverable: Deliverable, expected_version: int | None = None
) -> None:
    """Remove a deliverable that was never accepted (accepted ones are part of the
    record: hand them over instead)."""
    _require_manage(actor, deliverable.component, "remove deliverables")
    if deliverable.status in (S.ACCEPTED, S.TRANSITIONED):
        raise TransitionRefused(f"{deliverable.code} was accepted and cannot be removed.")
    if expected_version is not None and expected_version != deliverable.version:
        raise VersionConflict(deliverable.version)
    audit.record(
        user=actor, action="delete", obj=deliverable, before=_snapshot(deliverable), after=None,
        program_id=deliverable.program_id,
    )  # fmt: skip
    files = [(e.file.storage, e.file.name) for e in deliverable.evidence.exclude(file="")]
    deliverable.delete()
    for storage, name in files:
        transaction.on_commit(functools.partial(storage.delete, name))


# -- the lifecycle ------------------------------------------------------------------------


def _move(
    actor: User | None,
    deliverable: Deliverable,
    expected_version: int | None,
    *,
    action: str,
    source: str,
    target: str,
    comment: str = "",
    reason: str = "",
    at: dt.datetime,
    **fields: Any,
) -> tuple[Deliverable, DeliverableEvent]:
    if deliverable.status != source:
        raise TransitionRefused(
            f"{deliverable.code} is {deliverable.get_status_display().lower()}; it can be "
            f"{_PAST[action]} only when {S(source).label.lower()}."
        )
    before = _snapshot(deliverable)
    updated = update_versioned(deliverable, expected_version, actor, status=target, **fields)
    event = DeliverableEvent.objects.create(
        deliverable=updated, actor=actor, from_status=source, to_status=target, action=action,
        comment=comment.strip(), reason=reason.strip(), created_at=at,
    )  # fmt: skip
    audit.record(
        user=actor, action="transition", obj=updated, before=before, after=_snapshot(updated),
        program_id=updated.program_id, note=(reason or comment).strip(),
    )  # fmt: skip
    return updated, event


_PAST = {
    "start": "started",
    "deliver": "marked delivered",
    "accept": "accepted",
    "reject": "rejected",
    "transition": "transitioned to operations",
}


@transaction.atomic
def start_production(
    *, actor: User | None, deliverable: Deliverable, expected_version: int | None = None,
    comment: str = "", at: dt.datetime | None = None,
) -> Deliverable:  # fmt: skip
    """planned → in production."""
    if actor is not None:
        _require_manage(actor, deliverable.component, "start production")
    at = at or timezone.now()
    updated, _ = _move(
        actor, deliverable, expected_version, action="start", source=S.PLANNED,
        target=S.IN_PRODUCTION, comment=comment, at=at, in_production_at=at,
    )  # fmt: skip
    return updated


@transaction.atomic
def mark_delivered(
    *, actor: User | None, deliverable: Deliverable, expected_version: int | None = None,
    comment: str = "", at: dt.datetime | None = None,
) -> Deliverable:  # fmt: skip
    """in production → delivered: ready for the accepting stakeholder."""
    if actor is not None:
        _require_manage(actor, deliverable.component, "mark deliverables delivered")
    if deliverable.accepting_stakeholder_id is None and deliverable.status == S.IN_PRODUCTION:
        raise ValidationFailed(
            {"accepting_stakeholder": ["Name the stakeholder who accepts it first."]}
        )
    at = at or timezone.now()
    updated, _ = _move(
        actor, deliverable, expected_version, action="deliver", source=S.IN_PRODUCTION,
        target=S.DELIVERED, comment=comment, at=at, delivered_at=at,
    )  # fmt: skip
    return updated


@dataclass(frozen=True)
class EvidenceInput:
    """A file or a link to attach; exactly one of ``file`` and ``url``."""

    title: str = ""
    file: UploadedFile | None = None
    url: str = ""


def _require_decide(actor: Any, deliverable: Deliverable, verb: str) -> None:
    if can_decide(actor, deliverable):
        return
    who = deliverable.accepting_stakeholder
    named = f"its accepting stakeholder ({who})" if who is not None else "its accepting stakeholder"
    raise PermissionDenied(f"Only {named} may {verb} {deliverable.code}.")


@transaction.atomic
def accept_deliverable(
    *,
    actor: User,
    deliverable: Deliverable,
    expected_version: int | None = None,
    comment: str = "",
    evidence: Sequence[EvidenceInput] = (),
    at: dt.datetime | None = None,
) -> Deliverable:
    """delivered → accepted, by the named accepting stakeholder only, with an optional
    comment and evidence."""
    _require_decide(actor, deliverable, "accept")
    for item in evidence:
        _check_input(item)
    at = at or timezone.now()
    updated, event = _move(
        actor, deliverable, expected_version, action="accept", source=S.DELIVERED,
        target=S.ACCEPTED, comment=comment, at=at, accepted_at=at,
        acceptance_comment=comment.strip(),
    )  # fmt: skip
    for item in evidence:
        _write_evidence(actor, updated, item, event)
    return updated


@transaction.atomic
def reject_deliverable(
    *,
    actor: User,
    deliverable: Deliverable,
    reason: str,
    expected_version: int | None = None,
    comment: str = "",
    evidence: Sequence[EvidenceInput] = (),
    at: dt.datetime | None = None,
) -> Deliverable:
    """delivered → back in production, by the named accepting stakeholder only, with the
    reasons (required)."""
    _require_decide(actor, deliverable, "reject")
    if not (reason or "").strip():
        raise ValidationFailed({"reason": ["Say why it is rejected: the team needs to know."]})
    for item in evidence:
        _check_input(item)
    at = at or timezone.now()
    updated, event = _move(
        actor, deliverable, expected_version, action="reject", source=S.DELIVERED,
        target=S.IN_PRODUCTION, comment=comment, reason=reason, at=at,
        rejected_at=at,
        rejection_reason=reason.strip(),
    )  # fmt: skip
    for item in evidence:
        _write_evidence(actor, updated, item, event)
    return updated


@transaction.atomic
def transition_to_operations(
    *, actor: User | None, deliverable: Deliverable, expected_version: int | None = None,
    comment: str = "", at: dt.datetime | None = None,
) -> Deliverable:  # fmt: skip
    """accepted → transitioned to operations."""
    if actor is not None:
        _require_manage(actor, deliverable.component, "hand deliverables over")
    at = at or timezone.now()
    updated, _ = _move(
        actor, deliverable, expected_version, action="transition", source=S.ACCEPTED,
        target=S.TRANSITIONED, comment=comment, at=at,
        transitioned_at=at,
    )  # fmt: skip
    return updated


# -- evidence -----------------------------------------------------------------------------


def check_evidence_file(upload: UploadedFile) -> tuple[str, str]:
    """Refuse files over 10 MB, of another type, or whose content does not match their
    extension. Returns (extension, content type)."""
    name = upload.name or ""
    ext = PurePath(name).suffix.lower().lstrip(".")
    if ext not in ALLOWED_EVIDENCE:
        allowed = ", ".join(sorted({e for e in ALLOWED_EVIDENCE if e != "jpeg"}))
        raise ValidationFailed(
            {"file": [f"{name or 'The file'} is not an accepted type (use {allowed})."]}
        )
    size = upload.size or 0
    if size > MAX_EVIDENCE_BYTES:
        raise ValidationFailed(
            {"file": [f"{name} is {size / 1048576:.1f} MB; evidence files may be at most 10 MB."]}
        )
    if size == 0:
        raise ValidationFailed({"file": [f"{name} is empty."]})
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    magic = _MAGIC.get(ext)
    if magic is not None and not head.startswith(magic):
        raise ValidationFailed({"file": [f"{name} is not a real .{ext} file."]})
    if magic is None and b"\x00" in head:
        raise ValidationFailed({"file": [f"{name} is not a text file."]})
    return ext, ALLOWED_EVIDENCE[ext]


def _check_input(item: EvidenceInput) -> None:
    url = (item.url or "").strip()
    if (item.file is None) == (not url):
        raise ValidationFailed({"file": ["Give either a file or a link."]})
    if item.file is not None:
        check_evidence_file(item.file)
    else:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except DjangoValidationError as exc:
            raise ValidationFailed({"url": [f"{url[:80]} is not a web address."]}) from exc


def _write_evidence(
    actor: Any, deliverable: Deliverable, item: EvidenceInput, event: DeliverableEvent | None
) -> Evidence:
    _check_input(item)
    url = (item.url or "").strip()
    evidence = Evidence(deliverable=deliverable, event=event, created_by=actor, updated_by=actor)
    if item.file is not None:
        _, content_type = check_evidence_file(item.file)
        filename = PurePath(item.file.name or "evidence").name
        evidence.title = (item.title or "").strip() or filename
        evidence.size = item.file.size or 0
        evidence.content_type = content_type
        validate_model(evidence, exclude=["file", "created_by", "updated_by", "event"])
        # Everything that can refuse the change ran above; the file is written last.
        evidence.file.save(filename, item.file, save=False)
    else:
        evidence.url = url
        evidence.title = (item.title or "").strip() or url[:200]
        validate_model(evidence, exclude=["file", "created_by", "updated_by", "event"])
    evidence.save()
    audit.record(
        user=actor, action="create", obj=evidence, before=None,
        after={**audit.snapshot(evidence, ["title", "url", "size", "content_type"]),
               "file": evidence.file.name or ""},
        program_id=deliverable.program_id, note=f"evidence for {deliverable.code}",
    )  # fmt: skip
    return evidence


@transaction.atomic
def add_evidence(
    *, actor: User, deliverable: Deliverable, title: str = "", file: UploadedFile | None = None,
    url: str = "",
) -> Evidence:  # fmt: skip
    """Attach a file (pdf, png, jpg, docx, xlsx, txt, csv; at most 10 MB) or a link."""
    require(
        can_add_evidence(actor, deliverable),
        f"You may not add evidence to {deliverable.code}.",
    )
    return _write_evidence(actor, deliverable, EvidenceInput(title, file, url), None)


# -- transition plans ---------------------------------------------------------------------


@transaction.atomic
def save_transition_plan(
    *, actor: User | None, component: Component, expected_version: int | None = None,
    **fields: Any,
) -> TransitionPlan:  # fmt: skip
    """Create or change the component's transition plan (its manager or the program
    manager)."""
    if actor is not None:
        _require_manage(actor, component, "change the transition plan")
    _refuse_unknown(fields, PLAN_FIELDS)
    owner = fields.get("receiving_owner")
    if owner is not None and not owner.is_active:
        raise ValidationFailed({"receiving_owner": [f"{owner} is not an active user."]})
    plan = TransitionPlan.objects.filter(component=component).first()
    candidate = copy.copy(plan) if plan is not None else TransitionPlan(component=component)
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
            fields[name] = value
        setattr(candidate, name, value)
    validate_model(candidate, exclude=["created_by", "updated_by", "component", "receiving_owner"])
    if (
        candidate.handover_date is not None
        and candidate.support_until is not None
        and candidate.support_until < candidate.handover_date
    ):
        raise ValidationFailed({"support_until": ["Support ends before the handover date."]})
    if plan is None:
        candidate.created_by = candidate.updated_by = actor
        candidate.save()
        audit.record(
            user=actor, action="create", obj=candidate, before=None,
            after=audit.snapshot(candidate), program_id=component.program_id,
        )  # fmt: skip
        return candidate
    before = audit.snapshot(plan)
    updated = update_versioned(plan, expected_version, actor, **fields)
    audit.record(
        user=actor, action="update", obj=updated, before=before, after=audit.snapshot(updated),
        program_id=component.program_id,
    )  # fmt: skip
    return updated


def _plan_for(actor: Any, component: Component) -> TransitionPlan:
    plan = TransitionPlan.objects.filter(component=component).first()
    if plan is None:
        plan = save_transition_plan(actor=actor, component=component)
    return plan


@transaction.atomic
def add_transition_item(
    *, actor: User | None, component: Component, text: str, order: int | None = None
) -> TransitionItem:
    """Add a checklist item (the plan is created when it does not exist yet)."""
    if actor is not None:
        _require_manage(actor, component, "change the transition plan")
    plan = _plan_for(actor, component)
    if order is None:
        last = plan.items.order_by("-order").values_list("order", flat=True).first()
        order = (last or 0) + 1
    item = TransitionItem(plan=plan, text=(text or "").strip(), order=order)
    item.created_by = item.updated_by = actor
    if not item.text:
        raise ValidationFailed({"text": ["Say what has to be done."]})
    validate_model(item, exclude=["created_by", "updated_by", "done_by", "plan"])
    item.save()
    audit.record(
        user=actor, action="create", obj=item, before=None, after=audit.snapshot(item),
        program_id=component.program_id,
    )  # fmt: skip
    return item


@transaction.atomic
def update_transition_item(
    *, actor: User | None, item: TransitionItem, expected_version: int | None = None,
    at: dt.datetime | None = None, **changes: Any,
) -> TransitionItem:  # fmt: skip
    """Tick or untick (``done``), reword (``text``) or move (``order``) an item. Ticking
    records who and when."""
    component = item.plan.component
    if actor is not None:
        _require_manage(actor, component, "change the transition plan")
    _refuse_unknown(changes, {"text", "done", "order"})
    if "text" in changes:
        changes["text"] = str(changes["text"] or "").strip()
        if not changes["text"]:
            raise ValidationFailed({"text": ["Say what has to be done."]})
    if "done" in changes:
        done = bool(changes["done"])
        changes["done"] = done
        if done and not item.done:
            changes["done_by"] = actor
            changes["done_at"] = at or timezone.now()
        elif not done:
            changes["done_by"] = None
            changes["done_at"] = None
    before = audit.snapshot(item)
    updated = update_versioned(item, expected_version, actor, **changes)
    audit.record(
        user=actor, action="update", obj=updated, before=before, after=audit.snapshot(updated),
        program_id=component.program_id,
    )  # fmt: skip
    return updated


@transaction.atomic
def delete_transition_item(*, actor: User, item: TransitionItem) -> None:
    component = item.plan.component
    _require_manage(actor, component, "change the transition plan")
    audit.record(
        user=actor, action="delete", obj=item, before=audit.snapshot(item), after=None,
        program_id=component.program_id,
    )  # fmt: skip
    item.delete()


def transition_gaps(component: Component) -> list[str]:
    """What still stands between the component and a complete transition, in words
    (empty: complete). For the governance gate's message."""
    plan = (
        TransitionPlan.objects.filter(component=component).select_related("receiving_owner").first()
    )
    if plan is None:
        return ["No transition plan."]
    gaps = []
    if plan.receiving_owner_id is None and not plan.receiving_owner_name.strip():
        gaps.append("No receiving owner.")
    if plan.handover_date is None:
        gaps.append("No handover date.")
    items = list(plan.items.values_list("text", "done"))
    if not items:
        gaps.append("The checklist is empty.")
    open_items = [text for text, done in items if not done]
    if open_items:
        gaps.append(f"{len(open_items)} of {len(items)} checklist items open.")
    return gaps


def transition_complete(component: Component) -> bool:
    """For the governance gate: the component has a transition plan with a receiving
    owner and a handover date, and every item of its (non-empty) checklist is done."""
    return not transition_gaps(component)
