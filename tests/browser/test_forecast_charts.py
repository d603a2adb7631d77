"""The Forecast tab in a real browser: ECharts draws the finish histogram, the cumulative
curve with its P-lines and target date, and the tornado, under the strict
Content-Security-Policy."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from podium.forecast import services
from podium.forecast.models import ForecastRun
from podium.schedule import services as schedule_services
from tests.browser.conftest import screenshot, sign_in
from tests.browser.test_charts import CSP_LISTENER, csp_violations
from tests.conftest import PASSWORD, World
from tests.forecast.conftest import risky_inputs
from tests.schedule.conftest import small_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def forecast(world: World, monkeypatch: pytest.MonkeyPatch) -> ForecastRun:
    """ALPHA's small project with an uncertain, risky B, forecast with a target date."""
    schedule_services.import_project(actor=world.pm, program=world.alpha, project=small_project())
    inputs = risky_inputs()
    monkeypatch.setattr(services, "inputs_for", lambda program: inputs)
    run = services.run_forecast(
        actor=world.pm, program=world.alpha, iterations=500, seed=4, target=dt.date(2026, 3, 11)
    )
    assert run.status == ForecastRun.Status.READY, run.error
    return run


def series(page: Any, kind: str) -> Any:
    return page.evaluate(
        """kind => {
          const el = document.querySelector(`.chart[data-chart="${kind}"]`);
          const chart = echarts.getInstanceByDom(el);
          const o = chart.getOption();
          return {
            series: o.series.map(s => ({type: s.type, points: s.data.length,
              marks: s.markLine ? s.markLine.data.map(m => m.name) : []})),
            labels: o.yAxis[0].data || null,
          };
        }""",
        kind,
    )


def test_forecast_page_draws_histogram_curve_and_tornado_under_csp(
    page: Any, forecast: ForecastRun
) -> None:
    page.add_init_script(CSP_LISTENER)
    sign_in(page, "pm", PASSWORD)
    page.goto("/programs/ALPHA/")
    page.get_by_role("link", name="Forecast").first.click()
    page.wait_for_url("**/programs/ALPHA/forecast/")
    for kind in ("histogram", "cumulative", "tornado"):
        page.wait_for_selector(f".chart[data-chart='{kind}'].chart-drawn canvas")
        box = page.locator(f".chart[data-chart='{kind}'] canvas").first.bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 250
    histogram = series(page, "histogram")
    bins = len(forecast.results["histogram"])
    assert histogram["series"] == [{
        "type": "custom", "points": bins,
        "marks": ["P10", "P50", "P80", "P90", "Deterministic", "Target 2026-03-11"],
    }]  # fmt: skip
    curve = series(page, "cumulative")
    assert curve["series"][0]["points"] == len(forecast.results["cumulative"])
    assert "Target 2026-03-11" in curve["series"][0]["marks"]
    tornado = series(page, "tornado")
    assert tornado["labels"][0] == "WARD-REFIT · B Rewire"
    assert tornado["series"][0]["points"] == len(forecast.results["sensitivity"])
    # text alternatives: captions and tables stand for the drawings
    assert page.locator("#histogram-table tbody tr").count() == bins
    assert "WARD-REFIT" in page.locator("#tornado-table").inner_text()
    assert page.locator(".chart[data-chart='tornado'] canvas").first.evaluate(
        "c => c.closest('[aria-hidden=\"true\"]') !== null"
    )
    # hovering a tornado bar names the activity (tooltip styled through the DOM, under CSP)
    chart = page.locator(".chart[data-chart='tornado']")
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    x, y = page.evaluate(
        """() => {
          const el = document.querySelector('.chart[data-chart="tornado"]');
          const chart = echarts.getInstanceByDom(el);
          const value = chart.getOption().series[0].data[0].value;
          return chart.convertToPixel({seriesIndex: 0}, [value / 2, 0]);
        }"""
    )
    page.mouse.move(box["x"] + x, box["y"] + y)
    tip = page.locator(".chart[data-chart='tornado'] .chart-tooltip")
    tip.wait_for(state="visible")
    assert "Rewire" in tip.inner_text()
    assert not csp_violations(page)
    assert not page.console.errors
    screenshot(page, "forecast")
