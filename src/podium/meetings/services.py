"""Every change to meetings, their attendees, agenda, decisions and actions.

Each function is one transaction: permission (:mod:`podium.meetings.access`),
validation (``ValidationFailed`` naming the field), the versioned write and an audit
record; notifications are written in the same transaction (their e-mail leaves once it
commits).

``actor`` None means the system (the demo loader): no permission check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import models, transaction
from django.db.models import Max
from django.urls import resolve, reverse
from django.utils import timezone

from podium.accounts.models import User
from podium.core import audit
from podium.core.errors import TransitionRefused, ValidationFailed
from podium.core.jobs import JobContext, job_handler
from podium.core.services import update_versioned
from podium.governance.agenda import board_agenda
from podium.governance.models import DecisionKind
from podium.governance.services import record_decision
from podium.meetings import access
from podium.meetings.links import LINK_KINDS, resolve_link
from podium.meetings.models import (
    NEXT_AFTER,
    ActionItem,
    ActionStatus,
    AgendaItem,
    ItemStatus,
    Meeting,
    MeetingAttendee,
    MeetingDecision,
    MeetingKind,
    MeetingStatus,
)
from podium.notifications.services import notify
from podium.programs.models import Program
from podium.programs.permissions import require

__all__ = [
    "Guest",
    "add_action",
    "add_agenda_item",
    "add_attendee",
    "cancel_meeting",
    "delete_meeting",
    "hold_meeting",
    "notify_overdue_actions",
    "plan_meeting",
    "plan_next_meeting",
    "prefill_board_agenda",
    "record_meeting_decision",
    "remove_action",
    "remove_agenda_item",
    "remove_attendee",
    "update_action",
    "update_agenda_item",
    "update_attendee",
    "update_meeting",
]

MEETING_FIELDS = {
    "title",
    "starts_at",
    "duration",
    "location",
    "online_link",
    "description",
    "minutes",
}
# A change of these sends calendars a new version of the invitation.
_SCHEDULING = {"starts_at", "duration", "location", "online_link"}
ITEM_FIELDS = {"title", "presenter", "notes", "outcome", "status", "position"}
ACTION_FIELDS = {"title", "owner", "due_date", "status"}

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Guest:
    """Someone to invite: a program member (``user``) or a person without an account."""

    user: User | None = None
    name: str = ""
    email: str = ""
    required: bool = True


def meeting_url(meeting: Meeting) -> str:
    return reverse("meetings:detail", kwargs={"code": meeting.program.code, "pk": meeting.pk})


def _refuse_unknown(changes: dict[str, Any], editable: set[str]) -> None:
    unknown = sorted(set(changes) - editable)
    if unknown:
        raise ValidationFailed({f: ["This field cannot be changed here."] for f in unknown})


def _check_member(program: Program, user: User | None, field: str) -> None:
    """``user`` takes part in ``program``: a member, or an administrator (who sees every
    program and may plan its meetings, so may organize them)."""
    if user is None or getattr(user, "is_administrator", False):
        return
    if not program.memberships.filter(user=user).exists():
        raise ValidationFailed({field: [f"{user} is not a member of {program.code}."]})


def _require_change(actor: Any, meeting: Meeting) -> None:
    if actor is None:
        return
    if access.can_change_content(actor, meeting):
        return
    if access.can_change(actor, meeting):
        raise TransitionRefused(
            "The meeting is held: its minutes are locked (the program manager may still "
            "correct them)."
        )
    require(False, f"Only the organizer or the program manager changes “{meeting.title}”.")


def _fresh(child: Any) -> Meeting:
    """The meeting of an attendee, agenda item or action as it is stored now."""
    meeting = Meeting.objects.select_related("program").get(pk=child.meeting_id)
    child.meeting = meeting
    return meeting


def _require_not_cancelled(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise TransitionRefused(f"“{meeting.title}” was cancelled.")


def _note(meeting: Meeting) -> str:
    return "changed after the meeting was held" if meeting.status == MeetingStatus.HELD else ""


def _record(
    actor: Any,
    action: str,
    obj: models.Model,
    before: Any,
    after: Any,
    program_id: int,
    note: str = "",
) -> None:
    audit.record(
        user=actor,
        action=action,
        obj=obj,
        before=before,
        after=after,
        program_id=program_id,
        note=note,
    )


def _validate_meeting(data: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    if "title" in data and not str(data["title"] or "").strip():
        errors["title"] = ["A meeting needs a title."]
    if "starts_at" in data and not isinstance(data["starts_at"], dt.datetime):
        errors["starts_at"] = ["Give the date and time the meeting starts."]
    if "duration" in data:
        duration = data["duration"]
        if not isinstance(duration, int) or not 5 <= duration <= 24 * 60:
            errors["duration"] = ["A meeting lasts between 5 minutes and 24 hours."]
    if data.get("online_link"):
        try:
            URLValidator(schemes=["http", "https"])(data["online_link"])
        except ValidationError:
            errors["online_link"] = ["Give a web address (https://…)."]
    for name, limit in (("title", 200), ("location", 200), ("online_link", 500)):
        if len(str(data.get(name) or "")) > limit:
            errors[name] = [f"At most {limit} characters."]
    if errors:
        raise ValidationFailed(errors)


def _aware(value: dt.datetime) -> dt.datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


# -- meetings -------------------------------------------------------------------------------


@transaction.atomic
def plan_meeting(
    *,
    actor: User | None,
    program: Program,
    kind: str,
    title: str,
    starts_at: dt.datetime,
    duration: int = 60,
    location: str = "",
    online_link: str = "",
    description: str = "",
    organizer: User | None = None,
    guests: Iterable[Guest] = (),
) -> Meeting:
    """Plan a meeting; the organizer (the actor unless given) is invited first, then
    ``guests``. Invited members are notified."""
    if kind not in MeetingKind.values:
        raise ValidationFailed({"kind": [f"Use one of {', '.join(MeetingKind.values)}."]})
    if actor is not None:
        require(
            access.can_plan(actor, program, kind),
            f"You may not plan {MeetingKind(kind).label.lower()}s in {program.code}.",
        )
    return _create_meeting(
        actor,
        program=program,
        kind=kind,
        title=title,
        starts_at=starts_at,
        duration=duration,
        location=location,
        online_link=online_link,
        description=description,
        organizer=organizer or actor,
        guests=guests,
    )


def _create_meeting(
    actor: Any,
    *,
    program: Program,
    kind: str,
    title: str,
    starts_at: dt.datetime,
    duration: int,
    location: str,
    online_link: str,
    description: str,
    organizer: User | None,
    guests: Iterable[Guest],
    previous: Meeting | None = None,
) -> Meeting:
    _validate_meeting(
        {
            "title": title,
            "starts_at": starts_at,
            "duration": duration,
            "location": location,
            "online_link": online_link,
        }
    )
    _check_member(program, organizer, "organizer")
    meeting = Meeting(
        program=program,
        kind=kind,
        title=title.strip(),
        starts_at=_aware(starts_at),
        duration=duration,
        location=location.strip(),
        online_link=online_link.strip(),
        description=description,
        organizer=organizer,
        previous=previous,
        created_by=actor,
        updated_by=actor,
    )
    meeting.save()
    note = f"next meeting after {previous}" if previous is not None else ""
    _record(actor, "create", meeting, None, audit.snapshot(meeting), program.pk, note)
    if organizer is not None:
        _invite(actor, meeting, Guest(user=organizer, required=True), tell=False)
    for guest in guests:
        if guest.user is not None and organizer is not None and guest.user.pk == organizer.pk:
            continue
        _invite(actor, meeting, guest)
    return meeting


@transaction.atomic
def update_meeting(
    *, actor: User | None, meeting: Meeting, expected_version: int | None, **changes: Any
) -> Meeting:
    """Change a meeting's title, time, place, description or minutes. A new time or place
    bumps its iCalendar sequence and tells the attendees."""
    _require_change(actor, meeting)
    _require_not_cancelled(meeting)
    _refuse_unknown(changes, MEETING_FIELDS)
    _validate_meeting(changes)
    for name in ("title", "location", "online_link"):
        if name in changes:
            changes[name] = str(changes[name] or "").strip()
    if "starts_at" in changes:
        changes["starts_at"] = _aware(changes["starts_at"])
    moved = any(changes[n] != getattr(meeting, n) for n in _SCHEDULING if n in changes)
    if moved:
        changes["sequence"] = meeting.sequence + 1
    before = audit.snapshot(meeting)
    updated = update_versioned(meeting, expected_version, actor, **changes)
    _record(
        actor,
        "update",
        updated,
        before,
        audit.snapshot(updated),
        meeting.program_id,
        _note(meeting),
    )
    if moved and updated.status == MeetingStatus.PLANNED:
        when = timezone.localtime(updated.starts_at)
        _tell_attendees(
            actor,
            updated,
            f"Meeting moved: {updated.title}",
            f"Now {when:%Y-%m-%d %H:%M}{', ' + updated.location if updated.location else ''}.",
        )
    return updated


@transaction.atomic
def cancel_meeting(
    *, actor: User | None, meeting: Meeting, expected_version: int | None = None
) -> Meeting:
    """planned → cancelled; attendees are told and calendars get the cancellation."""
    _require_change(actor, meeting)
    if meeting.status != MeetingStatus.PLANNED:
        raise TransitionRefused(
            f"Only a planned meeting can be cancelled; this one is "
            f"{meeting.get_status_display().lower()}."
        )
    before = audit.snapshot(meeting)
    updated = update_versioned(
        meeting,
        expected_version,
        actor,
        status=MeetingStatus.CANCELLED,
        sequence=meeting.sequence + 1,
    )
    _record(actor, "transition", updated, before, audit.snapshot(updated), meeting.program_id)
    _tell_attendees(actor, updated, f"Meeting cancelled: {updated.title}", "")
    return updated


@transaction.atomic
def delete_meeting(*, actor: User | None, meeting: Meeting) -> None:
    """Remove a planned meeting that has no decisions (a held one stays on record)."""
    _require_change(actor, meeting)
    if meeting.status == MeetingStatus.HELD or meeting.decisions.exists():
        raise TransitionRefused("A held meeting or one with decisions stays on record.")
    _record(actor, "delete", meeting, audit.snapshot(meeting), None, meeting.program_id)
    meeting.delete()


@transaction.atomic
def hold_meeting(
    *,
    actor: User | None,
    meeting: Meeting,
    minutes: str = "",
    attended: Iterable[int] | None = None,
    expected_version: int | None = None,
) -> Meeting:
    """planned → held: record the minutes and who attended (``attended``: attendee ids
    present; everyone else is recorded absent). From now on only the program manager
    changes the minutes."""
    _require_change(actor, meeting)
    if meeting.status != MeetingStatus.PLANNED:
        raise TransitionRefused(
            f"Only a planned meeting can be held; this one is "
            f"{meeting.get_status_display().lower()}."
        )
    present = set(attended or ())
    attendees = list(meeting.attendees.all())
    unknown = present - {a.pk for a in attendees}
    if unknown:
        raise ValidationFailed({"attended": [f"Not invited to this meeting: {sorted(unknown)}."]})
    before = audit.snapshot(meeting)
    updated = update_versioned(
        meeting,
        expected_version,
        actor,
        status=MeetingStatus.HELD,
        minutes=minutes,
        held_at=timezone.now(),
    )
    _record(actor, "transition", updated, before, audit.snapshot(updated), meeting.program_id)
    for attendee in attendees:
        _set_attended(actor, attendee, attendee.pk in present, meeting.program_id)
    return updated


def _set_attended(actor: Any, attendee: MeetingAttendee, value: bool, program_id: int) -> None:
    if attendee.attended == value:
        return
    before = audit.snapshot(attendee)
    updated = update_versioned(attendee, None, actor, attended=value)
    _record(actor, "update", updated, before, audit.snapshot(updated), program_id)


# -- attendees ------------------------------------------------------------------------------


def _invite(actor: Any, meeting: Meeting, guest: Guest, tell: bool = True) -> MeetingAttendee:
    errors: dict[str, list[str]] = {}
    name, email = guest.name.strip(), guest.email.strip().lower()
    if guest.user is not None:
        _check_member(meeting.program, guest.user, "user")
        if meeting.attendees.filter(user=guest.user).exists():
            errors["user"] = [f"{guest.user} is already invited."]
    else:
        if not name:
            errors["name"] = ["Give the name of the person to invite."]
        try:
            EmailValidator()(email)
        except ValidationError:
            errors["email"] = ["Give an e-mail address to send the invitation to."]
        if email and meeting.attendees.filter(user__isnull=True, email=email).exists():
            errors["email"] = [f"{email} is already invited."]
    if errors:
        raise ValidationFailed(errors)
    attendee = MeetingAttendee(
        meeting=meeting,
        user=guest.user,
        name="" if guest.user else name,
        email="" if guest.user else email,
        required=guest.required,
        created_by=actor,
        updated_by=actor,
    )
    attendee.save()
    _record(actor, "create", attendee, None, audit.snapshot(attendee), meeting.program_id)
    if tell and guest.user is not None and meeting.status == MeetingStatus.PLANNED:
        _tell(actor, guest.user, meeting, f"Invitation: {meeting.title}", _when(meeting))
    return attendee


def _when(meeting: Meeting) -> str:
    when = timezone.localtime(meeting.starts_at)
    place = meeting.location or meeting.online_link
    role = MeetingKind(meeting.kind).label
    return f"{role} on {when:%Y-%m-%d at %H:%M}{' — ' + place if place else ''}."


def _tell(
    actor: Any, user: Any, meeting: Meeting, title: str, body: str, category: str = "updates"
) -> None:
    if user is None or (actor is not None and user.pk == getattr(actor, "pk", None)):
        return
    notify(
        user=user,
        title=title,
        body=body,
        url=meeting_url(meeting),
        program=meeting.program,
        category=category,
    )


def _tell_attendees(actor: Any, meeting: Meeting, title: str, body: str) -> None:
    for attendee in meeting.attendees.filter(user__isnull=False).select_related("user"):
        _tell(actor, attendee.user, meeting, title, body)


@transaction.atomic
def add_attendee(*, actor: User | None, meeting: Meeting, guest: Guest) -> MeetingAttendee:
    """Invite one more person (a member is notified)."""
    _require_change(actor, meeting)
    _require_not_cancelled(meeting)
    return _invite(actor, meeting, guest)


@transaction.atomic
def update_attendee(
    *,
    actor: User | None,
    attendee: MeetingAttendee,
    expected_version: int | None = None,
    required: bool | None = None,
    attended: bool | None = None,
) -> MeetingAttendee:
    meeting = _fresh(attendee)
    _require_change(actor, meeting)
    changes: dict[str, Any] = {}
    if required is not None:
        changes["required"] = required
    if attended is not None:
        if meeting.status != MeetingStatus.HELD:
            raise ValidationFailed(
                {"attended": ["Attendance is recorded once the meeting is held."]}
            )
        changes["attended"] = attended
    before = audit.snapshot(attendee)
    updated = update_versioned(attendee, expected_version, actor, **changes)
    _record(
        actor,
        "update",
        updated,
        before,
        audit.snapshot(updated),
        meeting.program_id,
        _note(meeting),
    )
    return updated


@transaction.atomic
def remove_attendee(*, actor: User | None, attendee: MeetingAttendee) -> None:
    meeting = _fresh(attendee)
    _require_change(actor, meeting)
    if attendee.user_id is not None and attendee.user_id == meeting.organizer_id:
        raise ValidationFailed({"user": ["The organizer stays invited."]})
    _record(
        actor,
        "delete",
        attendee,
        audit.snapshot(attendee),
        None,
        meeting.program_id,
        _note(meeting),
    )
    attendee.delete()


# -- agenda ---------------------------------------------------------------------------------


def _next_position(meeting: Meeting) -> int:
    last = meeting.agenda_items.aggregate(n=Max("position"))["n"]
    return (last or 0) + 1


@transaction.atomic
def add_agenda_item(
    *,
    actor: User | None,
    meeting: Meeting,
    title: str,
    presenter: User | None = None,
    notes: str = "",
    link_type: str = "",
    link_id: int | None = None,
    position: int | None = None,
) -> AgendaItem:
    """Add an item to the agenda, optionally linked to a risk, issue, change request,
    gate review or feedback item of the meeting's program."""
    _require_change(actor, meeting)
    _require_not_cancelled(meeting)
    title = (title or "").strip()
    if not title:
        raise ValidationFailed({"title": ["An agenda item needs a title."]})
    if len(title) > 200:
        raise ValidationFailed({"title": ["At most 200 characters."]})
    _check_member(meeting.program, presenter, "presenter")
    links = resolve_link(actor, meeting.program, link_type, link_id)
    item = AgendaItem(
        meeting=meeting,
        title=title,
        presenter=presenter,
        notes=notes,
        position=position if position is not None else _next_position(meeting),
        created_by=actor,
        updated_by=actor,
        **links,
    )
    item.save()
    _record(actor, "create", item, None, audit.snapshot(item), meeting.program_id, _note(meeting))
    return item


