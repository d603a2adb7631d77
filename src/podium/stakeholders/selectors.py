"""Reads of the stakeholder register: the filtered list, one stakeholder, the
power/interest grid and the engagement assessment (current vs desired).

Callers pass a program whose register the user may read
(:func:`podium.stakeholders.access.register_program`); the ``get_*_for`` functions
check it themselves, so a stakeholder of a hidden register answers 404.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from podium.core.errors import NotFound
from podium.programs.models import Program
from podium.programs.permissions import visible_programs
from podium.stakeholders.access import can_read_register
from podium.stakeholders.models import ENGAGEMENT_ORDER, Engagement, EngagementPlanItem, Stakeholder

__all__ = [
    "HIGH",
    "EngagementRow",
    "Grid",
    "Quadrant",
    "engagement_matrix",
    "engagement_summary",
    "get_plan_item_for",
    "get_stakeholder",
    "get_stakeholder_for",
    "grid",
    "groups_of",
    "plan_items_of",
    "stakeholder_for",
    "stakeholder_list",
]

# Power or interest at or above this is "high" on the grid.
HIGH = 3


def stakeholder_list(
    program: Program, *, group: str = "", engagement: str = "", q: str = ""
) -> QuerySet[Stakeholder]:
    """The register, by name. ``engagement`` filters the current level, or ``gap`` for
    those below their desired level."""
    qs = Stakeholder.objects.filter(program=program).select_related("program", "user")
    if group:
        qs = qs.filter(group=group)
    if engagement == "gap":
        ids = [s.pk for s in qs if s.gap > 0]
        qs = qs.filter(pk__in=ids)
    elif engagement:
        qs = qs.filter(current_engagement=engagement)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(organization__icontains=q) | Q(role__icontains=q))
    return qs.order_by("name", "id")


def groups_of(program: Program) -> list[str]:
    """The stakeholder groups used in ``program`` (for filters)."""
    return list(
        Stakeholder.objects.filter(program=program)
        .exclude(group="")
        .order_by("group")
        .values_list("group", flat=True)
        .distinct()
    )


def get_stakeholder(program: Program, pk: int) -> Stakeholder:
    found = Stakeholder.objects.filter(program=program, pk=pk).select_related("program", "user")
    stakeholder = found.first()
    if stakeholder is None:
        raise NotFound(f"No stakeholder {pk}.")
    return stakeholder


def get_stakeholder_for(user: Any, pk: int) -> Stakeholder:
    """Stakeholder ``pk`` if ``user`` may read its program's register; 404 otherwise."""
    stakeholder = (
        Stakeholder.objects.filter(pk=pk, program__in=visible_programs(user))
        .select_related("program", "user")
        .first()
    )
    if stakeholder is None or not can_read_register(user, stakeholder.program):
        raise NotFound(f"No stakeholder {pk}.")
    return stakeholder


def get_plan_item_for(user: Any, pk: int) -> EngagementPlanItem:
    item = (
        EngagementPlanItem.objects.filter(pk=pk, stakeholder__program__in=visible_programs(user))
        .select_related("stakeholder__program", "owner")
        .first()
    )
    if item is None or not can_read_register(user, item.stakeholder.program):
        raise NotFound(f"No engagement plan item {pk}.")
    return item


def plan_items_of(stakeholder: Stakeholder) -> QuerySet[EngagementPlanItem]:
    return stakeholder.plan_items.select_related("owner").order_by("-active", "next_due", "id")


def stakeholder_for(user: Any, program: Program) -> Stakeholder | None:
    """The register entry that is ``user``'s portal account in ``program`` (or None)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Stakeholder.objects.filter(program=program, user=user).order_by("id").first()


# -- the power/interest grid --------------------------------------------------------------


@dataclass
class Quadrant:
    key: str  # manage_closely, keep_satisfied, keep_informed, monitor
    label: str
    advice: str
    stakeholders: list[Stakeholder] = field(default_factory=list)


@dataclass
class Grid:
    """The power/interest grid: high power on the top row, high interest on the right."""

    manage_closely: Quadrant
    keep_satisfied: Quadrant
    keep_informed: Quadrant
    monitor: Quadrant

    @property
    def rows(self) -> list[list[Quadrant]]:
        return [[self.keep_satisfied, self.manage_closely], [self.monitor, self.keep_informed]]

    @property
    def quadrants(self) -> list[Quadrant]:
        return [self.manage_closely, self.keep_satisfied, self.keep_informed, self.monitor]


def quadrant_key(power: int, interest: int) -> str:
    if power >= HIGH:
        return "manage_closely" if interest >= HIGH else "keep_satisfied"
    return "keep_informed" if interest >= HIGH else "monitor"


def grid(program: Program) -> Grid:
    """The program's stakeholders in the four quadrants (high = 3 or more on 1-5)."""
    g = Grid(
        Quadrant("manage_closely", "Manage closely", "high power, high interest"),
        Quadrant("keep_satisfied", "Keep satisfied", "high power, low interest"),
        Quadrant("keep_informed", "Keep informed", "low power, high interest"),
        Quadrant("monitor", "Monitor", "low power, low interest"),
    )
    for s in Stakeholder.objects.filter(program=program).order_by("-power", "-interest", "name"):
        getattr(g, quadrant_key(s.power, s.interest)).stakeholders.append(s)
    return g


# -- engagement assessment ----------------------------------------------------------------


@dataclass
class EngagementRow:
    """One stakeholder's row of the engagement assessment matrix: per level, "C"
    (current), "D" (desired), "CD" (both) or ""."""

    stakeholder: Stakeholder
    cells: list[str]


def engagement_matrix(program: Program) -> list[EngagementRow]:
    rows = []
    for s in Stakeholder.objects.filter(program=program).order_by("name", "id"):
        cells = []
        for level in Engagement.values:
            mark = ("C" if s.current_engagement == level else "") + (
                "D" if s.desired_engagement == level else ""
            )
            cells.append(mark)
        rows.append(EngagementRow(s, cells))
    return rows


def engagement_summary(program: Program) -> list[dict[str, Any]]:
    """Per level (in order): how many stakeholders are there now and how many should be."""
    rows = Stakeholder.objects.filter(program=program).values_list(
        "current_engagement", "desired_engagement"
    )
    current: Counter[str] = Counter()
    desired: Counter[str] = Counter()
    for c, d in rows:
        current[c] += 1
        desired[d] += 1
    return [
        {"level": level.value, "label": level.label, "current": current[level.value],
         "desired": desired[level.value], "order": ENGAGEMENT_ORDER[level.value]}
        for level in Engagement
    ]  # fmt: skip
