"""Users without the cost permission never see a risk's cost impact: not in the API
(every operation of the "risks" tag, read from the OpenAPI document, so new endpoints
are walked too), not on any risk page (read from the URL patterns), not in a history."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from podium.core.api import api
from podium.risks import services
from podium.risks import urls as risk_urls
from tests.conftest import World
from tests.risks.conftest import Risky

NO_COSTS = ["stakeholder", "team_member", "viewer"]
FIGURES = ("97531", "97,531", "86420", "86,420", "75319", "75,319")


def _has_figure(content: bytes) -> str | None:
    text = content.decode(errors="replace")
    return next((f for f in FIGURES if f in text), None)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def costly(world: World, risky: Risky) -> dict[str, Any]:
    services.set_cost_impact(
        world.pm, risky.threat, {"kind": "pert", "low": "75319.00", "mode": "86420.00",
                                 "high": "97531.55"},
    )  # fmt: skip
    services.update_risk(  # a cost change after the fact: its history carries both figures
        actor=world.pm, risk=risky.threat, expected_version=None, title="Vendor later",
        cost_impact={"kind": "triangular", "low": "75319", "mode": "86420", "high": "97531"},
    )  # fmt: skip
    action = services.create_action(actor=world.pm, risk=risky.threat, description="Chase")
    issue = services.occur_risk(actor=world.pm, risk=risky.opportunity, expected_version=None)
    # the manager sees the figures, so the walk below can fail
    assert _has_figure(_client(world.pm).get(f"/programs/ALPHA/risks/{risky.threat.pk}/").content)
    return {
        "code": "ALPHA", "risk_id": risky.threat.pk, "action_id": action.pk,
        "issue_id": issue.pk, "activity_id": risky.a.pk, "corr_id": risky.correlation.pk,
    }  # fmt: skip


def _fill(path: str, ids: dict[str, Any]) -> str | None:
    names = re.findall(r"{(\w+)}", path)
    if any(n not in ids for n in names):
        return None
    return path.format(**{n: ids[n] for n in names})


@pytest.mark.parametrize("role", NO_COSTS)
def test_no_risk_endpoint_shows_cost_impact(
    world: World, costly: dict[str, Any], api_as: Any, role: str
) -> None:
    client = api_as(world.by_role(role))
    schema = api.get_openapi_schema()
    walked = 0
    for path, item in schema["paths"].items():
        for method, op in item.items():
            if "risks" not in op.get("tags", []) or method.upper() != "GET":
                continue
            url = _fill(path, costly)
            assert url is not None, f"no test value for a parameter of {path}"
            response = client.get(url.removeprefix("/api/v1"))
            assert response.status_code == 200, (url, response.status_code)
            assert _has_figure(response.content) is None, f"GET {url}"
            assert b"cost_impact" not in response.content
            walked += 1
    assert walked >= 10


@pytest.mark.parametrize("role", NO_COSTS)
def test_no_risk_page_shows_cost_impact(world: World, costly: dict[str, Any], role: str) -> None:
    client = _client(world.by_role(role))
    pk_for = {
        "risk": costly["risk_id"], "risk-edit": costly["risk_id"],
        "issue": costly["issue_id"],
    }  # fmt: skip
    walked = 0
    for pattern in risk_urls.urlpatterns:
        name = pattern.name
        if name not in pk_for and "<int:pk>" in str(pattern.pattern):
            continue  # a form target
        args: list[Any] = ["ALPHA"] + ([pk_for[name]] if name in pk_for else [])
        response = client.get(reverse(f"risks:{name}", args=args))
        if response.status_code == 405:
            continue
        assert response.status_code in (200, 403), (name, response.status_code)
        assert _has_figure(response.content) is None, name
        walked += 1
    assert walked >= 6
    history = client.get(reverse("programs:history", args=["ALPHA"]))
    assert _has_figure(history.content) is None
