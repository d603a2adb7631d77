"""Every change to feedback items, their actions and the program's service target.

Each function is one transaction: permission check (:mod:`podium.feedback.access`),
validation, the versioned write, a :class:`~podium.feedback.models.FeedbackEvent` for
lifecycle steps, an audit record, and a notification to the submitter. Pages, the API,
the CSV import and the demo loader call these; nothing else saves the feedback models.

Lifecycle (who may move it)
---------------------------
==================  ==========================  ====================================
step                from → to                   who
==================  ==========================  ====================================
acknowledge         new → acknowledged          triage (PM, admin, the component's CM)
plan                acknowledged → planned      triage; needs ≥1 linked action or a risk
implement           planned → implemented       triage, when every linked action is done
                                                (or cancelled) — or ``explicit=True``
verify              implemented → verified      the submitter; the PM/admin after ten
                                                working days without an answer (noted)
not fixed           implemented → planned       the submitter
close               verified → closed           triage
decline (reason)    new/acknowledged/planned    triage
                    → declined
==================  ==========================  ====================================

**Automatic implementation**: when an action becomes done, every *planned* item linked
to it whose linked actions are now all done (or cancelled, with at least one done) moves
to implemented in the same transaction, with the note "all linked actions done".

**Anonymous items** keep ``submitted_by`` (so the submitter finds their own item and is
notified) but leave it out of everything the team sees: ``created_by``, the audit
record's user and snapshots, and the steps' actor are empty for the submitter's own
steps.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from pathlib import PurePath
from typing import Any

from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from podium.accounts.models import User
from podium.core import audit
from podium.core.errors import NotFound, PermissionDenied, TransitionRefused, ValidationFailed
from podium.core.jobs import JobContext, job_handler
from podium.core.services import update_versioned, validate_model
from podium.feedback import selectors
from podium.feedback.access import (
    can_manage_actions,
    can_submit,
    can_triage,
    is_submitter,
)
from podium.feedback.models import (
    ActionStatus,
    Category,
    FeedbackAction,
    FeedbackAttachment,
    FeedbackEvent,
    FeedbackItem,
    FeedbackState,
    ServiceTarget,
)
from podium.programs.models import Component, Program, Role
from podium.programs.permissions import require, visible_programs

__all__ = [
    "ALLOWED_ATTACHMENTS",
    "MAX_ATTACHMENT_BYTES",
    "MAX_IMPORT_BYTES",
    "VERIFY_WAIT_DAYS",
    "acknowledge",
    "check_attachment",
    "check_import_size",
    "close",
    "create_action",
    "decline",
    "delete_action",
    "import_feedback_csv",
    "link_action",
    "mark_implemented",
    "not_fixed",
    "plan",
    "save_service_target",
    "send_all_digests",
    "send_manager_digest",
    "set_risk",
    "submit_feedback",
    "unlink_action",
    "update_action",
    "verify",
]

S = FeedbackState
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_BYTES = 5 * 1024 * 1024
ALLOWED_ATTACHMENTS: dict[str, str] = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "txt": "text/plain",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}
_SIGNATURES: dict[str, bytes] = {
    "pdf": b"%PDF-",
    "png": b"\x89PNG\r\n\x1a\n",
    "jpg": b"\xff\xd8\xff",
    "jpeg": b"\xff\xd8\xff",
    "docx": b"PK\x03\x04",
    "xlsx": b"PK\x03\x04",
}
# The program manager may verify for a submitter who has not answered this long.
VERIFY_WAIT_DAYS = 10
ACTION_FIELDS = {"title", "description", "owner", "due_date", "status", "component"}
# What the submitter of an anonymous item is never shown as, in records the team reads.
_PRIVATE = ("submitted_by", "stakeholder")


# -- helpers ------------------------------------------------------------------------------


def _snapshot(item: FeedbackItem) -> dict[str, Any]:
    data = audit.snapshot(item)
    if item.anonymous:
        for name in _PRIVATE:
            data.pop(name, None)
    return data


def _public_actor(actor: Any, item: FeedbackItem) -> Any:
    """The actor as recorded: nobody when the submitter of an anonymous item acts."""
    if item.anonymous and is_submitter(actor, item):
        return None
    return actor


def _item_url(item: FeedbackItem) -> str:
    return reverse("feedback:detail", args=[item.program.code, item.pk])


def _tell_submitter(actor: Any, item: FeedbackItem, note: str = "") -> None:
    """Notify the submitter of the item's new state (not when they moved it themselves)."""
    from podium.notifications.services import notify

    submitter = item.submitted_by
    if submitter is None or is_submitter(actor, item):
        return
    state = item.get_state_display().lower()
    body = f"Your feedback {item.reference} about {item.program.code} is now {state}."
    if note:
        body += f"\n\n{note}"
    notify(
        user=submitter,
        title=f"Feedback {item.reference}: {item.get_state_display()}",
        body=body,
        url=_item_url(item),
        program=item.program,
        category="feedback",
    )


