"""Every change to programs, goals, components and memberships.

Each function is one transaction: permission check, validation, the write (versioned
where the object is edited), and its audit record. Pages, the API, the CLI and the demo
loader all call these; nothing else saves these models.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from podium.accounts.models import User
from podium.core import audit
from podium.core.errors import TransitionRefused, ValidationFailed
from podium.core.services import update_versioned, validate_model
from podium.programs import gates
from podium.programs.models import (
    Component,
    ComponentStatus,
    Goal,
    Membership,
    Program,
    Role,
    Stage,
)
from podium.programs.permissions import (
    can_change_component,
    can_change_program,
    can_create_program,
    can_transition_component,
    forget_roles,
    require,
)

__all__ = [
    "COMPONENT_TRANSITIONS",
    "PROGRAM_TRANSITIONS",
    "add_goal",
    "add_member",
    "change_member_role",
    "create_component",
    "create_program",
    "delete_goal",
    "remove_member",
    "transition_component",
    "transition_program",
    "update_component",
    "update_program",
]

PROGRAM_EDITABLE = {
    "name", "vision", "charter", "sponsor", "manager", "currency", "start_date", "end_date",
}  # fmt: skip
COMPONENT_EDITABLE = {
    "name", "kind", "description", "business_case", "manager", "start_date", "end_date",
}  # fmt: skip

# Where each stage may go next. Definition may end early in closure (a program that is
# not pursued is closed, not deleted); planning may go back to formulation.
PROGRAM_TRANSITIONS: dict[str, tuple[str, ...]] = {
    Stage.FORMULATION: (Stage.PLANNING, Stage.CLOSURE),
    Stage.PLANNING: (Stage.DELIVERY, Stage.FORMULATION, Stage.CLOSURE),
    Stage.DELIVERY: (Stage.CLOSURE,),
    Stage.CLOSURE: (Stage.CLOSED,),
    Stage.CLOSED: (),
}

_OPEN = (
    ComponentStatus.PROPOSED,
    ComponentStatus.AUTHORIZED,
    ComponentStatus.IN_DELIVERY,
    ComponentStatus.TRANSITIONING,
)
COMPONENT_TRANSITIONS: dict[str, tuple[str, ...]] = {
    ComponentStatus.PROPOSED: (ComponentStatus.AUTHORIZED, ComponentStatus.CANCELLED),
    ComponentStatus.AUTHORIZED: (ComponentStatus.IN_DELIVERY, ComponentStatus.CANCELLED),
    ComponentStatus.IN_DELIVERY: (ComponentStatus.TRANSITIONING, ComponentStatus.CANCELLED),
    ComponentStatus.TRANSITIONING: (
        ComponentStatus.CLOSED,
        ComponentStatus.IN_DELIVERY,
        ComponentStatus.CANCELLED,
    ),
    ComponentStatus.CLOSED: (),
    ComponentStatus.CANCELLED: (),
}


def _refuse_unknown(changes: dict[str, Any], editable: set[str]) -> None:
    unknown = sorted(set(changes) - editable)
    if unknown:
        raise ValidationFailed({f: ["This field cannot be changed here."] for f in unknown})


def _ensure_member(program: Program, user: User | None, field: str) -> None:
    if user is not None and not program.memberships.filter(user=user).exists():
        raise ValidationFailed({field: [f"{user} is not a member of {program.code}."]})


def _check_dates(start: Any, end: Any) -> None:
    if start and end and end < start:
        raise ValidationFailed({"end_date": ["The end date is before the start date."]})


# -- programs ---------------------------------------------------------------------------


@transaction.atomic
def create_program(*, actor: User | None, code: str, name: str, **fields: Any) -> Program:
    """Create a program in formulation. ``actor`` None is the system (CLI, demo loader)."""
    if actor is not None:
        require(can_create_program(actor), "Only an administrator (PMO) can create programs.")
    _refuse_unknown(fields, PROGRAM_EDITABLE)
    program = Program(code=code.strip().upper(), name=name.strip(), **fields)
    program.created_by = program.updated_by = actor
    validate_model(program, exclude=["created_by", "updated_by"])
    _check_dates(program.start_date, program.end_date)
    program.save()
    audit.record(
        user=actor,
        action="create",
        obj=program,
        before=None,
        after=audit.snapshot(program),
        program_id=program.pk,
    )
    for person in (program.manager, program.sponsor):
        if person is not None and not program.memberships.filter(user=person).exists():
            role = Role.PROGRAM_MANAGER if person == program.manager else Role.STAKEHOLDER
            _create_membership(actor, program, person, role)
    return program


@transaction.atomic
def update_program(
    *, actor: User, program: Program, expected_version: int | None, **changes: Any
) -> Program:
    require(can_change_program(actor, program), "Only the program manager can edit the program.")
    _refuse_unknown(changes, PROGRAM_EDITABLE)
    before = audit.snapshot(program)
    candidate = Program.objects.get(pk=program.pk)
    for key, value in changes.items():
        setattr(candidate, key, value)
    validate_model(candidate, exclude=["created_by", "updated_by", "code"])
    _check_dates(candidate.start_date, candidate.end_date)
    updated = update_versioned(program, expected_version, actor, **changes)
    if "manager" in changes and updated.manager is not None:
        membership = updated.memberships.filter(user=updated.manager).first()
        if membership is None:
            _create_membership(actor, updated, updated.manager, Role.PROGRAM_MANAGER)
        elif membership.role != Role.PROGRAM_MANAGER:
            change_member_role(
                actor=actor,
                membership=membership,
                role=Role.PROGRAM_MANAGER,
                expected_version=None,
            )
    audit.record(
        user=actor,
        action="update",
        obj=updated,
        before=before,
        after=audit.snapshot(updated),
        program_id=updated.pk,
    )
    return updated


def _program_blockers(program: Program, target: str) -> list[str]:
    """Reasons the program cannot move to ``target`` yet (empty when it can)."""
    reasons = []
    if target == Stage.DELIVERY:
        if program.manager_id is None:
            reasons.append("it has no program manager")
        if not program.components.exists():
            reasons.append("it has no components")
    if target == Stage.CLOSED:
        open_components = program.components.filter(status__in=_OPEN)
        if open_components.exists():
            names = ", ".join(c.code for c in open_components[:5])
            reasons.append(f"components still open: {names}")
    return reasons


@transaction.atomic
def transition_program(
    *,
    actor: User,
    program: Program,
    target: str,
    reason: str,
    expected_version: int | None = None,
    gate_review: Any = None,
) -> Program:
    """Move the program to another stage (formulation → planning → delivery → closure →
    closed). Records who, when and why.

    Forward steps are gated: the registered gate hooks (:mod:`podium.programs.gates`,
    governance) refuse them unless ``gate_review`` is an approved, unused gate review."""
    # A gate review carries the board's authority (its decider may be a sponsor who is
    # no program manager); the gate hooks check that it approves exactly this move.
    if gate_review is None or not gates.registered():
        require(
            can_change_program(actor, program),
            "Only the program manager can move the program to another phase.",
        )
    current = Stage(program.stage)
    if target not in Stage.values:
        raise ValidationFailed({"target": [f"Unknown stage {target!r}."]})
    allowed = PROGRAM_TRANSITIONS[current]
    if target not in allowed:
        options = ", ".join(allowed) or "nowhere (it is closed)"
        raise TransitionRefused(
            f"{program.code} is in {current.label.lower()}; it can move to {options}, "
            f"not to {target}."
        )
    if not reason.strip():
        raise ValidationFailed({"reason": ["Say why the program changes phase."]})
    blockers = _program_blockers(program, target)
    if blockers:
        raise TransitionRefused(f"{program.code} cannot move to {target}: {'; '.join(blockers)}.")
    gates.check(
        actor=actor, subject=program, source=program.stage, target=target, review=gate_review
    )
    before = {"stage": program.stage}
    updated = update_versioned(program, expected_version, actor, stage=target)
    audit.record(
        user=actor,
        action="transition",
        obj=updated,
        before=before,
        after={"stage": updated.stage},
        program_id=updated.pk,
        note=reason.strip(),
    )
    return updated


# -- goals ------------------------------------------------------------------------------


@transaction.atomic
def add_goal(*, actor: User | None, program: Program, title: str, description: str = "") -> Goal:
    if actor is not None:
        require(can_change_program(actor, program), "Only the program manager can add goals.")
    order = program.goals.count() + 1
    goal = Goal(program=program, title=title.strip(), description=description, order=order)
    goal.created_by = goal.updated_by = actor
    validate_model(goal, exclude=["created_by", "updated_by", "program"])
    goal.save()
    audit.record(
        user=actor,
        action="create",
        obj=goal,
        before=None,
        after=audit.snapshot(goal),
        program_id=program.pk,
    )
    return goal


@transaction.atomic
def delete_goal(*, actor: User, goal: Goal) -> None:
    require(can_change_program(actor, goal.program), "Only the program manager can remove goals.")
    audit.record(
        user=actor,
        action="delete",
        obj=goal,
        before=audit.snapshot(goal),
        after=None,
        program_id=goal.program_id,
    )
    goal.delete()


# -- components -------------------------------------------------------------------------


@transaction.atomic
def create_component(
    *, actor: User | None, program: Program, code: str, name: str, **fields: Any
) -> Component:
    if actor is not None:
        require(
            can_change_program(actor, program),
            "Only the program manager can add components.",
        )
    _refuse_unknown(fields, COMPONENT_EDITABLE)
    if program.stage == Stage.CLOSED:
        raise TransitionRefused(f"{program.code} is closed; it takes no new components.")
    component = Component(program=program, code=code.strip().upper(), name=name.strip(), **fields)
    component.created_by = component.updated_by = actor
    validate_model(component, exclude=["created_by", "updated_by"])
    _check_dates(component.start_date, component.end_date)
    _ensure_member(program, component.manager, "manager")
    component.save()
    audit.record(
        user=actor,
        action="create",
        obj=component,
        before=None,
        after=audit.snapshot(component),
        program_id=program.pk,
    )
    return component


@transaction.atomic
def update_component(
    *, actor: User, component: Component, expected_version: int | None, **changes: Any
) -> Component:
    require(
        can_change_component(actor, component),
        "Only the program manager or this component's manager can edit it.",
    )
    _refuse_unknown(changes, COMPONENT_EDITABLE)
    if component.status in (ComponentStatus.CLOSED, ComponentStatus.CANCELLED):
        raise TransitionRefused(f"{component.code} is {component.status}; it can no longer change.")
    if "manager" in changes and not can_change_program(actor, component.program):
        raise ValidationFailed({"manager": ["Only the program manager can reassign a component."]})
    before = audit.snapshot(component)
    candidate = Component.objects.get(pk=component.pk)
    for key, value in changes.items():
        setattr(candidate, key, value)
    validate_model(candidate, exclude=["created_by", "updated_by", "program", "code"])
    _check_dates(candidate.start_date, candidate.end_date)
    _ensure_member(component.program, candidate.manager, "manager")
    updated = update_versioned(component, expected_version, actor, **changes)
    forget_roles(actor)
    audit.record(
        user=actor,
        action="update",
        obj=updated,
        before=before,
        after=audit.snapshot(updated),
        program_id=updated.program_id,
    )
    return updated


def _component_blockers(component: Component, target: str) -> list[str]:
    reasons = []
    program = component.program
    if target == ComponentStatus.AUTHORIZED:
        if not component.business_case.strip():
            reasons.append("it has no business case")
        if program.stage not in (Stage.PLANNING, Stage.DELIVERY):
            reasons.append(f"the program is in {program.stage}, not planning or delivery")
    if target == ComponentStatus.IN_DELIVERY:
        if component.manager_id is None:
            reasons.append("it has no component manager")
        if program.stage != Stage.DELIVERY:
            reasons.append(f"the program is in {program.stage}, not delivery")
    return reasons


@transaction.atomic
def transition_component(
    *,
    actor: User,
    component: Component,
    target: str,
    reason: str,
    expected_version: int | None = None,
    gate_review: Any = None,
) -> Component:
    """Move a component through proposed → authorized → in delivery → transitioning →
    closed (or cancelled). Records who, when and why.

    Forward steps are gated like the program's (see :func:`transition_program`)."""
    if target not in ComponentStatus.values:
        raise ValidationFailed({"target": [f"Unknown status {target!r}."]})
    if gate_review is None or not gates.registered():
        require(
            can_transition_component(actor, component, target),
            f"You may not move {component.code} to {target}.",
        )
    current = ComponentStatus(component.status)
    allowed = COMPONENT_TRANSITIONS[current]
    if target not in allowed:
        options = ", ".join(allowed) or f"nowhere (it is {current.label.lower()})"
        raise TransitionRefused(
            f"{component.code} is {current.label.lower()}; it can move to {options}, "
            f"not to {target}."
        )
    if not reason.strip():
        raise ValidationFailed({"reason": ["Say why the component changes status."]})
    blockers = _component_blockers(component, target)
    if blockers:
        raise TransitionRefused(f"{component.code} cannot move to {target}: {'; '.join(blockers)}.")
    gates.check(
        actor=actor, subject=component, source=component.status, target=target, review=gate_review
    )
    before = {"status": component.status}
    updated = update_versioned(component, expected_version, actor, status=target)
    audit.record(
        user=actor,
        action="transition",
        obj=updated,
        before=before,
        after={"status": updated.status},
        program_id=updated.program_id,
        note=reason.strip(),
    )
    return updated


