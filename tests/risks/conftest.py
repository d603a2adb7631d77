"""A program with a schedule, risks, estimates and a correlation, built through the
services."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from podium.accounts.models import User
from podium.programs.models import Component, Program
from podium.risks import services
from podium.risks.models import ActivityEstimate, DurationCorrelation, Risk
from podium.schedule.models import Activity
from podium.schedule.services import import_project
from tests.conftest import World
from tests.schedule.conftest import small_project


@dataclass
class Risky:
    threat: Risk  # R-001 on C1: 8/16/40 h on A and B, cost 1000/2000/5000, p=0.4, scores 4/3
    opportunity: Risk  # R-002 program level: 4/8/16 h off C, p=0.2, scores 2/2
    closed: Risk  # R-003 closed threat on A
    a: Activity
    b: Activity
    c: Activity
    estimate: ActivityEstimate  # A: triangular 600/960/1800 min (B: pert 1200/1440/2400)
    correlation: DurationCorrelation  # A ~ B, 0.6


def build_risky(program: Program, comp: Component, pm: User, owner: User | None) -> Risky:
    import_project(actor=None, program=program, project=small_project(), component=comp)
    a, b, c = (Activity.objects.get(component=comp, code=code) for code in "ABC")
    threat = services.create_risk(
        actor=pm, program=program, component=comp, title="Vendor delivers late",
        cause="Single supplier", event="Beds arrive late", effect="Ward opens late",
        owner=owner, probability=0.4, schedule_score=4, cost_score=3, strategy="mitigate",
        duration_kind="triangular", duration_low=8, duration_mode=16, duration_high=40,
        activities=[a, b],
        cost_impact={"kind": "triangular", "low": "1000", "mode": "2000", "high": "5000"},
    )  # fmt: skip
    opportunity = services.create_risk(
        actor=pm, program=program, title="Reuse old cabling", kind="opportunity",
        probability=0.2, schedule_score=2, cost_score=2, strategy="exploit",
        duration_kind="pert", duration_low=4, duration_mode=8, duration_high=16, activities=[c],
    )  # fmt: skip
    closed = services.create_risk(
        actor=pm, program=program, component=comp, title="Asbestos", probability=0.9,
        schedule_score=5, cost_score=5, strategy="avoid", status="closed",
        duration_kind="uniform", duration_low=8, duration_high=80, activities=[a],
    )  # fmt: skip
    estimate = services.set_estimate(
        actor=pm, activity=a, kind="triangular", optimistic=600, most_likely=960,
        pessimistic=1800,
    )  # fmt: skip
    services.set_estimate(
        actor=pm, activity=b, kind="pert", optimistic=1200, most_likely=1440, pessimistic=2400
    )
    correlation = services.create_correlation(actor=pm, program=program, a=b, b=a, rho=0.6)
    return Risky(threat, opportunity, closed, a, b, c, estimate, correlation)


@pytest.fixture
def risky(world: World) -> Risky:
    return build_risky(world.alpha, world.comp, world.pm, world.cm)
