"""Benefits register, benefit detail with its KPI chart and measurement form, and the
traceability page with the descope impact."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.test import Client

from podium.benefits import services
from podium.benefits.models import Benefit
from podium.programs import services as program_services
from podium.programs.models import Role
from tests.benefits.conftest import Trace, build_trace
from tests.conftest import World


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def trace(world: World) -> Trace:
    trace = build_trace(world.admin, world.pm)
    program_services.add_member(
        actor=world.pm, program=trace.program, user=world.stakeholder, role=Role.STAKEHOLDER
    )
    return trace


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_empty_register_and_tab(world: World) -> None:
    page = client_for(world.pm).get("/programs/ALPHA/benefits/").content.decode()
    assert "No benefits yet" in page and "Add the first one" in page
    viewer = client_for(world.viewer).get("/programs/ALPHA/").content.decode()
    assert "/programs/ALPHA/benefits/" in viewer


def test_register_shows_status_badges_filters_and_values_only_with_cost_rights(
    trace: Trace, world: World, django_assert_max_num_queries: Any
) -> None:
    services.record_measurement(
        actor=world.pm, benefit=trace.b5, date=dt.date(2026, 9, 1), value=2
    )  # target 5.0 on 09-01 (92 of 213 days... at least 4)
    pm = client_for(world.pm)
    with django_assert_max_num_queries(40):
        page = pm.get("/programs/TRACE/benefits/").content.decode()
    assert 'class="status benefit-off_track"' in page
    assert "365,000" in page or "365000" in page
    filtered = _text(
        pm.get(f"/programs/TRACE/benefits/?deliverable={trace.d3.pk}").content.decode()
    )
    assert "Benefit B2" in filtered and "Benefit B1" not in filtered
    stakeholder = client_for(world.stakeholder).get("/programs/TRACE/benefits/").content.decode()
    assert "Benefit B1" in stakeholder
    assert "365,000" not in stakeholder and "365000" not in stakeholder
    assert "Expected value" not in stakeholder


def test_traceability_page_shows_the_descope_result(trace: Trace, world: World) -> None:
    pm = client_for(world.pm)
    page = pm.get("/programs/TRACE/benefits/traceability/").content.decode()
    assert "Safer care" in page and "deliverable D1" in page
    result = pm.get(
        f"/programs/TRACE/benefits/traceability/?subject=d{trace.d1.pk}&change=delay&weeks=4"
    ).content.decode()
    text = _text(result)
    assert "Delaying D1 Output D1 by 4 weeks" in text
    table = text.split("Total value at risk")[0].split("Delaying")[1]
    assert "Benefit B1" in table and "Benefit B2" in table and "Benefit B3" in table
    assert "Benefit B4" not in table and "Benefit B5" not in table
    assert "Total value at risk 35,000.00" in text
    assert "28,000.00" in text and "7,000.00" in text
    cut = _text(pm.get(
        f"/programs/TRACE/benefits/traceability/?subject=c{trace.ward.pk}&change=cut"
    ).content.decode())  # fmt: skip
    assert "Total value at risk 599,000.00" in cut
    hidden = _text(client_for(world.stakeholder).get(
        f"/programs/TRACE/benefits/traceability/?subject=d{trace.d1.pk}&change=delay&weeks=4"
    ).content.decode())  # fmt: skip
    assert "Benefit B1" in hidden and "8 %" in hidden  # 28/365 of B1
    assert "28,000" not in hidden and "Total value at risk" not in hidden


def test_detail_page_has_the_kpi_chart_and_records_a_measurement(
    trace: Trace, world: World
) -> None:
    pm = client_for(world.pm)
    url = f"/programs/TRACE/benefits/{trace.b5.pk}/"
    page = pm.get(url).content.decode()
    assert 'data-chart="kpi"' in page
    data = json.loads(re.search(r'id="kpi-data"[^>]*>(.*?)</script>', page, re.S).group(1))  # type: ignore[union-attr]
    assert data["target"] == [["2026-06-01", 0.0], ["2026-12-31", 10.0]]
    assert data["measurements"] == []
    response = pm.post(f"{url}measure/", {"date": "2026-06-30", "value": "0.1",
                                          "version": trace.b5.version})  # fmt: skip
    assert response.status_code == 302
    benefit = Benefit.objects.get(pk=trace.b5.pk)
    assert benefit.status == "off_track"  # target 1.36 on 06-30, measured 0.1
    page = pm.get(url).content.decode()
    assert "Off track" in page and "status changed not measured → off track" in page
    stale = pm.post(f"{url}measure/", {"date": "2026-07-01", "value": "1",
                                       "version": trace.b5.version})  # fmt: skip
    assert stale.status_code == 422 and "changed by someone else" in stale.content.decode()


def test_pages_refuse_what_the_role_may_not_do(trace: Trace, world: World) -> None:
    stakeholder = client_for(world.stakeholder)
    assert stakeholder.get("/programs/TRACE/benefits/new/").status_code == 403
    assert stakeholder.get(f"/programs/TRACE/benefits/{trace.b1.pk}/edit/").status_code == 403
    post = stakeholder.post(f"/programs/TRACE/benefits/{trace.b1.pk}/measure/",
                            {"date": "2026-06-30", "value": "1"})  # fmt: skip
    assert post.status_code == 403
    outsider = client_for(world.outsider)
    assert outsider.get(f"/programs/TRACE/benefits/{trace.b1.pk}/").status_code == 404


def test_create_and_edit_through_the_form(trace: Trace, world: World) -> None:
    pm = client_for(world.pm)
    response = pm.post("/programs/TRACE/benefits/new/", {
        "name": "Shorter waits", "category": "social", "kpi": "Days", "direction": "lower",
        "baseline_value": "30", "baseline_date": "2026-01-01", "at_risk_pct": "5",
        "off_track_pct": "10", "targets": "2026-12-31 20\n2027-06-30, 15",
        "deliverables": [trace.d3.pk], "expected_value": "1000",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[-2000:]
    benefit = Benefit.objects.get(program=trace.program, name="Shorter waits")
    assert [(t.date.isoformat(), t.value) for t in benefit.targets.all()] == [
        ("2026-12-31", 20.0), ("2027-06-30", 15.0),
    ]  # fmt: skip
    bad = pm.post(f"/programs/TRACE/benefits/{benefit.pk}/edit/", {
        "name": "Shorter waits", "category": "social", "kpi": "Days", "direction": "lower",
        "baseline_value": "30", "baseline_date": "2026-01-01", "at_risk_pct": "20",
        "off_track_pct": "10", "targets": "2025-12-31 20", "version": benefit.version,
    })  # fmt: skip
    assert bad.status_code == 200
    assert "Must be at least the at-risk threshold" in bad.content.decode()
