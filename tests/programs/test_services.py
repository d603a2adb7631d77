"""Program and component lifecycles, validation, audit records."""

from __future__ import annotations

import datetime as dt

import pytest

from podium.core.audit import history_for
from podium.core.errors import PermissionDenied, TransitionRefused, ValidationFailed
from podium.core.models import AuditRecord
from podium.programs import services
from podium.programs.models import Component, ComponentStatus, Program, Role, Stage
from tests.conftest import World, make_user


def test_new_program_starts_in_formulation_with_its_manager_as_member(world: World) -> None:
    assert world.alpha.stage == Stage.FORMULATION
    assert world.alpha.phase == "definition"
    assert world.alpha.sub_phase == "formulation"
    roles = dict(world.alpha.memberships.values_list("user__username", "role"))
    assert roles["pm"] == Role.PROGRAM_MANAGER


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("code", "x", "capital letters"),
        ("code", "ALPHA", "already exists"),
        ("currency", "EURO", "at most 3"),
        ("end_date", dt.date(2020, 1, 1), "before the start date"),
    ],
)
def test_create_program_refuses_bad_fields_naming_them(
    world: World, field: str, value: object, message: str
) -> None:
    data: dict[str, object] = {
        "code": "GAMMA", "name": "Gamma", "start_date": dt.date(2026, 1, 1),
    }  # fmt: skip
    data[field] = value
    before = Program.objects.count()
    with pytest.raises(ValidationFailed) as err:
        services.create_program(actor=world.admin, **data)  # type: ignore[arg-type]
    assert field in err.value.errors
    assert message in " ".join(err.value.errors[field])
    assert Program.objects.count() == before


def test_program_walks_the_pmi_lifecycle_and_records_why(world: World) -> None:
    program = world.alpha
    program = services.transition_program(
        actor=world.pm, program=program, target="planning", reason="Charter approved"
    )
    program = services.transition_program(
        actor=world.pm, program=program, target="delivery", reason="Plan approved"
    )
    assert (program.phase, program.sub_phase) == ("delivery", "")
    record = history_for(program).filter(action="transition").first()
    assert record is not None
    assert record.before == {"stage": "planning"} and record.after == {"stage": "delivery"}
    assert record.user == world.pm and record.note == "Plan approved"


def test_invalid_program_transition_says_why(world: World) -> None:
    with pytest.raises(TransitionRefused, match="in formulation; it can move to planning"):
        services.transition_program(
            actor=world.pm, program=world.alpha, target="delivery", reason="skip ahead"
        )
    assert Program.objects.get(pk=world.alpha.pk).stage == Stage.FORMULATION


def test_delivery_needs_components(world: World) -> None:
    program = services.create_program(actor=world.admin, code="EMPTY", name="E", manager=world.pm)
    program = services.transition_program(
        actor=world.pm, program=program, target="planning", reason="ok"
    )
    with pytest.raises(TransitionRefused, match="it has no components"):
        services.transition_program(actor=world.pm, program=program, target="delivery", reason="x")


def test_transition_requires_a_reason(world: World) -> None:
    with pytest.raises(ValidationFailed) as err:
        services.transition_program(
            actor=world.pm, program=world.alpha, target="planning", reason="  "
        )
    assert "reason" in err.value.errors


