"""The risk API: CRUD, ETags and 412, escalation, occurrence, matrix, estimates,
correlations, and cost impacts only for users who may see costs."""

from __future__ import annotations

from typing import Any

from podium.core.models import AuditRecord
from podium.risks.models import Issue, Risk
from tests.conftest import World
from tests.risks.conftest import Risky


def test_create_read_update_with_etag(world: World, risky: Risky, api_as: Any) -> None:
    pm = api_as(world.pm)
    created = pm.post(
        "/programs/ALPHA/risks",
        {
            "title": "Interface defects", "component": "c1", "probability": 0.6,
            "schedule_score": 4, "cost_score": 2, "strategy": "mitigate", "owner": "cm",
            "duration_impact": {"kind": "pert", "low": 8, "mode": 24, "high": 80},
            "activities": [risky.b.pk],
            "cost_impact": {"kind": "uniform", "low": "100", "high": "900.50"},
        },
    )  # fmt: skip
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["code"] == "R-004"
    assert body["component"] == "C1"
    assert body["probability_score"] == 4 and body["impact_score"] == 4
    assert body["duration_impact"] == {"kind": "pert", "low": 8.0, "mode": 24.0, "high": 80.0}
    assert [a["code"] for a in body["activities"]] == ["B"]
    assert body["cost_impact"]["high"] == "900.50" and body["cost_impact"]["currency"] == "EUR"
    etag = created.headers["ETag"]

    got = pm.get(f"/risks/{body['id']}")
    assert got.headers["ETag"] == etag

    changed = pm.patch(f"/risks/{body['id']}", {"probability": 0.1}, **{"If-Match": etag})
    assert changed.status_code == 200
    assert changed.json()["probability_score"] == 1
    stale = pm.patch(f"/risks/{body['id']}", {"probability": 0.9}, **{"If-Match": etag})
    assert stale.status_code == 412
    assert stale.json()["current_version"] == changed.json()["version"]
    assert Risk.objects.get(pk=body["id"]).probability == 0.1


def test_invalid_distribution_answers_422(world: World, risky: Risky, api_as: Any) -> None:
    response = api_as(world.pm).patch(
        f"/risks/{risky.threat.pk}",
        {"duration_impact": {"kind": "triangular", "low": 40, "mode": 8, "high": 16}},
    )
    assert response.status_code == 422
    assert "duration_mode" in response.json()["errors"]


def test_strategy_must_fit_the_kind(world: World, api_as: Any) -> None:
    response = api_as(world.pm).post(
        "/programs/ALPHA/risks", {"title": "x", "kind": "opportunity", "strategy": "avoid"}
    )
    assert response.status_code == 422
    assert "strategy" in response.json()["errors"]


def test_stakeholder_never_gets_cost_impact(world: World, risky: Risky, api_as: Any) -> None:
    for user in (world.stakeholder, world.team, world.viewer):
        client = api_as(user)
        listed = client.get("/programs/ALPHA/risks").json()["items"]
        assert listed and all("cost_impact" not in r for r in listed)
        one = client.get(f"/risks/{risky.threat.pk}")
        assert one.status_code == 200
        assert "cost_impact" not in one.json()
        assert "5000" not in one.content.decode()
        history = client.get(f"/risks/{risky.threat.pk}/history").content.decode()
        assert "5000" not in history and "riskcostimpact" not in history
    listed = api_as(world.cm).get("/programs/ALPHA/risks").json()["items"]
    assert {r["code"]: r["cost_impact"] is not None for r in listed} == {
        "R-001": True, "R-002": False, "R-003": False,
    }  # fmt: skip
    manager_history = api_as(world.pm).get(f"/risks/{risky.threat.pk}/history").content.decode()
    assert "5000.00" in manager_history


def test_team_member_raises_but_may_not_set_costs(world: World, api_as: Any) -> None:
    team = api_as(world.team)
    refused = team.post(
        "/programs/ALPHA/risks",
        {"title": "x", "cost_impact": {"low": "1", "mode": "2", "high": "3"}},
    )
    assert refused.status_code == 403
    raised = team.post("/programs/ALPHA/risks", {"title": "Clinicians unavailable"})
    assert raised.status_code == 201
    assert "cost_impact" not in raised.json()
    edit = team.patch(f"/risks/{raised.json()['id']}", {"title": "Changed"})
    assert edit.status_code == 403


def test_filters(world: World, risky: Risky, api_as: Any) -> None:
    client = api_as(world.viewer)

    def codes(query: str) -> list[str]:
        return [r["code"] for r in client.get(f"/programs/ALPHA/risks?{query}").json()["items"]]

    assert codes("component=C1") == ["R-001", "R-003"]
    assert codes("component=program") == ["R-002"]
    assert codes("status=open&kind=threat") == ["R-001"]
    assert codes("owner=cm") == ["R-001"]
    assert codes("q=cabling") == ["R-002"]


