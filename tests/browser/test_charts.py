"""Charts in a real browser: ECharts (vendored) draws the Performance page's S-curve and
trend under the strict Content-Security-Policy, and the RAG cells explain their rule."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from podium.finance import evm
from tests.browser.conftest import screenshot, sign_in
from tests.conftest import PASSWORD, World
from tests.finance.conftest import Budget, approve, build_budget
from tests.finance.test_performance_page import progressed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Collects Content-Security-Policy violations the page reports (added before any of the
# page's own scripts run; Playwright's init scripts are not subject to the page's CSP).
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""

STATUS = dt.date(2026, 3, 18)


def _row(level: str, key: str, name: str, **figures: Any) -> evm.EvmRow:
    bac, pv, ev, ac = (figures.pop(k) for k in ("bac", "pv", "ev", "ac"))
    base: dict[str, Any] = {
        "sv": ev - pv, "cv": ev - ac, "spi": ev / pv, "cpi": ev / ac, "eac": ac + bac - ev,
        "eac_cpi": bac * ac / ev, "eac_sci": None, "etc": bac * ac / ev - ac,
        "vac": bac - bac * ac / ev, "tcpi": (bac - ev) / (bac - ac),
    }  # fmt: skip
    base.update(figures)
    return evm.EvmRow(level, key, name, None if level == "program" else key, bac, pv, ev, ac,
                      **base)  # type: ignore[arg-type]  # fmt: skip


def constructed() -> tuple[evm.ProgramEvm, evm.SCurve, list[evm.TrendPoint]]:
    """Figures made up for the chart layer: C1 on plan (green), C2 late and over cost."""
    c1 = _row("component", "C1", "First", bac=1500, pv=600, ev=600, ac=590, spi_t=1.0)
    c2 = _row("component", "C2", "Second", bac=2000, pv=1000, ev=850, ac=1000, spi_t=0.8)
    total = _row("program", "ALPHA", "Alpha", bac=3500, pv=1600, ev=1450, ac=1590, spi_t=0.88,
                 es=dt.date(2026, 3, 13), sv_t_days=-3.0, p_factor=0.9)  # fmt: skip
    result = evm.ProgramEvm("ALPHA", "EUR", STATUS, 1, None, total, [c1, c2], [])
    days = sorted([dt.date(2026, 3, 1) + dt.timedelta(weeks=i) for i in range(9)] + [STATUS])
    pv = [0, 400, 1000, 1600, 1900, 2200, 2800, 3200, 3500, 3500]
    ev = [0, 360, 900, 1450]
    ac = [0, 396, 990, 1590]
    points = [
        evm.SCurvePoint(day, pv[i], ev[i] if i < 4 else None, ac[i] if i < 4 else None,
                        None if i < 3 else 1590 + (i - 3) * 374)
        for i, day in enumerate(days)
    ]  # fmt: skip
    curve = evm.SCurve("ALPHA", "EUR", STATUS, 3500, 3838, dt.date(2026, 4, 16),
                       dt.date(2026, 4, 26), points)  # fmt: skip
    trend = [
        evm.TrendPoint(1, "P1", dt.date(2026, 3, 4), 1.02, 0.98, 0.99, 400, 392, 384),
        evm.TrendPoint(2, "P2", dt.date(2026, 3, 11), 0.95, 0.93, 0.92, 1000, 930, 979),
        evm.TrendPoint(3, "P3", STATUS, 0.91, 0.91, 0.88, 1600, 1450, 1590),
    ]
    return result, curve, trend


@pytest.fixture
def constructed_evm(world: World, monkeypatch: pytest.MonkeyPatch) -> Budget:
    """ALPHA with an approved baseline, and the earned value figures of
    :func:`constructed` in place of the computed ones."""
    budget = build_budget(world.alpha, world.comp, world.pm)
    approve(budget)
    result, curve, trend = constructed()
    monkeypatch.setattr(evm, "program_evm", lambda program, status_date=None, baseline=None: result)
    monkeypatch.setattr(evm, "s_curve", lambda program, *a, **k: curve)
    monkeypatch.setattr(evm, "evm_trend", lambda program: trend)
    monkeypatch.setattr(evm, "snapshot_list", lambda program: [])
    return budget


def open_performance(page: Any) -> None:
    page.add_init_script(CSP_LISTENER)
    sign_in(page, "pm", PASSWORD)
    page.goto("/programs/ALPHA/budget/")
    page.get_by_role("link", name="Performance").first.click()
    page.wait_for_url("**/programs/ALPHA/performance/")
    page.wait_for_selector(".chart[data-chart='s-curve'].chart-drawn canvas")


def csp_violations(page: Any) -> list[str]:
    reported = page.evaluate("window.__cspViolations")
    logged = [e for e in page.console.errors if "Content Security Policy" in e]
    return list(reported) + logged


def chart_option(page: Any, kind: str) -> Any:
    return page.evaluate(
        """kind => {
          const o = echarts.getInstanceByDom(document.querySelector(`.chart[data-chart="${kind}"]`))
            .getOption();
          return o.series.map(s => ({name: s.name, dash: s.lineStyle.type, points: s.data.length,
                                     mark: s.markLine ? s.markLine.data[0] : null}));
        }""",
        kind,
    )


def test_performance_page_draws_the_s_curve_under_csp(page: Any, world: World) -> None:
    progressed(build_budget(world.alpha, world.comp, world.pm))  # computed, not made up
    open_performance(page)
    chart = page.locator(".chart[data-chart='s-curve']")
    box = chart.locator("canvas").first.bounding_box()
    assert box is not None and box["width"] > 600 and box["height"] > 300
    series = chart_option(page, "s-curve")
    assert [s["name"] for s in series] == [
        "Planned value (PV)", "Earned value (EV)", "Actual cost (AC)", "Forecast to EAC",
    ]  # fmt: skip
    assert series[0]["mark"]["xAxis"] == "2026-03-04"  # the status date marker
    assert series[3]["dash"] == "dashed" and series[0]["dash"] == "solid"
    assert page.locator(".chart[data-chart='trend']").count() == 0  # no snapshot yet
    assert not csp_violations(page)
    assert not page.console.errors
    screenshot(page, "performance")


def test_chart_layer_draws_projection_trend_and_text_alternative(
    page: Any, constructed_evm: Budget
) -> None:
    open_performance(page)
    series = chart_option(page, "s-curve")
    assert [s["points"] for s in series] == [10, 4, 4, 7]  # PV all weeks, EV/AC to the 18th
    page.wait_for_selector(".chart[data-chart='trend'].chart-drawn canvas")
    trend = chart_option(page, "trend")
    assert [s["name"] for s in trend] == ["CPI", "SPI", "SPI(t)"]
    assert trend[0]["mark"]["yAxis"] == 1 and trend[0]["dash"] == "solid"
    # the drawing is hidden from assistive technology; caption and table stand for it
    chart = page.locator(".chart[data-chart='s-curve']")
    assert chart.get_attribute("role") == "img"
    assert "Cumulative planned value" in page.locator("#s-curve-caption").inner_text()
    assert chart.get_attribute("aria-describedby") == "s-curve-table"
    assert page.locator("#s-curve-table tbody tr").count() == 10
    assert chart.locator("canvas").first.evaluate(
        "c => c.closest('[aria-hidden=\"true\"]') !== null"
    )
    # hovering shows the week's figures (the tooltip is styled through the DOM, under CSP)
    box = chart.bounding_box()
    chart.hover(position={"x": box["width"] * 0.25, "y": box["height"] * 0.6})
    tip = page.locator(".chart[data-chart='s-curve'] .chart-tooltip")
    tip.wait_for(state="visible")
    assert "Planned value (PV): " in tip.inner_text() and "EUR" in tip.inner_text()
    assert not csp_violations(page) and not page.console.errors
    screenshot(page, "performance-constructed")


def test_rag_cell_tooltip_states_its_rule(page: Any, constructed_evm: Budget) -> None:
    open_performance(page)
    c2 = page.locator("table.evm-components tbody tr", has_text="C2")
    spi = c2.locator("td.rag").first  # SPI 0.85: red
    assert "Red" in spi.inner_text()
    assert spi.get_attribute("title") == "SPI: green ≥ 0.95, amber ≥ 0.90, red below 0.90"
    c1_cpi = page.locator("table.evm-components tbody tr", has_text="C1").locator("td.rag").nth(1)
    assert "Green" in c1_cpi.inner_text()
    assert c1_cpi.get_attribute("title").startswith("CPI: green ≥ 0.95")
    tcpi = page.locator("table.rollup tr", has_text="TCPI").locator("td.rag")
    assert tcpi.get_attribute("title") == "TCPI: green ≤ 1.05, amber ≤ 1.10, red above 1.10"


def test_chart_follows_the_window_size(page: Any, constructed_evm: Budget) -> None:
    open_performance(page)
    canvas = page.locator(".chart[data-chart='s-curve'] canvas").first
    wide = canvas.bounding_box()["width"]
    page.set_viewport_size({"width": 700, "height": 900})
    page.wait_for_function(
        "w => document.querySelector('.chart[data-chart=\"s-curve\"] canvas')"
        ".getBoundingClientRect().width < w - 200",
        arg=wide,
    )
    narrow = canvas.bounding_box()["width"]
    chart_width = page.locator(".chart[data-chart='s-curve']").bounding_box()["width"]
    assert narrow < wide and abs(narrow - chart_width) < 2
