"""Users without the cost permission never see a cost figure.

The program holds budget lines, reserves and actual costs with distinctive amounts; the
tests walk every finance API operation (read from the OpenAPI document, so a new
endpoint is walked too) and every finance page (read from the URL patterns) as a
stakeholder, a team member and a viewer, and look for those amounts in the responses.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from podium.core.api import api
from podium.core.models import AuditRecord
from podium.finance import services
from podium.finance import urls as finance_urls
from tests.conftest import World
from tests.finance.conftest import Budget, build_budget

NO_COSTS = ["stakeholder", "team_member", "viewer"]
# Figures that appear nowhere but in the finance data (with and without separators).
FIGURES = ("987654", "987,654", "86420", "86,420", "13579", "13,579", "24680", "24,680")


def _has_figure(content: bytes) -> str | None:
    text = content.decode(errors="replace")
    return next((f for f in FIGURES if f in text), None)


@pytest.fixture
def costly(world: World) -> dict[str, Any]:
    budget: Budget = build_budget(world.alpha, world.comp, world.pm)
    services.update_line(
        actor=world.pm, line=budget.line_mat, expected_version=None, amount="24680.00"
    )
    services.add_line(
        actor=world.pm, baseline=budget.baseline, cost_account=budget.lab, amount="987654.32"
    )
    services.update_baseline(
        actor=world.pm, baseline=budget.baseline, expected_version=None,
        management_reserve="86420.17",
    )  # fmt: skip
    baseline = services.approve_baseline(
        actor=world.pm, baseline=budget.baseline, expected_version=None
    )
    cr = services.propose_change(
        actor=world.pm, baseline=baseline, title="Rewire", reason="Survey",
        changes=[{"op": "change", "line": budget.line_lab.pk, "amount": "987654.00"}],
    )  # fmt: skip
    cr2 = services.propose_change(
        actor=world.pm, baseline=baseline, title="Later", reason="Later",
        changes=[{"op": "reserve", "field": "contingency", "amount": "86420.00"}],
    )  # fmt: skip
    services.approve_change(actor=world.pm, request=cr, expected_version=None)
    entry = services.record_actual(
        actor=world.pm, program=budget.program, cost_account=budget.lab,
        date=dt.date(2026, 3, 2), amount="13579.24",
    )  # fmt: skip
    services.import_actuals(
        actor=world.pm, program=budget.program, filename="march.csv",
        content="date,cost account,amount\n2026-03-03,C1-LAB,13579.99\n",
    )  # fmt: skip
    # the page as the program manager shows the figures: the walk below can fail
    page = _client(world.pm).get(reverse("finance:budget", args=["ALPHA"]))
    assert page.status_code == 200 and _has_figure(page.content)
    line = baseline.lines.first()
    assert line is not None
    return {
        "code": "ALPHA", "baseline_id": baseline.pk, "line_id": line.pk,
        "request_id": cr2.pk, "account_id": budget.lab.pk, "entry": entry.pk,
        "component_id": world.comp.pk, "activity_id": budget.activity.pk,
    }  # fmt: skip


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _operations(tag: str | None) -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    out = []
    for path, item in schema["paths"].items():
        for method, op in item.items():
            if tag is None or tag in op.get("tags", []):
                out.append((method.upper(), path))
    return out


def _fill(path: str, ids: dict[str, Any]) -> str | None:
    names = re.findall(r"{(\w+)}", path)
    if any(n not in ids for n in names):
        return None
    return path.format(**{n: ids[n] for n in names})


@pytest.mark.parametrize("role", NO_COSTS)
def test_every_finance_endpoint_refuses_without_cost_permission(
    world: World, costly: dict[str, Any], api_as: Any, role: str
) -> None:
    client = api_as(world.by_role(role))
    operations = _operations("finance")
    assert len(operations) >= 20
    records = AuditRecord.objects.count()
    for method, path in operations:
        url = _fill(path, costly)
        assert url is not None, f"no test value for a parameter of {path}"
        url = url.removeprefix("/api/v1")
        if path.endswith("/compare"):
            url += "?a=1&b=2"
        response = client.call(method, url, {} if method in ("POST", "PATCH") else None)
        assert response.status_code in (403, 422) if method != "GET" else (403,), (
            method, url, response.status_code,
        )  # fmt: skip
        assert "amount" not in response.json() or response.status_code >= 400
        leaked = _has_figure(response.content)
        assert leaked is None, f"{method} {url} shows {leaked}"
    assert AuditRecord.objects.count() == records


@pytest.mark.parametrize("role", NO_COSTS)
def test_every_finance_page_refuses_without_cost_permission(
    world: World, costly: dict[str, Any], role: str
) -> None:
    client = _client(world.by_role(role))
    pk_for = {
        "baseline-update": costly["baseline_id"], "line-add": costly["baseline_id"],
        "baseline-approve": costly["baseline_id"], "baseline-history": costly["baseline_id"],
        "line-update": costly["line_id"], "line-remove": costly["line_id"],
        "change": costly["request_id"], "change-decide": costly["request_id"],
    }  # fmt: skip
    names = [p.name for p in finance_urls.urlpatterns]
    assert len(names) >= 15
    for name in names:
        args: list[Any] = ["ALPHA"] + ([pk_for[name]] if name in pk_for else [])
        url = reverse(f"finance:{name}", args=args)
        response = client.get(url)
        if response.status_code == 405:  # a form target: try the form's POST
            response = client.post(url, {"amount": "1", "decision": "approve"})
        assert response.status_code == 403, (url, response.status_code)
        leaked = _has_figure(response.content)
        assert leaked is None, f"{url} shows {leaked}"


def test_history_page_of_a_finance_object(world: World, costly: dict[str, Any]) -> None:
    url = reverse("finance:baseline-history", args=["ALPHA", costly["baseline_id"]])
    pm = _client(world.pm).get(url)
    assert pm.status_code == 200
    assert "History of budget baseline v1" in pm.content.decode()
    assert _has_figure(pm.content) == "86420"  # the reserve edit, shown to the manager
    for role in NO_COSTS:
        response = _client(world.by_role(role)).get(url)
        assert response.status_code == 403 and _has_figure(response.content) is None
    outsider = _client(world.outsider).get(url)
    assert outsider.status_code == 404


def test_no_cost_figure_anywhere_in_the_program_for_a_stakeholder(
    world: World, costly: dict[str, Any], api_as: Any
) -> None:
    client = api_as(world.stakeholder)
    walked = 0
    for method, path in _operations(None):
        url = _fill(path, costly) if method == "GET" else None
        if url is None:
            continue
        walked += 1
        response = client.get(url.removeprefix("/api/v1"))
        assert _has_figure(response.content) is None, f"GET {url}"
    assert walked >= 25
    pages = _client(world.stakeholder)
    for name in ("programs:detail", "programs:history", "programs:components"):
        response = pages.get(reverse(name, args=["ALPHA"]))
        assert response.status_code == 200
        assert _has_figure(response.content) is None, name


def test_budget_tab_only_for_users_who_see_costs(world: World, costly: dict[str, Any]) -> None:
    budget_url = reverse("finance:budget", args=["ALPHA"])
    assert budget_url in _client(world.pm).get("/programs/ALPHA/").content.decode()
    assert budget_url not in _client(world.stakeholder).get("/programs/ALPHA/").content.decode()
