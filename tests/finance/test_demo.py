"""The demo's budget: what ``seed_finance`` leaves behind."""

from __future__ import annotations

from podium.finance import selectors
from podium.finance.demo import seed_finance
from podium.finance.models import ActualCost, BudgetBaseline, BudgetChangeRequest
from podium.programs import services as program_services
from podium.resources.services import create_resource
from tests.conftest import World


def test_seed_finance_leaves_two_versions_a_decided_request_and_actuals(world: World) -> None:
    program = program_services.transition_program(
        actor=world.pm, program=world.alpha, target="planning", reason="Charter approved"
    )
    create_resource(actor=None, program=program, code="DEV", name="Developers", standard_rate=90)

    current = seed_finance(program, world.pm)

    versions = list(BudgetBaseline.objects.filter(program=program).order_by("number"))
    assert [(v.number, v.status) for v in versions] == [(1, "superseded"), (2, "approved")]
    assert current == versions[1]
    request = BudgetChangeRequest.objects.get(program=program)
    assert request.status == "approved" and request.resulting_baseline == current
    cmp = selectors.compare(versions[0], versions[1])
    assert cmp.total_b - cmp.total_a == 180000
    assert ActualCost.objects.filter(program=program, source="manual").count() == 6 * 2
    assert ActualCost.objects.filter(program=program, source="timesheet").count() == 1
