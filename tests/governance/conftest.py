"""ALPHA in planning with everything the planning → delivery gate needs except an
approved budget baseline (a draft waits), built through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from podium.benefits.models import Benefit
from podium.benefits.services import create_benefit
from podium.finance import services as finance
from podium.finance.models import BudgetBaseline
from podium.programs.models import Program
from tests.conftest import World
from tests.governance.helpers import advance


@dataclass
class Gov:
    program: Program  # ALPHA in planning
    baseline: BudgetBaseline  # draft with one line
    benefit: Benefit  # owned by the program manager


def build_planning(world: World) -> Gov:
    program = advance(world.pm, world.alpha, "Charter approved by the sponsor.")
    account = finance.create_cost_account(
        actor=None, program=program, component=world.comp, code="C1-LAB", name="C1 labour"
    )
    baseline = finance.create_baseline(actor=None, program=program)
    finance.add_line(actor=None, baseline=baseline, cost_account=account, amount="1000")
    benefit = create_benefit(
        actor=world.pm, program=program, name="Shorter stays", kpi="Average stay (days)",
        baseline_value=6.0, baseline_date=dt.date(2026, 1, 1), owner=world.pm,
    )  # fmt: skip
    return Gov(Program.objects.get(pk=program.pk), BudgetBaseline.objects.get(pk=baseline.pk),
               benefit)  # fmt: skip


@pytest.fixture
def gov(world: World) -> Gov:
    return build_planning(world)


def approve_budget(gov: Gov, actor: Any) -> None:
    finance.approve_baseline(actor=actor, baseline=gov.baseline, expected_version=None)
