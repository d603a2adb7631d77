"""ALPHA with a schedule, cost accounts and an approved budget on C1 (see
tests/finance/conftest.py), and the team member linked to a person resource assigned
to activities A and B."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from podium.finance import services as finance_services
from podium.resources.models import Resource
from podium.resources.services import assign, create_resource
from podium.schedule.models import Activity
from podium.work.selectors import monday_of
from tests.conftest import World
from tests.finance.conftest import Budget, build_budget

RATE = Decimal("50.00")


@dataclass
class Setup:
    world: World
    budget: Budget
    resource: Resource
    a: Activity  # "Strip out", 2 days, on the budget line of 1000
    b: Activity  # "Rewire", 3 days
    c: Activity  # "Order beds": nobody's assignment
    monday: dt.date
    today: dt.date


def build_setup(world: World) -> Setup:
    budget = build_budget(world.alpha, world.comp, world.pm)
    finance_services.approve_baseline(
        actor=None, baseline=budget.baseline, expected_version=None, note="Gate G2"
    )
    resource = create_resource(
        actor=world.pm, program=budget.program, code="TEAM", name="Team member",
        kind=Resource.Kind.PERSON, standard_rate=RATE, user=world.team,
    )  # fmt: skip
    a = Activity.objects.get(component=world.comp, code="A")
    b = Activity.objects.get(component=world.comp, code="B")
    c = Activity.objects.get(component=world.comp, code="C")
    assign(actor=world.cm, activity=a, resource=resource)
    assign(actor=world.cm, activity=b, resource=resource, units=0.5)
    today = timezone.localdate()
    return Setup(world, budget, resource, a, b, c, monday_of(today), today)


@pytest.fixture
def setup(world: World) -> Setup:
    return build_setup(world)
