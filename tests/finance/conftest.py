"""A program with cost accounts and a draft budget baseline, built through the services."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from podium.accounts.models import User
from podium.finance import services
from podium.finance.models import BudgetBaseline, BudgetLine, CostAccount
from podium.programs import services as program_services
from podium.programs.models import Component, Program
from podium.schedule.models import Activity
from podium.schedule.services import import_project
from tests.conftest import World
from tests.governance.helpers import advance
from tests.schedule.conftest import small_project


@dataclass
class Budget:
    program: Program
    comp: Component  # managed by the component manager (in ALPHA)
    other: Component  # no component manager
    lab: CostAccount  # C1-LAB
    mat: CostAccount  # C1-MAT
    other_lab: CostAccount  # C2-LAB
    baseline: BudgetBaseline
    line_lab: BudgetLine  # 1000.00, on activity A
    line_mat: BudgetLine  # 500.00
    line_other: BudgetLine  # 2000.00
    activity: Activity  # "A" of the component


def build_budget(program: Program, comp: Component, pm: User) -> Budget:
    """Planning stage, a schedule on ``comp``, three cost accounts, a draft baseline with
    lines 1000 + 500 + 2000 and reserves (management 300, contingency 200)."""
    program = advance(pm, program, "Charter approved")
    import_project(actor=None, program=program, project=small_project(), component=comp)
    other = program_services.create_component(
        actor=None, program=program, code="C2", name="Second component"
    )
    lab = services.create_cost_account(
        actor=None, program=program, component=comp, code="c1-lab", name="C1 labour"
    )
    mat = services.create_cost_account(
        actor=None, program=program, component=comp, code="C1-MAT", name="C1 material"
    )
    other_lab = services.create_cost_account(
        actor=None, program=program, component=other, code="C2-LAB", name="C2 labour"
    )
    baseline = services.create_baseline(
        actor=None, program=program, management_reserve="300", contingency="200"
    )
    activity = Activity.objects.get(component=comp, code="A")
    line_lab = services.add_line(
        actor=None, baseline=baseline, cost_account=lab, amount="1000", activity=activity
    )
    line_mat = services.add_line(
        actor=None, baseline=baseline, cost_account=mat, amount=Decimal("500"), category="material"
    )
    line_other = services.add_line(
        actor=None, baseline=baseline, cost_account=other_lab, amount="2000"
    )
    baseline.refresh_from_db()
    program.refresh_from_db()
    return Budget(
        program, comp, other, lab, mat, other_lab, baseline, line_lab, line_mat, line_other,
        activity,
    )  # fmt: skip


@pytest.fixture
def budget(world: World) -> Budget:
    return build_budget(world.alpha, world.comp, world.pm)


def approve(budget: Budget) -> BudgetBaseline:
    return services.approve_baseline(
        actor=None, baseline=budget.baseline, expected_version=None, note="Gate G2"
    )
