"""The demo program has a change request awaiting decision, with its impact computed."""

from __future__ import annotations

from typing import Any

from podium.accounts.models import User
from podium.changes import selectors, services
from podium.changes.demo import install
from podium.demo import load_demo
from podium.programs.models import Program


def test_demo_change_request_awaits_decision(db: Any) -> None:
    load_demo()
    hdt = Program.objects.get(code="HDT")
    pm = User.objects.get(username="pm.alvarez")
    cr = selectors.pending_change_requests(hdt).first() or install(hdt, pm)
    assert cr.state == "submitted"
    impact = services.current_impact(cr)
    assert impact is not None
    assert impact.finish_delta_days is not None and impact.finish_delta_days > 0
    assert impact.cost is not None and impact.cost.bac_delta == 120000.0
    assert not services.impact_is_stale(cr)
