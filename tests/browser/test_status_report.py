"""The status report page in a real browser: pick a week, subscribe, reach the calendar
URL — under the strict CSP and without console errors."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in
from tests.conftest import PASSWORD, World
from tests.reports.conftest import alpha  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_status_report_page(page: Any, alpha: World) -> None:  # noqa: F811  (fixture)
    sign_in(page, "stakeholder", PASSWORD)
    page.goto("/programs/ALPHA/status-report/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Status report — week")
    expect(page.get_by_text("Left out for your role: cost figures")).to_be_visible()
    page.get_by_label("Week", exact=True).select_option(index=3)
    chosen = page.get_by_label("Week", exact=True).input_value()
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Status report — week {chosen}")
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_text("You will receive this report by e-mail every week.")).to_be_visible()
    expect(page.get_by_role("button", name="Unsubscribe")).to_be_visible()
    pdf = page.request.get(page.get_by_role("link", name="Download PDF").get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    page.get_by_role("link", name="Calendar feed").click()
    page.get_by_role("button", name="Make my calendar address").click()
    url = page.get_by_label("Your calendar address").input_value()
    assert url.endswith(".ics")
    feed = page.request.get(url)
    assert feed.ok and "Ward reopens" in feed.text()
    screenshot(page, "status-report-calendar")
    assert not page.console.errors
