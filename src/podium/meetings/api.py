"""API of meetings: a program's meetings, planning and changing them, attendees, agenda
items (with links), holding a meeting (minutes and attendance), decisions into the
decision log, action items, planning the next meeting (carry-over) and the invitation.

A meeting the caller may not see answers 404; a change they may not make 403; a stale
``If-Match`` 412.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from podium.accounts.models import User
from podium.core.api import WRITE_ERRORS, ErrorOut, Pages, expected_version, set_etag
from podium.core.errors import ValidationFailed
from podium.core.views import AuthedRequest
from podium.meetings import ical, selectors, services
from podium.meetings.links import link_view
from podium.meetings.models import AgendaItem, Meeting
from podium.meetings.schemas import (
    AgendaItemIn,
    AgendaItemOut,
    AgendaItemPatch,
    AttendeeIn,
    AttendeeOut,
    AttendeePatch,
    MeetingActionIn,
    MeetingActionOut,
    MeetingActionPatch,
    MeetingDecisionIn,
    MeetingDecisionOut,
    MeetingHoldIn,
    MeetingIn,
    MeetingOut,
    MeetingPatch,
    MeetingSummaryOut,
    NextIn,
)
from podium.programs.models import Program

__all__ = ["router"]

router = Router(tags=["meetings"])

ERRORS = WRITE_ERRORS
READ_ERRORS: dict[int, type[Schema]] = {404: ErrorOut}


def _member(program: Program, username: str | None, field: str) -> User | None:
    if not username:
        return None
    user = User.objects.filter(
        username=username, is_active=True, memberships__program=program
    ).first()
    if user is None:
        raise ValidationFailed({field: [f"{program.code} has no member {username!r}."]})
    return user


def _guest(program: Program, data: Any) -> services.Guest:
    user = _member(program, data.user, "user") if data.user else None
    return services.Guest(user=user, name=data.name, email=data.email, required=data.required)


def _meeting(request: AuthedRequest, pk: int, response: HttpResponse | None = None) -> Meeting:
    meeting = selectors.decorate(request.user, selectors.get_meeting_for(request.user, pk))
    if response is not None:
        set_etag(response, meeting)
    return meeting


# -- meetings -------------------------------------------------------------------------------


@router.get("/programs/{code}/meetings", response=list[MeetingSummaryOut])
@paginate(Pages, page_size=50)
def list_meetings(request: AuthedRequest, code: str, kind: str = "", status: str = "") -> Any:
    """Upcoming meetings first (soonest first), then past ones (latest first)."""
    program = selectors.meetings_program(request.user, code)
    return selectors.meeting_list(request.user, program, kind=kind, status=status)


@router.post("/programs/{code}/meetings", response={201: MeetingOut, **ERRORS})
def plan_meeting(
    request: AuthedRequest, code: str, payload: MeetingIn, response: HttpResponse
) -> Any:
    program = selectors.meetings_program(request.user, code)
    meeting = services.plan_meeting(
        actor=request.user,
        program=program,
        kind=payload.kind,
        title=payload.title,
        starts_at=payload.starts_at,
        duration=payload.duration,
        location=payload.location,
        online_link=payload.online_link,
        description=payload.description,
        guests=[_guest(program, g) for g in payload.attendees],
    )
    return Status(201, _meeting(request, meeting.pk, response))


@router.get("/meetings/{meeting_id}", response={200: MeetingOut, **READ_ERRORS})
def get_meeting(request: AuthedRequest, meeting_id: int, response: HttpResponse) -> Any:
    return _meeting(request, meeting_id, response)


@router.patch("/meetings/{meeting_id}", response={200: MeetingOut, **ERRORS})
def update_meeting(
    request: AuthedRequest, meeting_id: int, payload: MeetingPatch, response: HttpResponse
) -> Any:
    meeting = selectors.get_meeting_for(request.user, meeting_id)
    data = payload.dict(exclude_unset=True)
    version = expected_version(request, data.pop("version", None))
    services.update_meeting(actor=request.user, meeting=meeting, expected_version=version, **data)
    return _meeting(request, meeting_id, response)


@router.delete("/meetings/{meeting_id}", response={204: None, **ERRORS})
def delete_meeting(request: AuthedRequest, meeting_id: int) -> Any:
    meeting = selectors.get_meeting_for(request.user, meeting_id)
    services.delete_meeting(actor=request.user, meeting=meeting)
    return Status(204, None)


@router.post("/meetings/{meeting_id}/cancel", response={200: MeetingOut, **ERRORS})
def cancel_meeting(request: AuthedRequest, meeting_id: int, response: HttpResponse) -> Any:
    meeting = selectors.get_meeting_for(request.user, meeting_id)
    services.cancel_meeting(
        actor=request.user, meeting=meeting, expected_version=expected_version(request)
    )
    return _meeting(request, meeting_id, response)


@router.post("/meetings/{meeting_id}/hold", response={200: MeetingOut, **ERRORS})
def hold_meeting(
    request: AuthedRequest, meeting_id: int, payload: MeetingHoldIn, response: HttpResponse
) -> Any:
    """Record the meeting as held: its minutes and who attended."""
    meeting = selectors.get_meeting_for(request.user, meeting_id)
    services.hold_meeting(
        actor=request.user,
        meeting=meeting,
        minutes=payload.minutes,
        attended=payload.attended,
        expected_version=expected_version(request, payload.version),
    )
    return _meeting(request, meeting_id, response)


@router.post("/meetings/{meeting_id}/next", response={201: MeetingOut, **ERRORS})
def plan_next_meeting(
    request: AuthedRequest, meeting_id: int, payload: NextIn, response: HttpResponse
) -> Any:
    """Plan the next meeting, carrying over open agenda items and open actions."""
    meeting = selectors.get_meeting_for(request.user, meeting_id)
    nxt = services.plan_next_meeting(
        actor=request.user, meeting=meeting, starts_at=payload.starts_at, title=payload.title
    )
    return Status(201, _meeting(request, nxt.pk, response))


@router.get("/meetings/{meeting_id}/invite.ics", response={200: None, **READ_ERRORS})
def meeting_invitation(request: AuthedRequest, meeting_id: int) -> Any:
    """The invitation as iCalendar (METHOD:REQUEST)."""
    meeting = selectors.get_meeting_for(request.user, meeting_id)
    return ical.invitation_response(meeting, request.user)


# -- attendees ------------------------------------------------------------------------------


@router.get("/meetings/{meeting_id}/attendees", response={200: list[AttendeeOut], **READ_ERRORS})
def list_attendees(request: AuthedRequest, meeting_id: int) -> Any:
    return list(selectors.get_meeting_for(request.user, meeting_id).attendees.all())


@router.post("/meetings/{meeting_id}/attendees", response={201: AttendeeOut, **ERRORS})
def add_attendee(request: AuthedRequest, meeting_id: int, payload: AttendeeIn) -> Any:
    meeting = selectors.get_meeting_for(request.user, meeting_id)
    attendee = services.add_attendee(
        actor=request.user, meeting=meeting, guest=_guest(meeting.program, payload)
    )
    return Status(201, attendee)


@router.patch("/meeting-attendees/{attendee_id}", response={200: AttendeeOut, **ERRORS})
def update_attendee(
    request: AuthedRequest, attendee_id: int, payload: AttendeePatch, response: HttpResponse
) -> Any:
    attendee = selectors.get_attendee_for(request.user, attendee_id)
    data = payload.dict(exclude_unset=True)
    updated = services.update_attendee(
        actor=request.user,
        attendee=attendee,
        expected_version=expected_version(request, data.pop("version", None)),
        **data,
    )
    set_etag(response, updated)
    return updated


@router.delete("/meeting-attendees/{attendee_id}", response={204: None, **ERRORS})
def remove_attendee(request: AuthedRequest, attendee_id: int) -> Any:
    attendee = selectors.get_attendee_for(request.user, attendee_id)
    services.remove_attendee(actor=request.user, attendee=attendee)
    return Status(204, None)


# -- agenda ---------------------------------------------------------------------------------


def _item_out(request: AuthedRequest, item: AgendaItem, response: HttpResponse) -> AgendaItem:
    item = selectors.get_agenda_item_for(request.user, item.pk)
    item.link = link_view(request.user, item)  # type: ignore[attr-defined]
    set_etag(response, item)
    return item


@router.get("/meetings/{meeting_id}/agenda", response={200: list[AgendaItemOut], **READ_ERRORS})
def list_agenda(request: AuthedRequest, meeting_id: int) -> Any:
    return list(_meeting(request, meeting_id).agenda_items.all())


@router.post("/meetings/{meeting_id}/agenda", response={201: AgendaItemOut, **ERRORS})
def add_agenda_item(
    request: AuthedRequest, meeting_id: int, payload: AgendaItemIn, response: HttpResponse
) -> Any:
    meeting = selectors.get_meeting_for(request.user, meeting_id)
    item = services.add_agenda_item(
        actor=request.user,
        meeting=meeting,
        title=payload.title,
        presenter=_member(meeting.program, payload.presenter, "presenter"),
        notes=payload.notes,
        link_type=payload.link_type,
        link_id=payload.link_id,
        position=payload.position,
    )
    return Status(201, _item_out(request, item, response))


@router.post("/meetings/{meeting_id}/agenda/prefill", response={201: list[AgendaItemOut], **ERRORS})
def prefill_board_agenda(request: AuthedRequest, meeting_id: int) -> Any:
    """Add what waits for the board (open gate reviews, change requests awaiting a
    decision, escalated risks and issues, open conditions) as linked agenda items."""
    meeting = selectors.get_meeting_for(request.user, meeting_id)
    created = services.prefill_board_agenda(actor=request.user, meeting=meeting)
    ids = {item.pk for item in created}
    items = [i for i in _meeting(request, meeting_id).agenda_items.all() if i.pk in ids]
    return Status(201, items)


@router.patch("/agenda-items/{item_id}", response={200: AgendaItemOut, **ERRORS})
def update_agenda_item(
    request: AuthedRequest, item_id: int, payload: AgendaItemPatch, response: HttpResponse
) -> Any:
    item = selectors.get_agenda_item_for(request.user, item_id)
    data = payload.dict(exclude_unset=True)
    version = expected_version(request, data.pop("version", None))
    if "presenter" in data:
        data["presenter"] = _member(item.meeting.program, data["presenter"], "presenter")
    if "link_type" in data or "link_id" in data:
        data["link_type"] = data.get("link_type") or ""
        data.setdefault("link_id", None)
    updated = services.update_agenda_item(
        actor=request.user, item=item, expected_version=version, **data
    )
    return _item_out(request, updated, response)


@router.delete("/agenda-items/{item_id}", response={204: None, **ERRORS})
def remove_agenda_item(request: AuthedRequest, item_id: int) -> Any:
    item = selectors.get_agenda_item_for(request.user, item_id)
    services.remove_agenda_item(actor=request.user, item=item)
    return Status(204, None)


# -- decisions ------------------------------------------------------------------------------


@router.get(
    "/meetings/{meeting_id}/decisions", response={200: list[MeetingDecisionOut], **READ_ERRORS}
)
def list_meeting_decisions(request: AuthedRequest, meeting_id: int) -> Any:
    return list(_meeting(request, meeting_id).decisions.all())


@router.post("/meetings/{meeting_id}/decisions", response={201: MeetingDecisionOut, **ERRORS})
def record_meeting_decision(
    request: AuthedRequest, meeting_id: int, payload: MeetingDecisionIn
) -> Any:
    """Record a decision taken in the meeting; it goes into the program's decision log."""
    meeting = selectors.get_meeting_for(request.user, meeting_id)
    item = None
    if payload.agenda_item is not None:
        item = meeting.agenda_items.filter(pk=payload.agenda_item).first()
        if item is None:
            raise ValidationFailed({"agenda_item": ["Not an item of this meeting's agenda."]})
    link = services.record_meeting_decision(
        actor=request.user,
        meeting=meeting,
        outcome=payload.outcome,
        rationale=payload.rationale,
        agenda_item=item,
    )
    rows = _meeting(request, meeting_id).decisions.all()
    return Status(201, next(r for r in rows if r.pk == link.pk))


