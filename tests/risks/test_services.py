"""Risk and issue services: who may do what, what the audit trail keeps, escalation and
a risk turning into an issue."""

from __future__ import annotations

from typing import Any

import pytest

from podium.core.audit import history_for
from podium.core.errors import (
    PermissionDenied,
    TransitionRefused,
    ValidationFailed,
    VersionConflict,
)
from podium.core.models import AuditRecord
from podium.programs import services as program_services
from podium.programs.selectors import program_history
from podium.risks import services
from podium.risks.models import Issue, Level, Risk, RiskCostImpact, RiskStatus
from tests.conftest import World
from tests.risks.conftest import Risky


def test_create_is_audited_with_links_but_without_cost(world: World, risky: Risky) -> None:
    record = history_for(risky.threat).get()
    assert record.action == "create" and record.user == world.pm
    assert record.after is not None
    assert record.after["activities"] == ["A", "B"]
    assert "5000" not in str(record.after)
    cost = history_for(RiskCostImpact.objects.get(risk=risky.threat)).get()
    assert cost.after is not None and cost.after["high"] == "5000.00"


def test_cost_history_hidden_from_program_history_without_costs(world: World, risky: Risky) -> None:
    types = {r.object_type for r in program_history(world.alpha, world.stakeholder)}
    assert "risks.risk" in types and "risks.riskcostimpact" not in types
    assert "risks.riskcostimpact" in {r.object_type for r in program_history(world.alpha, world.pm)}


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("team_member", True), ("component_manager", True), ("stakeholder", False),
     ("viewer", False), ("non_member", False)],
)  # fmt: skip
def test_who_raises_risks_and_issues(world: World, role: str, allowed: bool) -> None:
    user = world.by_role(role)
    if not allowed:
        with pytest.raises(PermissionDenied):
            services.create_risk(actor=user, program=world.alpha, title="x")
        with pytest.raises(PermissionDenied):
            services.create_issue(actor=user, program=world.alpha, title="x")
        assert not Risk.objects.exists() and not Issue.objects.exists()
        return
    risk = services.create_risk(actor=user, program=world.alpha, title="x")
    issue = services.create_issue(actor=user, program=world.alpha, title="y")
    assert (risk.code, issue.code) == ("R-001", "I-001")


def test_component_manager_changes_only_own_component(world: World, risky: Risky) -> None:
    other = program_services.create_component(
        actor=world.pm, program=world.alpha, code="C2", name="Other"
    )
    theirs = services.create_risk(actor=world.pm, program=world.alpha, component=other, title="t")
    services.update_risk(actor=world.cm, risk=risky.threat, expected_version=None, title="ok")
    with pytest.raises(PermissionDenied):
        services.update_risk(actor=world.cm, risk=theirs, expected_version=None, title="no")
    with pytest.raises(PermissionDenied):  # program level belongs to the program manager
        services.update_risk(
            actor=world.cm, risk=risky.opportunity, expected_version=None, title="no"
        )
    with pytest.raises(PermissionDenied):  # nor may they move their risk out of reach
        services.update_risk(
            actor=world.cm, risk=risky.threat, expected_version=None, component=other
        )
    with pytest.raises(PermissionDenied):
        services.update_risk(actor=world.team, risk=risky.threat, expected_version=None, title="x")


def test_only_cost_seeing_managers_set_cost_impacts(world: World, risky: Risky) -> None:
    with pytest.raises(PermissionDenied):
        services.create_risk(
            actor=world.team, program=world.alpha, title="x",
            cost_impact={"low": 1, "mode": 2, "high": 3},
        )  # fmt: skip
    services.set_cost_impact(world.cm, risky.threat, None)
    assert not RiskCostImpact.objects.filter(risk=risky.threat).exists()
    assert AuditRecord.objects.filter(object_type="risks.riskcostimpact", action="delete").exists()


def test_stale_version_refused_and_leaves_no_trace(world: World, risky: Risky) -> None:
    services.update_risk(actor=world.pm, risk=risky.threat, expected_version=1, title="v2")
    records = AuditRecord.objects.count()
    with pytest.raises(VersionConflict) as exc:
        services.update_risk(actor=world.cm, risk=risky.threat, expected_version=1, title="old")
    assert exc.value.current_version == 2
    assert AuditRecord.objects.count() == records
    assert Risk.objects.get(pk=risky.threat.pk).title == "v2"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"probability": 1.5}, "probability"),
        ({"schedule_score": 6}, "schedule_score"),
        ({"strategy": "exploit"}, "strategy"),
        ({"duration_kind": "pert", "duration_low": 5, "duration_mode": 1, "duration_high": 9},
         "duration_mode"),
        ({"duration_kind": "uniform", "duration_low": 9, "duration_high": 5}, "duration_high"),
        ({"duration_kind": "lognormal", "duration_low": 0, "duration_mode": 10,
          "duration_high": 5}, "duration_high"),
        ({"duration_kind": "triangular", "duration_low": -1, "duration_mode": 1,
          "duration_high": 2}, "duration_low"),
        ({"status": "occurred"}, None),
    ],
)  # fmt: skip
def test_invalid_risk_changes_refused(
    world: World, risky: Risky, changes: dict[str, Any], field: str | None
) -> None:
    if field is None:
        with pytest.raises(TransitionRefused):
            services.update_risk(
                actor=world.pm, risk=risky.threat, expected_version=None, **changes
            )
        return
    with pytest.raises(ValidationFailed) as exc:
        services.update_risk(actor=world.pm, risk=risky.threat, expected_version=None, **changes)
    assert field in exc.value.errors


