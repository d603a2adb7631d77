"""The work API: my assignments and weeks, and approving a program's timesheets."""

from __future__ import annotations

from typing import Any

from podium.finance.models import ActualCost
from podium.work.models import Timesheet
from tests.work.conftest import RATE, Setup


def _week(s: Setup, hours: str = "7.5", percent: float = 50) -> dict[str, Any]:
    return {
        "entries": [{"activity": s.a.pk, "date": s.today.isoformat(), "hours": hours}],
        "progress": [{"activity": s.a.pk, "actual_start": s.monday.isoformat(),
                      "percent_complete": percent, "remaining_days": "1"}],
    }  # fmt: skip


def test_my_assignments(setup: Setup, api_as: Any) -> None:
    s = setup
    rows = api_as(s.world.team).get("/my/assignments").json()
    assert {r["activity"] for r in rows} == {"A", "B"}
    a = next(r for r in rows if r["activity"] == "A")
    assert a["program"] == "ALPHA" and a["component"] == "C1" and a["group"] == "late"
    assert a["gantt_url"] == f"/programs/ALPHA/gantt/?activity={s.a.pk}"
    assert a["discussion_url"] == f"/programs/ALPHA/discussions/activity/{s.a.pk}/"
    assert api_as(s.world.pm).get("/my/assignments").json() == []


def test_week_round_trip_submit_and_approve(setup: Setup, api_as: Any) -> None:
    s = setup
    team, cm = api_as(s.world.team), api_as(s.world.cm)
    week = s.monday.isoformat()
    saved = team.call("PUT", f"/my/timesheets/{s.today.isoformat()}", _week(s))
    assert saved.status_code == 200, saved.content
    [ts] = saved.json()
    assert ts["week"] == week and ts["status"] == "draft" and ts["entries"][0]["hours"] == "7.50"
    assert ts["progress"][0]["before"]["percent_complete"] is None
    assert team.get(f"/my/timesheets/{week}").json()[0]["id"] == ts["id"]
    [sub] = team.post(f"/my/timesheets/{week}/submit").json()
    assert sub["status"] == "submitted"

    listed = cm.get("/programs/ALPHA/timesheets?status=submitted").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == ts["id"]
    url = f"/programs/ALPHA/timesheets/{ts['id']}"
    got = cm.get(url)
    assert got["ETag"] == f'"{sub["version"]}"'
    stale = cm.post(f"{url}/approve", {}, **{"If-Match": '"1"'})
    assert stale.status_code == 412
    assert team.post(f"{url}/approve").status_code == 403
    done = cm.post(f"{url}/approve", {}, **{"If-Match": got["ETag"]})
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "approved"
    cost = ActualCost.objects.get(source="timesheet")
    assert cost.amount == RATE * 15 / 2
    assert cm.post(f"{url}/approve").status_code == 409  # already approved


def test_validation_errors_name_the_field(setup: Setup, api_as: Any) -> None:
    s = setup
    team = api_as(s.world.team)
    bad = team.call("PUT", f"/my/timesheets/{s.monday}", _week(s, hours="30", percent=140))
    assert bad.status_code == 422
    errors = bad.json()["errors"]
    assert f"hours.{s.a.pk}.{s.today.isoformat()}" in errors
    assert f"percent_complete.{s.a.pk}" in errors
    assert not Timesheet.objects.exists()
    assert team.get("/my/timesheets/not-a-date").status_code == 422


def test_visibility_and_rights(setup: Setup, api_as: Any) -> None:
    s = setup
    team = api_as(s.world.team)
    team.call("PUT", f"/my/timesheets/{s.monday}", _week(s))
    [ts] = team.post(f"/my/timesheets/{s.monday}/submit").json()
    url = f"/programs/ALPHA/timesheets/{ts['id']}"
    assert team.get(url).status_code == 200  # their own
    assert team.get("/programs/ALPHA/timesheets").status_code == 403
    assert api_as(s.world.viewer).get(url).status_code == 404
    assert api_as(s.world.pm_b).get(url).status_code == 404
    assert api_as(s.world.pm_b).get(f"/programs/BETA/timesheets/{ts['id']}").status_code == 404
    assert api_as(s.world.pm_b).post(f"{url}/reject", {"reason": "x"}).status_code == 404
    # A team member may not report on someone else's activity.
    other = {"entries": [{"activity": s.c.pk, "date": s.monday.isoformat(), "hours": "1"}]}
    assert team.call("PUT", f"/my/timesheets/{s.monday}", other).status_code == 403
    rejected = api_as(s.world.pm).post(f"{url}/reject", {"reason": ""})
    assert rejected.status_code == 422 and "reason" in rejected.json()["errors"]
    rejected = api_as(s.world.pm).post(f"{url}/reject", {"reason": "Split by day, please."})
    assert rejected.json()["status"] == "rejected"


def test_resource_account_through_the_api(setup: Setup, api_as: Any) -> None:
    s = setup
    pm = api_as(s.world.pm)
    out = pm.patch(f"/resources/{s.resource.pk}", {"user": None}).json()
    assert out["user"] is None
    out = pm.patch(f"/resources/{s.resource.pk}", {"user": "team"}).json()
    assert out["user"] == "team"
    bad = pm.patch(f"/resources/{s.resource.pk}", {"user": "nobody"})
    assert bad.status_code == 422 and "user" in bad.json()["errors"]