def _check_in_program(obj: Any, program: Program, field: str, label: str) -> None:
    if obj is not None and obj.program_id != program.pk:
        raise ValidationFailed({field: [f"This {label} is not in {program.code}."]})


def _member(user: User | None, program: Program, field: str) -> None:
    if user is None or user.is_administrator:
        return
    if not user.is_active or not program.memberships.filter(user=user).exists():
        raise ValidationFailed({field: [f"{user} is not a member of {program.code}."]})


# -- attachments --------------------------------------------------------------------------


def check_attachment(upload: UploadedFile, field: str = "attachment") -> tuple[str, str]:
    """Refuse files over 5 MB, of another type, empty, or whose content does not match
    their extension. Returns (extension, content type)."""
    name = PurePath(upload.name or "").name
    ext = PurePath(name).suffix.lower().lstrip(".")
    if ext not in ALLOWED_ATTACHMENTS:
        allowed = ", ".join(sorted(e for e in ALLOWED_ATTACHMENTS if e != "jpeg"))
        raise ValidationFailed(
            {field: [f"{name or 'The file'} is not an accepted type (use {allowed})."]}
        )
    size = upload.size or 0
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationFailed(
            {field: [f"{name} is {size / 1048576:.1f} MB; attachments may be at most 5 MB."]}
        )
    if size == 0:
        raise ValidationFailed({field: [f"{name} is empty."]})
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    signature = _SIGNATURES.get(ext)
    if signature is not None and not head.startswith(signature):
        raise ValidationFailed({field: [f"{name} is not a real .{ext} file."]})
    if signature is None and b"\x00" in head:
        raise ValidationFailed({field: [f"{name} is not a text file."]})
    return ext, ALLOWED_ATTACHMENTS[ext]


def _remove_files(saved: Iterable[tuple[Storage, str]]) -> None:
    for storage, name in saved:
        storage.delete(name)


# -- intake -------------------------------------------------------------------------------


def _stakeholder_entry(user: Any, program: Program) -> Any:
    from podium.stakeholders.selectors import stakeholder_for

    return stakeholder_for(user, program)


@transaction.atomic
def submit_feedback(
    *,
    actor: User | None,
    program: Program,
    text: str,
    category: str = Category.OTHER,
    rating: int | None = None,
    component: Component | None = None,
    deliverable: Any = None,
    benefit: Any = None,
    anonymous: bool = False,
    attachments: Sequence[UploadedFile] = (),
    submitted_by: User | None = None,
    at: dt.datetime | None = None,
) -> FeedbackItem:
    """A member gives feedback about ``program`` (or one of its components, deliverables
    or benefits). Nothing is stored when anything is refused — not the item, not a file.
    ``actor`` None: the system (imports, the demo), with ``submitted_by`` naming the
    person."""
    if actor is not None:
        if not visible_programs(actor).filter(pk=program.pk).exists():
            raise NotFound(f"No program {program.code!r}.")
        require(can_submit(actor, program), f"You may not give feedback on {program.code}.")
        submitted_by = actor
    errors: dict[str, list[str]] = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = ["Write what your feedback is: the text cannot be empty."]
    if category not in Category.values:
        errors["category"] = [f"Choose a category ({', '.join(Category.values)})."]
    if rating is not None and not 1 <= int(rating) <= 5:
        errors["rating"] = ["The rating is 1 (poor) to 5 (very good)."]
    for obj, field, label in (
        (component, "component", "component"),
        (deliverable, "deliverable", "deliverable"),
        (benefit, "benefit", "benefit"),
    ):
        if obj is not None and obj.program_id != program.pk:
            errors[field] = [f"This {label} is not in {program.code}."]
    target = selectors.target_for(program)
    if anonymous and not target.allow_anonymous:
        errors["anonymous"] = [f"{program.code} does not accept anonymous feedback."]
    for upload in attachments:
        try:
            check_attachment(upload)
        except ValidationFailed as exc:
            errors.setdefault("attachment", []).extend(exc.errors["attachment"])
    if errors:
        raise ValidationFailed(errors)
    if component is None and deliverable is not None:
        component = deliverable.component
    entry = _stakeholder_entry(submitted_by, program)
    at = at or timezone.now()
    item = FeedbackItem(
        program=program, component=component, deliverable=deliverable, benefit=benefit,
        submitted_by=submitted_by, anonymous=bool(anonymous),
        stakeholder=None if anonymous else entry,
        group=(entry.group if entry is not None else "") or "",
        category=category, rating=rating, text=text, state=S.NEW, submitted_at=at,
    )  # fmt: skip
    recorded = None if anonymous else submitted_by
    item.created_by = item.updated_by = recorded
    validate_model(
        item,
        exclude=["created_by", "updated_by", "program", "component", "deliverable", "benefit",
                 "submitted_by", "stakeholder", "risk"],
    )  # fmt: skip
    item.save()
    FeedbackEvent.objects.create(
        item=item, actor=recorded, from_state="", to_state=S.NEW, action="submit", created_at=at
    )
    audit.record(
        user=recorded, action="create", obj=item, before=None, after=_snapshot(item),
        program_id=program.pk,
    )  # fmt: skip
    saved: list[tuple[Storage, str]] = []
    try:
        for upload in attachments:
            _, content_type = check_attachment(upload)
            name = PurePath(upload.name or "attachment").name
            attachment = FeedbackAttachment(
                item=item, name=name[:200], size=upload.size or 0, content_type=content_type,
                created_by=recorded, updated_by=recorded,
            )  # fmt: skip
            attachment.file.save(name, upload, save=False)
            saved.append((attachment.file.storage, attachment.file.name or ""))
            attachment.save()
    except Exception:
        _remove_files(saved)
        raise
    return item