def test_escalation_records_who_and_why(world: World, risky: Risky) -> None:
    with pytest.raises(PermissionDenied):
        services.escalate_risk(
            actor=world.team, risk=risky.threat, reason="x", expected_version=None
        )
    risk = services.escalate_risk(
        actor=world.cm, risk=risky.threat, reason="Supplier contract is the program's",
        expected_version=None,
    )  # fmt: skip
    assert risk.level == Level.PROGRAM and risk.escalated_by == world.cm
    assert risk.escalated_at is not None
    record = history_for(risk).first()
    assert record is not None and record.action == "transition"
    assert record.note == "escalated to the program: Supplier contract is the program's"
    with pytest.raises(TransitionRefused):
        services.escalate_risk(actor=world.pm, risk=risk, reason="x", expected_version=None)
    with pytest.raises(TransitionRefused):  # program-level from the start
        services.escalate_risk(
            actor=world.pm, risk=risky.opportunity, reason="x", expected_version=None
        )


def test_occurred_risk_becomes_an_issue(world: World, risky: Risky) -> None:
    issue = services.occur_risk(
        actor=world.cm, risk=risky.threat, expected_version=risky.threat.version,
        note="Beds stuck in customs",
    )  # fmt: skip
    risk = Risk.objects.get(pk=risky.threat.pk)
    assert risk.status == RiskStatus.OCCURRED and risk.issue == issue
    assert issue.component == world.comp and issue.owner == world.cm
    assert issue.priority == "high"  # impact score 4
    assert "Beds stuck in customs" in issue.description and "Beds arrive late" in issue.description
    assert history_for(issue).get().note == "from risk R-001"
    with pytest.raises(TransitionRefused):
        services.occur_risk(actor=world.pm, risk=risk, expected_version=None)
    with pytest.raises(TransitionRefused):  # an occurred risk is not reopened by hand
        services.update_risk(actor=world.pm, risk=risk, expected_version=None, status="open")
    with pytest.raises(TransitionRefused):  # nor deleted while its issue exists
        services.delete_risk(actor=world.pm, risk=risk, expected_version=None)


def test_issue_escalation_and_scope(world: World) -> None:
    issue = services.create_issue(
        actor=world.team, program=world.alpha, component=world.comp, title="Ward keys missing"
    )
    with pytest.raises(PermissionDenied):
        services.update_issue(actor=world.team, issue=issue, expected_version=None, title="x")
    issue = services.update_issue(
        actor=world.cm, issue=issue, expected_version=None, status="in_progress"
    )
    issue = services.escalate_issue(
        actor=world.cm, issue=issue, reason="Estates", expected_version=issue.version
    )
    assert issue.level == Level.PROGRAM and issue.escalated_by == world.cm


def test_actions_and_estimates_and_correlations(world: World, risky: Risky) -> None:
    action = services.create_action(
        actor=world.cm, risk=risky.threat, description="Second supplier", owner=world.team
    )
    with pytest.raises(ValidationFailed):  # owners are members
        services.update_action(
            actor=world.cm, action=action, expected_version=None, owner=world.outsider
        )
    services.update_action(actor=world.cm, action=action, expected_version=None, status="done")
    with pytest.raises(ValidationFailed):
        services.set_estimate(
            actor=world.pm, activity=risky.b, kind="pert", optimistic=900, most_likely=600,
            pessimistic=1000,
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.set_estimate(
            actor=world.team, activity=risky.b, kind="pert", optimistic=1, most_likely=2,
            pessimistic=3,
        )  # fmt: skip
    with pytest.raises(ValidationFailed):
        services.create_correlation(
            actor=world.pm, program=world.alpha, a=risky.a, b=risky.c, rho=-1.2
        )
    stored = services.create_correlation(
        actor=world.cm, program=world.alpha, a=risky.c, b=risky.a, rho=-0.3
    )
    assert stored.activity_a.pk < stored.activity_b.pk
