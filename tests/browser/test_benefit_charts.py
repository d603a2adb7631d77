"""The benefit page in a real browser: ECharts draws the KPI chart (target profile, the
threshold boundaries and the measurements) under the strict Content-Security-Policy."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from podium.benefits import services
from podium.benefits.models import Benefit
from tests.browser.conftest import sign_in
from tests.browser.test_charts import CSP_LISTENER, csp_violations
from tests.conftest import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def benefit(world: World) -> Benefit:
    benefit = services.create_benefit(
        actor=world.pm, program=world.alpha, name="More online bookings", kpi="Bookings",
        unit="%", baseline_value=3, baseline_date=dt.date(2025, 1, 1),
        targets=[(dt.date(2025, 6, 30), 10), (dt.date(2025, 12, 31), 40)],
    )  # fmt: skip
    for day, value in ((dt.date(2025, 3, 31), 5.0), (dt.date(2025, 8, 31), 12.0)):
        services.record_measurement(actor=world.pm, benefit=benefit, date=day, value=value)
    return benefit


def test_kpi_chart_is_drawn_under_csp(page: Any, world: World, benefit: Benefit) -> None:
    page.add_init_script(CSP_LISTENER)
    sign_in(page, "viewer", PASSWORD)
    page.goto(f"/programs/ALPHA/benefits/{benefit.pk}/")
    page.wait_for_selector(".chart[data-chart='kpi'].chart-drawn canvas")
    names = page.evaluate(
        """() => {
          const el = document.querySelector('.chart[data-chart="kpi"]');
          const o = echarts.getInstanceByDom(el).getOption();
          return o.series.map(s => [s.name, s.data.length]);
        }"""
    )
    assert names == [
        ["Target", 3], ["At-risk boundary", 2], ["Off-track boundary", 2], ["Measured", 2],
    ]  # fmt: skip
    assert not page.locator(".chart.chart-failed").count()
    assert not csp_violations(page)


def test_the_register_shows_target_and_actual_of_every_kpi(
    page: Any, world: World, benefit: Benefit
) -> None:
    page.add_init_script(CSP_LISTENER)
    sign_in(page, "viewer", PASSWORD)
    page.goto("/programs/ALPHA/benefits/")
    page.wait_for_selector(".kpi-dashboard .chart[data-chart='kpi'].chart-drawn canvas")
    measured = page.evaluate(
        """() => {
          const el = document.querySelector('.kpi-dashboard .chart[data-chart="kpi"]');
          const o = echarts.getInstanceByDom(el).getOption();
          return o.series.find(s => s.name === 'Measured').data.length;
        }"""
    )
    assert measured == 2
    assert not csp_violations(page)
