"""The load heatmap chart on a program's resources page: its payload (resources × weeks,
peak load as a share of capacity), the bands it shares with the table's legend, and the
page wiring (json_script, the table as the text alternative)."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.test import Client

from podium.resources import selectors, services
from podium.resources.models import Resource
from podium.resources.views import _bucket, heatmap_data
from tests.conftest import World
from tests.resources.test_org_pool import BETA_SECRETS, Pool, pool  # noqa: F401 (fixture)

MON = dt.date(2026, 3, 2)
URL = "/programs/ALPHA/resources/?from=2026-03-02&weeks=4"


def page_html(user: Any, url: str = URL) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return str(response.content.decode())


def payload(html: str) -> Any:
    found = re.search(r'<script id="load-heatmap-data" type="application/json">(.*?)</script>',
                      html, re.S)  # fmt: skip
    assert found, "no heatmap data on the page"
    return json.loads(found.group(1))


def band(data: dict[str, Any], share: float | None) -> str:
    """The band charts.js colours a share with: above the previous band's max, up to its
    own (inclusive); the last band is open; no capacity counts as the last band."""
    low = 0.0
    for b in data["bands"]:
        if share is None:
            continue
        if low < share and (b["max"] is None or share <= b["max"]):
            return str(b["key"])
        low = b["max"]
    return str(data["bands"][-1]["key"])


def test_payload_has_a_row_per_resource_and_a_column_per_week(world: World, staffed: Any) -> None:
    table = selectors.resource_load(world.alpha, first_week=MON, weeks=3)
    data = heatmap_data(table)
    assert data["rows"] == [{"code": "CREW", "name": "Ground crew", "organisation": False}]
    assert data["columns"] == ["2026-03-02", "2026-03-09", "2026-03-16"]
    # two units asked of a one-unit crew on Monday and Tuesday; later weeks carry no load
    assert data["values"] == [[0, 0, 2.0, 2.0, 1.0]]
    assert [b["label"] for b in data["bands"]] == ["≤ 50%", "≤ 80%", "≤ 100%", "over"]


@pytest.mark.parametrize(
    ("capacity", "expected"),
    [(4.0, "heat-1"), (2.5, "heat-2"), (2.0, "heat-3"), (1.6, "heat-over"), (1.0, "heat-over")],
)
def test_chart_bands_agree_with_the_table(
    world: World, staffed: Any, capacity: float, expected: str
) -> None:
    crew = Resource.objects.get(program=world.alpha)
    services.update_resource(
        actor=world.pm, resource=crew, expected_version=crew.version, capacity=capacity
    )
    table = selectors.resource_load(world.alpha, first_week=MON, weeks=1)
    week = table.rows[0].weeks[0]
    data = heatmap_data(table)
    [[_, _, share, peak, cap]] = data["values"]
    assert (peak, cap) == (2.0, capacity)
    assert _bucket(week.ratio) == expected
    assert band(data, share) == expected


def test_resource_without_capacity_is_over(world: World, staffed: Any) -> None:
    crew = Resource.objects.get(program=world.alpha)
    services.update_resource(
        actor=world.pm, resource=crew, expected_version=crew.version,
        availability=[{"start": "2026-03-02", "end": "2026-03-06", "units": 0}],
    )  # fmt: skip
    table = selectors.resource_load(world.alpha, first_week=MON, weeks=1)
    data = heatmap_data(table)
    [[_, _, share, peak, cap]] = data["values"]
    assert (share, peak, cap) == (None, 2.0, 0.0)
    assert band(data, share) == "heat-over" == _bucket(table.rows[0].weeks[0].ratio)
    json.dumps(data, allow_nan=False)  # valid JSON for the browser: no Infinity


def test_resources_page_draws_the_chart_above_the_table(world: World, staffed: Any) -> None:
    html = page_html(world.viewer)
    chart = re.search(r'<div class="chart chart-heatmap[^"]*"[^>]*>', html)
    assert chart, "no heatmap chart on the page"
    tag = chart.group(0)
    assert 'data-chart="heatmap"' in tag and 'data-source="load-heatmap-data"' in tag
    assert 'aria-describedby="load-table"' in tag
    assert 'aria-labelledby="load-chart-caption"' in html and 'id="load-chart-caption"' in html
    assert html.index(tag) < html.index('<table class="heatmap" id="load-table">')
    assert payload(html)["values"] == [[0, 0, 2.0, 2.0, 1.0]]
    assert "podium/vendor/echarts.min.js" in html and "podium/charts.js" in html
    # no inline script runs: the data is JSON the page only carries
    assert not re.search(r"<script(?![^>]*(\bsrc=|application/json))", html)


def test_no_chart_without_load(world: World, staffed: Any) -> None:
    html = page_html(world.pm, "/programs/ALPHA/resources/?from=2027-01-04&weeks=4")
    assert '<table class="heatmap" id="load-table">' in html  # the table stays
    assert 'data-chart="heatmap"' not in html
    assert "load-heatmap-data" not in html and "echarts.min.js" not in html


def test_organisation_resources_are_marked_and_other_programs_stay_hidden(
    world: World,
    pool: Pool,  # noqa: F811
) -> None:
    html = page_html(world.team)
    data = payload(html)
    dba = next(r for r in data["rows"] if r["code"] == "DBA")
    assert dba == {"code": "DBA", "name": "Database administrator", "organisation": True}
    row = data["rows"].index(dba)
    # ALPHA's 1.0 and BETA's 0.5 of a 1-unit administrator: over in the first week
    first = next(v for v in data["values"] if v[1] == row and v[0] == 0)
    assert first[2:] == [1.5, 1.5, 1.0]
    text = json.dumps(data)
    assert not [s for s in BETA_SECRETS if s.lower() in text.lower()]
