"""The demo program's deliverables and the component in transition."""

from __future__ import annotations

from typing import Any

from django.test import Client

from podium.accounts.models import User
from podium.delivery.demo import seed_delivery
from podium.delivery.models import Deliverable
from podium.delivery.selectors import deliverable_dates
from podium.delivery.services import transition_gaps
from podium.demo import load_demo
from podium.programs.models import Program


def test_demo_deliverables_follow_the_schedule(db: Any) -> None:
    load_demo()
    hdt = Program.objects.get(code="HDT")
    if not Deliverable.objects.filter(program=hdt).exists():  # until podium.demo calls it
        seed_delivery(hdt, User.objects.get(username="pm.alvarez"))
    deliverables = list(Deliverable.objects.filter(program=hdt).select_related("milestone"))
    assert len(deliverables) >= 8
    assert {d.component.code for d in deliverables} >= {"NET", "EHR", "PORTAL"}
    statuses = {d.status for d in deliverables}
    assert statuses == {"planned", "in_production", "delivered", "accepted", "transitioned"}
    for d in deliverables:
        if d.milestone is None:
            continue
        finished = d.milestone.actual_finish is not None
        # Reached milestones have accepted outputs, later ones are still being made.
        assert finished == (d.status in ("accepted", "transitioned")), d
        if d.accepted_at is not None:
            assert d.accepted_at >= d.milestone.actual_finish
    dates = deliverable_dates(hdt)
    assert sum(1 for v in dates.values() if v is not None) >= 7
    net = hdt.components.get(code="NET")
    assert net.status == "transitioning"
    gaps = transition_gaps(net)
    assert gaps == ["3 of 6 checklist items open."]

    # The Director of Nursing has one deliverable waiting, and accepts it in the browser.
    osei = User.objects.get(username="sh.osei")
    waiting = Deliverable.objects.get(program=hdt, accepting_stakeholder=osei, status="delivered")
    client = Client()
    client.force_login(osei)
    page = client.get(f"/programs/HDT/deliverables/{waiting.pk}/").content.decode()
    assert "Accept deliverable" in page
    bedside = Deliverable.objects.get(program=hdt, name__startswith="Bedside")
    history = client.get(f"/programs/HDT/deliverables/{bedside.pk}/").content.decode()
    assert "Reason: Wards 5 and 6 have no charging stations" in history
    assert "2026-08-24" in history