def _chain(obj: M) -> list[M]:
    """Every copy of a carried item: its origins and the copies made of it."""
    model = type(obj)
    items = [obj]
    current: Any = obj
    while current.carried_from_id is not None:
        current = model._default_manager.get(pk=current.carried_from_id)
        items.append(current)
    current = obj
    while True:
        later = model._default_manager.filter(carried_from=current).first()
        if later is None:
            break
        items.append(later)
        current = later
    return items


def _set_chain_status(
    actor: Any, obj: AgendaItem | ActionItem, status: str, extra: dict[str, Any]
) -> None:
    """Give the other copies of ``obj`` the same status (carry-over stops with it)."""
    for other in _chain(obj)[1:]:
        if other.status == status:
            continue
        before = audit.snapshot(other)
        updated = update_versioned(other, None, actor, status=status, **extra)
        program_id = updated.meeting.program_id
        _record(
            actor,
            "update",
            updated,
            before,
            audit.snapshot(updated),
            program_id,
            f"{status} with its carried copy",
        )


@transaction.atomic
def update_agenda_item(
    *,
    actor: User | None,
    item: AgendaItem,
    expected_version: int | None = None,
    link_type: str | None = None,
    link_id: int | None = None,
    **changes: Any,
) -> AgendaItem:
    """Change an item's title, presenter, minutes (notes, outcome), position, link or
    status. Closing an item closes its carried copies too: it is not carried again."""
    meeting = _fresh(item)
    _require_change(actor, meeting)
    _refuse_unknown(changes, ITEM_FIELDS)
    if "title" in changes:
        changes["title"] = str(changes["title"] or "").strip()
        if not changes["title"]:
            raise ValidationFailed({"title": ["An agenda item needs a title."]})
    if "status" in changes and changes["status"] not in ItemStatus.values:
        raise ValidationFailed({"status": [f"Use one of {', '.join(ItemStatus.values)}."]})
    if "presenter" in changes:
        _check_member(meeting.program, changes["presenter"], "presenter")
    if link_type is not None:
        changes.update(resolve_link(actor, meeting.program, link_type, link_id))
    before = audit.snapshot(item)
    updated = update_versioned(item, expected_version, actor, **changes)
    _record(
        actor,
        "update",
        updated,
        before,
        audit.snapshot(updated),
        meeting.program_id,
        _note(meeting),
    )
    if "status" in changes and changes["status"] != before["status"]:
        _set_chain_status(actor, updated, changes["status"], {})
    return updated


