"""What can be discussed, and who may read each thread.

Each kind of object with a thread is one :class:`Target`: its model, who may see it
(each app's own rule, reused), its page, its label and its component. A thread is read
by exactly those who may read its object; everyone else gets 404.

Visibility by kind (all of them need membership of the program, or administrator):

- activity, deliverable, risk, benefit: every member (as their registers).
- change request: members except stakeholders (:func:`podium.changes.access.can_read`).
- decision: members except stakeholders, plus board members
  (:func:`podium.governance.access.can_see`).
- feedback item: the team side only (:func:`podium.feedback.access.is_team_side`). The
  feedback app talks to the submitter through the item's steps and their notes; it has
  no conversation with them, so a feedback thread is the team's internal discussion and
  its submitter (a stakeholder) does not see it.

Every rule here depends on the program and the kind only, so the activity feed can
narrow comments with one query (:func:`visible_kinds`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.urls import reverse

from podium.discussions.models import Kind
from podium.programs.models import Program
from podium.programs.permissions import roles_in

__all__ = [
    "TARGETS",
    "Target",
    "can_view",
    "get_target",
    "hidden_apps",
    "kind_of",
    "sees_every_kind",
    "target_for",
    "visible_kinds",
]


def _member(user: Any, program: Program) -> bool:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    return bool(roles_in(user, program))


def _reads_changes(user: Any, program: Program) -> bool:
    from podium.changes.access import can_read

    return _member(user, program) and can_read(user, program)


def _sees_governance(user: Any, program: Program) -> bool:
    from podium.governance.access import can_see

    return _member(user, program) and can_see(user, program)


def _team_side(user: Any, program: Program) -> bool:
    from podium.feedback.access import is_team_side

    return _member(user, program) and is_team_side(user, program)


def _model(label: str) -> type[models.Model]:
    from django.apps import apps

    return apps.get_model(label)


def _one(component_id: int | None) -> list[int]:
    return [component_id] if component_id is not None else []


def _several(obj: Any) -> list[int]:
    return list(obj.components.order_by("code").values_list("pk", flat=True))


def _decision_components(obj: Any) -> list[int]:
    if obj.subject_type == "programs.component" and str(obj.subject_id).isdigit():
        return [int(obj.subject_id)]
    return []


def _activity_url(obj: Any) -> str:
    base = reverse("schedule:gantt", args=[obj.program.code])
    return f"{base}?component={obj.component_id}&activity={obj.pk}"


@dataclass(frozen=True)
class Target:
    kind: str
    model_label: str  # "risks.risk"
    # (user, program) -> may ``user`` read this kind of object in ``program``
    sees_kind: Callable[[Any, Program], bool]
    url: Callable[[Any], str]
    label: Callable[[Any], str]
    components: Callable[[Any], list[int]]  # the object's components, first one first
    audit_types: tuple[str, ...]  # its audit records and those of its parts
    related: tuple[str, ...] = ("program",)

    @property
    def model(self) -> type[models.Model]:
        return _model(self.model_label)

    @property
    def noun(self) -> str:
        return str(Kind(self.kind).label)


TARGETS: dict[str, Target] = {
    t.kind: t
    for t in (
        Target(
            Kind.ACTIVITY, "schedule.activity", _member, _activity_url,
            lambda a: f"{a.component.code} · {a.code} {a.name}",
            lambda a: _one(a.component_id), ("schedule.activity",), ("program", "component"),
        ),
        Target(
            Kind.DELIVERABLE, "delivery.deliverable", _member,
            lambda d: reverse("delivery:detail", args=[d.program.code, d.pk]),
            str, lambda d: _one(d.component_id),
            ("delivery.deliverable", "delivery.deliverableevent", "delivery.evidence"),
        ),
        Target(
            Kind.RISK, "risks.risk", _member,
            lambda r: reverse("risks:risk", args=[r.program.code, r.pk]),
            str, lambda r: _one(r.component_id),
            ("risks.risk", "risks.riskaction", "risks.riskcostimpact"),
        ),
        Target(
            Kind.CHANGE_REQUEST, "changes.changerequest", _reads_changes,
            lambda c: reverse("changes:detail", args=[c.program.code, c.pk]),
            str, _several, ("changes.changerequest", "changes.changeline", "changes.costline"),
        ),
        Target(
            Kind.FEEDBACK, "feedback.feedbackitem", _team_side,
            lambda f: reverse("feedback:detail", args=[f.program.code, f.pk]),
            lambda f: f"{f.reference}: {f.summary}", lambda f: _one(f.component_id),
            ("feedback.feedbackitem", "feedback.feedbackattachment"),
        ),
        Target(
            Kind.BENEFIT, "benefits.benefit", _member,
            lambda b: reverse("benefits:benefit", args=[b.program.code, b.pk]),
            str, _several,
            ("benefits.benefit", "benefits.benefitvalue", "benefits.measurement",
             "benefits.realizationtarget"),
        ),
        Target(
            Kind.DECISION, "governance.decision", _sees_governance,
            lambda d: reverse("governance:decision", args=[d.program.code, d.number]),
            str, _decision_components, ("governance.decision",),
        ),
    )
}  # fmt: skip

# Apps whose whole audit trail follows the rule of one kind: who may not read change
# requests (or governance, or the team's feedback) reads none of their records either.
_APP_RULES: dict[str, Callable[[Any, Program], bool]] = {
    "changes": _reads_changes,
    "governance": _sees_governance,
    "feedback": _team_side,
}


def hidden_apps(user: Any, program: Program) -> list[str]:
    """App labels whose audit records ``user`` may not read in ``program``."""
    return [app for app, rule in _APP_RULES.items() if not rule(user, program)]


def target_for(kind: str) -> Target | None:
    return TARGETS.get(kind)


def kind_of(obj: models.Model) -> str | None:
    """The kind of ``obj`` (None: objects of its model have no thread)."""
    label = obj._meta.label_lower
    return next((t.kind for t in TARGETS.values() if t.model_label == label), None)


def can_view(user: Any, obj: Any) -> bool:
    """May ``user`` read ``obj`` (and so its thread)?"""
    kind = kind_of(obj)
    if kind is None:
        return False
    return TARGETS[kind].sees_kind(user, obj.program)


def visible_kinds(user: Any, program: Program) -> list[str]:
    """The kinds whose threads ``user`` may read in ``program``."""
    return [k for k, t in TARGETS.items() if t.sees_kind(user, program)]


def sees_every_kind(user: Any, program: Program) -> bool:
    """Reads every thread of ``program`` (whoever does not, does not read the audit
    records of comments in the program's history either)."""
    return len(visible_kinds(user, program)) == len(TARGETS)


def get_target(program: Program, kind: str, pk: int) -> Any:
    """The object ``pk`` of ``kind`` in ``program``, or None (unknown kind, missing)."""
    target = TARGETS.get(kind)
    if target is None:
        return None
    return (
        target.model._default_manager.select_related(*target.related)
        .filter(program=program, pk=pk)
        .first()
    )
