"""API shapes of meetings, attendees, agenda items, decisions and actions. Programs are
codes, people usernames; a linked object is shown as its reader may see it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema
from typing_extensions import TypeAliasType

from podium.governance.models import DecisionOutcome
from podium.meetings.models import ActionStatus, ItemStatus, MeetingKind, MeetingStatus

# The OpenAPI document files a choice list under its class name, and several apps have a
# "Category" or an "ActionStatus": the document knows this app's under these names.
MeetingActionStatus = TypeAliasType("MeetingActionStatus", ActionStatus)

__all__ = [
    "AgendaItemIn",
    "AgendaItemOut",
    "AgendaItemPatch",
    "AttendeeIn",
    "AttendeeOut",
    "AttendeePatch",
    "LinkOut",
    "MeetingActionIn",
    "MeetingActionOut",
    "MeetingActionPatch",
    "MeetingDecisionIn",
    "MeetingDecisionOut",
    "MeetingHoldIn",
    "MeetingIn",
    "MeetingOut",
    "MeetingPatch",
    "MeetingSummaryOut",
    "NextIn",
]


def _username(user: Any) -> str | None:
    return user.username if user is not None else None


class LinkOut(Schema):
    kind: str
    text: str = Field(description='"restricted item" when you may not see the object')
    url: str
    restricted: bool


class AttendeeOut(Schema):
    id: int
    user: str | None
    name: str
    email: str
    required: bool
    attended: bool | None
    version: int

    @staticmethod
    def resolve_user(obj: Any) -> str | None:
        return _username(obj.user)

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.display_name)


class AgendaItemOut(Schema):
    id: int
    position: int
    title: str
    presenter: str | None
    notes: str
    outcome: str
    status: ItemStatus
    link: LinkOut | None = None
    carried_from: int | None
    carry_count: int
    version: int

    @staticmethod
    def resolve_presenter(obj: Any) -> str | None:
        return _username(obj.presenter)

    @staticmethod
    def resolve_carried_from(obj: Any) -> int | None:
        return obj.carried_from_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_link(obj: Any) -> Any:
        return getattr(obj, "link", None)


class MeetingActionOut(Schema):
    id: int
    meeting: int
    title: str
    owner: str | None
    due_date: dt.date | None
    status: MeetingActionStatus
    carried_from: int | None
    carry_count: int
    version: int

    @staticmethod
    def resolve_meeting(obj: Any) -> int:
        return obj.meeting_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_owner(obj: Any) -> str | None:
        return _username(obj.owner)

    @staticmethod
    def resolve_carried_from(obj: Any) -> int | None:
        return obj.carried_from_id  # type: ignore[no-any-return]


class MeetingDecisionOut(Schema):
    number: int
    outcome: DecisionOutcome
    rationale: str
    decided_by: str | None
    decided_at: dt.datetime
    agenda_item: int | None
    url: str = Field(description="the decision in the governance log ('' if you may not read it)")

    @staticmethod
    def resolve_number(obj: Any) -> int:
        return obj.decision.number  # type: ignore[no-any-return]

    @staticmethod
    def resolve_outcome(obj: Any) -> str:
        return obj.decision.outcome  # type: ignore[no-any-return]

    @staticmethod
    def resolve_rationale(obj: Any) -> str:
        return obj.decision.rationale  # type: ignore[no-any-return]

    @staticmethod
    def resolve_decided_by(obj: Any) -> str | None:
        return _username(obj.decision.decided_by)

    @staticmethod
    def resolve_decided_at(obj: Any) -> dt.datetime:
        return obj.decision.decided_at  # type: ignore[no-any-return]

    @staticmethod
    def resolve_agenda_item(obj: Any) -> int | None:
        return obj.agenda_item_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return str(getattr(obj, "url", ""))


class MeetingSummaryOut(Schema):
    id: int
    program: str
    kind: MeetingKind
    title: str
    starts_at: dt.datetime
    duration: int
    location: str
    online_link: str
    status: MeetingStatus
    organizer: str | None
    previous: int | None
    sequence: int
    version: int

    @staticmethod
    def resolve_program(obj: Any) -> str:
        return str(obj.program.code)

    @staticmethod
    def resolve_organizer(obj: Any) -> str | None:
        return _username(obj.organizer)

    @staticmethod
    def resolve_previous(obj: Any) -> int | None:
        return obj.previous_id  # type: ignore[no-any-return]


class MeetingOut(MeetingSummaryOut):
    description: str
    minutes: str
    held_at: dt.datetime | None
    attendees: list[AttendeeOut]
    agenda: list[AgendaItemOut]
    decisions: list[MeetingDecisionOut]
    actions: list[MeetingActionOut]

    @staticmethod
    def resolve_attendees(obj: Any) -> list[Any]:
        return list(obj.attendees.all())

    @staticmethod
    def resolve_agenda(obj: Any) -> list[Any]:
        return list(obj.agenda_items.all())

    @staticmethod
    def resolve_decisions(obj: Any) -> list[Any]:
        return list(obj.decisions.all())

    @staticmethod
    def resolve_actions(obj: Any) -> list[Any]:
        return list(obj.actions.all())


class GuestIn(Schema):
    user: str | None = Field(None, description="username of a program member")
    name: str = Field("", description="someone without an account: their name")
    email: str = Field("", description="… and e-mail address")
    required: bool = True


AttendeeIn = GuestIn


class AttendeePatch(Schema):
    required: bool | None = None
    attended: bool | None = None
    version: int | None = None


class MeetingIn(Schema):
    kind: MeetingKind
    title: str
    starts_at: dt.datetime
    duration: int = 60
    location: str = ""
    online_link: str = ""
    description: str = ""
    attendees: list[GuestIn] = []


class MeetingPatch(Schema):
    title: str | None = None
    starts_at: dt.datetime | None = None
    duration: int | None = None
    location: str | None = None
    online_link: str | None = None
    description: str | None = None
    minutes: str | None = None
    version: int | None = None


class MeetingHoldIn(Schema):
    minutes: str = ""
    attended: list[int] = Field([], description="ids of the attendees who were there")
    version: int | None = None


class NextIn(Schema):
    starts_at: dt.datetime | None = Field(
        None, description="default: a week (coordination) or four weeks (board) later"
    )
    title: str = ""


class AgendaItemIn(Schema):
    title: str
    presenter: str | None = None
    notes: str = ""
    link_type: str = Field(
        "", description="risk, issue, change_request, gate_review, feedback_item"
    )
    link_id: int | None = None
    position: int | None = None


class AgendaItemPatch(Schema):
    title: str | None = None
    presenter: str | None = None
    notes: str | None = None
    outcome: str | None = None
    status: ItemStatus | None = None
    position: int | None = None
    link_type: str | None = Field(None, description='"" removes the link')
    link_id: int | None = None
    version: int | None = None


class MeetingDecisionIn(Schema):
    outcome: DecisionOutcome = DecisionOutcome.APPROVED
    rationale: str
    agenda_item: int | None = None


class MeetingActionIn(Schema):
    title: str
    owner: str
    due_date: dt.date | None = None


class MeetingActionPatch(Schema):
    title: str | None = None
    owner: str | None = None
    due_date: dt.date | None = None
    status: MeetingActionStatus | None = None
    version: int | None = None