@transaction.atomic
def remove_agenda_item(*, actor: User | None, item: AgendaItem) -> None:
    meeting = _fresh(item)
    _require_change(actor, meeting)
    _record(actor, "delete", item, audit.snapshot(item), None, meeting.program_id, _note(meeting))
    item.delete()


# Board agenda sections → the link kind of the page each entry points to.
_AGENDA_URLS = {
    "governance:review": "gate_review",
    "changes:detail": "change_request",
    "risks:risk": "risk",
    "risks:issue": "issue",
}


@transaction.atomic
def prefill_board_agenda(*, actor: User | None, meeting: Meeting) -> list[AgendaItem]:
    """Add what waits for the board (:func:`podium.governance.agenda.board_agenda`: open
    gate reviews, change requests awaiting a decision, escalated risks and issues, open
    conditions) as linked agenda items; entries already on the agenda are skipped."""
    _require_change(actor, meeting)
    _require_not_cancelled(meeting)
    if meeting.kind != MeetingKind.BOARD:
        raise ValidationFailed({"kind": ["Only a board meeting takes the board's agenda."]})
    agenda = board_agenda(meeting.program, timezone.localdate())
    existing = {(i.title, _link_key(i)) for i in meeting.agenda_items.all()}
    created = []
    for _key, _section, entries in agenda.sections:
        for entry in entries:
            match = resolve(entry.url)
            link_type = _AGENDA_URLS.get(f"{match.namespace}:{match.url_name}", "")
            link_id = int(match.kwargs["pk"]) if link_type else None
            title = entry.title[:200]
            if (title, (link_type, link_id)) in existing:
                continue
            created.append(
                add_agenda_item(
                    actor=actor,
                    meeting=meeting,
                    title=title,
                    notes=entry.detail,
                    link_type=link_type,
                    link_id=link_id,
                )
            )
            existing.add((title, (link_type, link_id)))
    return created


