"""In the browser: the program manager plans a board meeting with an agenda item linked to
a risk, holds it recording minutes, a decision and an action, plans the next meeting and
finds the open action carried over, and downloads the invitation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from podium.governance.models import Decision
from podium.meetings.models import Meeting
from podium.risks import services as risks
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_hold_and_carry_over_a_meeting(page: Any, world: World) -> None:
    risk = risks.create_risk(actor=world.pm, program=world.alpha, title="Vendor late")
    sign_in(page, "pm", PASSWORD)
    page.goto("/programs/ALPHA/")
    page.get_by_role("navigation", name="Program").get_by_role(
        "link", name="Meetings", exact=True
    ).click()
    page.wait_for_url("**/ALPHA/meetings/")
    expect(page.locator("main")).to_contain_text("No meetings in ALPHA yet.")
    page.get_by_role("link", name="Plan board meeting").click()

    page.get_by_label("Title").fill("Program board")
    page.get_by_label("Starts").fill("2030-05-06T14:00")
    page.get_by_label("Duration (minutes)").fill("90")
    page.get_by_label("Location").fill("Board room")
    page.get_by_label("Required attendees").select_option(label="cm")
    page.get_by_role("button", name="Plan meeting").click()
    page.wait_for_selector(".msg-success")
    meeting = Meeting.objects.get()

    # An agenda item linked to the risk.
    page.locator("#id_agenda-title").fill("Vendor delay")
    page.get_by_label("Linked to").select_option(label=f"{risk.code} Vendor late")
    page.get_by_role("button", name="Add to agenda").click()
    page.wait_for_selector(".msg-success")
    expect(page.locator(".meetings-agenda")).to_contain_text(f"{risk.code} Vendor late")
    assert (
        page.locator(".meetings-agenda")
        .get_by_role("link", name=f"{risk.code} Vendor late")
        .get_attribute("href")
        == f"/programs/ALPHA/risks/{risk.pk}/"
    )

    # A decision and an action, then the meeting is held with its minutes.
    page.locator("#id_decision-rationale").fill("Accept the vendor's new date.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".meetings-decisions")).to_contain_text("Decision #1")
    page.locator("#id_action-title").fill("Call the vendor")
    page.locator("#id_action-owner").select_option(label="cm")
    page.locator("#id_action-due_date").fill("2030-05-20")
    page.get_by_role("button", name="Add action").click()
    expect(page.locator("table.meetings-actions")).to_contain_text("Call the vendor")
    page.locator("#id_hold-minutes").fill("Vendor slips two weeks; board accepts.")
    page.get_by_role("button", name="Record as held").click()
    expect(page.locator("#meeting-status")).to_have_text("Held")
    expect(page.locator("main")).to_contain_text("Vendor slips two weeks; board accepts.")
    decision = Decision.objects.get()
    assert decision.subject_id == str(meeting.pk)

    # The decision is in the program's decision log.
    page.get_by_role("link", name="Decision #1").click()
    expect(page.locator("main")).to_contain_text("Accept the vendor's new date.")
    page.go_back()

    # The next meeting: four weeks later, the open item and action carried over.
    page.get_by_role("button", name="Plan next meeting").click()
    page.wait_for_selector(".msg-success")
    nxt = Meeting.objects.get(previous=meeting)
    page.wait_for_url(f"**/ALPHA/meetings/{nxt.pk}/")
    actions = page.locator("table.meetings-actions")
    expect(actions).to_contain_text("Call the vendor")
    expect(actions).to_contain_text("carried over 1×")
    expect(page.locator(".meetings-agenda")).to_contain_text("Vendor delay")

    # The invitation of the next meeting.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download invitation (.ics)").click()
    path = download_info.value.path()
    calendar = Calendar.from_ical(Path(path).read_bytes())
    (event,) = calendar.walk("VEVENT")
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["SUMMARY"]) == "[ALPHA] Program board"
    assert event.decoded("DTSTART") == nxt.starts_at
    assert "Vendor delay" in str(event["DESCRIPTION"])
    assert page.console.errors == []
