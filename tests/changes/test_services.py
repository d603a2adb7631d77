"""Workflow, validation and atomic approval of change requests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from podium.changes import selectors, services
from podium.changes.models import ChangeRequest, State
from podium.core.errors import PermissionDenied, TransitionRefused, ValidationFailed
from podium.core.models import AuditRecord
from podium.finance.models import BudgetBaseline, BudgetChangeRequest
from podium.governance.models import Decision
from podium.schedule.models import Activity, Link, ScheduleSettings
from tests.changes.conftest import DAY, Plan, make_request


def _duration(plan: Plan, days: str = "6") -> dict[str, Any]:
    return {"kind": "duration", "activity": plan.b.pk, "new_duration_days": days}


def _cost(plan: Plan, amount: str = "800") -> dict[str, Any]:
    return {"kind": "cost", "cost_account": plan.budget.mat.pk, "amount": amount,
            "reason": "More cable"}  # fmt: skip


def test_numbers_per_program_and_pending_list(plan: Plan) -> None:
    first = make_request(plan, [_duration(plan)], submit=True)
    second = make_request(plan, [_duration(plan, "4")], title="Another")
    assert (first.code, second.code) == ("CR-001", "CR-002")
    assert list(selectors.pending_change_requests(plan.program)) == [first]


def test_approval_records_decision_budget_version_and_audit(plan: Plan) -> None:
    cr = make_request(plan, [_duration(plan), _cost(plan),
                             {"kind": "descope_deliverable", "deliverable": plan.deliverable.pk,
                              "reason": "Not needed"}], submit=True)  # fmt: skip
    done = services.approve(actor=plan.world.pm, cr=cr, expected_version=None,
                            rationale="Worth it.")  # fmt: skip
    assert done.state == State.APPROVED
    decision = Decision.objects.get(pk=done.decision_id)
    assert (decision.kind, decision.outcome) == ("change_request", "approved")
    assert decision.subject_id == str(cr.pk)
    assert BudgetChangeRequest.objects.get().title.startswith("CR-001")
    assert BudgetBaseline.objects.get(program=plan.program, status="approved").number == 2
    assert Activity.objects.get(pk=plan.b.pk).duration_minutes == 6 * DAY
    # the in-progress B keeps its done work: remaining 2d + 3d more
    assert Activity.objects.get(pk=plan.b.pk).remaining_minutes == 5 * DAY
    notes = AuditRecord.objects.filter(object_type="delivery.deliverable",
                                       object_id=str(plan.deliverable.pk))  # fmt: skip
    assert any("descoped by change request CR-001" in r.note for r in notes)
    assert AuditRecord.objects.filter(object_type="changes.changerequest", action="transition",
                                      after__state="approved").exists()  # fmt: skip


def test_failing_last_step_leaves_nothing_changed(plan: Plan, monkeypatch: Any) -> None:
    cr = make_request(plan, [_duration(plan), _cost(plan),
                             {"kind": "remove_link", "link": plan.link_cd.pk}],
                      submit=True)  # fmt: skip
    finish = ScheduleSettings.objects.get().finish
    audits = AuditRecord.objects.count()

    def boom(**kwargs: Any) -> Any:
        raise RuntimeError("decision log unavailable")

    monkeypatch.setattr(services, "record_decision", boom)
    with pytest.raises(RuntimeError):
        services.approve(actor=plan.world.pm, cr=cr, expected_version=None, rationale="Go.")
    assert Activity.objects.get(pk=plan.b.pk).duration_minutes == 3 * DAY
    assert Link.objects.filter(pk=plan.link_cd.pk).exists()
    assert ScheduleSettings.objects.get().finish == finish
    assert BudgetBaseline.objects.get(program=plan.program, status="approved").number == 1
    assert not BudgetChangeRequest.objects.exists()
    assert ChangeRequest.objects.get(pk=cr.pk).state == State.SUBMITTED
    assert AuditRecord.objects.count() == audits


def test_rejection_needs_a_reason_and_is_recorded(plan: Plan) -> None:
    cr = make_request(plan, [_duration(plan)], submit=True)
    with pytest.raises(ValidationFailed) as refused:
        services.reject(actor=plan.world.pm, cr=cr, expected_version=None, reason="  ")
    assert "reason" in refused.value.errors
    done = services.reject(actor=plan.world.pm, cr=cr, expected_version=None,
                           reason="Not now.")  # fmt: skip
    assert (done.state, done.rejection_reason) == (State.REJECTED, "Not now.")
    assert done.decision is not None and done.decision.outcome == "rejected"
    assert Activity.objects.get(pk=plan.b.pk).duration_minutes == 3 * DAY
    with pytest.raises(TransitionRefused):
        services.approve(actor=plan.world.pm, cr=done, expected_version=None, rationale="x")


def test_only_the_program_manager_decides(plan: Plan) -> None:
    cr = make_request(plan, [_duration(plan)], submit=True, actor=plan.world.cm)
    with pytest.raises(PermissionDenied):
        services.approve(actor=plan.world.cm, cr=cr, expected_version=None, rationale="Mine.")
    services.approve(actor=plan.world.admin, cr=cr, expected_version=None, rationale="OK.")


def test_team_members_cannot_raise(plan: Plan) -> None:
    with pytest.raises(PermissionDenied):
        services.create_change_request(actor=plan.world.team, program=plan.program, title="x")


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"kind": "duration", "new_duration_days": "5"}, "lines.2.activity"),
        ({"kind": "duration", "activity": "B", "new_duration_days": "5"}, "lines.2.activity"),
        ({"kind": "duration", "activity": "B", "new_duration_days": "-1"},
         "lines.2.new_duration_days"),
        ({"kind": "duration", "activity": "P", "new_duration_days": "5"}, "lines.2.activity"),
        ({"kind": "duration", "activity": "D", "new_duration_days": "5"},
         "lines.2.new_duration_days"),
        ({"kind": "add_link", "predecessor": "A", "successor": "B"}, "lines.2.successor"),
        ({"kind": "add_link", "predecessor": "C", "successor": "B", "link_type": "XX"},
         "lines.2.link_type"),
        ({"kind": "cost", "cost_account": "MAT", "amount": "0", "reason": "x"}, "lines.2.amount"),
        ({"kind": "cost", "cost_account": "MAT", "amount": "5"}, "lines.2.reason"),
        ({"kind": "descope_deliverable"}, "lines.2.deliverable"),
        ({"kind": "teleport"}, "lines.2.kind"),
    ],
)  # fmt: skip
def test_validation_errors_name_the_line_and_field(
    plan: Plan, fields: dict[str, Any], key: str
) -> None:
    cr = make_request(plan, [_duration(plan, "4")])
    ids = {"A": plan.a.pk, "B": plan.b.pk, "C": plan.c.pk, "D": plan.d.pk,
           "P": Activity.objects.get(code="P").pk, "MAT": plan.budget.mat.pk}  # fmt: skip
    resolved = {k: ids.get(v, v) if k in {"predecessor", "successor", "cost_account"} else v
                for k, v in fields.items()}  # fmt: skip
    if "activity" in fields:
        resolved["activity"] = ids[fields["activity"]]
    try:  # refused at once, or (a second line on B) when submitted
        services.add_line(actor=plan.world.pm, cr=cr, **resolved)
    except ValidationFailed as exc:
        assert key in exc.errors, exc.errors
        assert exc.errors[key][0].startswith("Line 2")
        return
    with pytest.raises(ValidationFailed) as refused:
        services.submit(actor=plan.world.pm, cr=cr, expected_version=None)
    assert key in refused.value.errors


def test_a_line_from_another_program_is_refused(plan: Plan) -> None:
    from podium.schedule.services import import_project
    from tests.schedule.conftest import small_project

    world = plan.world
    import_project(actor=None, program=world.beta, project=small_project(), component=world.comp_b)
    foreign = Activity.objects.get(component=world.comp_b, code="B")
    cr = make_request(plan, [])
    with pytest.raises(ValidationFailed) as refused:
        services.add_line(actor=world.pm, cr=cr, kind="duration", activity=foreign.pk,
                          new_duration_days="3")  # fmt: skip
    assert "lines.1.activity" in refused.value.errors


def test_lowering_more_than_the_account_has_is_refused(plan: Plan) -> None:
    cr = make_request(plan, [_cost(plan, "-600")])
    with pytest.raises(ValidationFailed) as refused:
        services.submit(actor=plan.world.pm, cr=cr, expected_version=None)
    assert "lines.1.amount" in refused.value.errors


def test_a_cycle_is_refused_naming_it(plan: Plan) -> None:
    cr = make_request(plan, [{"kind": "add_link", "predecessor": plan.d.pk,
                              "successor": plan.a.pk}])  # fmt: skip
    with pytest.raises(ValidationFailed) as refused:
        services.submit(actor=plan.world.pm, cr=cr, expected_version=None)
    assert "cycle" in refused.value.errors["lines"][0]


def test_only_drafts_change_and_withdrawal(plan: Plan) -> None:
    cr = make_request(plan, [_duration(plan)], submit=True)
    with pytest.raises(TransitionRefused):
        services.add_line(actor=plan.world.pm, cr=cr, **_cost(plan))
    done = services.withdraw(actor=plan.world.pm, cr=cr, expected_version=cr.version)
    assert done.state == State.WITHDRAWN
    assert not selectors.pending_change_requests(plan.program).exists()


def test_lines_keep_what_they_changed(plan: Plan) -> None:
    cr = make_request(plan, [{"kind": "remove_link", "link": plan.link_cd.pk}], submit=True)
    services.approve(actor=plan.world.pm, cr=cr, expected_version=None, rationale="Go.")
    line = cr.lines.get()
    assert line.link_id is None  # the link is gone …
    assert selectors.describe_line(line, costs=True) == "Remove link C1 C → C1 D (FS)"


def test_cost_amounts_sum_into_the_budget_delta(plan: Plan) -> None:
    cr = make_request(
        plan, [_cost(plan, "800"), {**_cost(plan, "-100"), "cost_account": plan.budget.lab.pk}]
    )
    impact = services.compute_impact(cr)
    assert impact.cost is not None
    assert impact.cost.budget_delta == float(Decimal("700"))
    assert impact.cost.bac_delta == 700.0


def test_impact_of_a_program_without_schedule(world: Any) -> None:
    from podium.delivery import services as delivery

    d = delivery.create_deliverable(actor=world.pm, program=world.alpha, component=world.comp,
                                    name="Leaflet")  # fmt: skip
    cr = services.create_change_request(actor=world.pm, program=world.alpha, title="Drop it")
    services.add_line(actor=world.pm, cr=cr, kind="descope_deliverable", deliverable=d.pk,
                      reason="Nobody reads it")  # fmt: skip
    impact = services.compute_impact(cr)
    assert impact.finish_before is None and impact.finish_delta_days is None
    assert impact.notes  # says that descoping alone changes neither schedule nor budget


def test_cost_lines_are_audited_as_cost_data(plan: Plan) -> None:
    from podium.core.audit import cost_types

    make_request(plan, [_duration(plan), _cost(plan)])
    types = set(
        AuditRecord.objects.filter(object_type__startswith="changes.").values_list(
            "object_type", flat=True
        )
    )
    assert {"changes.changeline", "changes.costline"} <= types
    assert "changes.costline" in cost_types()
    assert not AuditRecord.objects.filter(object_type="changes.changeline",
                                          after__kind="cost").exists()  # fmt: skip
