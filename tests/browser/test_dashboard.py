"""The program dashboard, the roadmap and the grouped tab bar in a real browser: the rule of
a tile shows on keyboard focus, the milestone trend draws under the strict CSP, and every
tab stays reachable on a laptop and (through the group menus) on a tablet."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in
from tests.conftest import PASSWORD, World
from tests.dashboard.conftest import Plan, build_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan(world: World) -> Plan:
    return build_plan(world)


CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def test_dashboard_tile_shows_its_rule_on_focus(page: Any, world: World, plan: Any) -> None:
    page.add_init_script(CSP_LISTENER)
    sign_in(page, "pm", PASSWORD)
    page.goto("/programs/ALPHA/")
    page.get_by_role("navigation", name="Program").get_by_role("link", name="Dashboard").click()
    page.wait_for_url("**/ALPHA/dashboard/")
    expect(page.locator(".rag-tile")).to_have_count(6)
    rule = page.locator("#rule-risks")
    expect(rule).not_to_be_in_viewport()  # visually hidden until hover or focus
    link = page.locator(".rag-tile[data-dimension='risks'] .rag-tile-link")
    link.focus()
    expect(rule).to_be_visible()
    expect(rule).to_be_in_viewport()
    expect(rule).to_contain_text("probability score x impact score above 12")
    assert rule.bounding_box()["width"] > 100
    # the link's accessible description is the rule
    described = link.get_attribute("aria-describedby")
    assert described == "rule-risks"
    page.wait_for_selector(".chart[data-chart='trend'].chart-drawn canvas")
    screenshot(page, "dashboard")
    assert page.evaluate("window.__cspViolations") == []
    assert not page.console.errors


def test_roadmap_renders(page: Any, world: World, plan: Any) -> None:
    sign_in(page, "viewer", PASSWORD)
    page.goto("/programs/ALPHA/")
    page.get_by_role("navigation", name="Program").get_by_role("link", name="Roadmap").click()
    page.wait_for_url("**/ALPHA/roadmap/")
    expect(page.locator("svg.roadmap .roadmap-lane")).to_have_count(2)
    expect(page.locator("svg.roadmap .roadmap-dependency")).to_have_count(1)
    assert page.locator("svg.roadmap").bounding_box()["width"] > 800
    screenshot(page, "roadmap")
    assert not page.console.errors


def test_every_tab_is_clickable_on_a_laptop(page: Any, world: World) -> None:
    sign_in(page, "pm", PASSWORD)
    page.goto("/programs/ALPHA/")
    nav = page.get_by_role("navigation", name="Program")
    for label in ("Components", "Budget", "Lessons", "Members", "History", "Risks"):
        nav.get_by_role("link", name=label, exact=True).click()
        expect(nav.get_by_role("link", name=label, exact=True)).to_have_attribute(
            "aria-current", "page"
        )
    screenshot(page, "tabbar-laptop")
    # a group stays on one row: Budget and Performance side by side
    budget = nav.get_by_role("link", name="Budget", exact=True).bounding_box()
    performance = nav.get_by_role("link", name="Performance", exact=True).bounding_box()
    assert budget["y"] == performance["y"] and budget["x"] < performance["x"]


def test_group_menus_on_a_tablet(page: Any, world: World) -> None:
    page.set_viewport_size({"width": 1024, "height": 768})
    sign_in(page, "pm", PASSWORD)
    page.goto("/programs/ALPHA/")
    nav = page.get_by_role("navigation", name="Program")
    budget = nav.get_by_role("link", name="Budget", exact=True)
    expect(budget).to_be_hidden()  # inside the closed Money menu
    # one row of tabs and group buttons
    assert page.locator("nav.tabbar").bounding_box()["height"] < 60
    toggle = nav.get_by_role("button", name="Money")
    toggle.focus()
    expect(budget).to_be_visible()  # keyboard focus opens the menu
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    expect(toggle).to_be_focused()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    nav.get_by_role("button", name="Money").click()
    budget.click()
    page.wait_for_url("**/ALPHA/budget/")
    # the page's own group shows its tabs as a second row
    expect(nav.get_by_role("link", name="Budget", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    expect(nav.get_by_role("link", name="Performance", exact=True)).to_be_visible()
    screenshot(page, "tabbar-tablet")
    assert not page.console.errors
