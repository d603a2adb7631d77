"""THE acceptance test of the impact: the finish date and EAC deltas Podium shows are
those a separate reschedule of the changed plan produces."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from podium.changes import services
from podium.changes.impact import Impact, eac_of
from podium.finance import evm
from podium.finance import services as finance
from podium.finance.models import BudgetBaseline
from podium.schedule import services as schedule
from podium.schedule.models import Activity, Link, ScheduleSettings
from podium.schedule.wall import to_wall
from tests.changes.conftest import DAY, Plan, make_request
from tests.conftest import ApiClient


def _lines(plan: Plan) -> list[dict[str, object]]:
    return [
        {"kind": "duration", "activity": plan.b.pk, "new_duration_days": "6"},
        {"kind": "add_link", "predecessor": plan.c.pk, "successor": plan.b.pk,
         "link_type": "FS", "lag_days": "1"},
        {"kind": "remove_link", "link": plan.link_cd.pk},
        {"kind": "cost", "cost_account": plan.budget.mat.pk, "amount": "800",
         "reason": "More cable"},
        {"kind": "cost", "cost_account": plan.budget.lab.pk, "amount": "-250",
         "reason": "Less stripping"},
    ]  # fmt: skip


def _finish() -> dt.datetime | None:
    return to_wall(ScheduleSettings.objects.get().finish)


def test_impact_equals_an_independent_reschedule_and_evm(plan: Plan) -> None:
    program = plan.program
    cr = make_request(plan, _lines(plan), submit=True)
    impact = services.compute_impact(cr)
    finish_before = _finish()
    eac_before = eac_of(evm.program_evm(program).program)
    assert impact.finish_before == finish_before
    assert impact.cost is not None and impact.cost.eac_before == round(eac_before, 2)

    # The same change applied independently, through the owners' services.
    pm = plan.world.pm
    b = Activity.objects.get(pk=plan.b.pk)
    schedule.update_activity(
        actor=pm,
        activity=b,
        expected_version=None,
        duration_minutes=6 * DAY,
        remaining_minutes=2 * DAY + 3 * DAY,
    )
    Link.objects.filter(pk=plan.link_cd.pk).delete()
    schedule.add_link(
        actor=pm,
        pred=Activity.objects.get(pk=plan.c.pk),
        succ=Activity.objects.get(pk=plan.b.pk),
        lag_minutes=DAY,
    )
    schedule.recompute(actor=pm, program=program)
    baseline = BudgetBaseline.objects.get(program=program, status="approved")
    request = finance.propose_change(
        actor=pm, baseline=baseline, title="same", reason="same",
        changes=[{"op": "change", "line": plan.budget.line_lab.pk, "amount": "750.00"},
                 {"op": "add", "cost_account": "C1-MAT", "activity": None,
                  "category": "other", "amount": "800", "description": "More cable"}],
    )  # fmt: skip
    finance.approve_change(actor=pm, request=request, expected_version=None)
    finish_after = _finish()
    eac_after = eac_of(evm.program_evm(program).program)

    assert finish_after is not None and finish_before is not None
    assert impact.finish_after == finish_after
    assert impact.finish_delta_days == (finish_after.date() - finish_before.date()).days
    assert impact.finish_delta_days > 0  # the change really moves the finish
    assert impact.cost.eac_after == round(eac_after, 2)
    assert impact.cost.eac_delta == round(eac_after - eac_before, 2)
    assert impact.cost.eac_delta != 0
    assert impact.cost.bac_delta == 550.0


def test_approval_produces_the_computed_finish_and_eac(plan: Plan) -> None:
    cr = make_request(plan, _lines(plan), submit=True)
    impact = services.compute_impact(cr)
    services.approve(actor=plan.world.pm, cr=cr, expected_version=None, rationale="Needed.")
    assert _finish() == impact.finish_after
    assert impact.cost is not None
    assert round(eac_of(evm.program_evm(plan.program).program), 2) == impact.cost.eac_after
    b = Activity.objects.get(pk=plan.b.pk)
    assert b.duration_minutes == 6 * DAY
    assert not Link.objects.filter(pk=plan.link_cd.pk).exists()
    assert Link.objects.filter(pred=plan.c, succ=plan.b, lag_minutes=DAY).exists()
    new = BudgetBaseline.objects.get(program=plan.program, status="approved")
    assert new.number == 2
    assert sum(line.amount for line in new.lines.all()) == Decimal("3500") + Decimal("550")


def test_impact_names_critical_benefits_and_resources(plan: Plan) -> None:
    cr = make_request(plan, _lines(plan))
    impact = services.compute_impact(cr)
    entering = {e["code"] for e in impact.critical_entering}
    assert "C" in entering  # C now drives B
    assert [b["code"] for b in impact.benefits] == ["B-1"]
    assert impact.resources[0]["code"] == "ELEC"
    assert "C1 B" in impact.resources[0]["activities"]
    assert impact.pv_before and impact.pv_after
    # stored as a snapshot that reads back equal
    cr.refresh_from_db()
    assert Impact.from_json(cr.impact) == impact
    assert not services.impact_is_stale(cr)


def test_a_plan_change_makes_the_impact_stale_and_approval_recomputes(plan: Plan) -> None:
    cr = make_request(plan, _lines(plan)[:1], submit=True)
    first = services.compute_impact(cr)
    schedule.update_activity(actor=plan.world.pm, activity=Activity.objects.get(pk=plan.c.pk),
                             expected_version=None, duration_minutes=4 * DAY)  # fmt: skip
    cr.refresh_from_db()
    assert services.impact_is_stale(cr)
    services.approve(actor=plan.world.pm, cr=cr, expected_version=None, rationale="Go.")
    cr.refresh_from_db()
    assert cr.impact_fingerprint != first.fingerprint
    assert Impact.from_json(cr.impact).finish_after == _finish()


def test_api_impact_shows_the_deltas(plan: Plan) -> None:
    cr = make_request(plan, _lines(plan), submit=True)
    impact = services.compute_impact(cr)
    body = ApiClient(plan.world.pm).get(f"/change-requests/{cr.pk}/impact").json()
    assert body["finish_delta_days"] == impact.finish_delta_days
    assert body["cost"]["eac_delta"] == impact.cost.eac_delta  # type: ignore[union-attr]
