"""The demo's governance (needs podium.demo wired to podium.governance.demo): a board
chaired by the sponsor, gates passed on the way into delivery, one go with conditions
whose condition is still open, and DESK's authorization review pending with red
criteria."""

from __future__ import annotations

from typing import Any

from podium.demo import load_demo
from podium.governance import services
from podium.governance.models import Decision, GateCondition, GateReview
from podium.programs.models import Program


def test_demo_has_passed_and_pending_gates(db: Any) -> None:
    load_demo()
    hdt = Program.objects.get(code="HDT")
    assert hdt.stage == "delivery"
    chair = hdt.board_members.get(role="chair")
    assert chair.user.username == "sh.nakamura"
    passed = GateReview.objects.get(program=hdt, component=None, to_state="delivery")
    assert passed.decision is not None and passed.decision.outcome == "go_with_conditions"
    assert passed.decision.decided_by == chair.user
    assert all(c["passed"] for c in passed.evaluation)
    assert GateCondition.objects.filter(review=passed, status="open").count() == 1
    pending = GateReview.objects.get(program=hdt, component__code="DESK", status="open")
    red = {r.key for r in services.evaluate_review(pending) if not r.passed}
    assert red == {"authorization_expected_benefits", "authorization_budget_schedule"}
    statuses = dict(hdt.components.values_list("code", "status"))
    assert statuses == {
        "EHR": "in_delivery", "PORTAL": "in_delivery", "DATA": "authorized",
        "NET": "transitioning", "DESK": "proposed",
    }  # fmt: skip
    kinds = set(Decision.objects.filter(program=hdt).values_list("kind", flat=True))
    assert {"gate", "authorization"} <= kinds