def test_team_member_cannot_move_the_program(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.transition_program(
            actor=world.team, program=world.alpha, target="planning", reason="why not"
        )


def _deliver(world: World) -> Component:
    program = services.transition_program(
        actor=world.pm, program=world.alpha, target="planning", reason="ok"
    )
    services.transition_program(actor=world.pm, program=program, target="delivery", reason="ok")
    return Component.objects.get(pk=world.comp.pk)


def test_component_lifecycle_by_the_right_people(world: World) -> None:
    comp = _deliver(world)
    with pytest.raises(PermissionDenied):  # authorization is the program manager's
        services.transition_component(
            actor=world.cm, component=comp, target="authorized", reason="ready"
        )
    comp = services.transition_component(
        actor=world.pm, component=comp, target="authorized", reason="board decision"
    )
    comp = services.transition_component(
        actor=world.cm, component=comp, target="in_delivery", reason="kick-off held"
    )
    comp = services.transition_component(
        actor=world.cm, component=comp, target="transitioning", reason="handover"
    )
    with pytest.raises(PermissionDenied):
        services.transition_component(actor=world.cm, component=comp, target="closed", reason="x")
    comp = services.transition_component(
        actor=world.pm, component=comp, target="closed", reason="accepted by operations"
    )
    assert comp.status == ComponentStatus.CLOSED
    notes = list(history_for(comp).filter(action="transition").values_list("note", flat=True))
    assert notes == ["accepted by operations", "handover", "kick-off held", "board decision"]


def test_component_without_business_case_cannot_be_authorized(world: World) -> None:
    _deliver(world)
    comp = services.create_component(actor=world.pm, program=world.alpha, code="C2", name="Two")
    with pytest.raises(TransitionRefused, match="no business case"):
        services.transition_component(
            actor=world.pm, component=comp, target="authorized", reason="go"
        )


def test_closed_component_refuses_every_move(world: World) -> None:
    comp = services.transition_component(
        actor=world.pm, component=world.comp, target="cancelled", reason="descoped"
    )
    with pytest.raises(TransitionRefused, match="it can move to nowhere"):
        services.transition_component(
            actor=world.pm, component=comp, target="authorized", reason="revive"
        )
    with pytest.raises(TransitionRefused):
        services.update_component(
            actor=world.pm, component=comp, expected_version=None, name="Renamed"
        )


def test_component_manager_must_be_a_member(world: World) -> None:
    with pytest.raises(ValidationFailed) as err:
        services.create_component(
            actor=world.pm, program=world.alpha, code="C3", name="Three", manager=world.outsider
        )
    assert "manager" in err.value.errors


def test_component_manager_cannot_reassign_their_component(world: World) -> None:
    with pytest.raises(ValidationFailed) as err:
        services.update_component(
            actor=world.cm, component=world.comp, expected_version=None, manager=world.team
        )
    assert "manager" in err.value.errors


def test_cannot_remove_the_program_manager_or_a_component_manager(world: World) -> None:
    pm_membership = world.alpha.memberships.get(user=world.pm)
    with pytest.raises(ValidationFailed, match="cannot be removed"):
        services.remove_member(actor=world.admin, membership=pm_membership)
    cm_membership = world.alpha.memberships.get(user=world.cm)
    with pytest.raises(ValidationFailed, match="still manages C1"):
        services.remove_member(actor=world.pm, membership=cm_membership)


def test_every_service_write_leaves_one_audit_record(world: World) -> None:
    newcomer = make_user("newcomer")
    steps = [
        lambda: services.update_program(
            actor=world.pm, program=world.alpha, expected_version=None, vision="V"
        ),
        lambda: services.add_goal(actor=world.pm, program=world.alpha, title="G"),
        lambda: services.add_member(
            actor=world.pm, program=world.alpha, user=newcomer, role=Role.VIEWER
        ),
        lambda: services.update_component(
            actor=world.cm, component=world.comp, expected_version=None, description="D"
        ),
        lambda: services.transition_program(
            actor=world.pm,
            program=Program.objects.get(pk=world.alpha.pk),
            target="planning",
            reason="R",
        ),
    ]
    for step in steps:
        before = AuditRecord.objects.count()
        step()
        assert AuditRecord.objects.count() == before + 1


def test_update_records_before_and_after_with_the_user(world: World) -> None:
    services.update_program(
        actor=world.pm, program=world.alpha, expected_version=1, name="Alpha renamed"
    )
    record = history_for(world.alpha).filter(action="update").get()
    assert record.user == world.pm
    assert ("name", "Alpha program", "Alpha renamed") in record.changes
