"""What an agenda item may link to, and who may see each linked object.

Each kind reuses its own app's reading rule, so a link never shows more than the
object's own page would:

- risks and issues: every member of the program (:mod:`podium.risks.access`);
- change requests: members except stakeholders (:func:`podium.changes.access.can_read`);
- gate reviews: whoever reads the program's governance
  (:func:`podium.governance.access.can_see`);
- feedback items: the team side, and the item's submitter
  (:func:`podium.feedback.access.is_team_side`).

A linked object the viewer may not see is shown as "restricted item", without its title.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.urls import reverse

from podium.changes import access as changes_access
from podium.changes.models import ChangeRequest
from podium.feedback.access import is_team_side
from podium.feedback.models import FeedbackItem
from podium.governance import access as governance_access
from podium.governance.models import GateReview
from podium.meetings.models import AgendaItem
from podium.programs.models import Program
from podium.programs.permissions import roles_in
from podium.risks.models import Issue, Risk

__all__ = ["LINK_KINDS", "LinkKind", "LinkView", "link_of", "link_view", "resolve_link"]

RESTRICTED = "restricted item"


def _member(user: Any, obj: Any) -> bool:
    return bool(roles_in(user, obj.program))


def _feedback(user: Any, item: Any) -> bool:
    if is_team_side(user, item.program):
        return True
    return item.submitted_by_id is not None and item.submitted_by_id == user.pk


@dataclass(frozen=True)
class LinkKind:
    key: str  # the AgendaItem field and the API's link_type
    label: str
    model: type[models.Model]
    url_name: str
    visible: Callable[[Any, Any], bool]
    text: Callable[[Any], str]


LINK_KINDS: dict[str, LinkKind] = {
    kind.key: kind
    for kind in (
        LinkKind("risk", "Risk", Risk, "risks:risk", _member, str),
        LinkKind("issue", "Issue", Issue, "risks:issue", _member, lambda i: f"{i.code} {i.title}"),
        LinkKind(
            "change_request",
            "Change request",
            ChangeRequest,
            "changes:detail",
            lambda user, cr: changes_access.can_read(user, cr.program),
            str,
        ),
        LinkKind(
            "gate_review",
            "Gate review",
            GateReview,
            "governance:review",
            lambda user, r: governance_access.can_see(user, r.program),
            lambda r: f"Gate review {r}",
        ),
        LinkKind(
            "feedback_item",
            "Feedback",
            FeedbackItem,
            "feedback:detail",
            _feedback,
            lambda f: f"{f.reference} {f.summary}",
        ),
    )
}


@dataclass(frozen=True)
class LinkView:
    """A linked object as one viewer may see it."""

    kind: str
    kind_label: str
    text: str  # "restricted item" when hidden
    url: str  # "" when hidden
    restricted: bool


def link_of(item: AgendaItem) -> tuple[LinkKind, Any] | None:
    """The kind and object an agenda item links to (None: no link)."""
    for kind in LINK_KINDS.values():
        if getattr(item, f"{kind.key}_id") is not None:
            return kind, getattr(item, kind.key)
    return None


def link_view(user: Any, item: AgendaItem) -> LinkView | None:
    found = link_of(item)
    if found is None:
        return None
    kind, obj = found
    if not kind.visible(user, obj):
        return LinkView(kind.key, kind.label, RESTRICTED, "", True)
    url = reverse(kind.url_name, args=[obj.program.code, obj.pk])
    return LinkView(kind.key, kind.label, kind.text(obj), url, False)


def resolve_link(
    user: Any, program: Program, link_type: str, link_id: int | None
) -> dict[str, Any]:
    """The AgendaItem link fields for ``link_type``/``link_id`` (all None when no link).

    Raises ValidationFailed when the object is not in ``program`` or ``user`` (when
    given) may not see it — with the same message either way.
    """
    from podium.core.errors import ValidationFailed

    fields: dict[str, Any] = {key: None for key in LINK_KINDS}
    if not link_type and link_id is None:
        return fields
    kind = LINK_KINDS.get(link_type)
    if kind is None:
        raise ValidationFailed(
            {"link_type": [f"Link to one of: {', '.join(LINK_KINDS)} (or nothing)."]}
        )
    obj = (
        kind.model._default_manager.filter(program=program, pk=link_id)
        .select_related("program")
        .first()
    )
    if obj is None or (user is not None and not kind.visible(user, obj)):
        raise ValidationFailed(
            {"link_id": [f"{program.code} has no {kind.label.lower()} {link_id}."]}
        )
    fields[kind.key] = obj
    return fields