def _link_key(item: AgendaItem) -> tuple[str, int | None]:
    for key in LINK_KINDS:
        value = getattr(item, f"{key}_id")
        if value is not None:
            return key, value
    return "", None


# -- decisions ------------------------------------------------------------------------------


@transaction.atomic
def record_meeting_decision(
    *,
    actor: User | None,
    meeting: Meeting,
    outcome: str,
    rationale: str,
    agenda_item: AgendaItem | None = None,
) -> MeetingDecision:
    """Record a decision taken in the meeting in the program's decision log (its subject
    is the meeting)."""
    if actor is not None:
        require(
            access.can_record_decision(actor, meeting),
            f"You may not record decisions of “{meeting.title}”.",
        )
    _require_not_cancelled(meeting)
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationFailed({"agenda_item": ["That item is on another meeting's agenda."]})
    text = (rationale or "").strip()
    if agenda_item is not None and text:
        text = f"Agenda item “{agenda_item.title}”: {text}"
    day = timezone.localtime(meeting.starts_at)
    decision = record_decision(
        actor=actor,
        program=meeting.program,
        kind=DecisionKind.OTHER,
        outcome=outcome,
        rationale=text,
        subject=meeting,
        subject_label=f"{MeetingKind(meeting.kind).label} “{meeting.title}” of {day:%Y-%m-%d}",
    )
    link = MeetingDecision.objects.create(
        meeting=meeting, decision=decision, agenda_item=agenda_item
    )
    _record(actor, "create", link, None, audit.snapshot(link), meeting.program_id)
    return link


