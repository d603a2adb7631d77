"""The Performance page: earned value of a program as its managers read it, hidden from
users without the cost permission."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.test import Client

from podium.finance import services
from podium.finance.models import StatusSnapshot
from podium.finance.performance import INDEX_AMBER, INDEX_GREEN, rate
from podium.schedule import services as schedule
from podium.schedule.models import Activity
from tests.conftest import World
from tests.finance.conftest import Budget, approve

URL = "/programs/ALPHA/performance/"
DATA_DATE = dt.datetime(2026, 3, 4, 17)
LAB_ACTUAL = "900"  # booked on activity A, whose budget is 1000: CPI of C1 above 1


def progressed(budget: Budget) -> Budget:
    """The budget fixture approved, the schedule saved as baseline "Plan", A finished
    and B started by Wednesday 2026-03-04 17:00 (the data date), 900 booked on A; C2 (no
    schedule, 2000 budget) has neither progress nor cost."""
    approve(budget)
    schedule.save_baseline(actor=None, program=budget.program, name="Plan")
    a = Activity.objects.get(component=budget.comp, code="A")
    b = Activity.objects.get(component=budget.comp, code="B")
    schedule.record_progress(
        actor=None, program=budget.program, data_date=DATA_DATE,
        updates=[
            schedule.Progress(a, actual_start=dt.datetime(2026, 3, 2, 8),
                              actual_finish=dt.datetime(2026, 3, 3, 17), percent_complete=100),
            schedule.Progress(b, actual_start=dt.datetime(2026, 3, 4, 8), percent_complete=20),
        ],
    )  # fmt: skip
    services.record_actual(
        actor=None, program=budget.program, cost_account=budget.lab, date=dt.date(2026, 3, 3),
        amount=LAB_ACTUAL, activity=a,
    )  # fmt: skip
    return budget


@pytest.fixture
def measured(budget: Budget) -> Budget:
    return progressed(budget)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def json_block(page: str, block_id: str) -> Any:
    match = re.search(rf'<script id="{block_id}" type="application/json">(.*?)</script>', page)
    assert match, f"no {block_id} data on the page"
    return json.loads(match.group(1))


def cell(page: str, row_label: str) -> str:
    """The value cell of a row of the roll-up table, as HTML."""
    match = re.search(rf'<th scope="row">{re.escape(row_label)}</th>(<td[^>]*>.*?</td>)', page)
    assert match, f"no {row_label} row"
    return match.group(1)


def number(html: str) -> float:
    match = re.search(r">\s*(-?[\d,]+\.\d+)", html)
    assert match, html
    return float(match.group(1).replace(",", ""))


def component_row(page: str, code: str) -> str:
    match = re.search(rf'<tr><th scope="row">{code} <span.*?</tr>', page, re.S)
    assert match, f"no row for {code}"
    return match.group(0)


def test_program_manager_sees_the_roll_up_the_components_and_the_charts(
    world: World, measured: Budget, django_assert_max_num_queries: Any
) -> None:
    client = client_for(world.pm)
    with django_assert_max_num_queries(35):
        response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Status at the end of 2026-03-04, against budget baseline v1" in page
    assert "schedule baseline “Plan”" in page
    # BAC is the sum of the lines (1000 + 500 + 2000), reserves apart; AC what was booked
    assert number(cell(page, "BAC")) == 3500
    assert number(cell(page, "AC")) == 900
    ev, pv = number(cell(page, "EV")), number(cell(page, "PV"))
    assert number(cell(page, "SV")) == pytest.approx(ev - pv, abs=0.01)
    assert number(cell(page, "CV")) == pytest.approx(ev - 900, abs=0.01)
    assert number(cell(page, "CPI")) == pytest.approx(ev / 900, abs=0.005)
    assert number(cell(page, "EAC")) == pytest.approx(3500 * 900 / ev, abs=0.05)
    for label in ("TCPI", "ES", "SV(t)", "SPI(t)", "p-factor"):
        cell(page, label)
    # C1 earned at least A's 1000 for 900 spent: green; C2 planned but not started: red
    c1, c2 = component_row(page, "C1"), component_row(page, "C2")
    assert 'rag-green" title="CPI: green ≥ 0.95' in c1
    assert '<td class="num rag rag-red" title="SPI: green ≥ 0.95, amber ≥ 0.90' in c2
    assert 'rag-none" title="CPI: green ≥ 0.95, amber ≥ 0.90, red below 0.90 (not defined' in c2
    # the S-curve: PV up to BAC, AC at the data date, the forecast ending at the page's EAC
    curve = json_block(page, "s-curve-data")
    assert curve["data_date"] == "2026-03-04" and curve["unit"] == "EUR"
    series = {s["key"]: dict(s["points"]) for s in curve["series"]}
    assert max(series["pv"].values()) == 3500
    assert series["ac"]["2026-03-04"] == 900
    assert "2026-03-11" not in series["ev"]  # nothing earned after the data date
    assert curve["projection"]["points"][0] == ["2026-03-04", 900]
    assert curve["projection"]["points"][-1][1] == number(cell(page, "EAC"))
    assert page.count('<tr><th scope="row">2026-') == len(series["pv"])  # the text version
    assert 'src="/static/podium/vendor/echarts.min.js"' in page
    assert "<script>" not in page and "onclick" not in page  # nothing inline under CSP


def test_a_chosen_status_date(world: World, measured: Budget) -> None:
    page = client_for(world.pm).get(URL, {"date": "2026-03-02"}).content.decode()
    assert "Status at the end of 2026-03-02" in page
    assert number(cell(page, "AC")) == 0  # the 900 was booked on the 3rd
    assert json_block(page, "s-curve-data")["data_date"] == "2026-03-02"
    bad = client_for(world.pm).get(URL, {"date": "4 March"}, follow=True).content.decode()
    assert "Enter the status date as YYYY-MM-DD." in bad
    assert "Status at the end of 2026-03-04" in bad


def test_rag_rule_thresholds() -> None:
    assert [rate("spi", v).colour for v in (INDEX_GREEN, 0.9499, INDEX_AMBER, 0.8999)] == [
        "green", "amber", "amber", "red",
    ]  # fmt: skip
    assert [rate("tcpi", v).colour for v in (1.0, 1.05, 1.08, 1.2)] == [
        "green", "green", "amber", "red",
    ]  # fmt: skip
    assert rate("cpi", None).label == "Not rated"


def test_users_without_the_cost_permission_get_403_and_no_tab(
    world: World, measured: Budget
) -> None:
    for user in (world.stakeholder, world.team, world.viewer):
        response = client_for(user).get(URL)
        assert response.status_code == 403
        assert "3,500" not in response.content.decode()
        overview = client_for(user).get("/programs/ALPHA/").content.decode()
        assert URL not in overview
        post = client_for(user).post(URL + "snapshots/", {"name": "X", "status_date": "2026-03-04"})
        assert post.status_code == 403
    assert client_for(world.outsider).get(URL).status_code == 404
    assert not StatusSnapshot.objects.exists()
    for user in (world.pm, world.cm):
        overview = client_for(user).get("/programs/ALPHA/").content.decode()
        assert f'href="{URL}"' in overview
        assert client_for(user).get(URL).status_code == 200


def test_empty_state_without_an_approved_baseline(world: World, budget: Budget) -> None:
    page = client_for(world.pm).get(URL).content.decode()
    assert "No approved budget baseline yet" in page
    assert 'href="/programs/ALPHA/budget/">Open the Budget page</a>' in page
    assert 'class="chart"' not in page and "echarts.min.js" not in page
    budget_page = client_for(world.pm).get("/programs/ALPHA/budget/").content.decode()
    assert f'href="{URL}">Performance</a>' in budget_page


def test_program_manager_takes_snapshots_and_the_trend_follows(
    world: World, measured: Budget
) -> None:
    client = client_for(world.pm)
    page = client.get(URL).content.decode()
    assert "No snapshots yet" in page and "Take snapshot" in page
    assert 'data-chart="trend"' not in page
    for name, day in (("Week 1", "2026-03-02"), ("Week 2", "2026-03-04")):
        response = client.post(URL + "snapshots/", {"name": name, "status_date": day}, follow=True)
        assert f"Snapshot {name} taken at {day}." in response.content.decode()
    page = client.get(URL).content.decode()
    trend = {s["key"]: s["points"] for s in json_block(page, "trend-data")["series"]}
    assert [d for d, _ in trend["cpi"]] == ["2026-03-02", "2026-03-04"]
    assert trend["cpi"][0][1] is None  # nothing spent yet on the 2nd: no CPI
    assert trend["cpi"][1][1] == pytest.approx(number(cell(page, "CPI")), abs=0.005)
    table = page[page.index('id="snapshots-table"') :]
    assert table.index("Week 1") < table.index("Week 2")
    assert "by pm" in table
    again = client.post(URL + "snapshots/", {"name": "Week 2", "status_date": "2026-03-04"},
                        follow=True).content.decode()  # fmt: skip
    assert "ALPHA already has a snapshot" in again and "name: ALPHA" not in again
    unnamed = client.post(URL + "snapshots/", {"name": " ", "status_date": "2026-03-04"},
                          follow=True).content.decode()  # fmt: skip
    assert "Give the snapshot a name" in unnamed
    assert StatusSnapshot.objects.count() == 2


def test_only_the_program_manager_takes_snapshots(world: World, measured: Budget) -> None:
    client = client_for(world.cm)
    assert "Take snapshot" not in client.get(URL).content.decode()
    response = client.post(URL + "snapshots/", {"name": "Mine", "status_date": "2026-03-04"})
    assert response.status_code == 403
    assert not StatusSnapshot.objects.exists()


def test_the_chart_library_is_served_with_its_licence(world: World) -> None:
    client = client_for(world.pm)
    for path, kind in (
        ("/static/podium/vendor/echarts.min.js", "javascript"),
        ("/static/podium/charts.js", "javascript"),
        ("/static/podium/vendor/echarts.LICENSE", ""),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert kind in response["Content-Type"]
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert len(body) > 1000
    licence = client.get("/static/podium/vendor/echarts.LICENSE")
    assert b"Apache License" in b"".join(licence.streaming_content)
