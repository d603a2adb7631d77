"""The report page, its PDF and the API, as each role sees them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from podium.delivery import services as delivery
from podium.governance import services as governance
from podium.reports.services import build_status_report
from podium.schedule.models import Activity
from tests.conftest import World
from tests.reports.conftest import pdf_text

MEMBERS = ["program_manager", "component_manager", "team_member", "stakeholder", "viewer",
           "admin"]  # fmt: skip


@pytest.mark.parametrize("role", MEMBERS)
def test_every_member_reads_the_report(alpha: World, as_user: Any, role: str) -> None:
    client = as_user(alpha.by_role(role))
    page = client.get("/programs/ALPHA/status-report/")
    assert page.status_code == 200
    body = page.content.decode()
    assert f"Status report — week {timezone.localdate().isocalendar()[0]}-W" in body
    assert 'href="/programs/ALPHA/status-report/"' in body  # the tab
    assert "Download PDF" in body and "Ward reopens" not in body  # D is in the past
    pdf = client.get("/programs/ALPHA/status-report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_outsiders_and_anonymous_are_kept_out(alpha: World, as_user: Any, client: Any) -> None:
    assert client.get("/programs/ALPHA/status-report/").status_code == 302
    outsider = as_user(alpha.outsider)
    assert outsider.get("/programs/ALPHA/status-report/").status_code == 404
    assert outsider.get("/programs/ALPHA/status-report.pdf").status_code == 404


def test_week_picker(alpha: World, as_user: Any) -> None:
    client = as_user(alpha.pm)
    body = client.get("/programs/ALPHA/status-report/?week=2026-W10").content.decode()
    assert "Status report — week 2026-W10" in body
    assert "2026-03-02 to 2026-03-08" in body
    today = timezone.localdate()
    current = f"{today.isocalendar()[0]}-W{today.isocalendar()[1]:02d}"
    for bad in ("2099-W01", "nonsense"):
        body = client.get(f"/programs/ALPHA/status-report/?week={bad}").content.decode()
        assert f"Status report — week {current}" in body
    pdf = client.get("/programs/ALPHA/status-report.pdf?week=2026-W10")
    assert "week 2026-W10" in pdf_text(pdf.content)


def test_subscribe_and_unsubscribe_on_the_page(alpha: World, as_user: Any) -> None:
    client = as_user(alpha.stakeholder)
    client.post("/programs/ALPHA/status-report/subscription/", {"subscribe": "1"})
    body = client.get("/programs/ALPHA/status-report/").content.decode()
    assert "You receive this report by e-mail every week" in body and "Unsubscribe" in body
    client.post("/programs/ALPHA/status-report/subscription/", {"subscribe": "0"})
    assert "Subscribe</button>" in client.get("/programs/ALPHA/status-report/").content.decode()


def test_late_deliverables_decisions_and_gates(alpha: World, milestone: Activity) -> None:
    late = delivery.create_deliverable(
        actor=alpha.cm, program=alpha.alpha, component=alpha.comp, name="Refitted ward",
        milestone=milestone, accepting_stakeholder=alpha.stakeholder,
    )  # fmt: skip
    review = governance.open_review(actor=alpha.pm, program=alpha.alpha)
    governance.decide(actor=alpha.pm, review=review, outcome="hold", rationale="Not yet.")
    report = build_status_report(alpha.alpha, alpha.pm, timezone.localdate())
    assert [d.code for d in report.deliverables_late] == [late.code]
    assert report.deliverables_late[0].due == dt.date(2026, 3, 6)
    assert [(d.kind, d.outcome) for d in report.decisions] == [("Gate", "Hold")]
    assert report.gates and report.gates[0].subject == "ALPHA"
    # the week before knows nothing of this week's decision
    earlier = build_status_report(alpha.alpha, alpha.pm, timezone.localdate() - dt.timedelta(7))
    assert earlier.decisions == []
    # a stakeholder is not shown the governance or change registers
    theirs = build_status_report(alpha.alpha, alpha.stakeholder)
    assert theirs.decisions == [] and theirs.gates == [] and theirs.change_requests == []
    assert theirs.left_out == [
        "cost figures",
        "decisions and gates",
        "change requests",
        "other people's feedback",
    ]


def test_api_report_json_per_role(alpha: World, api_as: Any) -> None:
    pm = api_as(alpha.pm).get("/programs/ALPHA/status-report")
    assert pm.status_code == 200
    data = pm.json()
    assert data["program"] == "ALPHA" and data["can_see_costs"] is True
    assert [d["key"] for d in data["dimensions"]] == [
        "schedule",
        "cost",
        "deliverables",
        "benefits",
        "feedback",
        "risks",
    ]
    sh = api_as(alpha.stakeholder).get("/programs/ALPHA/status-report?week=2026-W10").json()
    assert sh["week"] == "2026-W10" and sh["can_see_costs"] is False
    cost = next(d for d in sh["dimensions"] if d["key"] == "cost")
    assert cost["headline"] == "Not visible with your role" and cost["rule"] == ""
    assert api_as(alpha.outsider).get("/programs/ALPHA/status-report").status_code == 404
    pdf = api_as(alpha.viewer).get("/programs/ALPHA/status-report.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_api_subscription_and_calendar(alpha: World, api_as: Any, client: Any) -> None:
    team = api_as(alpha.team)
    assert team.get("/programs/ALPHA/status-report/subscription").json()["subscribed"] is False
    put = team.call("PUT", "/programs/ALPHA/status-report/subscription", {"subscribed": True})
    assert put.status_code == 200 and put.json()["subscribed"] is True
    assert team.get("/programs/ALPHA/status-report/subscription").json()["subscribed"] is True
    assert team.get("/programs/ALPHA/calendar-feed").json()["url"] is None
    made = team.post("/programs/ALPHA/calendar-feed")
    assert made.status_code == 200
    url = made.json()["url"]
    assert url.endswith(".ics") and client.get(url).status_code == 200
    again = team.post("/programs/ALPHA/calendar-feed").json()["url"]
    assert again != url and client.get(url).status_code == 404
    outsider = api_as(alpha.outsider)
    assert outsider.post("/programs/ALPHA/calendar-feed").status_code == 404