# -- actions --------------------------------------------------------------------------------


def _check_action(meeting: Meeting, data: dict[str, Any]) -> None:
    if "title" in data:
        data["title"] = str(data["title"] or "").strip()
        if not data["title"]:
            raise ValidationFailed({"title": ["An action needs a title."]})
        if len(data["title"]) > 200:
            raise ValidationFailed({"title": ["At most 200 characters."]})
    if "owner" in data:
        if data["owner"] is None:
            raise ValidationFailed({"owner": ["An action needs an owner."]})
        _check_member(meeting.program, data["owner"], "owner")
    if "status" in data and data["status"] not in ActionStatus.values:
        raise ValidationFailed({"status": [f"Use one of {', '.join(ActionStatus.values)}."]})
    if data.get("due_date") is not None and not isinstance(data["due_date"], dt.date):
        raise ValidationFailed({"due_date": ["Give a date."]})


def _assigned(actor: Any, action: ActionItem) -> None:
    due = f" Due {action.due_date:%Y-%m-%d}." if action.due_date else ""
    _tell(
        actor,
        action.owner,
        action.meeting,
        f"Action for you: {action.title}",
        f"From “{action.meeting.title}”.{due}",
        category="assignments",
    )


@transaction.atomic
def add_action(
    *,
    actor: User | None,
    meeting: Meeting,
    title: str,
    owner: User | None,
    due_date: dt.date | None = None,
) -> ActionItem:
    """Agree an action: its owner (a program member) is notified."""
    _require_change(actor, meeting)
    _require_not_cancelled(meeting)
    data: dict[str, Any] = {"title": title, "owner": owner, "due_date": due_date}
    _check_action(meeting, data)
    action = ActionItem(meeting=meeting, created_by=actor, updated_by=actor, **data)
    action.save()
    _record(
        actor, "create", action, None, audit.snapshot(action), meeting.program_id, _note(meeting)
    )
    _assigned(actor, action)
    return action


