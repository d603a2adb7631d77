"""Reads of feedback items, their steps and the program's feedback actions.

Every read of items goes through :func:`visible_items`: team-side members see every item
of their programs, a stakeholder only their own, everyone else nothing (404 like a
missing item). Service targets count working days, Monday to Friday.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from podium.core.errors import NotFound
from podium.feedback.access import TEAM_ROLES, can_see_submitter
from podium.feedback.models import (
    OPEN_STATES,
    FeedbackAction,
    FeedbackEvent,
    FeedbackItem,
    FeedbackState,
    ServiceTarget,
)
from podium.programs.models import Membership, Program
from podium.programs.permissions import visible_programs

__all__ = [
    "Due",
    "action_list",
    "add_working_days",
    "due_dates",
    "events_of",
    "get_action_for",
    "get_item_for",
    "is_overdue",
    "item_list",
    "overdue_items",
    "submitter_label",
    "target_for",
    "today",
    "visible_items",
    "working_days_between",
]

_RELATED = ("program", "component", "component__manager", "deliverable", "benefit",
            "submitted_by", "risk")  # fmt: skip


def today() -> dt.date:
    return timezone.localdate()


# -- working days -------------------------------------------------------------------------


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days (Monday–Friday) after ``start``."""
    current = start
    left = days
    while left > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    if end <= start:
        return 0
    whole_weeks, rest = divmod((end - start).days, 7)
    count = whole_weeks * 5
    day = start + dt.timedelta(days=whole_weeks * 7)
    for _ in range(rest):
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            count += 1
    return count


def target_for(program: Program) -> ServiceTarget:
    """The program's service target (the defaults, unsaved, when none was set)."""
    found = ServiceTarget.objects.filter(program=program).first()
    return found if found is not None else ServiceTarget(program=program)


@dataclass(frozen=True)
class Due:
    acknowledge_by: dt.date
    close_by: dt.date


def _local_date(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()


def due_dates(item: FeedbackItem, target: ServiceTarget | None = None) -> Due:
    target = target or target_for(item.program)
    submitted = _local_date(item.submitted_at)
    return Due(
        add_working_days(submitted, target.acknowledge_days),
        add_working_days(submitted, target.close_days),
    )


def is_overdue(
    item: FeedbackItem, on: dt.date | None = None, target: ServiceTarget | None = None
) -> bool:
    """Still new after the acknowledge target, or still open (not closed or declined)
    after the close target — both in working days from the submission date."""
    on = on or today()
    if item.state not in OPEN_STATES:
        return False
    due = due_dates(item, target)
    if item.state == FeedbackState.NEW and on > due.acknowledge_by:
        return True
    return on > due.close_by


def overdue_items(program: Program, on: dt.date | None = None) -> list[FeedbackItem]:
    """Every open item of ``program`` past a service target on ``on`` (default today)."""
    target = target_for(program)
    qs = FeedbackItem.objects.filter(program=program, state__in=OPEN_STATES).select_related(
        *_RELATED
    )
    return [item for item in qs if is_overdue(item, on, target)]


# -- items --------------------------------------------------------------------------------


def visible_items(user: Any, program: Program | None = None) -> QuerySet[FeedbackItem]:
    """Items ``user`` may read: all items of programs where they are on the team side,
    their own items in the other programs they belong to."""
    programs = visible_programs(user)
    if program is not None:
        programs = programs.filter(pk=program.pk)
    if getattr(user, "is_administrator", False):
        scope = Q(program__in=programs)
    else:
        team = Membership.objects.filter(user=user, role__in=TEAM_ROLES).values("program_id")
        managed = Program.objects.filter(components__manager=user).values("pk")
        scope = Q(program__in=programs) & (
            Q(program_id__in=team) | Q(program_id__in=managed) | Q(submitted_by=user)
        )
    return FeedbackItem.objects.filter(scope).select_related(*_RELATED)


def item_list(
    user: Any,
    program: Program,
    *,
    state: str = "",
    component: int | None = None,
    category: str = "",
    overdue: bool = False,
    text: str = "",
    mine: bool = False,
    on: dt.date | None = None,
) -> QuerySet[FeedbackItem]:
    """The items ``user`` may read in ``program``, filtered, newest first."""
    qs = visible_items(user, program)
    if mine:
        qs = qs.filter(submitted_by=user)
    if state:
        qs = qs.filter(state=state)
    if component is not None:
        qs = qs.filter(component_id=component)
    if category:
        qs = qs.filter(category=category)
    if text:
        qs = qs.filter(text__icontains=text)
    if overdue:
        late = [i.pk for i in overdue_items(program, on)]
        qs = qs.filter(pk__in=late)
    return qs.order_by("-submitted_at", "-id")


def get_item_for(user: Any, pk: int) -> FeedbackItem:
    found = visible_items(user).filter(pk=pk).first()
    if found is None:
        raise NotFound(f"No feedback item {pk}.")
    return found


def events_of(item: FeedbackItem) -> QuerySet[FeedbackEvent]:
    return item.events.select_related("actor")


def submitter_label(viewer: Any, item: FeedbackItem) -> str:
    """What ``viewer`` is shown as the submitter."""
    if item.anonymous and not can_see_submitter(viewer, item):
        return "Anonymous"
    if item.submitted_by is None:
        return "—"
    name = str(item.submitted_by)
    return f"{name} (anonymous to the team)" if item.anonymous else name


# -- actions ------------------------------------------------------------------------------


def action_list(program: Program, *, status: str = "") -> QuerySet[FeedbackAction]:
    qs = FeedbackAction.objects.filter(program=program).select_related("owner", "component")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("status", "due_date", "id")


def get_action_for(user: Any, pk: int) -> FeedbackAction:
    """An action of a program where ``user`` is on the team side (stakeholders see
    actions only through their own items)."""
    qs = FeedbackAction.objects.filter(pk=pk, program__in=visible_programs(user))
    if not getattr(user, "is_administrator", False):
        team = Membership.objects.filter(user=user, role__in=TEAM_ROLES).values("program_id")
        managed = Program.objects.filter(components__manager=user).values("pk")
        qs = qs.filter(Q(program_id__in=team) | Q(program_id__in=managed))
    found = qs.select_related("program", "owner", "component").first()
    if found is None:
        raise NotFound(f"No feedback action {pk}.")
    return found
