"""In the browser: the component manager files this week's update from the pre-filled
form; the program manager's overview then shows every component's latest update and the
change since the previous one — "Schedule: Amber → Red", the slip delta — and a
component that filed nothing as missing."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from podium.programs.models import Component, Program
from podium.updates.models import ComponentUpdate
from tests.browser.conftest import screenshot, sign_in
from tests.conftest import PASSWORD, World
from tests.finance.test_evm_program import program  # noqa: F401  (fixture)
from tests.updates.conftest import LAST_WEEK, file, in_delivery

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DIMENSIONS = ("Overall", "Schedule", "Cost", "Scope", "Risks", "Resources", "Stakeholders")


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login/**")


def open_overview(page: Any) -> None:
    page.goto("/programs/ALPHA/")
    page.get_by_role("navigation", name="Program").get_by_role(
        "link", name="Component updates"
    ).click()
    page.wait_for_url("**/ALPHA/updates/")


def test_program_manager_sees_latest_updates_and_the_change(
    page: Any,
    world: World,
    program: Program,  # noqa: F811  (fixture)
) -> None:
    c2 = Component.objects.get(program=program, code="C2")
    in_delivery(world.comp, c2)
    # Last week C1 reported its schedule amber, with a 2-day slip known then.
    last = file(world.cm, world.comp, LAST_WEEK, schedule_rag="amber",
                schedule_reason="Cable delivery late.", blockers="Cable supplier late.",
                next_steps="Finish the rewiring of ward 4.")  # fmt: skip
    figures = {**last.figures, "schedule": {**last.figures["schedule"], "slip_working_days": 2.0}}
    ComponentUpdate.objects.filter(pk=last.pk).update(figures=figures)

    sign_in(page, "cm", PASSWORD)
    open_overview(page)
    page.get_by_role("link", name="New update").click()
    page.get_by_label("Component").select_option(label="C1 First component")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Status update of C1")
    # pre-filled: what Podium knows, last week's next steps, its blockers carried over
    known = page.locator("section", has_text="What Podium knows")
    expect(known).to_contain_text("+5 working days")
    expect(known).to_contain_text("CPI")
    expect(page.get_by_text("Finish the rewiring of ward 4.")).to_be_visible()
    expect(page.get_by_label("Blockers")).to_have_value("Cable supplier late.")

    page.get_by_label("Schedule RAG").select_option("red")
    page.get_by_label("Schedule reason").fill("Cable still missing: ward 4 slips a week.")
    page.get_by_role("button", name="Submit update").click()
    # refused: every colour is needed, and a reason for amber and red
    expect(page.locator(".errorlist").first).to_be_visible()
    for dim in DIMENSIONS:
        rag = page.get_by_label(f"{dim} RAG", exact=True)
        if not rag.input_value():
            rag.select_option("green")
        reason = page.get_by_label(f"{dim} reason", exact=True)
        if not reason.input_value():
            reason.fill(f"{dim}: see the figures.")
    page.get_by_label("Accomplishments").fill("Wards 1 to 3 rewired.")
    page.get_by_label("Next steps").fill("Rewire ward 4 once the cable arrives.")
    page.get_by_role("button", name="Submit update").click()
    expect(page.locator(".msg-success")).to_contain_text("submitted")
    expect(page.locator(".status-submitted")).to_have_text("Submitted")
    sign_out(page)

    sign_in(page, "pm", PASSWORD)
    open_overview(page)
    table = page.locator("table.updates-overview")
    schedule = table.locator("tr", has=page.get_by_role("rowheader", name="Schedule"))
    expect(schedule).to_contain_text("Amber → Red")
    expect(schedule).to_contain_text("Cable still missing")
    figures_row = table.locator("tr", has=page.get_by_role("rowheader", name="Figures"))
    expect(figures_row).to_contain_text("Finish slip (working days): +2 d → +5 d (+3 d)")
    header = table.locator("thead")
    expect(header).to_contain_text("C1")
    expect(header.locator("th", has_text="C2")).to_contain_text("missing")
    screenshot(page, "component-updates-overview")

    # the PM follows C1's update to its page: the same change
    table.get_by_role("link", name="Update").first.click()
    expect(page.locator("table.updates-ratings")).to_contain_text("Amber → Red")
    # the one refused submission answered 422 on purpose; nothing else went wrong
    assert [e for e in page.console.errors if "422" not in e] == []