@transaction.atomic
def update_action(
    *,
    actor: User | None,
    action: ActionItem,
    expected_version: int | None = None,
    **changes: Any,
) -> ActionItem:
    """Change an action. Its owner, the organizer and the program manager mark it done or
    open again (done closes its carried copies too); the rest is the meeting's content."""
    meeting = _fresh(action)
    _refuse_unknown(changes, ACTION_FIELDS)
    if set(changes) - {"status"}:
        _require_change(actor, meeting)
    elif actor is not None:
        require(access.can_update_action(actor, action), f"You may not update “{action.title}”.")
    _check_action(meeting, changes)
    if "status" in changes:
        changes["done_at"] = timezone.now() if changes["status"] == ActionStatus.DONE else None
    if "due_date" in changes and changes["due_date"] != action.due_date:
        changes["overdue_notified_at"] = None  # a new date may become overdue again
    before = audit.snapshot(action)
    updated = update_versioned(action, expected_version, actor, **changes)
    _record(actor, "update", updated, before, audit.snapshot(updated), meeting.program_id)
    if "owner" in changes and updated.owner_id != action.owner_id:
        _assigned(actor, updated)
    if "status" in changes and changes["status"] != before["status"]:
        _set_chain_status(actor, updated, changes["status"], {"done_at": changes["done_at"]})
    return updated


