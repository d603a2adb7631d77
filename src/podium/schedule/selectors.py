"""Reads of schedules (callers pass a program the user may already see)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from podium.core.errors import NotFound
from podium.programs.models import Program
from podium.programs.permissions import visible_programs
from podium.schedule.models import Activity, Baseline, BaselineActivity, Link
from podium.schedule.wall import to_wall

__all__ = ["Variance", "activity_list", "cross_component_links", "get_activity", "variance"]


def activity_list(
    program: Program,
    *,
    component: int | str | None = None,
    critical: bool = False,
    q: str = "",
) -> QuerySet[Activity]:
    qs = Activity.objects.filter(program=program).select_related("component", "calendar")
    if component:
        qs = qs.filter(component_id=component)
    if critical:
        qs = qs.filter(critical=True)
    if q:
        qs = qs.filter(name__icontains=q) | qs.filter(code__iexact=q)
    return qs.order_by("component__code", "order", "pk")


def cross_component_links(program: Program) -> list[Link]:
    links = Link.objects.filter(program=program).select_related(
        "pred__component", "succ__component"
    )
    return [link for link in links if link.crosses_components]


@dataclass(frozen=True)
class Variance:
    activity: Activity
    baseline_start: datetime | None
    baseline_finish: datetime | None

    @staticmethod
    def _days(current: datetime | None, base: datetime | None) -> float | None:
        a, b = to_wall(current), to_wall(base)
        if a is None or b is None:
            return None
        return round((a - b).total_seconds() / 86400, 2)

    @property
    def start_variance_days(self) -> float | None:
        """Current start minus baseline start, in calendar days (positive = later)."""
        return self._days(self.activity.start, self.baseline_start)

    @property
    def finish_variance_days(self) -> float | None:
        return self._days(self.activity.finish, self.baseline_finish)


def variance(baseline: Baseline, activities: list[Activity]) -> list[Variance]:
    entries = {
        e.activity_id: e
        for e in BaselineActivity.objects.filter(
            baseline=baseline, activity_id__in=[a.pk for a in activities]
        )
    }
    out = []
    for a in activities:
        e = entries.get(a.pk)
        out.append(Variance(a, e.start if e else None, e.finish if e else None))
    return out


def get_activity(user: Any, pk: int) -> Activity:
    """An activity of a program ``user`` may see (404 like a missing one otherwise)."""
    activity = (
        Activity.objects.select_related("component", "program")
        .filter(pk=pk, program__in=visible_programs(user))
        .first()
    )
    if activity is None:
        raise NotFound(f"No activity {pk}.")
    return activity