# -- memberships ------------------------------------------------------------------------


def _create_membership(actor: User | None, program: Program, user: User, role: str) -> Membership:
    membership = Membership(program=program, user=user, role=role)
    membership.created_by = membership.updated_by = actor
    validate_model(membership, exclude=["created_by", "updated_by"])
    membership.save()
    audit.record(
        user=actor,
        action="create",
        obj=membership,
        before=None,
        after=audit.snapshot(membership),
        program_id=program.pk,
    )
    forget_roles(user)
    return membership


@transaction.atomic
def add_member(*, actor: User | None, program: Program, user: User, role: str) -> Membership:
    if actor is not None:
        require(can_change_program(actor, program), "Only the program manager can add members.")
    if role not in Role.values:
        raise ValidationFailed({"role": [f"Unknown role {role!r}."]})
    if program.memberships.filter(user=user).exists():
        raise ValidationFailed({"user": [f"{user} is already a member of {program.code}."]})
    return _create_membership(actor, program, user, role)


@transaction.atomic
def change_member_role(
    *, actor: User | None, membership: Membership, role: str, expected_version: int | None
) -> Membership:
    program = membership.program
    if actor is not None:
        require(can_change_program(actor, program), "Only the program manager can change roles.")
    if role not in Role.values:
        raise ValidationFailed({"role": [f"Unknown role {role!r}."]})
    if (
        membership.role == Role.PROGRAM_MANAGER
        and role != Role.PROGRAM_MANAGER
        and program.manager_id == membership.user_id
    ):
        raise ValidationFailed(
            {"role": ["This is the program's manager; name another program manager first."]}
        )
    before = audit.snapshot(membership)
    updated = update_versioned(membership, expected_version, actor, role=role)
    forget_roles(membership.user)
    audit.record(
        user=actor,
        action="update",
        obj=updated,
        before=before,
        after=audit.snapshot(updated),
        program_id=program.pk,
    )
    return updated


@transaction.atomic
def remove_member(*, actor: User, membership: Membership) -> None:
    program = membership.program
    require(can_change_program(actor, program), "Only the program manager can remove members.")
    if program.manager_id == membership.user_id:
        raise ValidationFailed({"user": ["The program's manager cannot be removed."]})
    managed = program.components.filter(manager=membership.user_id, status__in=_OPEN)
    if managed.exists():
        names = ", ".join(c.code for c in managed)
        raise ValidationFailed({"user": [f"{membership.user} still manages {names}."]})
    audit.record(
        user=actor,
        action="delete",
        obj=membership,
        before=audit.snapshot(membership),
        after=None,
        program_id=program.pk,
    )
    forget_roles(membership.user)
    membership.delete()
