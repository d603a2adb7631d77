"""Who may see and change what, decided in one place.

Every read starts from :func:`visible_programs` (or a queryset narrowed by it), so an
object the user may not see is simply absent: it answers 404 exactly like a missing one.
Change rights are checked by the ``can_*`` functions below; a service raises
``PermissionDenied`` (403) when one says no for an object the user can see.

Rules
-----
administrator (``is_staff``): sees and changes everything, creates programs.
program manager: changes the program, its goals, components and memberships, moves the
    program and its components through their lifecycles.
component manager: changes the components they manage; starts their delivery and
    hands them over to transition.
team member, stakeholder, viewer: read only (later capabilities add what they report).
"""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, QuerySet, Value

from podium.core.errors import NotFound, PermissionDenied
from podium.programs.models import Component, ComponentStatus, Membership, Program, Role

__all__ = [
    "can_change_component",
    "can_change_program",
    "can_create_program",
    "can_see_costs",
    "can_transition_component",
    "get_component",
    "get_program",
    "require",
    "roles_in",
    "visible_components",
    "visible_programs",
]


def _is_admin(user: Any) -> bool:
    return bool(getattr(user, "is_administrator", False))


def visible_programs(user: Any) -> QuerySet[Program]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Program.objects.none()
    if _is_admin(user):
        return Program.objects.all()
    return Program.objects.filter(memberships__user=user).distinct()


def visible_components(user: Any) -> QuerySet[Component]:
    return Component.objects.filter(program__in=visible_programs(user))


def get_program(user: Any, code: str) -> Program:
    program = visible_programs(user).filter(code=code).first()
    if program is None:
        raise NotFound(f"No program {code!r}.")
    return program


def get_component(user: Any, pk: int, program: Program | None = None) -> Component:
    qs = visible_components(user).select_related("program", "manager")
    if program is not None:
        qs = qs.filter(program=program)
    component = qs.filter(pk=pk).first()
    if component is None:
        raise NotFound(f"No component {pk}.")
    return component


def roles_in(user: Any, program: Program) -> set[str]:
    """The user's roles in ``program`` (the membership role, plus component manager of any
    component they manage, plus "admin")."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cache: dict[int, set[str]] = user.__dict__.setdefault("_podium_roles", {})
    if program.pk not in cache:
        # one query: the membership's role and, if they manage a component, that role
        member = Membership.objects.filter(program=program, user=user).order_by()
        manages = (
            Component.objects.filter(program=program, manager=user)
            .order_by()
            .annotate(role=Value(Role.COMPONENT_MANAGER.value, output_field=CharField()))
        )
        roles = set(member.values_list("role", flat=True).union(manages.values_list("role")))
        if _is_admin(user):
            roles.add("admin")
        cache[program.pk] = roles
    return cache[program.pk]


def forget_roles(user: Any) -> None:
    """Drop the roles cached on ``user`` (after memberships change)."""
    user.__dict__.pop("_podium_roles", None)


def can_create_program(user: Any) -> bool:
    return _is_admin(user)


def can_change_program(user: Any, program: Program) -> bool:
    return bool(roles_in(user, program) & {"admin", Role.PROGRAM_MANAGER})


def can_change_component(user: Any, component: Component) -> bool:
    if can_change_program(user, component.program):
        return True
    return component.manager_id is not None and component.manager_id == user.pk


# Component transitions a component manager may make for their own components;
# every other transition belongs to the program manager (or an administrator).
_MANAGER_TRANSITIONS = {
    (ComponentStatus.AUTHORIZED, ComponentStatus.IN_DELIVERY),
    (ComponentStatus.IN_DELIVERY, ComponentStatus.TRANSITIONING),
    (ComponentStatus.TRANSITIONING, ComponentStatus.IN_DELIVERY),
}


def can_transition_component(user: Any, component: Component, target: str) -> bool:
    if can_change_program(user, component.program):
        return True
    own = component.manager_id is not None and component.manager_id == user.pk
    return own and (component.status, target) in _MANAGER_TRANSITIONS


def can_see_costs(user: Any, program: Program) -> bool:
    """Budgets, rates and costs: program and component managers and administrators only
    (stakeholders and team members never see them unless a later grant says so)."""
    return bool(roles_in(user, program) & {"admin", Role.PROGRAM_MANAGER, Role.COMPONENT_MANAGER})


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)
