"""What people do in the browser: sign in, find their program, move it, see history."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import screenshot, sign_in
from tests.conftest import PASSWORD, World
from tests.resources.conftest import staffed  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_program_manager_moves_the_program_through_its_gate(page: Any, world: World) -> None:
    sign_in(page, "pm", PASSWORD)
    page.get_by_role("link", name="ALPHA").click()
    page.wait_for_url("**/programs/ALPHA/")
    assert page.locator(".stepper .current").inner_text() == "Formulation"
    assert page.evaluate("typeof window.htmx") == "object"  # vendored htmx loaded under CSP

    # The move to planning goes through the board's gate review.
    page.get_by_role("link", name="Go to the planning gate").click()
    page.wait_for_url("**/programs/ALPHA/governance/")
    page.get_by_role("button", name="Open gate review").first.click()
    page.wait_for_url("**/governance/reviews/*/")
    criteria = page.locator("table", has_text="Charter approved by the sponsor")
    assert "not met" in criteria.inner_text()  # manual: no evidence yet

    # Deciding "go" while a criterion is red is refused, naming it.
    decide = page.locator("form", has=page.get_by_role("button", name="Record decision"))
    decide.get_by_label("Outcome").select_option("go")
    decide.get_by_label("Rationale").fill("Charter approved by the board")
    decide.get_by_role("button", name="Record decision").click()
    assert (
        "Charter approved by the sponsor"
        in page.locator(".messages, .errorlist").first.inner_text()
    )

    page.locator("summary", has_text="Attach evidence").click()
    attach = page.locator("form", has=page.get_by_role("button", name="Attach"))
    attach.get_by_label("Text").fill("Board minutes of 2026-01-12, item 4.")
    attach.get_by_role("button", name="Attach").click()
    page.get_by_role("button", name="Check").click()
    decide = page.locator("form", has=page.get_by_role("button", name="Record decision"))
    decide.get_by_label("Outcome").select_option("go")
    decide.get_by_label("Rationale").fill("Charter approved by the board")
    decide.get_by_role("button", name="Record decision").click()
    page.wait_for_selector(".msg-success")

    page.goto("/programs/ALPHA/")
    assert page.locator(".stepper .current").inner_text() == "Planning"
    screenshot(page, "program-overview")

    page.get_by_role("navigation", name="Program").get_by_role("link", name="History").click()
    row = page.locator("table.history tbody tr", has_text="moved").first
    assert "Charter approved by the board" in row.inner_text()
    assert not [e for e in page.console.errors if "Content Security Policy" in e]


def test_component_form_shows_field_errors_then_creates(page: Any, world: World) -> None:
    sign_in(page, "pm", PASSWORD)
    page.goto("/programs/ALPHA/components/new/")
    page.get_by_label("Code").fill("ok")
    page.get_by_label("Name").fill("Portal")
    page.get_by_label("Start date").fill("2027-03-01")
    page.get_by_label("End date").fill("2027-01-01")
    page.get_by_role("button", name="Add component").click()
    assert "The end date is before the start date." in page.locator("form.card").inner_text()

    page.get_by_label("End date").fill("2027-12-01")
    page.get_by_role("button", name="Add component").click()
    page.wait_for_url("**/components/*/")
    assert "Component OK added." in page.locator(".messages").inner_text()
    assert page.get_by_role("heading", level=1).inner_text() == "OK Portal"


def test_stakeholder_reads_but_cannot_change_and_cannot_see_other_programs(
    page: Any, world: World
) -> None:
    sign_in(page, "stakeholder", PASSWORD)
    assert page.locator("table.programs tbody tr").count() == 1
    page.goto("/programs/ALPHA/")
    assert page.get_by_role("link", name="Edit").count() == 0
    assert page.locator("text=Move the program").count() == 0
    response = page.goto("/programs/BETA/")
    assert response is not None and response.status == 404
    assert "Not found" in page.locator("h1").inner_text()


def test_export_job_page_shows_progress_and_result(page: Any, world: World) -> None:
    sign_in(page, "pm", PASSWORD)
    page.goto("/programs/ALPHA/")
    page.get_by_role("button", name="Export JSON").click()
    page.wait_for_url("**/jobs/*/")
    page.wait_for_selector(".job-status:text('succeeded')", timeout=15000)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download result").click()
    assert download.value.suggested_filename.endswith(".json")


def test_program_manager_levels_and_accepts(
    page: Any,
    world: World,
    staffed: Any,  # noqa: F811
) -> None:
    sign_in(page, "pm", PASSWORD)
    page.goto("/programs/ALPHA/resources/")
    assert "Over-allocated" in page.locator(".messages").inner_text()
    page.locator("details.level-form summary").click()
    page.get_by_label("Time limit (s)").fill("2")
    page.get_by_role("button", name="Level the program").click()
    page.wait_for_url("**/jobs/*/")
    page.wait_for_selector(".job-status:text('succeeded')", timeout=30000)
    page.get_by_role("link", name="Back", exact=True).click()
    assert "CREW full: held by" in page.locator("table.moves").inner_text()
    screenshot(page, "leveling")
    page.get_by_role("button", name="Accept").click()
    assert "Leveling accepted" in page.locator(".messages").inner_text()
    page.goto("/programs/ALPHA/resources/")
    assert page.locator("text=Over-allocated").count() == 0
