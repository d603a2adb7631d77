"""The program Gantt in a real browser: drawn under the strict CSP, a click opens the side
panel, its form edits the activity through the schedule service (the API's PATCH), zoom
and folding work, and the keyboard moves the selection."""

from __future__ import annotations

from typing import Any

import pytest

from podium.core.models import AuditRecord
from podium.schedule import services as schedule_services
from podium.schedule.models import Activity
from podium.schedule.wall import to_wall
from tests.browser.conftest import screenshot, sign_in
from tests.browser.test_charts import CSP_LISTENER, csp_violations
from tests.conftest import PASSWORD, World
from tests.schedule.conftest import small_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEAD, ROW, NAME_X = 40, 22, 96  # gantt.js: header and row heights, name column


@pytest.fixture
def gantt_page(page: Any, world: World) -> Any:
    schedule_services.import_project(actor=world.pm, program=world.alpha, project=small_project())
    page.add_init_script(CSP_LISTENER)
    sign_in(page, "pm", PASSWORD)
    page.goto("/programs/ALPHA/gantt/")
    page.wait_for_selector("#gantt.gantt-drawn")
    return page


def click_row(page: Any, code: str, x: int = 200) -> None:
    pos = page.evaluate(
        """code => { const g = window.podiumGantt; const rows = g.rows;
                     let p = 0; for (let i = 0; i < rows.length; i++) {
                       if (rows[i][1] === code) return p; p++; } return -1; }""",
        code,
    )
    assert pos >= 0
    page.locator("#gantt-canvas").click(position={"x": x, "y": HEAD + pos * ROW + ROW // 2})


def fact(page: Any, label: str) -> str:
    return str(page.locator(f"#gantt-panel-facts dd[data-fact='{label}']").inner_text())


def test_gantt_draws_and_edits_an_activity_through_the_panel(gantt_page: Any) -> None:
    page = gantt_page
    assert page.evaluate("performance.getEntriesByName('gantt-first-paint').length") == 1
    assert page.evaluate("window.podiumGantt.rows.length") == 7  # C1, WARD-REFIT, P, A-D
    box = page.locator("#gantt-canvas").bounding_box()
    assert box is not None and box["width"] > 600 and box["height"] > 300

    click_row(page, "A")
    panel = page.locator("#gantt-panel")
    panel.wait_for(state="visible")
    page.wait_for_selector("#gantt-panel[data-loaded]")
    assert page.locator("#gantt-panel-title").inner_text() == "A Strip out"
    assert fact(page, "Finish") == "2026-03-03 17:00"
    assert fact(page, "Critical") == "yes"
    assert page.locator("#gantt-edit-duration").input_value() == "2"

    page.locator("#gantt-edit-duration").fill("4")
    page.get_by_role("button", name="Save").click()
    page.wait_for_function(
        "() => document.getElementById('gantt-status').textContent.startsWith('Saved A')"
    )
    page.wait_for_function(
        "() => document.querySelector(\"#gantt-panel-facts dd[data-fact='Finish']\")"
        ".textContent === '2026-03-05 17:00'"
    )
    activity = Activity.objects.get(code="A")
    assert activity.duration_minutes == 4 * 480
    assert to_wall(activity.finish) is not None
    assert f"{to_wall(activity.finish):%Y-%m-%d %H:%M}" == "2026-03-05 17:00"
    # the successor moved with it: the program was recomputed by the same service
    b = Activity.objects.get(code="B")
    assert f"{to_wall(b.start):%Y-%m-%d}" == "2026-03-06"
    assert AuditRecord.objects.filter(action="update", object_id=str(activity.pk)).exists()
    # the chart's data was reloaded
    rows_b = page.evaluate("window.podiumGantt.rows.filter(r => r[1] === 'B')[0][7]")
    origin_b = page.evaluate("window.podiumGantt.rows.filter(r => r[1] === 'A')[0][7]")
    assert rows_b - origin_b == (4 * 24 * 60)  # Mon 08:00 -> Fri 08:00
    assert csp_violations(page) == []
    assert page.console.errors == []


def test_zoom_folding_and_keyboard(gantt_page: Any) -> None:
    page = gantt_page
    assert page.get_by_role("button", name="Week").get_attribute("aria-pressed") == "true"
    week = page.evaluate("window.podiumGantt.pixelsPerDay()")
    for name, kind in (("Day", "day"), ("Month", "month"), ("Quarter", "quarter")):
        page.get_by_role("button", name=name).click()
        assert page.get_by_role("button", name=name).get_attribute("aria-pressed") == "true"
        assert page.evaluate("window.podiumGantt.zoomName()") == kind
    assert page.evaluate("window.podiumGantt.pixelsPerDay()") < week
    page.get_by_role("button", name="Day").click()
    assert page.evaluate("window.podiumGantt.pixelsPerDay()") > week
    assert page.locator("#gantt").get_attribute("data-zoom") == "day"

    # fold the summary P with its triangle (4 px into the name column, level 1: +12)
    assert page.evaluate("window.podiumGantt.visibleCount()") == 7
    click_row(page, "P", x=NAME_X + 4 + 12 + 4)
    assert page.evaluate("window.podiumGantt.visibleCount()") == 3
    page.keyboard.press("ArrowRight")  # unfold again
    assert page.evaluate("window.podiumGantt.visibleCount()") == 7

    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert "B Rewire" in page.locator("#gantt-status").inner_text()
    page.keyboard.press("Enter")
    page.wait_for_selector("#gantt-panel[data-loaded]")
    assert page.locator("#gantt-panel-title").inner_text() == "B Rewire"
    page.keyboard.press("Escape")
    assert page.locator("#gantt-panel").is_hidden()
    screenshot(page, "gantt")
    assert csp_violations(page) == []
    assert page.console.errors == []


def test_viewer_sees_the_panel_without_the_form_and_filters_reload(page: Any, world: World) -> None:
    schedule_services.import_project(actor=world.pm, program=world.alpha, project=small_project())
    schedule_services.import_project(
        actor=world.pm, program=world.alpha, project=small_project("Theatre refit")
    )
    page.add_init_script(CSP_LISTENER)
    sign_in(page, "viewer", PASSWORD)
    page.goto("/programs/ALPHA/gantt/")
    page.wait_for_selector("#gantt.gantt-drawn")
    assert page.evaluate("window.podiumGantt.rows.length") == 13
    page.get_by_label("Component").select_option(label="THEATRE-REFIT Theatre refit")
    page.wait_for_function("() => window.podiumGantt.rows.length === 6")
    assert "component=" in page.url
    click_row(page, "B")
    page.wait_for_selector("#gantt-panel[data-loaded]")
    assert page.locator("#gantt-edit").is_hidden()
    assert page.locator("#gantt-readonly").is_visible()
    assert csp_violations(page) == []
    assert page.console.errors == []


def test_demo_program_gantt_draws_without_errors(page: Any) -> None:
    from podium.demo import DEMO_PASSWORD, load_demo
    from podium.programs.models import Program

    load_demo()
    hdt = Program.objects.get(code="HDT")
    page.add_init_script(CSP_LISTENER)
    sign_in(page, hdt.manager.username, DEMO_PASSWORD)
    page.goto("/programs/HDT/gantt/")
    page.wait_for_selector("#gantt.gantt-drawn")
    shown = page.evaluate("window.podiumGantt.rows.length")
    assert shown == hdt.activities.count() + hdt.components.count()
    assert page.evaluate("window.podiumGantt.rows.some(r => r[5] & 4)")  # a critical path
    page.get_by_role("button", name="Month").click()
    page.locator("#gantt-viewport").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_selector("#gantt-panel[data-loaded]")
    screenshot(page, "gantt-demo")
    assert csp_violations(page) == []
    assert page.console.errors == []


def test_a_link_with_an_activity_opens_its_panel(page: Any, world: World) -> None:
    schedule_services.import_project(actor=world.pm, program=world.alpha, project=small_project())
    activity = Activity.objects.get(program=world.alpha, code="B")
    sign_in(page, "pm", PASSWORD)
    page.goto(f"/programs/ALPHA/gantt/?activity={activity.pk}")
    page.wait_for_selector("#gantt-panel[data-loaded]")
    assert page.locator("#gantt-panel").is_visible()
    assert not page.console.errors