@transaction.atomic
def remove_action(*, actor: User | None, action: ActionItem) -> None:
    meeting = _fresh(action)
    _require_change(actor, meeting)
    _record(
        actor, "delete", action, audit.snapshot(action), None, meeting.program_id, _note(meeting)
    )
    action.delete()


# -- the next meeting -----------------------------------------------------------------------


@transaction.atomic
def plan_next_meeting(
    *,
    actor: User | None,
    meeting: Meeting,
    starts_at: dt.datetime | None = None,
    title: str = "",
) -> Meeting:
    """Plan the meeting after ``meeting`` (one week later for coordination, four weeks
    for the board, unless ``starts_at``), inviting the same people and carrying over every
    open agenda item and open action."""
    if actor is not None:
        require(
            access.can_change(actor, meeting)
            and access.can_plan(actor, meeting.program, meeting.kind),
            f"You may not plan the meeting after “{meeting.title}”.",
        )
    if Meeting.objects.filter(previous=meeting).exists():
        raise TransitionRefused(f"The meeting after “{meeting.title}” is already planned.")
    nxt = _create_meeting(
        actor,
        program=meeting.program,
        kind=meeting.kind,
        title=title.strip() or meeting.title,
        starts_at=starts_at or meeting.starts_at + NEXT_AFTER[meeting.kind],
        duration=meeting.duration,
        location=meeting.location,
        online_link=meeting.online_link,
        description=meeting.description,
        organizer=meeting.organizer or actor,
        guests=(),
        previous=meeting,
    )
    for attendee in meeting.attendees.select_related("user"):
        if attendee.user_id is not None and (
            attendee.user_id == nxt.organizer_id
            or not meeting.program.memberships.filter(user_id=attendee.user_id).exists()
        ):
            continue  # the organizer is invited already; someone who left is not
        guest = Guest(
            user=attendee.user, name=attendee.name, email=attendee.email, required=attendee.required
        )
        _invite(actor, nxt, guest)
    open_items = meeting.agenda_items.filter(status=ItemStatus.OPEN, carried_to__isnull=True)
    for position, item in enumerate(open_items.order_by("position", "id"), start=1):
        copy = AgendaItem(
            meeting=nxt,
            position=position,
            title=item.title,
            presenter=item.presenter,
            status=ItemStatus.OPEN,
            carried_from=item,
            carry_count=item.carry_count + 1,
            created_by=actor,
            updated_by=actor,
            **{key: getattr(item, key) for key in LINK_KINDS},
        )
        copy.save()
        _record(
            actor, "create", copy, None, audit.snapshot(copy), meeting.program_id, "carried over"
        )
    open_actions = meeting.actions.filter(status=ActionStatus.OPEN, carried_to__isnull=True)
    for action in open_actions.order_by("due_date", "id"):
        copy_action = ActionItem(
            meeting=nxt,
            title=action.title,
            owner=action.owner,
            due_date=action.due_date,
            carried_from=action,
            carry_count=action.carry_count + 1,
            overdue_notified_at=action.overdue_notified_at,
            created_by=actor,
            updated_by=actor,
        )
        copy_action.save()
        _record(
            actor,
            "create",
            copy_action,
            None,
            audit.snapshot(copy_action),
            meeting.program_id,
            "carried over",
        )
    return Meeting.objects.select_related("program", "organizer", "previous").get(pk=nxt.pk)


