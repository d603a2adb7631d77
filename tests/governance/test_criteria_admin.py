"""The program manager keeps the gate template: a new criterion is evaluated at the next
review; criteria are fixed while a review of the gate is open."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from podium.core.errors import PermissionDenied, TransitionRefused, ValidationFailed
from podium.core.models import AuditRecord
from podium.governance import services
from podium.governance.criteria_admin import add_criterion, remove_criterion
from tests.conftest import World
from tests.governance.conftest import Gov, approve_budget


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_manual_criterion_added_to_a_gate_is_evaluated_at_its_review(
    world: World, gov: Gov
) -> None:
    approve_budget(gov, world.pm)
    criterion = add_criterion(
        actor=world.pm, program=gov.program, gate="program:planning:delivery", kind="manual",
        label="Security review passed", guidance="The CISO's sign-off.",
    )  # fmt: skip
    assert AuditRecord.objects.filter(object_type="governance.gatecriterion").count() == 1
    review = services.open_review(actor=world.pm, program=gov.program)
    results = {r.key: r for r in services.evaluate_review(review)}
    assert results["security-review-passed"].passed is False
    with pytest.raises(TransitionRefused) as refused:
        services.decide(actor=world.pm, review=review, outcome="go", rationale="Go.")
    assert "Security review passed" in str(refused.value)
    # While the review is open, the gate's criteria cannot change.
    with pytest.raises(TransitionRefused):
        remove_criterion(actor=world.pm, criterion=criterion)
    services.cancel_review(actor=world.pm, review=review, reason="Re-plan the gate.")
    remove_criterion(actor=world.pm, criterion=criterion)
    review = services.open_review(actor=world.pm, program=gov.program)
    assert "security-review-passed" not in {r.key for r in services.evaluate_review(review)}


def test_bad_input_and_permissions(world: World, gov: Gov) -> None:
    with pytest.raises(ValidationFailed) as bad:
        add_criterion(actor=world.pm, program=gov.program, gate="program:x:y", kind="manual",
                      label="X")  # fmt: skip
    assert "gate" in bad.value.errors
    with pytest.raises(ValidationFailed) as bad:
        add_criterion(actor=world.pm, program=gov.program, gate="program:planning:delivery",
                      kind="automatic", evaluator="no_such_check")  # fmt: skip
    assert "evaluator" in bad.value.errors
    with pytest.raises(ValidationFailed) as bad:
        add_criterion(actor=world.pm, program=gov.program, gate="program:planning:delivery",
                      kind="automatic", evaluator="budget_baseline_approved")  # fmt: skip
    assert "already has" in str(bad.value)
    with pytest.raises(PermissionDenied):
        add_criterion(actor=world.team, program=gov.program, gate="program:planning:delivery",
                      kind="manual", label="Team's idea")  # fmt: skip


def test_page_and_api(world: World, gov: Gov) -> None:
    pm = client_for(world.pm)
    page = pm.get("/programs/ALPHA/governance/criteria/")
    assert page.status_code == 200 and "Budget baseline approved" in page.content.decode()
    added = pm.post(
        "/programs/ALPHA/governance/criteria/",
        {"gate": "program:delivery:closure", "kind": "manual", "label": "Handover signed"},
    )
    assert added.status_code == 302
    listed = pm.get("/api/v1/programs/ALPHA/gate-criteria").json()
    mine = [c for c in listed if c["label"] == "Handover signed"]
    assert mine and mine[0]["gate"] == "program:delivery:closure"
    team = client_for(world.team)
    assert team.get("/programs/ALPHA/governance/criteria/").status_code == 200
    refused = team.post(
        "/api/v1/programs/ALPHA/gate-criteria",
        json.dumps({"gate": "program:delivery:closure", "kind": "manual", "label": "No"}),
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert team.delete(f"/api/v1/gate-criteria/{mine[0]['id']}").status_code == 403
    assert pm.delete(f"/api/v1/gate-criteria/{mine[0]['id']}").status_code == 204
    outsider = client_for(world.outsider)
    assert outsider.get("/api/v1/programs/ALPHA/gate-criteria").status_code == 404
    assert outsider.get("/programs/ALPHA/governance/criteria/").status_code == 404
