"""ALPHA with two component schedules (C1 and a second one), a saved program baseline,
a link between the components and a few risks, built through the services."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from podium.programs.models import Component
from podium.risks import services as risk_services
from podium.risks.models import Risk
from podium.schedule import services as schedule_services
from podium.schedule.models import Activity
from tests.conftest import World
from tests.schedule.conftest import small_project


@dataclass
class Plan:
    comp2: Component
    milestone: Activity  # C1's milestone D "Ward reopens"
    milestone2: Activity  # C2's milestone D
    high_bare: Risk  # open high threat without a response
    low: Risk


def build_plan(world: World) -> Plan:
    pm = world.pm
    schedule_services.import_project(
        actor=pm, program=world.alpha, project=small_project(), component=world.comp
    )
    summary = schedule_services.import_project(
        actor=pm, program=world.alpha, project=small_project("Theatre refit"),
        component_name="Theatre refit",
    )  # fmt: skip
    comp2 = Component.objects.get(pk=summary.component.pk)
    m1 = Activity.objects.get(component=world.comp, code="D")
    m2 = Activity.objects.get(component=comp2, code="D")
    schedule_services.save_baseline(actor=pm, program=world.alpha, name="Plan v1")
    schedule_services.add_link(
        actor=pm, pred=m1, succ=Activity.objects.get(component=comp2, code="B")
    )
    high = risk_services.create_risk(
        actor=pm, program=world.alpha, title="Asbestos found", probability=0.8,
        schedule_score=4, cost_score=2,
    )  # fmt: skip
    low = risk_services.create_risk(
        actor=pm, program=world.alpha, title="Paint delivery late", probability=0.2,
        schedule_score=1, cost_score=1, owner=pm, response="Order early", strategy="mitigate",
    )  # fmt: skip
    return Plan(comp2, m1, Activity.objects.get(pk=m2.pk), high, low)


@pytest.fixture
def plan(world: World) -> Plan:
    return build_plan(world)