# -- overdue actions ------------------------------------------------------------------------


def notify_overdue_actions(today: dt.date | None = None) -> int:
    """Tell each owner of an open action past its due date, once per action (a carried
    copy is the same action). Returns how many were told."""
    today = today or timezone.localdate()
    due = (
        ActionItem.objects.filter(
            carried_to__isnull=True,
            status=ActionStatus.OPEN,
            due_date__lt=today,
            overdue_notified_at__isnull=True,
            owner__isnull=False,
        )
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .select_related("meeting", "meeting__program", "owner")
        .order_by("id")
    )
    told = 0
    for action in due:
        with transaction.atomic():
            claimed = ActionItem.objects.filter(
                pk=action.pk, overdue_notified_at__isnull=True
            ).update(overdue_notified_at=timezone.now())
            if not claimed:
                continue
            sent = notify(
                user=action.owner,
                title=f"Overdue action: {action.title}",
                body=f"Due {action.due_date:%Y-%m-%d}, from “{action.meeting.title}”.",
                url=meeting_url(action.meeting),
                program=action.meeting.program,
                category="overdue",
            )
            told += sent is not None
    return told


@job_handler("meetings.overdue_actions")
def overdue_actions_job(ctx: JobContext | None = None) -> dict[str, int]:
    """Background job: tell owners about their overdue meeting actions."""
    return {"notified": notify_overdue_actions()}
