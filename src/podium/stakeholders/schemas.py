"""API shapes of the stakeholder register. People (portal account, plan item owner)
are usernames."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from podium.stakeholders.models import Engagement, Frequency, StakeholderKind


def _username(user: Any) -> str | None:
    return user.username if user is not None else None


class StakeholderOut(Schema):
    id: int
    program: str
    user: str | None
    name: str
    kind: StakeholderKind
    organization: str
    role: str
    group: str
    email: str
    power: int
    interest: int
    current_engagement: Engagement
    desired_engagement: Engagement
    gap: int = Field(..., description="desired minus current engagement, in levels")
    channel: str
    communication_notes: str
    version: int

    @staticmethod
    def resolve_program(obj: Any) -> str:
        return str(obj.program.code)

    @staticmethod
    def resolve_user(obj: Any) -> str | None:
        return _username(obj.user)


class StakeholderIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    kind: StakeholderKind = StakeholderKind.PERSON
    user: str | None = Field(None, description="username of a program member")
    organization: str = ""
    role: str = ""
    group: str = ""
    email: str = ""
    power: int = Field(3, ge=1, le=5)
    interest: int = Field(3, ge=1, le=5)
    current_engagement: Engagement = Engagement.NEUTRAL
    desired_engagement: Engagement = Engagement.SUPPORTIVE
    channel: str = ""
    communication_notes: str = ""


class StakeholderPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: StakeholderKind | None = None
    user: str | None = None
    organization: str | None = None
    role: str | None = None
    group: str | None = None
    email: str | None = None
    power: int | None = Field(None, ge=1, le=5)
    interest: int | None = Field(None, ge=1, le=5)
    current_engagement: Engagement | None = None
    desired_engagement: Engagement | None = None
    channel: str | None = None
    communication_notes: str | None = None
    version: int | None = None


class StakeholderFilter(Schema):
    group: str = ""
    engagement: str = Field("", description="a current level, or 'gap'")
    q: str = ""


class PlanItemOut(Schema):
    id: int
    stakeholder: int
    what: str
    how: str
    frequency: Frequency
    owner: str | None
    next_due: dt.date | None
    active: bool
    version: int

    @staticmethod
    def resolve_stakeholder(obj: Any) -> int:
        return int(obj.stakeholder_id)

    @staticmethod
    def resolve_owner(obj: Any) -> str | None:
        return _username(obj.owner)


class PlanItemIn(Schema):
    what: str = Field(..., min_length=1, max_length=300)
    how: str = ""
    frequency: Frequency = Frequency.MONTHLY
    owner: str | None = Field(None, description="username of a program member")
    next_due: dt.date | None = None
    active: bool = True


class PlanItemPatch(Schema):
    what: str | None = Field(None, min_length=1, max_length=300)
    how: str | None = None
    frequency: Frequency | None = None
    owner: str | None = None
    next_due: dt.date | None = None
    active: bool | None = None
    version: int | None = None


class QuadrantOut(Schema):
    key: str
    label: str
    stakeholders: list[str]


class GridOut(Schema):
    quadrants: list[QuadrantOut]
