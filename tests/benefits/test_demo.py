"""The demo's benefits: what ``seed_benefits`` leaves behind on an HDT-like program."""

from __future__ import annotations

from typing import Any

from podium.accounts.services import create_user
from podium.benefits import selectors
from podium.benefits.demo import BENEFITS, seed_benefits
from podium.benefits.models import Benefit
from podium.delivery import services as delivery_services
from podium.programs import services as program_services
from podium.programs.models import Role


def test_seed_benefits(db: Any) -> None:
    admin = create_user(actor=None, username="admin", password="correct-horse-battery-9",
                        is_staff=True)  # fmt: skip
    users = {
        name: create_user(actor=None, username=name, password="correct-horse-battery-9")
        for name in ("pm.alvarez", "cm.okafor", "cm.brandt", "cm.singh", "cm.dubois",
                     "sh.osei", "sh.ferreira")
    }  # fmt: skip
    pm = users["pm.alvarez"]
    program = program_services.create_program(actor=admin, code="HDT", name="HDT", manager=pm)
    for name, user in users.items():
        if name != "pm.alvarez":
            role = Role.COMPONENT_MANAGER if name.startswith("cm.") else Role.STAKEHOLDER
            program_services.add_member(actor=pm, program=program, user=user, role=role)
    for title in ("Safer care", "Easier access", "Lower running cost"):
        program_services.add_goal(actor=pm, program=program, title=title)
    comps = {
        code: program_services.create_component(actor=pm, program=program, code=code, name=code)
        for code in ("EHR", "PORTAL", "DATA", "NET", "DESK")
    }
    portal_app = delivery_services.create_deliverable(
        actor=pm, program=program, component=comps["PORTAL"], name="Booking app"
    )

    benefits = seed_benefits(program, pm)

    assert len(benefits) == len(BENEFITS) == 6
    by_name = {b.name: b for b in benefits}
    assert all(b.goal is not None for b in benefits)
    statuses = sorted(b.status for b in benefits)
    assert statuses.count("at_risk") == 1
    assert by_name["Clinicians reach records at the bedside"].status == "at_risk"
    assert "not_measured" in statuses and "on_track" in statuses
    # PORTAL has a deliverable: linked to it; EHR has none: linked to the component
    online = Benefit.objects.get(pk=by_name["More outpatient bookings made online"].pk)
    assert list(online.deliverables.all()) == [portal_app]
    assert [c.code for c in online.components.all()] == []
    licences = Benefit.objects.get(pk=by_name["Legacy licence costs retired"].pk)
    assert sorted(c.code for c in licences.components.all()) == ["EHR", "NET"]
    summary = selectors.program_benefit_summary(program)
    assert any(c.after == "at_risk" and c.before == "on_track" for c in summary.changes)