def test_escalate_and_occur(world: World, risky: Risky, api_as: Any) -> None:
    cm = api_as(world.cm)
    no_reason = cm.post(f"/risks/{risky.threat.pk}/escalate", {"reason": ""})
    assert no_reason.status_code == 422
    escalated = cm.post(f"/risks/{risky.threat.pk}/escalate", {"reason": "Needs budget"})
    assert escalated.status_code == 200
    assert escalated.json()["level"] == "program"
    assert escalated.json()["escalated_by"] == "cm"
    again = cm.post(f"/risks/{risky.threat.pk}/escalate", {"reason": "Again"})
    assert again.status_code == 409

    occurred = cm.post(f"/risks/{risky.threat.pk}/occur", {"note": "Beds stuck in port"})
    assert occurred.status_code == 201
    issue = occurred.json()
    assert issue["source_risk"] == "R-001" and issue["code"] == "I-001"
    assert issue["level"] == "program" and issue["priority"] == "high"
    assert cm.get(f"/risks/{risky.threat.pk}").json()["issue"] == "I-001"
    assert cm.post(f"/risks/{risky.threat.pk}/occur", {}).status_code == 409
    assert Issue.objects.count() == 1


def test_matrix_endpoint(world: World, risky: Risky, api_as: Any) -> None:
    body = api_as(world.stakeholder).get("/programs/ALPHA/risk-matrix?component=C1").json()
    assert body["total"] == 1 and body["component"] == "C1"
    # first row is probability 5; R-001 sits at probability 3, impact 4
    assert body["rows"][2][3]["codes"] == ["R-001"]
    assert body["rows"][2][3]["probability"] == 3 and body["rows"][2][3]["impact"] == 4


def test_estimate_put_replaces_with_etag(world: World, risky: Risky, api_as: Any) -> None:
    cm = api_as(world.cm)
    first = cm.call(
        "PUT", f"/activities/{risky.b.pk}/estimate",
        {"kind": "pert", "optimistic": 1000, "most_likely": 1440, "pessimistic": 2880},
    )  # fmt: skip
    assert first.status_code == 200
    etag = first.headers["ETag"]
    second = cm.call(
        "PUT", f"/activities/{risky.b.pk}/estimate",
        {"kind": "uniform", "optimistic": 1000, "most_likely": 1000, "pessimistic": 2000},
        **{"If-Match": etag},
    )  # fmt: skip
    assert second.status_code == 200 and second.json()["kind"] == "uniform"
    stale = cm.call(
        "PUT", f"/activities/{risky.b.pk}/estimate",
        {"kind": "pert", "optimistic": 1, "most_likely": 2, "pessimistic": 3},
        **{"If-Match": etag},
    )  # fmt: skip
    assert stale.status_code == 412
    bad = cm.call(
        "PUT", f"/activities/{risky.b.pk}/estimate",
        {"kind": "lognormal", "optimistic": 10, "most_likely": 500, "pessimistic": 400},
    )  # fmt: skip
    assert bad.status_code == 422
    assert {e["activity"]["code"] for e in cm.get("/programs/ALPHA/estimates").json()} == {"A", "B"}


def test_correlation_pair_once(world: World, risky: Risky, api_as: Any) -> None:
    pm = api_as(world.pm)
    dup = pm.post(
        "/programs/ALPHA/correlations",
        {"activity_a": risky.a.pk, "activity_b": risky.b.pk, "rho": 0.3},
    )
    assert dup.status_code == 422
    same = pm.post(
        "/programs/ALPHA/correlations",
        {"activity_a": risky.a.pk, "activity_b": risky.a.pk, "rho": 0.3},
    )
    assert same.status_code == 422
    out_of_range = pm.patch(f"/correlations/{risky.correlation.pk}", {"rho": 1.5})
    assert out_of_range.status_code == 422
    changed = pm.patch(f"/correlations/{risky.correlation.pk}", {"rho": -0.2})
    assert changed.status_code == 200 and changed.json()["rho"] == -0.2


def test_refused_write_leaves_no_trace(world: World, risky: Risky, api_as: Any) -> None:
    pm = api_as(world.pm)
    before = AuditRecord.objects.count()
    response = pm.post(
        "/programs/ALPHA/risks",
        {"title": "x", "kind": "opportunity", "strategy": "exploit",
         "duration_impact": {"kind": "lognormal", "low": 1, "mode": 2, "high": 8}},
    )  # fmt: skip
    assert response.status_code == 422
    assert AuditRecord.objects.count() == before
    assert Risk.objects.count() == 3
