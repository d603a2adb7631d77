"""The demo's governance: HDT's board, its gates passed on the way into delivery, the
components' authorizations, and what is pending now (DESK's authorization review with
its request half filled in, and a go-with-conditions condition still open).

``podium.demo.load_demo`` calls, in this order (the gates need the data they check):

1. :func:`install` right after the members are added (the board: the sponsor chairs);
2. :func:`pass_program_gate` for formulation → planning (the charter's manual criterion
   gets its evidence);
3. after the schedules, budget (approved baseline), risks, deliverables and benefits are
   seeded: :func:`pass_program_gate` for planning → delivery;
4. :func:`walk_component` for each component to its demo status (authorization request
   filled from its business case, benefits and dates; then each gate);
   The delivery gate is a go with conditions: its condition stays open;
5. :func:`seed_pending` at the end (DESK's authorization review waits).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from podium.accounts.models import User
from podium.governance import services
from podium.governance.models import BoardRole, CriterionKind
from podium.programs.models import Component, ComponentStatus, Program

__all__ = ["install", "pass_program_gate", "seed_pending", "walk_component"]

_EVIDENCE = {
    "charter_approved": "Hospital board minutes 2025-12-10, item 4: charter approved.",
    "lessons_session_held": "Lessons-learned workshop held; notes in the program library.",
}

_ORDER = [
    ComponentStatus.AUTHORIZED,
    ComponentStatus.IN_DELIVERY,
    ComponentStatus.TRANSITIONING,
    ComponentStatus.CLOSED,
]


def install(program: Program, pm: User, *, chair: User, members: list[User]) -> None:
    """The governance board: ``chair`` (the sponsor) and ``members``."""
    services.add_board_member(actor=pm, program=program, user=chair, role=BoardRole.CHAIR)
    for user in members:
        services.add_board_member(actor=pm, program=program, user=user, role=BoardRole.MEMBER)


def _chair(program: Program) -> User | None:
    member = program.board_members.filter(role=BoardRole.CHAIR).select_related("user").first()
    return member.user if member is not None else None


def _evidence(subject: Program | Component) -> dict[str, str]:
    program = subject.program if isinstance(subject, Component) else subject
    kind = "component" if isinstance(subject, Component) else "program"
    gate = services.next_gate(subject)
    if gate is None:
        return {}
    manual = [c.key for c in services.criteria_of(program, kind, *gate)
              if c.kind == CriterionKind.MANUAL]  # fmt: skip
    return {key: _EVIDENCE.get(key, "Reviewed at the board meeting.") for key in manual}


def pass_program_gate(
    program: Program, pm: User, rationale: str, conditions: Sequence[tuple[str, dt.date]] = ()
) -> Program:
    """Pass the program's next gate (the chair decides; with ``conditions`` — title, due
    date, owned by ``pm`` — it is a go with conditions); returns the program reloaded."""
    program = Program.objects.get(pk=program.pk)
    services.pass_gate(
        actor=pm, subject=program, rationale=rationale, evidence=_evidence(program),
        chair=_chair(program),
        outcome="go_with_conditions" if conditions else "go",
        conditions=[services.ConditionInput(title, pm, due) for title, due in conditions],
    )  # fmt: skip
    return Program.objects.get(pk=program.pk)


def _fill_authorization(component: Component, pm: User) -> None:
    from podium.benefits.models import Benefit

    benefits = list(
        Benefit.objects.filter(program=component.program, components=component)
        | Benefit.objects.filter(program=component.program, deliverables__component=component)
    )
    services.save_authorization(
        actor=pm, component=component, business_case=component.business_case,
        expected_benefits=list({b.pk: b for b in benefits}.values()),
        initial_budget=Decimal("250000"),
        planned_start=component.start_date, planned_finish=component.end_date,
    )  # fmt: skip


def walk_component(
    component: Component, pm: User, target: str, reasons: dict[str, str]
) -> Component:
    """Take ``component`` through its gates up to ``target`` (authorized, in delivery,
    transitioning). The authorization request is filled in from the component."""
    program = component.program
    for status in _ORDER[: _ORDER.index(ComponentStatus(target)) + 1]:
        component = Component.objects.get(pk=component.pk)
        if component.status == ComponentStatus.PROPOSED:
            _fill_authorization(component, pm)
        services.pass_gate(
            actor=pm, subject=component, rationale=reasons.get(status, "Board: go."),
            evidence=_evidence(component), chair=_chair(program),
        )  # fmt: skip
    return Component.objects.get(pk=component.pk)


def seed_pending(program: Program, pm: User, desk: Component) -> None:
    """What waits for the board now: ``desk``'s authorization review, its request half
    done (no expected benefits, no budget yet: two criteria red)."""
    services.save_authorization(
        actor=pm, component=desk,
        business_case="One service desk for clinical and IT requests, 24/7.",
        planned_start=desk.start_date, planned_finish=desk.end_date,
    )  # fmt: skip
    services.open_review(
        actor=pm, program=program, component=Component.objects.get(pk=desk.pk),
        notes="For the board meeting of 2026-12-02.",
    )  # fmt: skip
