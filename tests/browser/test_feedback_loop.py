"""In the browser: a stakeholder gives feedback, the program manager triages it into an
action and marks the action done, the stakeholder is notified and verifies, the manager
closes it — and the monitoring figures and the "you said, we did" report follow."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

from podium.feedback.models import FeedbackItem
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login/**")


def closure_card(page: Any) -> str:
    page.goto("/programs/ALPHA/")
    page.get_by_role("navigation", name="Program").get_by_role(
        "link", name="Feedback monitoring"
    ).click()
    page.wait_for_url("**/feedback/monitoring/**")
    return str(page.locator("section.card", has_text="Closure rate").inner_text())


def test_feedback_loop_in_the_browser(
    page: Any,
    world: World,
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    sign_in(page, "stakeholder", PASSWORD)
    page.goto("/programs/ALPHA/")
    page.get_by_role("navigation", name="Program").get_by_role("link", name="My feedback").click()
    page.wait_for_url("**/ALPHA/my-feedback/")
    page.get_by_label("About").select_option(label="C1 First component")
    page.get_by_label("Category").select_option("communication")
    page.get_by_label("Rating").select_option("2")
    page.get_by_label("Your feedback").fill("Nobody told the night shift about the move.")
    page.get_by_role("button", name="Submit feedback").click()
    page.wait_for_selector(".msg-success")
    item = FeedbackItem.objects.get()
    assert "New" in page.locator("table.feedback-mine").inner_text()
    sign_out(page)

    sign_in(page, "pm", PASSWORD)
    page.goto("/programs/ALPHA/")
    page.get_by_role("navigation", name="Program").get_by_role(
        "link", name="Feedback", exact=True
    ).click()
    page.get_by_role("link", name=item.reference).click()
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.locator("#feedback-state")).to_have_text("Acknowledged")
    page.get_by_label("New action").fill("Brief every shift")
    page.get_by_role("button", name="Plan", exact=True).click()
    expect(page.locator("#feedback-state")).to_have_text("Planned")
    page.get_by_role("button", name="Mark done").click()
    expect(page.locator("#feedback-state")).to_have_text("Implemented")
    # Before the loop closes: one item received, none verified or closed.
    before = closure_card(page)
    assert "0 verified or closed of 1 received" in before
    sign_out(page)

    # The stakeholder is told (in the app) and follows the notification to the item.
    sign_in(page, "stakeholder", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Notifications").click()
    page.get_by_role("button", name=f"Feedback {item.reference}: Implemented").click()
    page.wait_for_url(f"**/programs/ALPHA/feedback/{item.pk}/")
    page.get_by_label("Note").fill("Everyone knew this time.")
    page.get_by_role("button", name="Verify").click()
    expect(page.locator("#feedback-state")).to_have_text("Verified")
    sign_out(page)

    sign_in(page, "pm", PASSWORD)
    page.goto(f"/programs/ALPHA/feedback/{item.pk}/")
    page.get_by_role("button", name="Close").click()
    expect(page.locator("#feedback-state")).to_have_text("Closed")
    after = closure_card(page)
    assert "1 verified or closed of 1 received" in after and "100" in after

    # The period's "you said, we did" shows what was said and what was done; publish it.
    period = dt.date.today().strftime("%Y-%m")
    page.goto(f"/programs/ALPHA/feedback/reports/{period}/")
    said = page.locator("table.you-said").inner_text()
    assert "Nobody told the night shift" in said and "Brief every shift" in said
    page.get_by_label("Summary").fill("We brief every shift before a move.")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("section.card", has_text="Summary").first).to_contain_text(
        "We brief every shift before a move."
    )
    expect(page.locator(".msg-success")).to_contain_text("is published")
    sign_out(page)

    # The stakeholder now sees the published report (and no submitter's name in it).
    sign_in(page, "stakeholder", PASSWORD)
    page.goto("/programs/ALPHA/")
    page.get_by_role("navigation", name="Program").get_by_role(
        "link", name="You said, we did"
    ).click()
    page.locator("table").get_by_role("link").first.click()
    report = page.locator("main").inner_text()
    assert "Nobody told the night shift" in report and "Brief every shift" in report
    assert "stakeholder" not in page.locator("table.you-said").inner_text()
    assert not [e for e in page.console.errors if "Content Security Policy" in e]