# -- the lifecycle ------------------------------------------------------------------------

_PAST = {
    "acknowledge": "acknowledged",
    "plan": "planned",
    "implement": "marked implemented",
    "verify": "verified",
    "not_fixed": "sent back as not fixed",
    "close": "closed",
    "decline": "declined",
}


def _move(
    actor: Any,
    item: FeedbackItem,
    expected_version: int | None,
    *,
    action: str,
    sources: Sequence[str],
    target: str,
    note: str = "",
    at: dt.datetime,
    **fields: Any,
) -> FeedbackItem:
    if item.state not in sources:
        allowed = " or ".join(S(s).label.lower() for s in sources)
        raise TransitionRefused(
            f"{item.reference} is {item.get_state_display().lower()}; it can be "
            f"{_PAST[action]} only when {allowed}."
        )
    recorded = _public_actor(actor, item)
    before = _snapshot(item)
    updated = update_versioned(item, expected_version, recorded, state=target, **fields)
    FeedbackEvent.objects.create(
        item=updated, actor=recorded, from_state=item.state, to_state=target, action=action,
        note=note.strip(), created_at=at,
    )  # fmt: skip
    audit.record(
        user=recorded, action="transition", obj=updated, before=before,
        after=_snapshot(updated), program_id=updated.program_id, note=note.strip(),
    )  # fmt: skip
    _tell_submitter(actor, updated, note.strip() if action in ("decline", "verify") else "")
    if action in ("verify", "not_fixed") and is_submitter(actor, updated):
        _tell_triagers(updated, note.strip())
    return updated


def _tell_triagers(item: FeedbackItem, note: str) -> None:
    """The submitter answered: tell the program managers and the component's manager."""
    from podium.notifications.services import notify

    answer = "verified it is fixed" if item.state == S.VERIFIED else "says it is not fixed"
    people = set(
        User.objects.filter(
            memberships__program=item.program, memberships__role=Role.PROGRAM_MANAGER
        )
    )
    if item.component is not None and item.component.manager is not None:
        people.add(item.component.manager)
    for person in sorted(people, key=lambda u: u.pk):
        notify(
            user=person, title=f"Feedback {item.reference}: the submitter {answer}",
            body=note, url=_item_url(item), program=item.program, category="feedback",
        )  # fmt: skip


def _require_triage(actor: Any, item: FeedbackItem, verb: str) -> None:
    if actor is not None:
        require(can_triage(actor, item), f"You may not {verb} {item.reference}.")


