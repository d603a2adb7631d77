"""Reads: querysets already narrowed to what the user may see, with their joins."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from podium.core.audit import cost_types, private_types
from podium.core.models import AuditRecord
from podium.programs.models import PHASE_OF_STAGE, Component, Membership, Program
from podium.programs.permissions import can_see_costs, visible_programs

__all__ = [
    "PROGRAM_SORTS",
    "component_list",
    "member_list",
    "program_history",
    "program_list",
]

PROGRAM_SORTS = {"code", "-code", "name", "-name", "start_date", "-start_date", "stage"}
COMPONENT_SORTS = {"code", "-code", "name", "-name", "status", "kind", "start_date"}


def program_list(
    user: Any, *, q: str = "", phase: str = "", stage: str = "", sort: str = "code"
) -> QuerySet[Program]:
    qs = visible_programs(user).select_related("manager", "sponsor")
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q))
    if phase:
        qs = qs.filter(stage__in=[s for s, p in PHASE_OF_STAGE.items() if p == phase])
    if stage:
        qs = qs.filter(stage=stage)
    qs = qs.annotate(component_count=Count("components", distinct=True))
    return qs.order_by(sort if sort in PROGRAM_SORTS else "code", "pk")


def component_list(
    program: Program, *, status: str = "", kind: str = "", q: str = "", sort: str = "code"
) -> QuerySet[Component]:
    qs = program.components.select_related("manager", "program")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q))
    return qs.order_by(sort if sort in COMPONENT_SORTS else "code", "pk")


def member_list(program: Program, *, role: str = "") -> QuerySet[Membership]:
    qs = program.memberships.select_related("user", "program")
    if role:
        qs = qs.filter(role=role)
    return qs.order_by("role", "user__username")


def program_history(program: Program, user: Any) -> QuerySet[AuditRecord]:
    """Every change recorded for the program or anything in it, newest first; without
    the cost permission, changes of cost data (budgets, actual costs) are left out, and
    so are the private records (e.g. feedback) the user may not read."""
    qs = AuditRecord.objects.filter(program_id=program.pk).select_related("user")
    hidden = set(private_types(user, program))
    if not can_see_costs(user, program):
        hidden |= cost_types()
    if hidden:
        qs = qs.exclude(object_type__in=hidden)
    return qs
