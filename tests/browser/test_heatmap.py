"""The load heatmap on a program's resources page in a real browser: ECharts draws the
resources × weeks grid with the table's four bands, under the strict
Content-Security-Policy, and the table stays as its text alternative."""

from __future__ import annotations

from typing import Any

import pytest

from podium.resources import services
from podium.schedule.models import Activity
from podium.schedule.services import import_project
from tests.browser.conftest import screenshot, sign_in
from tests.browser.test_charts import CSP_LISTENER, csp_violations
from tests.conftest import PASSWORD, World
from tests.resources.conftest import staffed_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHART = ".chart[data-chart='heatmap']"


@pytest.fixture
def loaded(world: World) -> None:
    """ALPHA's crew (1 unit) asked for 2 units in the week of 2026-03-02; a second
    resource, the surveyor (2 units), asked for 1 unit by Dig that week."""
    import_project(actor=world.pm, program=world.alpha, project=staffed_project())
    surveyor = services.create_resource(
        actor=world.pm, program=world.alpha, code="SURV", name="Surveyor", capacity=2
    )
    dig = Activity.objects.get(program=world.alpha, code="A")
    services.assign(actor=world.pm, activity=dig, resource=surveyor, units=1.0)


def test_resources_page_draws_the_load_heatmap_under_csp(page: Any, loaded: None) -> None:
    page.add_init_script(CSP_LISTENER)
    sign_in(page, "pm", PASSWORD)
    page.goto("/programs/ALPHA/resources/?from=2026-03-02&weeks=6")
    page.wait_for_selector(f"{CHART}.chart-drawn canvas")
    box = page.locator(f"{CHART} canvas").first.bounding_box()
    assert box is not None and box["width"] > 600 and box["height"] > 180
    option = page.evaluate(
        """sel => {
          const chart = echarts.getInstanceByDom(document.querySelector(sel));
          const o = chart.getOption();
          return {
            type: o.series[0].type,
            cells: o.series[0].data.map(d => d.value),
            rows: o.yAxis[0].data,
            weeks: o.xAxis[0].data.length,
            bands: o.visualMap[0].pieces.map(p => p.label),
          };
        }""",
        CHART,
    )
    assert option["type"] == "heatmap"
    assert option["rows"] == ["CREW", "SURV"]
    assert option["weeks"] == 6
    assert option["bands"] == ["≤ 50%", "≤ 80%", "≤ 100%", "over"]
    assert option["cells"] == [[0, 0, 2.0], [0, 1, 0.5]]
    # the table is the text alternative the chart points to
    chart = page.locator(CHART)
    assert chart.get_attribute("aria-describedby") == "load-table"
    assert page.locator("#load-table tbody tr").count() == 2
    assert chart.locator("canvas").first.evaluate(
        "c => c.closest('[aria-hidden=\"true\"]') !== null"
    )
    # hovering the crew's first week names the resource and its load
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    x, y = page.evaluate(
        """sel => echarts.getInstanceByDom(document.querySelector(sel))
                   .convertToPixel({seriesIndex: 0}, [0, 0])""",
        CHART,
    )
    page.mouse.move(box["x"] + x, box["y"] + y)
    tip = page.locator(f"{CHART} .chart-tooltip")
    tip.wait_for(state="visible")
    text = tip.inner_text()
    assert "Ground crew" in text and "Week of 2026-03-02" in text and "200" in text
    assert not csp_violations(page)
    assert not page.console.errors
    screenshot(page, "resources-heatmap")
