"""The demo's risks: what ``seed_risks`` leaves behind on the HDT schedules."""

from __future__ import annotations

from typing import Any

from podium.accounts.services import create_user
from podium.demo_schedule import load_demo_schedules
from podium.programs import services as program_services
from podium.programs.models import Role
from podium.risks import selectors
from podium.risks.demo import RISKS, seed_risks
from podium.risks.models import ActivityEstimate, DurationCorrelation, Issue, Risk


def test_seed_risks_links_real_activities(db: Any) -> None:
    users = {
        name: create_user(actor=None, username=name, password="correct-horse-battery-9")
        for name in ("admin", "pm.alvarez", "cm.okafor", "cm.dubois", "cm.brandt", "cm.singh",
                     "tm.haddad", "tm.lindqvist")
    }  # fmt: skip
    users["admin"].is_staff = True
    users["admin"].save()
    pm = users["pm.alvarez"]
    program = program_services.create_program(
        actor=users["admin"], code="HDT", name="Digital transformation", manager=pm
    )
    for name, user in users.items():
        if name.startswith(("cm.", "tm.")):
            role = Role.COMPONENT_MANAGER if name.startswith("cm.") else Role.TEAM_MEMBER
            program_services.add_member(actor=pm, program=program, user=user, role=role)
    for code, manager in (("EHR", "cm.okafor"), ("NET", "cm.dubois"), ("PORTAL", "cm.brandt"),
                          ("DATA", "cm.singh")):  # fmt: skip
        program_services.create_component(
            actor=pm, program=program, code=code, name=code, manager=users[manager]
        )
    load_demo_schedules(program, pm)

    seed_risks(program, pm)

    risks = Risk.objects.filter(program=program)
    assert risks.count() == len(RISKS) + 2
    for entry in RISKS:
        title, names = entry.title, entry.activities
        linked = {a.name for a in risks.get(title=title).activities.all()}
        assert linked == set(names), title
    assert risks.filter(kind="opportunity").count() == 2
    assert risks.get(title="Clinicians unavailable for training").level == "program"
    issue = Issue.objects.get(source_risk__title="Asbestos in ward ceilings")
    assert issue.component is not None and issue.component.code == "NET"
    assert Issue.objects.filter(program=program).count() == 3
    assert DurationCorrelation.objects.filter(program=program).count() == 2
    assert ActivityEstimate.objects.filter(program=program, kind="lognormal").exists()
    assert ActivityEstimate.objects.filter(program=program).count() >= 20

    inputs = selectors.simulation_inputs(program)
    assert len(inputs.risks) >= 10
    assert len(inputs.durations) >= 10  # unfinished estimated activities
    assert selectors.matrix(program).total == 10  # open threats
