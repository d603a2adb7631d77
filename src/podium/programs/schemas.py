"""API shapes for programs, goals, components, memberships and history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema
from pydantic import field_validator

from podium.programs.models import ComponentKind, ComponentStatus, Role, Stage


def _username(user: Any) -> str | None:
    return user.username if user is not None else None


class ProgramOut(Schema):
    id: int
    code: str
    name: str
    vision: str
    charter: str
    currency: str
    start_date: dt.date | None
    end_date: dt.date | None
    stage: Stage
    phase: str
    sub_phase: str
    manager: str | None
    sponsor: str | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_manager(obj: Any) -> str | None:
        return _username(obj.manager)

    @staticmethod
    def resolve_sponsor(obj: Any) -> str | None:
        return _username(obj.sponsor)


class _ProgramFields(Schema):
    vision: str = ""
    charter: str = ""
    currency: str = Field("EUR", min_length=3, max_length=3, pattern=r"^[A-Z]{3}$")
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    manager: str | None = Field(None, description="username of the program manager")
    sponsor: str | None = Field(None, description="username of the sponsor")


class ProgramIn(_ProgramFields):
    code: str = Field(..., min_length=2, max_length=20)
    name: str = Field(..., min_length=1, max_length=200)


class ProgramPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    vision: str | None = None
    charter: str | None = None
    currency: str | None = Field(None, pattern=r"^[A-Z]{3}$")
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    manager: str | None = None
    sponsor: str | None = None
    version: int | None = Field(None, description="alternative to If-Match")


class TransitionIn(Schema):
    target: str
    reason: str = Field(..., min_length=1, max_length=2000)

    @field_validator("reason")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("Say why.")
        return value


class GoalOut(Schema):
    id: int
    title: str
    description: str
    order: int
    version: int


class GoalIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = ""


class ComponentOut(Schema):
    id: int
    program: str
    code: str
    name: str
    kind: ComponentKind
    status: ComponentStatus
    description: str
    business_case: str
    manager: str | None
    start_date: dt.date | None
    end_date: dt.date | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_program(obj: Any) -> str:
        return str(obj.program.code)

    @staticmethod
    def resolve_manager(obj: Any) -> str | None:
        return _username(obj.manager)


class ComponentIn(Schema):
    code: str = Field(..., min_length=2, max_length=20)
    name: str = Field(..., min_length=1, max_length=200)
    kind: ComponentKind = ComponentKind.PROJECT
    description: str = ""
    business_case: str = ""
    manager: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None


class ComponentPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: ComponentKind | None = None
    description: str | None = None
    business_case: str | None = None
    manager: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    version: int | None = Field(None, description="alternative to If-Match")


class MembershipOut(Schema):
    id: int
    program: str
    user: str
    display_name: str
    role: Role
    version: int

    @staticmethod
    def resolve_program(obj: Any) -> str:
        return str(obj.program.code)

    @staticmethod
    def resolve_user(obj: Any) -> str:
        return str(obj.user.username)

    @staticmethod
    def resolve_display_name(obj: Any) -> str:
        return str(obj.user)


class MembershipIn(Schema):
    user: str = Field(..., description="username")
    role: Role


class MembershipPatch(Schema):
    role: Role
    version: int | None = None


class AuditOut(Schema):
    id: int
    at: dt.datetime
    user: str | None
    action: str
    object_type: str
    object_id: str
    object_repr: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    note: str
    request_id: str

    @staticmethod
    def resolve_user(obj: Any) -> str | None:
        return _username(obj.user)


class JobOut(Schema):
    id: int
    kind: str
    status: str
    progress: int
    message: str
    result: Any = None
    error: str
    created_at: dt.datetime
    finished_at: dt.datetime | None