# -- actions --------------------------------------------------------------------------------


@router.get("/programs/{code}/meeting-actions", response=list[MeetingActionOut])
@paginate(Pages, page_size=50)
def list_program_actions(
    request: AuthedRequest, code: str, status: str = "", mine: bool = False
) -> Any:
    """Current actions of the meetings you may see (``mine``: yours only)."""
    program = selectors.meetings_program(request.user, code)
    return selectors.action_list(
        request.user, program, status=status, owner=request.user.pk if mine else None
    )


@router.get("/meetings/{meeting_id}/actions", response={200: list[MeetingActionOut], **READ_ERRORS})
def list_actions(request: AuthedRequest, meeting_id: int) -> Any:
    return list(selectors.get_meeting_for(request.user, meeting_id).actions.all())


@router.post("/meetings/{meeting_id}/actions", response={201: MeetingActionOut, **ERRORS})
def add_action(request: AuthedRequest, meeting_id: int, payload: MeetingActionIn) -> Any:
    meeting = selectors.get_meeting_for(request.user, meeting_id)
    action = services.add_action(
        actor=request.user,
        meeting=meeting,
        title=payload.title,
        owner=_member(meeting.program, payload.owner, "owner"),
        due_date=payload.due_date,
    )
    return Status(201, action)


@router.patch("/meeting-actions/{action_id}", response={200: MeetingActionOut, **ERRORS})
def update_action(
    request: AuthedRequest, action_id: int, payload: MeetingActionPatch, response: HttpResponse
) -> Any:
    action = selectors.get_action_for(request.user, action_id)
    data = payload.dict(exclude_unset=True)
    version = expected_version(request, data.pop("version", None))
    if "owner" in data:
        data["owner"] = _member(action.meeting.program, data["owner"], "owner")
    updated = services.update_action(
        actor=request.user, action=action, expected_version=version, **data
    )
    set_etag(response, updated)
    return updated


@router.delete("/meeting-actions/{action_id}", response={204: None, **ERRORS})
def remove_action(request: AuthedRequest, action_id: int) -> Any:
    action = selectors.get_action_for(request.user, action_id)
    services.remove_action(actor=request.user, action=action)
    return Status(204, None)