@transaction.atomic
def acknowledge(
    *, actor: User | None, item: FeedbackItem, expected_version: int | None = None,
    note: str = "", at: dt.datetime | None = None,
) -> FeedbackItem:  # fmt: skip
    """new → acknowledged."""
    _require_triage(actor, item, "acknowledge")
    at = at or timezone.now()
    return _move(
        actor, item, expected_version, action="acknowledge", sources=[S.NEW],
        target=S.ACKNOWLEDGED, note=note, at=at, acknowledged_at=at,
    )  # fmt: skip


@transaction.atomic
def plan(
    *,
    actor: User | None,
    item: FeedbackItem,
    actions: Sequence[FeedbackAction] = (),
    risk: Any = None,
    change_request: Any = None,
    expected_version: int | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> FeedbackItem:
    """acknowledged → planned, linking ``actions``, ``risk`` and/or ``change_request``
    first; the item must end up with at least one linked action, risk or change request."""
    _require_triage(actor, item, "plan")
    if item.state != S.ACKNOWLEDGED:
        raise TransitionRefused(
            f"{item.reference} is {item.get_state_display().lower()}; it can be planned "
            "only when acknowledged."
        )
    for action in actions:
        _check_in_program(action, item.program, "actions", "action")
    _check_in_program(risk, item.program, "risk", "risk")
    _check_in_program(change_request, item.program, "change_request", "change request")
    has_actions = bool(actions) or item.actions.exists()
    has_other = risk is not None or item.risk_id is not None
    has_other = has_other or change_request is not None or item.change_request_id is not None
    if not has_actions and not has_other:
        raise ValidationFailed(
            {
                "actions": [
                    "Link at least one action (or a risk or change request) that answers "
                    "this feedback."
                ]
            }
        )
    for action in actions:
        item.actions.add(action)
    at = at or timezone.now()
    fields: dict[str, Any] = {"planned_at": at}
    if risk is not None:
        fields["risk"] = risk
    if change_request is not None:
        fields["change_request"] = change_request
    return _move(
        actor, item, expected_version, action="plan", sources=[S.ACKNOWLEDGED],
        target=S.PLANNED, note=note, at=at, **fields,
    )  # fmt: skip


def _open_actions(item: FeedbackItem) -> list[FeedbackAction]:
    return [
        a for a in item.actions.all() if a.status not in (ActionStatus.DONE, ActionStatus.CANCELLED)
    ]


@transaction.atomic
def mark_implemented(
    *, actor: User | None, item: FeedbackItem, expected_version: int | None = None,
    note: str = "", explicit: bool = False, at: dt.datetime | None = None,
) -> FeedbackItem:  # fmt: skip
    """planned → implemented: when every linked action is done (or cancelled), or
    ``explicit`` (the note says so)."""
    _require_triage(actor, item, "mark implemented")
    open_ones = _open_actions(item)
    if open_ones and not explicit:
        titles = ", ".join(a.title for a in open_ones[:5])
        raise TransitionRefused(
            f"{item.reference} still has open actions ({titles}); finish them or mark it "
            "implemented explicitly."
        )
    if explicit and open_ones:
        note = (note.strip() + " " if note.strip() else "") + "(marked implemented explicitly)"
    at = at or timezone.now()
    return _move(
        actor, item, expected_version, action="implement", sources=[S.PLANNED],
        target=S.IMPLEMENTED, note=note, at=at, implemented_at=at,
    )  # fmt: skip


def can_verify_for_submitter(actor: Any, item: FeedbackItem, on: dt.date | None = None) -> bool:
    """The program manager (or an administrator) may verify once the submitter has not
    answered for ten working days after implementation."""
    from podium.programs.permissions import can_change_program

    if item.state != S.IMPLEMENTED or item.implemented_at is None:
        return False
    if not getattr(actor, "is_authenticated", False) or not can_change_program(actor, item.program):
        return False
    since = timezone.localtime(item.implemented_at).date()
    return selectors.working_days_between(since, on or selectors.today()) >= VERIFY_WAIT_DAYS


@transaction.atomic
def verify(
    *, actor: User, item: FeedbackItem, expected_version: int | None = None, note: str = "",
    at: dt.datetime | None = None,
) -> FeedbackItem:  # fmt: skip
    """implemented → verified: the submitter confirms it is fixed (or the program manager,
    after ten working days without an answer)."""
    at = at or timezone.now()
    if not is_submitter(actor, item):
        if not can_verify_for_submitter(actor, item, timezone.localtime(at).date()):
            raise PermissionDenied(
                f"Only the person who gave {item.reference} may verify it (the program "
                f"manager may after {VERIFY_WAIT_DAYS} working days without an answer)."
            )
        note = (
            f"Verified by the program manager: no answer from the submitter in "
            f"{VERIFY_WAIT_DAYS} working days. {note.strip()}"
        ).strip()
    return _move(
        actor, item, expected_version, action="verify", sources=[S.IMPLEMENTED],
        target=S.VERIFIED, note=note, at=at, verified_at=at,
    )  # fmt: skip


@transaction.atomic
def not_fixed(
    *, actor: User, item: FeedbackItem, expected_version: int | None = None, note: str = "",
    at: dt.datetime | None = None,
) -> FeedbackItem:  # fmt: skip
    """implemented → planned again: the submitter says it is not fixed."""
    if not is_submitter(actor, item):
        raise PermissionDenied(
            f"Only the person who gave {item.reference} may say it is not fixed."
        )
    at = at or timezone.now()
    return _move(
        actor, item, expected_version, action="not_fixed", sources=[S.IMPLEMENTED],
        target=S.PLANNED, note=note, at=at, planned_at=at, implemented_at=None,
    )  # fmt: skip


@transaction.atomic
def close(
    *, actor: User | None, item: FeedbackItem, expected_version: int | None = None,
    note: str = "", at: dt.datetime | None = None,
) -> FeedbackItem:  # fmt: skip
    """verified → closed."""
    _require_triage(actor, item, "close")
    at = at or timezone.now()
    return _move(
        actor, item, expected_version, action="close", sources=[S.VERIFIED], target=S.CLOSED,
        note=note, at=at, closed_at=at,
    )  # fmt: skip


@transaction.atomic
def decline(
    *, actor: User | None, item: FeedbackItem, reason: str,
    expected_version: int | None = None, at: dt.datetime | None = None,
) -> FeedbackItem:  # fmt: skip
    """new, acknowledged or planned → declined, with the reason (required; the submitter
    reads it)."""
    _require_triage(actor, item, "decline")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": ["Say why it is declined: the submitter reads it."]})
    at = at or timezone.now()
    return _move(
        actor, item, expected_version, action="decline",
        sources=[S.NEW, S.ACKNOWLEDGED, S.PLANNED], target=S.DECLINED, note=reason, at=at,
        declined_at=at, declined_reason=reason,
    )  # fmt: skip


# -- links --------------------------------------------------------------------------------


def _require_linkable(actor: Any, item: FeedbackItem) -> None:
    _require_triage(actor, item, "change the links of")
    if item.state in (S.CLOSED, S.DECLINED):
        raise TransitionRefused(f"{item.reference} is {item.get_state_display().lower()}.")


@transaction.atomic
def link_action(*, actor: User | None, item: FeedbackItem, action: FeedbackAction) -> FeedbackItem:
    """Link ``action`` to the item (many items may share one action)."""
    _require_linkable(actor, item)
    _check_in_program(action, item.program, "action", "action")
    before = sorted(item.actions.values_list("pk", flat=True))
    item.actions.add(action)
    audit.record(
        user=_public_actor(actor, item), action="update", obj=item,
        before={"actions": before}, after={"actions": sorted({*before, action.pk})},
        program_id=item.program_id, note=f"linked action {action.pk} {action.title}",
    )  # fmt: skip
    return item


@transaction.atomic
def unlink_action(
    *, actor: User | None, item: FeedbackItem, action: FeedbackAction
) -> FeedbackItem:
    """Unlink ``action``; a planned item keeps at least one action or a risk."""
    _require_linkable(actor, item)
    before = sorted(item.actions.values_list("pk", flat=True))
    if action.pk not in before:
        raise NotFound(f"Action {action.pk} is not linked to {item.reference}.")
    if item.state == S.PLANNED and len(before) == 1 and item.risk_id is None:
        raise TransitionRefused(
            f"{item.reference} is planned: it needs at least one linked action or a risk."
        )
    item.actions.remove(action)
    audit.record(
        user=_public_actor(actor, item), action="update", obj=item,
        before={"actions": before}, after={"actions": [p for p in before if p != action.pk]},
        program_id=item.program_id, note=f"unlinked action {action.pk} {action.title}",
    )  # fmt: skip
    return item


@transaction.atomic
def set_risk(
    *, actor: User | None, item: FeedbackItem, risk: Any, expected_version: int | None = None
) -> FeedbackItem:
    """Link a risk of the program (``None`` unlinks; a planned item keeps a link)."""
    _require_linkable(actor, item)
    _check_in_program(risk, item.program, "risk", "risk")
    if risk is None and item.state == S.PLANNED and not item.actions.exists():
        raise TransitionRefused(
            f"{item.reference} is planned: it needs at least one linked action or a risk."
        )
    before = _snapshot(item)
    updated = update_versioned(item, expected_version, actor, risk=risk)
    audit.record(
        user=actor, action="update", obj=updated, before=before, after=_snapshot(updated),
        program_id=item.program_id,
    )  # fmt: skip
    return updated


# -- actions ------------------------------------------------------------------------------


def _check_action(action: FeedbackAction, program: Program) -> None:
    if not (action.title or "").strip():
        raise ValidationFailed({"title": ["An action needs a title."]})
    if action.status not in ActionStatus.values:
        raise ValidationFailed({"status": [f"Choose a status ({', '.join(ActionStatus.values)})."]})
    _check_in_program(action.component, program, "component", "component")
    _member(action.owner, program, "owner")
    validate_model(action, exclude=["created_by", "updated_by", "program", "component", "owner"])


@transaction.atomic
def create_action(
    *,
    actor: User | None,
    program: Program,
    title: str,
    description: str = "",
    owner: User | None = None,
    due_date: dt.date | None = None,
    status: str = ActionStatus.OPEN,
    component: Component | None = None,
    at: dt.datetime | None = None,
) -> FeedbackAction:
    """Add an action (the program manager; a component manager for their component)."""
    if actor is not None:
        require(
            can_manage_actions(actor, program, component),
            f"You may not add feedback actions in {program.code}.",
        )
    action = FeedbackAction(
        program=program, title=(title or "").strip(), description=(description or "").strip(),
        owner=owner, due_date=due_date, status=status, component=component,
        created_by=actor, updated_by=actor,
    )  # fmt: skip
    if status == ActionStatus.DONE:
        action.done_at = at or timezone.now()
    _check_action(action, program)
    action.save()
    audit.record(
        user=actor, action="create", obj=action, before=None, after=audit.snapshot(action),
        program_id=program.pk,
    )  # fmt: skip
    return action


@transaction.atomic
def update_action(
    *,
    actor: User | None,
    action: FeedbackAction,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
    **changes: Any,
) -> FeedbackAction:
    """Change an action. The owner may change its status only. Done → the planned items
    whose linked actions are now all finished move to implemented (see the module)."""
    program = action.program
    unknown = sorted(set(changes) - ACTION_FIELDS)
    if unknown:
        raise ValidationFailed({f: ["This field cannot be changed here."] for f in unknown})
    if actor is not None:
        manager = can_manage_actions(actor, program, action.component)
        if "component" in changes and changes["component"] != action.component:
            manager = manager and can_manage_actions(actor, program, changes["component"])
        owner_only = (
            action.owner_id is not None
            and action.owner_id == actor.pk
            and set(changes) <= {"status"}
        )
        require(manager or owner_only, f"You may not change the action {action.title}.")
    at = at or timezone.now()
    if "status" in changes and changes["status"] != action.status:
        changes["done_at"] = at if changes["status"] == ActionStatus.DONE else None
    if "title" in changes:
        changes["title"] = str(changes["title"] or "").strip()
    candidate = copy.copy(action)
    for name, value in changes.items():
        setattr(candidate, name, value)
    _check_action(candidate, program)
    before = audit.snapshot(action)
    updated = update_versioned(action, expected_version, actor, **changes)
    audit.record(
        user=actor, action="update", obj=updated, before=before, after=audit.snapshot(updated),
        program_id=program.pk,
    )  # fmt: skip
    if updated.status == ActionStatus.DONE and action.status != ActionStatus.DONE:
        _implement_finished(actor, updated, at)
    return updated


def _implement_finished(actor: Any, action: FeedbackAction, at: dt.datetime) -> None:
    for item in action.items.filter(state=S.PLANNED).select_related("program", "submitted_by"):
        linked = list(item.actions.all())
        if _open_actions(item) or not any(a.status == ActionStatus.DONE for a in linked):
            continue
        _move(
            actor, item, None, action="implement", sources=[S.PLANNED], target=S.IMPLEMENTED,
            note="All linked actions done.", at=at, implemented_at=at,
        )  # fmt: skip


@transaction.atomic
def delete_action(*, actor: User, action: FeedbackAction) -> None:
    """Remove an action no item is linked to (cancel linked ones instead)."""
    require(
        can_manage_actions(actor, action.program, action.component),
        f"You may not remove the action {action.title}.",
    )
    if action.items.exists():
        raise TransitionRefused(
            f"{action.title} is linked to feedback; cancel it instead of removing it."
        )
    audit.record(
        user=actor, action="delete", obj=action, before=audit.snapshot(action), after=None,
        program_id=action.program_id,
    )  # fmt: skip
    action.delete()


# -- settings -----------------------------------------------------------------------------


@transaction.atomic
def save_service_target(
    *,
    actor: User | None,
    program: Program,
    expected_version: int | None = None,
    **fields: Any,
) -> ServiceTarget:
    """Set ``acknowledge_days``, ``close_days`` (working days) and ``allow_anonymous``
    (the program manager)."""
    from podium.programs.permissions import can_change_program

    if actor is not None:
        require(
            can_change_program(actor, program),
            f"You may not change the feedback settings of {program.code}.",
        )
    unknown = sorted(set(fields) - {"acknowledge_days", "close_days", "allow_anonymous"})
    if unknown:
        raise ValidationFailed({f: ["This field cannot be changed here."] for f in unknown})
    current = ServiceTarget.objects.filter(program=program).first()
    candidate = ServiceTarget(program=program)
    if current is not None:
        for name in ("acknowledge_days", "close_days", "allow_anonymous"):
            setattr(candidate, name, getattr(current, name))
    for name, value in fields.items():
        setattr(candidate, name, value)
    for name in ("acknowledge_days", "close_days"):
        value = getattr(candidate, name)
        if value is None or int(value) < 1:
            raise ValidationFailed({name: ["At least one working day."]})
    if candidate.close_days < candidate.acknowledge_days:
        raise ValidationFailed({"close_days": ["Closing cannot be due before acknowledging."]})
    if current is None:
        candidate.created_by = candidate.updated_by = actor
        candidate.save()
        audit.record(
            user=actor, action="create", obj=candidate, before=None,
            after=audit.snapshot(candidate), program_id=program.pk,
        )  # fmt: skip
        return candidate
    before = audit.snapshot(current)
    updated = update_versioned(current, expected_version, actor, **fields)
    audit.record(
        user=actor, action="update", obj=updated, before=before, after=audit.snapshot(updated),
        program_id=program.pk,
    )  # fmt: skip
    return updated


# -- CSV import ---------------------------------------------------------------------------

CSV_COLUMNS = ("text", "category", "rating", "component", "deliverable", "benefit",
               "submitted_by", "submitted_at")  # fmt: skip


def _parse_when(raw: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(raw)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def check_import_size(upload: UploadedFile) -> None:
    """Refuse an import file over :data:`MAX_IMPORT_BYTES` before it is read."""
    if (upload.size or 0) > MAX_IMPORT_BYTES:
        raise ValidationFailed({"file": ["The file is larger than 5 MB."]})


@transaction.atomic
def import_feedback_csv(
    *, actor: User | None, program: Program, data: bytes | str
) -> list[FeedbackItem]:
    """Import feedback gathered elsewhere (a workshop, a survey): one item per row with
    a ``text`` column and optional ``category``, ``rating``, ``component`` (code),
    ``deliverable`` (code), ``benefit`` (code), ``submitted_by`` (username of a member)
    and ``submitted_at`` (ISO date). All or nothing: any bad row refuses the whole file
    with every error by line number."""
    from podium.programs.permissions import can_change_program

    if actor is not None:
        require(
            can_change_program(actor, program), f"You may not import feedback into {program.code}."
        )
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationFailed({"file": ["The file is not UTF-8 text."]}) from exc
    if "\x00" in data:
        raise ValidationFailed({"file": ["The file is not CSV text (it holds NUL bytes)."]})
    reader = csv.DictReader(io.StringIO(data), strict=True)
    errors: list[str] = []
    rows: list[tuple[int, dict[str, Any]]] = []
    try:
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
        if "text" not in header:
            raise ValidationFailed(
                {"file": ["The first line must name the columns, with at least 'text'."]}
            )
        reader.fieldnames = header
        for row in reader:
            line = reader.line_num
            row = {k: (v or "").strip() for k, v in row.items() if k}
            if not any(row.values()):
                continue
            try:
                rows.append((line, _csv_fields(program, row)))
            except ValidationFailed as exc:
                errors.extend(
                    f"line {line}: {field}: {msg}"
                    for field, msgs in exc.errors.items()
                    for msg in msgs
                )
    except csv.Error as exc:  # an unclosed quote, a field over csv.field_size_limit()
        raise ValidationFailed(
            {"file": [f"line {reader.line_num}: not valid CSV ({exc})."]}
        ) from None
    if errors:
        raise ValidationFailed({"file": errors})
    if not rows:
        raise ValidationFailed({"file": ["The file has no feedback rows."]})
    items = []
    for line, fields in rows:
        try:
            items.append(submit_feedback(actor=None, program=program, **fields))
        except ValidationFailed as exc:
            errors.extend(
                f"line {line}: {field}: {msg}" for field, msgs in exc.errors.items() for msg in msgs
            )
    if errors:
        raise ValidationFailed({"file": errors})
    audit.record(
        user=actor, action="import", obj=program, before=None,
        after={"feedback_items": [i.pk for i in items]}, program_id=program.pk,
        note=f"{len(items)} feedback items imported",
    )  # fmt: skip
    return items


def _csv_fields(program: Program, row: dict[str, str]) -> dict[str, Any]:
    from podium.benefits.models import Benefit
    from podium.delivery.models import Deliverable

    errors: dict[str, list[str]] = {}
    fields: dict[str, Any] = {
        "text": row.get("text", ""),
        "category": row.get("category", "").lower() or Category.OTHER,
    }
    if not fields["text"]:
        errors["text"] = ["empty"]
    if fields["category"] not in Category.values:
        errors["category"] = [f"{fields['category']!r} is not one of {', '.join(Category.values)}"]
    rating = row.get("rating", "")
    if rating:
        if not rating.isdigit() or not 1 <= int(rating) <= 5:
            errors["rating"] = [f"{rating!r} is not 1–5"]
        else:
            fields["rating"] = int(rating)
    lookups = (
        ("component", program.components.all()),
        ("deliverable", Deliverable.objects.filter(program=program)),
        ("benefit", Benefit.objects.filter(program=program)),
    )
    for name, qs in lookups:
        code = row.get(name, "")
        if code:
            found = qs.filter(code=code.upper()).first()
            if found is None:
                errors[name] = [f"{program.code} has no {name} {code!r}"]
            fields[name] = found
    username = row.get("submitted_by", "")
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None or not (
            user.is_administrator or program.memberships.filter(user=user).exists()
        ):
            errors["submitted_by"] = [f"{username!r} is not a member of {program.code}"]
        fields["submitted_by"] = user
    when = row.get("submitted_at", "")
    if when:
        try:
            fields["at"] = _parse_when(when)
        except ValueError:
            errors["submitted_at"] = [f"{when!r} is not a date (YYYY-MM-DD)"]
    if errors:
        raise ValidationFailed(errors)
    return fields


# -- the program manager's digest ---------------------------------------------------------


def send_manager_digest(program: Program, on: dt.date | None = None) -> int:
    """Tell the program's managers what is new and what is overdue (one notification
    each, category "feedback"); nothing when there is neither. Returns how many were
    sent."""
    from podium.notifications.services import notify

    on = on or selectors.today()
    new = list(FeedbackItem.objects.filter(program=program, state=S.NEW).order_by("submitted_at"))
    late = selectors.overdue_items(program, on)
    if not new and not late:
        return 0
    lines = [f"{len(new)} new, {len(late)} overdue feedback items in {program.code}."]
    if new:
        lines.append("New:")
        lines.extend(f"- {i.reference} ({i.get_category_display()}): {i.summary}" for i in new[:20])
    if late:
        lines.append("Overdue:")
        lines.extend(f"- {i.reference} ({i.get_state_display()}): {i.summary}" for i in late[:20])
    body = "\n".join(lines)
    url = reverse("feedback:triage", args=[program.code])
    managers = User.objects.filter(
        memberships__program=program, memberships__role=Role.PROGRAM_MANAGER, is_active=True
    ).distinct()
    sent = 0
    for manager in managers:
        with transaction.atomic():
            if notify(
                user=manager,
                title=f"Feedback digest {program.code}: {len(new)} new, {len(late)} overdue",
                body=body, url=url, program=program, category="feedback",
            ) is not None:  # fmt: skip
                sent += 1
    return sent


def send_all_digests(on: dt.date | None = None) -> int:
    """Every program's digest (for a daily job: ``start_job("feedback.digest", ...)``)."""
    return sum(send_manager_digest(p, on) for p in Program.objects.all())


@job_handler("feedback.digest")
def digest_job(ctx: JobContext) -> dict[str, int]:
    return {"sent": send_all_digests()}
