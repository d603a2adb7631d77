"""API shapes of lessons, search hits and sessions. Programs and components are codes,
people usernames."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema
from typing_extensions import TypeAliasType

from podium.lessons.models import (
    Adoption,
    Category,
    Impact,
    PerformanceDomain,
    Phase,
    SessionKind,
    SessionStatus,
)

# The OpenAPI document files a choice list under its class name, and several apps have a
# "Category" or an "ActionStatus": the document knows this app's under these names.
LessonCategory = TypeAliasType("LessonCategory", Category)


class LessonOut(Schema):
    id: int
    program: str
    component: str | None
    session: int | None
    title: str
    description: str
    phase: Phase
    performance_domain: PerformanceDomain
    category: LessonCategory
    root_cause: str
    recommendation: str
    impact: Impact
    tags: list[str]
    adoption: Adoption
    applied_in: list[str]
    useful_votes: int
    created_at: dt.datetime
    version: int

    @staticmethod
    def resolve_program(obj: Any) -> str:
        return str(obj.program.code)

    @staticmethod
    def resolve_component(obj: Any) -> str | None:
        return obj.component.code if obj.component_id else None

    @staticmethod
    def resolve_session(obj: Any) -> int | None:
        return obj.session_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_tags(obj: Any) -> list[str]:
        return list(obj.tag_list)

    @staticmethod
    def resolve_applied_in(obj: Any) -> list[str]:
        return sorted(p.code for p in obj.applied_in.all())

    @staticmethod
    def resolve_useful_votes(obj: Any) -> int:
        useful = getattr(obj, "useful", None)
        return int(useful) if useful is not None else int(obj.votes.count())


class HitOut(Schema):
    lesson: LessonOut
    score: float = Field(description="fused relevance, higher is better")
    text_rank: int | None = Field(None, description="position in the full-text ranking")
    similarity: float | None = Field(None, description="semantic cosine with the query")


class SearchFilter(Schema):
    q: str = ""
    program: str = ""
    category: str = ""
    domain: str = ""
    phase: str = ""
    adoption: str = ""
    tags: str = Field("", description="comma-separated; every tag must match")


class LessonIn(Schema):
    title: str
    description: str = ""
    phase: Phase = Phase.DELIVERY
    performance_domain: PerformanceDomain = PerformanceDomain.LIFE_CYCLE
    category: LessonCategory = Category.OTHER
    root_cause: str = ""
    recommendation: str = ""
    impact: Impact = Impact.MEDIUM
    tags: str | list[str] = ""
    component: str | None = None
    session: int | None = None


class LessonPatch(Schema):
    title: str | None = None
    description: str | None = None
    phase: Phase | None = None
    performance_domain: PerformanceDomain | None = None
    category: LessonCategory | None = None
    root_cause: str | None = None
    recommendation: str | None = None
    impact: Impact | None = None
    tags: str | list[str] | None = None
    component: str | None = None
    session: int | None = None
    version: int | None = None


class ApplyIn(Schema):
    program: str = Field(description="code of the program that applied the lesson")
    note: str = ""


class VotesOut(Schema):
    useful_votes: int


class SessionOut(Schema):
    id: int
    program: str
    component: str | None
    title: str
    kind: SessionKind
    status: SessionStatus
    held_on: dt.date | None
    facilitator: str | None
    participants: list[str]
    external_participants: str
    agenda: str
    notes: str
    version: int

    @staticmethod
    def resolve_program(obj: Any) -> str:
        return str(obj.program.code)

    @staticmethod
    def resolve_component(obj: Any) -> str | None:
        return obj.component.code if obj.component_id else None

    @staticmethod
    def resolve_facilitator(obj: Any) -> str | None:
        return obj.facilitator.username if obj.facilitator_id else None

    @staticmethod
    def resolve_participants(obj: Any) -> list[str]:
        return sorted(u.username for u in obj.participants.all())


class SessionIn(Schema):
    kind: SessionKind
    title: str = ""
    component: str | None = None
    facilitator: str | None = None
    participants: list[str] = []
    external_participants: str = ""
    agenda: str | None = None


class HoldIn(Schema):
    held_on: dt.date
    notes: str = ""
    version: int | None = None


class SuggestionOut(Schema):
    kind: SessionKind
    component: str | None
    reason: str
