"""A program built for the descope-impact and forecast tests, through the services.

TRACE ends 2027-12-31. Schedules start Mon 2026-03-02 08:00 (5-day weeks):

- component WARD: A 5d → M1 (Fri 2026-03-06), B 10d → M2 (Fri 2026-03-13);
- component PORTAL: C 20d → M3 (Fri 2026-03-27);
- component DATA: no schedule, no deliverables, ends 2026-06-30.

Deliverables D1 (WARD, M1), D2 (WARD, M2), D3 (PORTAL, M3). Benefits (gains are
linear between the profile's points; the last target date is the delay's horizon):

- B1 via D1: 0 on 2026-12-31 → 365 on 2027-12-31 (1/day), expected value 365,000;
- B2 via D1 and D3: 100 on 2027-06-30 → 284 on 2027-12-31 (1/day), value 184,000;
- B3 via WARD directly (so D1 and D2), lower is better: 50 on 2027-01-01 → 15 on
  2027-12-31 (364 days), no expected value;
- B4 via DATA directly (no deliverables): value 80,000;
- B5 via D2: 0 on 2026-06-01 → 10 on 2026-12-31 (213 days), value 50,000.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from podium.accounts.models import User
from podium.benefits import services
from podium.benefits.models import Benefit
from podium.delivery import services as delivery_services
from podium.delivery.models import Deliverable
from podium.engine import Activity, Calendar, Link, Network
from podium.interchange.base import ProjectFile
from podium.programs import services as program_services
from podium.programs.models import Component, Program
from podium.schedule.models import Activity as StoredActivity
from podium.schedule.services import import_project
from tests.schedule.conftest import DAY

START = dt.datetime(2026, 3, 2, 8)


def plan(name: str, tasks: list[tuple[str, int, str]]) -> ProjectFile:
    """Tasks (id, working days, milestone id) each followed by its milestone."""
    acts: list[Activity] = []
    links = []
    for task, days, milestone in tasks:
        acts += [
            Activity(task, f"Work {task}", days * DAY),
            Activity(milestone, f"Milestone {milestone}", kind="milestone"),
        ]
        links.append(Link(task, milestone))
    network = Network(acts, links, project_start=START,
                      default_calendar=Calendar.standard("Office"))  # fmt: skip
    return ProjectFile(name=name, format="json", network=network, source="test.json")


@dataclass
class Trace:
    program: Program
    pm: User
    ward: Component
    portal: Component
    data: Component
    d1: Deliverable
    d2: Deliverable
    d3: Deliverable
    b1: Benefit
    b2: Benefit
    b3: Benefit
    b4: Benefit
    b5: Benefit


def build_trace(admin: User, pm: User, code: str = "TRACE") -> Trace:
    program = program_services.create_program(
        actor=admin, code=code, name="Traceability test", manager=pm,
        start_date=dt.date(2026, 1, 5), end_date=dt.date(2027, 12, 31),
    )  # fmt: skip
    goal = program_services.add_goal(actor=pm, program=program, title="Safer care")
    ward = program_services.create_component(actor=pm, program=program, code="WARD", name="Ward")
    portal = program_services.create_component(
        actor=pm, program=program, code="PORTAL", name="Portal"
    )
    data = program_services.create_component(
        actor=pm, program=program, code="DATA", name="Data", end_date=dt.date(2026, 6, 30)
    )
    import_project(actor=pm, program=program, component=ward,
                   project=plan("Ward", [("A", 5, "M1"), ("B", 10, "M2")]))  # fmt: skip
    import_project(actor=pm, program=program, component=portal,
                   project=plan("Portal", [("C", 20, "M3")]))  # fmt: skip

    def milestone(component: Component, code: str) -> StoredActivity:
        return StoredActivity.objects.get(component=component, code=code)

    d1, d2, d3 = (
        delivery_services.create_deliverable(
            actor=pm,
            program=program,
            component=comp,
            code=dcode,
            name=f"Output {dcode}",
            milestone=milestone(comp, mcode),
        )
        for dcode, comp, mcode in (("D1", ward, "M1"), ("D2", ward, "M2"), ("D3", portal, "M3"))
    )

    def benefit(code: str, baseline: tuple[dt.date, float], target: tuple[dt.date, float],
                value: int | None, **links: object) -> Benefit:  # fmt: skip
        return services.create_benefit(
            actor=pm, program=program, code=code, name=f"Benefit {code}", kpi="KPI",
            baseline_value=baseline[1], baseline_date=baseline[0], targets=[target],
            expected_value=Decimal(value) if value is not None else None, goal=goal,
            **links,  # type: ignore[arg-type]
        )  # fmt: skip

    y27 = dt.date(2027, 1, 1)
    end = dt.date(2027, 12, 31)
    b1 = benefit("B1", (dt.date(2026, 12, 31), 0), (end, 365), 365_000, deliverables=[d1])
    b2 = benefit("B2", (dt.date(2027, 6, 30), 100), (end, 284), 184_000, deliverables=[d1, d3])
    b3 = benefit("B3", (y27, 50), (end, 15), None, components=[ward], direction="lower")
    b4 = benefit("B4", (y27, 0), (end, 1), 80_000, components=[data], category="financial")
    b5 = benefit("B5", (dt.date(2026, 6, 1), 0), (dt.date(2026, 12, 31), 10), 50_000,
                 deliverables=[d2])  # fmt: skip
    return Trace(program, pm, ward, portal, data, d1, d2, d3, b1, b2, b3, b4, b5)
