"""The pages: My work, the week's grid, the program's timesheets and one timesheet."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.test import Client

from podium.work import services
from podium.work.models import Timesheet
from tests.conftest import make_user
from tests.work.conftest import Setup


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_my_work_lists_assignments_and_empty_states(setup: Setup) -> None:
    s = setup
    html = client_for(s.world.team).get("/my-work/").content.decode()
    assert "<h1>My work</h1>" in html and "Strip out" in html and "Rewire" in html
    assert f'href="/programs/ALPHA/gantt/?activity={s.a.pk}"' in html
    assert f'href="/programs/ALPHA/discussions/activity/{s.a.pk}/"' in html
    assert 'id="work-late"' in html  # planned in March 2026 and not finished
    assert "not linked to a person" in client_for(s.world.pm).get("/my-work/").content.decode()
    assert 'href="/my-work/">My work</a>' in html  # the main navigation


def test_week_page_saves_and_submits(setup: Setup) -> None:
    s = setup
    c = client_for(s.world.team)
    assert c.get(f"/my-work/week/{s.today.isoformat()}/").status_code in (200, 302)
    url = f"/my-work/week/{s.monday.isoformat()}/"
    page = c.get(url).content.decode()
    hours = f"hours.{s.a.pk}.{s.today.isoformat()}"
    assert f'name="{hours}"' in page and "Hours on A" in page
    bad = c.post(url, {hours: "30", f"percent_complete.{s.a.pk}": "150", "action": "save"})
    assert bad.status_code == 422
    text = bad.content.decode()
    assert "at most 24" in text and "between 0 and 100" in text and 'aria-invalid="true"' in text
    assert not Timesheet.objects.exists()
    ok = c.post(url, {hours: "6", f"actual_start.{s.a.pk}": s.monday.isoformat(),
                      f"percent_complete.{s.a.pk}": "40", f"remaining_days.{s.a.pk}": "1.5",
                      "action": "submit"})  # fmt: skip
    assert ok.status_code == 302
    ts = Timesheet.objects.get()
    assert ts.status == Timesheet.Status.SUBMITTED and ts.entries.get().hours == Decimal(6)
    after = c.get(url).content.decode()
    assert "awaiting approval: read only" in after and f'name="{hours}"' not in after


def test_program_timesheets_for_approvers_only(setup: Setup, world: Any) -> None:
    s = setup
    services.save_week(actor=s.world.team, week=s.monday, progress=[],
                       hours=[services.HoursIn(s.a.pk, s.monday, Decimal(2))])  # fmt: skip
    [ts] = services.submit_week(actor=s.world.team, week=s.monday)
    cm = client_for(s.world.cm)
    listing = cm.get("/programs/ALPHA/timesheets/").content.decode()
    assert "Awaiting your approval" in listing and 'href="/programs/ALPHA/timesheets/' in listing
    assert ">Timesheets</a>" in listing  # the program tab
    assert "Awaiting" not in cm.get("/programs/ALPHA/timesheets/?status=approved").content.decode()
    assert client_for(s.world.team).get("/programs/ALPHA/timesheets/").status_code == 403
    assert (
        ">Timesheets</a>" not in client_for(s.world.team).get("/programs/ALPHA/").content.decode()
    )
    detail = f"/programs/ALPHA/timesheets/{ts.pk}/"
    assert client_for(s.world.viewer).get(detail).status_code == 404
    assert client_for(s.world.team).post(f"{detail}approve/").status_code == 403
    no_reason = cm.post(f"{detail}reject/", {"reason": "", "version": ts.version})
    assert no_reason.status_code == 422 and "Say why" in no_reason.content.decode()
    cm.post(f"{detail}approve/", {"version": ts.version})
    page = cm.get(detail).content.decode()
    assert 'id="timesheet-status">Approved' in page and "Booked as actual cost" in page


def test_no_cost_booked_is_said_plainly(setup: Setup) -> None:
    s = setup
    s.resource.standard_rate = Decimal(0)
    s.resource.save()
    services.save_week(actor=s.world.team, week=s.monday, progress=[],
                       hours=[services.HoursIn(s.a.pk, s.monday, Decimal(2))])  # fmt: skip
    [ts] = services.submit_week(actor=s.world.team, week=s.monday)
    services.approve(actor=s.world.cm, timesheet=ts, expected_version=None)
    page = client_for(s.world.cm).get(f"/programs/ALPHA/timesheets/{ts.pk}/").content.decode()
    assert "No cost booked for 2 h on A" in page and "TEAM has no standard rate" in page


def test_resource_form_links_an_account(setup: Setup) -> None:
    s = setup
    make_user("stranger")
    page = client_for(s.world.pm).get("/programs/ALPHA/resources/").content.decode()
    assert "Person&#x27;s account" in page or "Person's account" in page
    assert ">team</option>" in page and ">stranger</option>" not in page
