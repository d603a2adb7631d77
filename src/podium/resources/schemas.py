"""API shapes for the resource pool, skills, assignments and load."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema

from podium.core.schemas import WallClock
from podium.resources.models import Resource

__all__ = [
    "AssignmentIn",
    "AssignmentOut",
    "AvailabilityPeriod",
    "LoadOut",
    "PoolAssignmentOut",
    "PoolFilter",
    "PoolLoadOut",
    "PoolWeekOut",
    "ResourceIn",
    "ResourceOut",
    "ResourcePatch",
    "SkillLoadOut",
    "SkillOut",
    "SkillWeekOut",
    "WeekOut",
]


class AvailabilityPeriod(Schema):
    start: dt.date
    end: dt.date | None = None
    units: float = Field(..., ge=0)


class ResourceOut(Schema):
    id: int
    code: str
    name: str
    kind: Resource.Kind
    organisation: bool = Field(..., description="true for the organisation pool")
    program: str | None = Field(None, description="program code; null for the organisation")
    skills: list[str]
    capacity: float
    availability: list[dict[str, Any]]
    standard_rate: Decimal | None = Field(
        None, description="the three rates are left out unless you may see costs"
    )
    overtime_rate: Decimal | None = None
    cost_per_use: Decimal | None = None
    user: str | None = Field(None, description="username of the person's account")
    version: int


class ResourceIn(Schema):
    code: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=200)
    kind: Resource.Kind = Resource.Kind.ROLE
    capacity: float = Field(1.0, gt=0)
    availability: list[AvailabilityPeriod] = []
    skills: list[str] = Field([], description="skill names; new ones are added")
    standard_rate: Decimal = Field(Decimal(0), ge=0, max_digits=12, decimal_places=2)
    cost_per_use: Decimal = Field(Decimal(0), ge=0, max_digits=12, decimal_places=2)
    user: str | None = Field(None, description="username of the person's account (person only)")


class ResourcePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: Resource.Kind | None = None
    capacity: float | None = Field(None, gt=0)
    availability: list[AvailabilityPeriod] | None = None
    skills: list[str] | None = Field(None, description="replaces the resource's skills")
    standard_rate: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    cost_per_use: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    user: str | None = Field(None, description="username of the person's account; null unlinks")
    version: int | None = None


class PoolFilter(Schema):
    skill: str | None = Field(None, description="skill name (any case)")
    kind: Resource.Kind | None = None
    q: str | None = Field(None, description="text in the code, name or a skill")


class SkillOut(Schema):
    id: int
    name: str


class AssignmentOut(Schema):
    id: int
    activity: int
    resource: str
    resource_id: int
    organisation: bool
    units: float

    @staticmethod
    def resolve_activity(obj: Any) -> int:
        return int(obj.activity_id)

    @staticmethod
    def resolve_resource(obj: Any) -> str:
        return str(obj.resource.code)

    @staticmethod
    def resolve_organisation(obj: Any) -> bool:
        return obj.resource.program_id is None


class AssignmentIn(Schema):
    resource: str | None = Field(
        None,
        description="resource code: the program's resource of that code, else the organisation's",
    )
    resource_id: int | None = Field(None, description="or the resource's id")
    units: float = Field(1.0, gt=0)


class WeekOut(Schema):
    week: dt.date
    peak: float
    capacity: float
    over: bool
    other: float = Field(0.0, description="peak daily load of other programs in the week")


class LoadOut(Schema):
    resource: str
    organisation: bool
    over_days: list[dt.date]
    weeks: list[WeekOut]


class PoolWeekOut(Schema):
    week: dt.date
    capacity: float
    peak: float
    over: bool
    programs: dict[str, float] = Field(..., description="peak per program you can see")
    other_programs: float = Field(..., description="peak of all programs you cannot see")


class PoolAssignmentOut(Schema):
    program: str
    component: str
    activity_id: int
    activity: str
    name: str
    start: WallClock | None
    finish: WallClock | None
    units: float


class PoolLoadOut(Schema):
    resource: str
    over_days: list[dt.date]
    weeks: list[PoolWeekOut]
    assignments: list[PoolAssignmentOut] = Field(..., description="in programs you can see")


class SkillWeekOut(Schema):
    week: dt.date
    capacity: float = Field(..., description="unit-days, net of availability")
    demand: float = Field(..., description="unit-days this program asks")
    other_programs: float = Field(..., description="unit-days other programs ask")
    free: float
    over: bool


class SkillLoadOut(Schema):
    skill: str
    resources: list[str]
    weeks: list[SkillWeekOut]


Scope = Literal["all", "program", "organisation"]
