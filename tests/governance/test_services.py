"""Gates, the gate rule, immutable decisions and corrections, component authorization,
through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from podium.core.audit import history_for
from podium.core.errors import PermissionDenied, TransitionRefused, ValidationFailed
from podium.governance import services
from podium.governance.criteria import evaluate
from podium.governance.models import (
    ComponentAuthorization,
    Decision,
    GateCondition,
    GateReview,
    ImmutableRecord,
)
from podium.programs import services as programs
from podium.programs.models import Component, ComponentStatus, Program, Stage
from podium.risks.services import create_risk
from tests.conftest import World
from tests.governance.conftest import Gov, approve_budget
from tests.governance.helpers import advance


def _stage(program: Program) -> str:
    return Program.objects.get(pk=program.pk).stage


def test_direct_forward_transition_is_refused_naming_the_gate_page(world: World) -> None:
    with pytest.raises(
        TransitionRefused, match=r"approved gate review.*/programs/ALPHA/governance/"
    ):
        programs.transition_program(
            actor=world.pm, program=world.alpha, target="planning", reason="skip the board"
        )
    assert _stage(world.alpha) == Stage.FORMULATION


def test_backward_step_stays_direct(gov: Gov, world: World) -> None:
    program = programs.transition_program(
        actor=world.pm, program=gov.program, target="formulation", reason="Charter reopened"
    )
    assert program.stage == Stage.FORMULATION


def test_go_is_refused_while_budget_baseline_is_red_then_moves_once_green(
    gov: Gov, world: World
) -> None:
    review = services.open_review(actor=world.pm, program=gov.program)
    results = {r.key: r for r in services.evaluate_review(review)}
    assert not results["budget_baseline_approved"].passed
    assert results["budget_baseline_approved"].url == "/programs/ALPHA/budget/"
    assert all(r.passed for k, r in results.items() if k != "budget_baseline_approved")
    decisions_before = Decision.objects.count()
    with pytest.raises(
        TransitionRefused, match="Budget baseline approved: no approved budget baseline"
    ):
        services.decide(actor=world.pm, review=review, outcome="go", rationale="Ready")
    assert Decision.objects.count() == decisions_before  # a refused decision leaves nothing
    assert _stage(gov.program) == Stage.PLANNING

    approve_budget(gov, world.pm)
    decision = services.decide(
        actor=world.pm, review=GateReview.objects.get(pk=review.pk), outcome="go",
        rationale="Plan and budget approved",
    )  # fmt: skip
    assert _stage(gov.program) == Stage.DELIVERY
    review.refresh_from_db()
    assert review.status == "decided" and review.decision == decision and review.used_at
    snapshot = {c["key"]: c["passed"] for c in review.evaluation}
    assert snapshot["budget_baseline_approved"] is True
    assert decision.kind == "gate" and decision.subject_label == "ALPHA: planning → delivery gate"
    record = history_for(gov.program).filter(action="transition").first()
    assert record is not None and record.after == {"stage": "delivery"}
    assert f"Gate decision #{decision.number}" in record.note


def test_a_used_review_cannot_move_the_program_again(gov: Gov, world: World) -> None:
    approve_budget(gov, world.pm)
    program = advance(world.pm, gov.program)
    review = GateReview.objects.filter(program=program, to_state="delivery").get()
    with pytest.raises(TransitionRefused, match="does not approve"):
        programs.transition_program(
            actor=world.pm, program=program, target="closure", reason="reuse", gate_review=review
        )
    assert _stage(program) == Stage.DELIVERY


def test_hold_moves_nothing_and_a_new_review_can_follow(gov: Gov, world: World) -> None:
    review = services.open_review(actor=world.pm, program=gov.program)
    with pytest.raises(TransitionRefused, match="already has an open gate review"):
        services.open_review(actor=world.pm, program=gov.program)
    decision = services.decide(
        actor=world.pm, review=review, outcome="hold", rationale="Budget not approved yet"
    )
    assert decision.outcome == "hold" and _stage(gov.program) == Stage.PLANNING
    again = services.open_review(actor=world.pm, program=gov.program)
    assert again.pk != review.pk and again.status == "open"


def test_go_with_conditions_needs_conditions_and_tracks_them(gov: Gov, world: World) -> None:
    approve_budget(gov, world.pm)
    review = services.open_review(actor=world.pm, program=gov.program)
    with pytest.raises(ValidationFailed) as err:
        services.decide(actor=world.pm, review=review, outcome="go_with_conditions", rationale="ok")
    assert "conditions" in err.value.errors
    services.decide(
        actor=world.pm, review=review, outcome="go_with_conditions", rationale="ok",
        conditions=[services.ConditionInput("Hire a test lead", world.cm, dt.date(2026, 6, 1))],
    )  # fmt: skip
    condition = GateCondition.objects.get(review=review)
    assert (condition.title, condition.owner, condition.status) == ("Hire a test lead", world.cm,
                                                                    "open")  # fmt: skip
    assert _stage(gov.program) == Stage.DELIVERY
    done = services.complete_condition(actor=world.cm, condition=condition)
    assert done.status == "done" and done.done_at is not None


def test_decisions_are_immutable_and_corrections_are_new_decisions(gov: Gov, world: World) -> None:
    review = services.open_review(actor=world.pm, program=gov.program)
    decision = services.decide(actor=world.pm, review=review, outcome="no_go", rationale="Weak")
    decision.rationale = "Rewritten history"
    with pytest.raises(ImmutableRecord):
        decision.save()
    with pytest.raises(ImmutableRecord):
        decision.delete()
    stored = Decision.objects.get(pk=decision.pk)
    assert stored.rationale == "Weak"

    correction = services.correct_decision(world.pm, stored, "hold", "It was a hold, not a no-go")
    assert correction.corrects == stored and correction.number == stored.number + 1
    assert (correction.subject_type, correction.subject_id) == (stored.subject_type,
                                                                stored.subject_id)  # fmt: skip
    assert stored.corrected_by == correction
    assert Decision.objects.get(pk=stored.pk).outcome == "no_go"
    assert _stage(gov.program) == Stage.PLANNING  # a correction moves nothing
    with pytest.raises(TransitionRefused, match=f"already corrected by #{correction.number}"):
        services.correct_decision(world.pm, stored, "go", "again")
    with pytest.raises(PermissionDenied):
        services.correct_decision(world.team, correction, "go", "me too")


def test_chair_decides_and_the_program_manager_no_longer_does(gov: Gov, world: World) -> None:
    services.add_board_member(actor=world.pm, program=gov.program, user=world.stakeholder,
                              role="chair")  # fmt: skip
    approve_budget(gov, world.pm)
    review = services.open_review(actor=world.pm, program=gov.program)
    with pytest.raises(PermissionDenied, match="chair"):
        services.decide(actor=world.pm, review=review, outcome="go", rationale="ok")
    services.decide(actor=world.stakeholder, review=review, outcome="go", rationale="Board: go")
    assert _stage(gov.program) == Stage.DELIVERY
    record = history_for(gov.program).filter(action="transition").first()
    assert record is not None and record.user == world.stakeholder


def test_manual_criterion_needs_checked_evidence(world: World) -> None:
    review = services.open_review(actor=world.pm, program=world.alpha)
    charter = next(r for r in services.evaluate_review(review) if r.key == "charter_approved")
    assert (charter.passed, charter.evidence) == (False, "no evidence attached")
    item = services.add_evidence(
        actor=world.pm, review=review, criterion_key="charter_approved", text="Minutes 2026-01"
    )
    with pytest.raises(TransitionRefused, match="not yet checked by a reviewer"):
        services.decide(actor=world.pm, review=review, outcome="go", rationale="ok")
    with pytest.raises(PermissionDenied):
        services.check_evidence(actor=world.team, evidence=item)
    services.check_evidence(actor=world.pm, evidence=item)
    services.decide(actor=world.pm, review=review, outcome="go", rationale="Charter approved")
    assert _stage(world.alpha) == Stage.PLANNING


def test_evidence_only_for_manual_criteria(world: World) -> None:
    review = services.open_review(actor=world.pm, program=world.alpha)
    with pytest.raises(ValidationFailed) as err:
        services.add_evidence(
            actor=world.pm, review=review, criterion_key="program_has_manager", text="me"
        )
    assert "criterion" in err.value.errors


def test_high_risk_without_response_is_red_until_it_has_owner_and_response(
    gov: Gov, world: World
) -> None:
    risk = create_risk(
        actor=world.pm, program=gov.program, title="Vendor fails", probability=0.8,
        schedule_score=4, cost_score=3,
    )  # fmt: skip
    create_risk(actor=world.pm, program=gov.program, title="Minor", probability=0.2,
                schedule_score=2, cost_score=1)  # fmt: skip
    found = evaluate("no_open_high_risk_without_response", gov.program, None)
    assert not found.passed and risk.code in found.evidence
    from podium.risks.services import update_risk

    update_risk(actor=world.pm, risk=risk, expected_version=None, owner=world.pm,
                strategy="mitigate", response="Second vendor on standby")  # fmt: skip
    found = evaluate("no_open_high_risk_without_response", gov.program, None)
    assert found.passed and "1 open high risks" in found.evidence


def test_component_authorization_flow(gov: Gov, world: World) -> None:
    comp = programs.create_component(actor=world.pm, program=gov.program, code="C2", name="Two")
    review = services.open_review(actor=world.pm, program=gov.program, component=comp)
    assert (review.from_state, review.to_state) == ("proposed", "authorized")
    red = {r.key for r in services.evaluate_review(review) if not r.passed}
    assert red == {
        "authorization_business_case", "authorization_expected_benefits",
        "authorization_budget_schedule",
    }  # fmt: skip
    with pytest.raises(TransitionRefused, match="Business case present: no business case"):
        services.decide(actor=world.pm, review=review, outcome="go", rationale="ok")
    with pytest.raises(ValidationFailed) as err:
        services.save_authorization(
            actor=world.pm, component=comp, business_case="Pays back",
            planned_start=dt.date(2026, 5, 1), planned_finish=dt.date(2026, 4, 1),
        )  # fmt: skip
    assert "planned_finish" in err.value.errors
    with pytest.raises(PermissionDenied):
        services.save_authorization(actor=world.cm, component=comp, business_case="mine")
    services.save_authorization(
        actor=world.pm, component=comp, business_case="Saves 2 FTE a year.",
        expected_benefits=[gov.benefit], initial_budget="250000",
        planned_start=dt.date(2026, 5, 1), planned_finish=dt.date(2026, 12, 18),
    )  # fmt: skip
    assert all(r.passed for r in services.evaluate_review(review))
    decision = services.decide(actor=world.pm, review=review, outcome="go", rationale="Funded")
    comp = Component.objects.get(pk=comp.pk)
    assert comp.status == ComponentStatus.AUTHORIZED
    assert comp.business_case == "Saves 2 FTE a year."
    auth = ComponentAuthorization.objects.get(component=comp)
    assert auth.decision == decision and auth.initial_budget == Decimal("250000")
    assert decision.kind == "authorization"
    assert (decision.subject_type, decision.subject_id) == ("programs.component", str(comp.pk))
    with pytest.raises(TransitionRefused, match="authorization is done"):
        services.save_authorization(actor=world.pm, component=comp, business_case="later")


def test_terminate_cancels_a_component(gov: Gov, world: World) -> None:
    review = services.open_review(actor=world.pm, program=gov.program, component=world.comp)
    services.decide(actor=world.pm, review=review, outcome="terminate", rationale="Descoped")
    assert Component.objects.get(pk=world.comp.pk).status == ComponentStatus.CANCELLED


def test_component_walks_its_gates(gov: Gov, world: World) -> None:
    approve_budget(gov, world.pm)
    advance(world.pm, gov.program)
    comp = Component.objects.get(pk=world.comp.pk)
    services.save_authorization(
        actor=world.pm, component=comp, business_case=comp.business_case,
        expected_benefits=[gov.benefit], initial_budget=1000,
        planned_start=dt.date(2026, 3, 2), planned_finish=dt.date(2026, 9, 30),
    )  # fmt: skip
    comp = advance(world.pm, comp)
    assert comp.status == ComponentStatus.AUTHORIZED
    # the component manager opens the next gate of their own component
    review = services.open_review(actor=world.cm, program=gov.program, component=comp)
    assert review.to_state == ComponentStatus.IN_DELIVERY
    services.decide(actor=world.pm, review=review, outcome="go", rationale="Kick-off held")
    comp = Component.objects.get(pk=comp.pk)
    assert comp.status == ComponentStatus.IN_DELIVERY
    review = services.open_review(actor=world.cm, program=gov.program, component=comp)
    deliverables = next(r for r in services.evaluate_review(review)
                        if r.key == "component_deliverables_delivered")  # fmt: skip
    assert (deliverables.passed, deliverables.evidence) == (False, "no deliverables registered")
    # backward step transitioning → in delivery stays direct; forward needs its gate
    with pytest.raises(TransitionRefused, match="approved gate review"):
        programs.transition_component(
            actor=world.cm, component=comp, target="transitioning", reason="hand over"
        )


def test_team_member_may_not_open_a_review(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.open_review(actor=world.team, program=world.alpha)
    with pytest.raises(PermissionDenied):  # the authorization gate is the program manager's
        services.open_review(actor=world.cm, program=world.alpha, component=world.comp)


def test_every_decision_is_numbered_per_program(gov: Gov, world: World) -> None:
    beta_decision = services.record_decision(
        actor=world.pm_b, program=world.beta, kind="other", outcome="approved",
        rationale="Kick-off", subject=world.beta,
    )  # fmt: skip
    assert beta_decision.number == 1  # ALPHA already has one (the formulation gate)
    assert Decision.objects.filter(program=gov.program).count() == 1
    with pytest.raises(ValidationFailed) as err:
        services.record_decision(actor=world.pm, program=gov.program, kind="gate",
                                 outcome="maybe", rationale="")  # fmt: skip
    assert set(err.value.errors) == {"outcome", "rationale"}


def test_board_hears_of_reviews_and_decisions(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    from podium.notifications.models import Notification

    services.add_board_member(actor=world.pm, program=world.alpha, user=world.stakeholder)
    with django_capture_on_commit_callbacks(execute=True):
        review = services.open_review(actor=world.pm, program=world.alpha)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(actor=world.pm, review=review, outcome="hold", rationale="Later")
    titles = list(
        Notification.objects.filter(user=world.stakeholder, category="governance")
        .order_by("id")
        .values_list("title", flat=True)
    )
    assert titles == [
        "Gate review opened: ALPHA: formulation → planning gate",
        "Decision #1: Hold — ALPHA: formulation → planning gate",
    ]
    assert not Notification.objects.filter(user=world.pm).exists()  # the actor
