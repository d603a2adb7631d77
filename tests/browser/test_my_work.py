"""In the browser: a team member reports progress and hours on their assignment from My
work and submits the week; the component manager approves it on the program's
Timesheets page; then the program schedule shows the activity's new dates and the
earned value page the new EV and AC."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from podium.engine.calendars import Calendar, from_minutes, to_minutes
from podium.finance import evm
from podium.schedule.models import Activity
from podium.schedule.wall import to_wall
from podium.work.models import Timesheet
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD, World
from tests.work.conftest import RATE, build_setup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOURS = Decimal(6)


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login/**")


def figure(page: Any, name: str) -> float:
    """A figure of the program's earned value table (th "EV" → its number)."""
    cell = page.locator(f"table th[scope='row']:text-is('{name}') + td").first
    return float(re.sub(r"[^0-9.\-]", "", cell.inner_text()))


def evm_figures(page: Any) -> tuple[float, float]:
    page.goto("/programs/ALPHA/performance/")
    return figure(page, "EV"), figure(page, "AC")


def schedule_row(page: Any) -> str:
    page.goto("/programs/ALPHA/schedule/")
    return str(page.locator("tr", has_text="Strip out").first.inner_text())


def wall(value: dt.datetime | None) -> str:
    local = to_wall(value)
    assert local is not None
    return local.strftime("%Y-%m-%d %H:%M")


def test_report_approve_and_see_schedule_and_earned_value_follow(page: Any, world: World) -> None:
    s = build_setup(world)
    program = s.budget.program
    a = Activity.objects.get(pk=s.a.pk)
    old_start, old_finish = wall(a.start), wall(a.finish)

    # Before: the component manager reads the schedule and the earned value.
    sign_in(page, "cm", PASSWORD)
    row = schedule_row(page)
    assert old_start in row and old_finish in row
    ev_before, ac_before = evm_figures(page)
    sign_out(page)

    # The team member reports on their assignment and submits the week.
    sign_in(page, "team", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My work").click()
    page.wait_for_url("**/my-work/")
    expect(page.locator("table.work-assignments").first).to_contain_text("Strip out")
    page.get_by_role("link", name="This week's timesheet").click()
    page.wait_for_url(f"**/my-work/week/{s.monday.isoformat()}/")
    page.get_by_label(f"Hours on A, {s.today:%a %Y-%m-%d}").fill(str(HOURS))
    page.get_by_label("Actual start of A").fill(s.monday.isoformat())
    page.get_by_label("Percent complete of A").fill("40")
    page.get_by_label("Remaining days of A").fill("1.5")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.locator(".msg-success")).to_contain_text("Submitted for approval: C1")
    sign_out(page)

    # The component manager approves it.
    sign_in(page, "cm", PASSWORD)
    page.goto("/programs/ALPHA/")
    expect(page.get_by_role("navigation", name="Program").get_by_role(
        "link", name="Timesheets", include_hidden=True)).to_have_count(1)  # fmt: skip
    page.goto("/programs/ALPHA/timesheets/")
    ts = Timesheet.objects.get()
    page.get_by_role("link", name=ts.week.strftime("%G-W%V")).click()
    expect(page.locator(".work-progress-review")).to_contain_text("40")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("#timesheet-status")).to_have_text("Approved")
    assert page.console.errors == []

    # The schedule: A started when reported; its remaining 1.5 days run from the data date.
    a.refresh_from_db()
    start = dt.datetime.combine(s.monday, dt.time(8))
    data_date = dt.datetime.combine(min(s.today, s.monday + dt.timedelta(days=6))
                                    + dt.timedelta(days=1), dt.time())  # fmt: skip
    cal = Calendar.standard()
    finish = from_minutes(cal.add_work_m(cal.next_work_start_m(to_minutes(data_date)), 720))
    assert (to_wall(a.start), to_wall(a.finish)) == (start, finish)
    row = schedule_row(page)
    assert f"{start:%Y-%m-%d %H:%M}" in row and f"{finish:%Y-%m-%d %H:%M}" in row
    assert (old_start, old_finish) != (f"{start:%Y-%m-%d %H:%M}", f"{finish:%Y-%m-%d %H:%M}")

    # Earned value: the page shows what the service computes, AC up by hours × rate.
    ev_after, ac_after = evm_figures(page)
    expected = evm.program_evm(program).program
    assert ev_after == pytest.approx(round(expected.ev, 2))
    assert ac_after == pytest.approx(round(expected.ac, 2))
    assert ac_after - ac_before == pytest.approx(float(HOURS * RATE))
    assert ev_after > ev_before
