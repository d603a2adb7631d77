"""ALPHA in delivery-ready shape: C1's schedule (A 2d → B 3d → D, A → C 1d → D) with
progress at a data date, an approved budget baseline with actual costs, a deliverable on
the milestone with a benefit depending on it, a resource on B — and a change request
builder. Everything through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from podium.benefits.models import Benefit
from podium.changes import services
from podium.changes.models import ChangeRequest
from podium.delivery import services as delivery
from podium.delivery.models import Deliverable
from podium.finance import services as finance
from podium.programs import services as program_services
from podium.programs.models import Component, Program, Stage
from podium.resources.models import Assignment, Resource
from podium.schedule import services as schedule
from podium.schedule.models import Activity, Link
from podium.schedule.services import import_project
from tests.conftest import World
from tests.finance.conftest import Budget
from tests.schedule.conftest import small_project

DAY = 480


@dataclass
class Plan:
    world: World
    program: Program
    budget: Budget
    a: Activity
    b: Activity
    c: Activity
    d: Activity
    link_cd: Link
    deliverable: Deliverable  # on milestone D
    benefit: Benefit  # depends on the deliverable
    resource: Resource  # assigned to B

    def act(self, code: str) -> Activity:
        return Activity.objects.get(component=self.budget.comp, code=code)


def build_budget(program: Program, comp: Component) -> Budget:
    """C1's schedule, cost accounts C1-LAB (1000 on A), C1-MAT (500), C2-LAB (2000), an
    approved budget baseline v1. (The program is put in planning directly: gates are
    governance's business, not this app's.)"""
    Program.objects.filter(pk=program.pk).update(stage=Stage.PLANNING)
    program.refresh_from_db()
    import_project(actor=None, program=program, project=small_project(), component=comp)
    other = program_services.create_component(
        actor=None, program=program, code="C2", name="Second component"
    )
    account = finance.create_cost_account
    lab = account(actor=None, program=program, component=comp, code="C1-LAB", name="C1 labour")
    mat = account(actor=None, program=program, component=comp, code="C1-MAT", name="C1 material")
    other_lab = account(actor=None, program=program, component=other, code="C2-LAB",
                        name="C2 labour")  # fmt: skip
    baseline = finance.create_baseline(actor=None, program=program)
    activity = Activity.objects.get(component=comp, code="A")
    line = finance.add_line
    line_lab = line(actor=None, baseline=baseline, cost_account=lab, amount="1000",
                    activity=activity)  # fmt: skip
    line_mat = line(actor=None, baseline=baseline, cost_account=mat, amount="500")
    line_other = line(actor=None, baseline=baseline, cost_account=other_lab, amount="2000")
    baseline = finance.approve_baseline(actor=None, baseline=baseline, expected_version=None)
    return Budget(program, comp, other, lab, mat, other_lab, baseline, line_lab, line_mat,
                  line_other, activity)  # fmt: skip


def build_plan(world: World) -> Plan:
    budget = build_budget(world.alpha, world.comp)
    program = budget.program
    schedule.save_baseline(actor=None, program=program, name="Plan of record")
    acts = {a.code: a for a in Activity.objects.filter(component=budget.comp)}
    schedule.record_progress(
        actor=None, program=program, data_date=dt.datetime(2026, 3, 5, 8),
        updates=[
            schedule.Progress(acts["A"], dt.datetime(2026, 3, 2, 8), dt.datetime(2026, 3, 3, 17),
                              100.0, 0),
            schedule.Progress(acts["B"], dt.datetime(2026, 3, 4, 8), None, 40.0, 2 * DAY),
        ],
    )  # fmt: skip
    finance.record_actual(
        actor=None,
        program=program,
        cost_account=budget.lab,
        date=dt.date(2026, 3, 3),
        amount="1200",
        activity=acts["A"],
    )
    finance.record_actual(
        actor=None, program=program, cost_account=budget.mat, date=dt.date(2026, 3, 4), amount="150"
    )
    deliverable = delivery.create_deliverable(
        actor=world.pm, program=program, component=budget.comp, name="Reopened ward",
        milestone=acts["D"], accepting_stakeholder=world.stakeholder,
    )  # fmt: skip
    benefit = Benefit.objects.create(
        program=program, code="B-1", name="Shorter waits", kpi="Wait (days)",
        baseline_value=10, baseline_date=dt.date(2026, 1, 1), expected_value=Decimal("5000"),
    )  # fmt: skip
    benefit.deliverables.add(deliverable)
    resource = Resource.objects.create(program=program, code="ELEC", name="Electricians")
    Assignment.objects.create(activity=acts["B"], resource=resource, units=1.0)
    Assignment.objects.create(activity=acts["C"], resource=resource, units=1.0)
    link_cd = Link.objects.get(pred=acts["C"], succ=acts["D"])
    return Plan(world, program, budget, *(Activity.objects.get(pk=acts[c].pk) for c in "ABCD"),
                link_cd, deliverable, benefit, resource)  # fmt: skip


@pytest.fixture
def plan(world: World) -> Plan:
    return build_plan(world)


def make_request(plan: Plan, lines: list[dict[str, Any]], *, title: str = "Rewire more",
                 actor: Any = None, submit: bool = False) -> ChangeRequest:  # fmt: skip
    actor = actor or plan.world.pm
    cr = services.create_change_request(
        actor=actor, program=plan.program, title=title, description="Rewire the whole ward.",
        justification="The survey found old cabling.", components=[plan.budget.comp.pk],
    )  # fmt: skip
    for fields in lines:
        services.add_line(actor=actor, cr=cr, **fields)
    cr.refresh_from_db()
    if submit:
        cr = services.submit(actor=actor, cr=cr, expected_version=None)
    return cr
