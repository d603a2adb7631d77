"""API shapes of deliverables, their lifecycle steps and evidence, and transition plans.

People are usernames; the component is its code; the milestone is the schedule
activity's id (with its code, name and wall-clock finish on the way out).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from podium.core.schemas import WallClock
from podium.delivery.models import DeliverableKind, DeliverableStatus
from podium.schedule.wall import to_wall


def _username(user: Any) -> str | None:
    return user.username if user is not None else None


class MilestoneRef(Schema):
    id: int
    code: str
    name: str
    finish: WallClock | None = Field(None, description="scheduled finish, wall-clock time")


class DeliverableOut(Schema):
    id: int
    program: str
    component: str
    code: str
    name: str
    kind: DeliverableKind
    description: str
    acceptance_criteria: str
    milestone: MilestoneRef | None
    accepting_stakeholder: str | None
    status: DeliverableStatus
    in_production_at: dt.datetime | None
    delivered_at: dt.datetime | None
    accepted_at: dt.datetime | None
    rejected_at: dt.datetime | None
    transitioned_at: dt.datetime | None
    acceptance_comment: str
    rejection_reason: str
    version: int

    @staticmethod
    def resolve_program(obj: Any) -> str:
        return str(obj.program.code)

    @staticmethod
    def resolve_component(obj: Any) -> str:
        return str(obj.component.code)

    @staticmethod
    def resolve_accepting_stakeholder(obj: Any) -> str | None:
        return _username(obj.accepting_stakeholder)

    @staticmethod
    def resolve_milestone(obj: Any) -> dict[str, Any] | None:
        m = obj.milestone
        if m is None:
            return None
        return {"id": m.pk, "code": m.code, "name": m.name, "finish": to_wall(m.finish)}


class DeliverableIn(Schema):
    component: str = Field(..., description="component code")
    name: str = Field(..., min_length=1, max_length=200)
    code: str = Field("", max_length=20, description="empty: the next D-nnn")
    kind: DeliverableKind = DeliverableKind.PRODUCT
    description: str = ""
    acceptance_criteria: str = ""
    milestone: int | None = Field(None, description="id of a milestone of the program")
    accepting_stakeholder: str | None = Field(None, description="username")


class DeliverablePatch(Schema):
    component: str | None = None
    name: str | None = Field(None, min_length=1, max_length=200)
    code: str | None = Field(None, min_length=1, max_length=20)
    kind: DeliverableKind | None = None
    description: str | None = None
    acceptance_criteria: str | None = None
    milestone: int | None = None
    accepting_stakeholder: str | None = None
    version: int | None = None


class DeliverableFilter(Schema):
    component: str = Field("", description="component code")
    status: DeliverableStatus | None = None
    stakeholder: str = Field("", description="username of the accepting stakeholder")
    q: str = ""


class StepIn(Schema):
    """A lifecycle step: ``comment`` is optional; ``reason`` is required to reject."""

    comment: str = ""
    reason: str = ""
    version: int | None = None


class BoardColumnOut(Schema):
    status: DeliverableStatus
    label: str
    total: int
    deliverables: list[DeliverableOut]


class BoardOut(Schema):
    total: int
    columns: list[BoardColumnOut]


class EventOut(Schema):
    id: int
    action: str
    from_status: str
    to_status: DeliverableStatus
    actor: str | None
    comment: str
    reason: str
    at: dt.datetime
    evidence: list[int]

    @staticmethod
    def resolve_actor(obj: Any) -> str | None:
        return _username(obj.actor)

    @staticmethod
    def resolve_at(obj: Any) -> dt.datetime:
        return obj.created_at  # type: ignore[no-any-return]

    @staticmethod
    def resolve_evidence(obj: Any) -> list[int]:
        return [e.pk for e in obj.evidence.all()]


class DeliverableEvidenceOut(Schema):
    id: int
    deliverable: int
    title: str
    url: str = Field(..., description="the link, or empty for a file")
    file: str | None = Field(None, description="download path of the file")
    size: int
    content_type: str
    added_by: str | None
    added_at: dt.datetime

    @staticmethod
    def resolve_deliverable(obj: Any) -> int:
        return obj.deliverable_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_file(obj: Any) -> str | None:
        return f"/api/v1/evidence/{obj.pk}/file" if obj.file else None

    @staticmethod
    def resolve_added_by(obj: Any) -> str | None:
        return _username(obj.created_by)

    @staticmethod
    def resolve_added_at(obj: Any) -> dt.datetime:
        return obj.created_at  # type: ignore[no-any-return]


class ItemOut(Schema):
    id: int
    text: str
    order: int
    done: bool
    done_by: str | None
    done_at: dt.datetime | None
    version: int

    @staticmethod
    def resolve_done_by(obj: Any) -> str | None:
        return _username(obj.done_by)


class PlanOut(Schema):
    id: int
    component: str
    receiving_organization: str
    receiving_owner: str | None = Field(None, description="username, when the owner has one")
    receiving_owner_name: str
    handover_date: dt.date | None
    support_until: dt.date | None
    notes: str
    items: list[ItemOut]
    complete: bool
    gaps: list[str] = Field(..., description="what is missing for a complete transition")
    version: int


class PlanIn(Schema):
    receiving_organization: str = Field("", max_length=200)
    receiving_owner: str | None = Field(None, description="username")
    receiving_owner_name: str = Field("", max_length=200)
    handover_date: dt.date | None = None
    support_until: dt.date | None = None
    notes: str = ""
    version: int | None = None


class ItemIn(Schema):
    text: str = Field(..., min_length=1, max_length=300)
    order: int | None = Field(None, ge=0, le=32767)


class ItemPatch(Schema):
    text: str | None = Field(None, min_length=1, max_length=300)
    done: bool | None = None
    order: int | None = Field(None, ge=0, le=32767)
    version: int | None = None
