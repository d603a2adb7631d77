"""API shapes of gates, gate reviews, decisions, the board and authorizations.

People are usernames; a component is its code; a decision is named by its number in
the program (``#7``) and by its id.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

__all__ = [
    "AuthorizationIn",
    "AuthorizationOut",
    "BoardMemberIn",
    "BoardMemberOut",
    "ConditionIn",
    "ConditionOut",
    "CorrectionIn",
    "CriterionOut",
    "DecisionIn",
    "DecisionOut",
    "EvidenceIn",
    "EvidenceOut",
    "GateOut",
    "RecommendationIn",
    "ReviewIn",
    "ReviewOut",
]


def _username(user: Any) -> str | None:
    return user.username if user is not None else None


class CriterionOut(Schema):
    key: str
    label: str
    kind: str = Field(description="automatic | manual")
    passed: bool
    evidence: str = Field(description="the sentence that decides it")
    url: str = Field("", description="the page that shows it")


class GateOut(Schema):
    subject: str = Field(description="the program's code, or the component's")
    component: str | None
    state: str
    next_from: str | None
    next_to: str | None
    open_review: int | None


class ConditionOut(Schema):
    id: int
    title: str
    owner: str | None
    due_date: dt.date | None
    status: str

    @staticmethod
    def resolve_owner(obj: Any) -> str | None:
        return _username(obj.owner)


class EvidenceOut(Schema):
    id: int
    criterion: str
    text: str
    file: str | None
    added_by: str | None
    checked_by: str | None
    checked_at: dt.datetime | None

    @staticmethod
    def resolve_criterion(obj: Any) -> str:
        return str(obj.criterion_key)

    @staticmethod
    def resolve_file(obj: Any) -> str | None:
        return obj.file.name.rsplit("/", 1)[-1] if obj.file else None

    @staticmethod
    def resolve_added_by(obj: Any) -> str | None:
        return _username(obj.added_by)

    @staticmethod
    def resolve_checked_by(obj: Any) -> str | None:
        return _username(obj.checked_by)


class DecisionOut(Schema):
    id: int
    number: int
    program: str
    kind: str
    subject_label: str
    subject_type: str
    subject_id: str
    outcome: str
    rationale: str
    decided_by: str | None
    decided_at: dt.datetime
    corrects: int | None = Field(description="number of the decision this one corrects")
    corrected_by: int | None = Field(description="number of the decision that corrects it")

    @staticmethod
    def resolve_program(obj: Any) -> str:
        return str(obj.program.code)

    @staticmethod
    def resolve_decided_by(obj: Any) -> str | None:
        return _username(obj.decided_by)

    @staticmethod
    def resolve_corrects(obj: Any) -> int | None:
        return obj.corrects.number if obj.corrects_id else None

    @staticmethod
    def resolve_corrected_by(obj: Any) -> int | None:
        later = sorted(obj.corrections.all(), key=lambda d: d.number)
        return later[-1].number if later else None


class ReviewOut(Schema):
    id: int
    program: str
    component: str | None
    from_state: str
    to_state: str
    status: str
    opened_by: str | None
    notes: str
    decision: DecisionOut | None
    evaluation: list[CriterionOut] = Field(
        description="the criteria as they stood at the decision (empty while open)"
    )
    evidence: list[EvidenceOut]
    conditions: list[ConditionOut]
    version: int

    @staticmethod
    def resolve_program(obj: Any) -> str:
        return str(obj.program.code)

    @staticmethod
    def resolve_component(obj: Any) -> str | None:
        return obj.component.code if obj.component_id else None

    @staticmethod
    def resolve_opened_by(obj: Any) -> str | None:
        return _username(obj.opened_by)

    @staticmethod
    def resolve_evidence(obj: Any) -> list[Any]:
        return list(obj.evidence.all())

    @staticmethod
    def resolve_conditions(obj: Any) -> list[Any]:
        return list(obj.conditions.all())


class ReviewIn(Schema):
    component: str | None = Field(None, description="component code; empty: the program's gate")
    notes: str = ""


class EvidenceIn(Schema):
    criterion: str
    text: str


class ConditionIn(Schema):
    title: str
    owner: str | None = None
    due_date: dt.date | None = None


class DecisionIn(Schema):
    outcome: str = Field(description="go | go_with_conditions | hold | no_go | terminate")
    rationale: str
    conditions: list[ConditionIn] = []


class CorrectionIn(Schema):
    outcome: str
    rationale: str


class RecommendationIn(Schema):
    outcome: str
    comment: str = ""


class BoardMemberIn(Schema):
    user: str
    role: str = "member"


class BoardMemberOut(Schema):
    id: int
    user: str
    role: str

    @staticmethod
    def resolve_user(obj: Any) -> str:
        return str(obj.user.username)


class AuthorizationIn(Schema):
    business_case: str
    expected_benefits: list[str] = Field([], description="benefit codes")
    initial_budget: Decimal | None = None
    planned_start: dt.date | None = None
    planned_finish: dt.date | None = None


class AuthorizationOut(Schema):
    component: str
    business_case: str
    expected_benefits: list[str] = Field(description="benefit codes")
    initial_budget: Decimal | None = Field(
        None, description="left out (not null) unless you may see costs"
    )
    planned_start: dt.date | None
    planned_finish: dt.date | None
    decision: int | None = Field(description="number of the go decision")
