"""A stakeholder accepts the deliverable assigned to them in the browser, and cannot
open the acceptance of any other."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import screenshot, sign_in
from tests.conftest import PASSWORD, World
from tests.delivery.conftest import Outputs, build_outputs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def outputs(world: World, settings: Any, tmp_path: Any) -> Outputs:
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_outputs(world.alpha, world.comp, world.cm, world.stakeholder, world.viewer)


def test_stakeholder_accepts_their_deliverable_and_nothing_else(
    page: Any, world: World, outputs: Outputs
) -> None:
    sign_in(page, "stakeholder", PASSWORD)
    page.goto("/programs/ALPHA/deliverables/")
    assert "1 waiting for your acceptance" in page.locator("main").inner_text()
    screenshot(page, "deliverable-board")
    page.get_by_role("navigation", name="Program").get_by_role(
        "link", name="My acceptances"
    ).click()
    page.wait_for_url("**/acceptances/")
    page.get_by_role("link", name=f"{outputs.mine.code} {outputs.mine.name}").click()
    page.wait_for_url(f"**/deliverables/{outputs.mine.pk}/")
    assert "Covers every room." in page.locator("main").inner_text()

    page.get_by_label("Comment").first.fill("Checked on site: every room is covered.")
    page.get_by_role("button", name="Accept deliverable").click()

    page.wait_for_selector(".msg-success")
    assert f"{outputs.mine.code} accepted." in page.locator(".messages").inner_text()
    assert page.locator("#deliverable-status").inner_text() == "Accepted"
    steps = page.locator("table.steps tbody tr").last.inner_text()
    assert "Accepted" in steps and "stakeholder" in steps
    assert "Checked on site: every room is covered." in steps
    assert page.get_by_role("button", name="Accept deliverable").count() == 0
    screenshot(page, "deliverable-accepted")

    # Someone else's deliverable: visible, but its acceptance is not theirs.
    response = page.goto(f"/programs/ALPHA/deliverables/{outputs.other.pk}/accept/")
    assert response is not None and response.status == 403
    # A program they do not belong to: not there at all.
    response = page.goto("/programs/BETA/deliverables/")
    assert response is not None and response.status == 404
    assert not [e for e in page.console.errors if "Content Security Policy" in e]


def test_component_manager_ticks_the_transition_checklist_with_htmx(
    page: Any, world: World, outputs: Outputs
) -> None:
    sign_in(page, "cm", PASSWORD)
    page.goto(f"/programs/ALPHA/components/{world.comp.pk}/handover/")
    assert "1 of 2 checklist items open." in page.locator("#transition-gaps").inner_text()
    page.evaluate("window.notReloaded = true")
    row = page.locator(f"#item-{outputs.item_open.pk}")
    row.get_by_role("button", name="Mark done").click()
    page.wait_for_selector(f"#item-{outputs.item_open.pk}:has-text('done by cm')")
    assert page.evaluate("window.notReloaded") is True  # swapped in place, no reload
    assert "checklist items open" not in page.locator("#transition-gaps").inner_text()
    assert "No handover date." in page.locator("#transition-gaps").inner_text()
    assert not [e for e in page.console.errors if "Content Security Policy" in e]
