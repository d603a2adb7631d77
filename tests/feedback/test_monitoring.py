"""Monitoring figures on hand-made feedback with known dates (March 2026: Monday 2 … )."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from podium.feedback import monitoring as mon
from podium.feedback.models import FeedbackItem, ServiceTarget
from tests.conftest import World

UTC = dt.UTC


def at(day: str, hour: int = 12) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def item(program: Any, state: str, submitted: str, **dates: Any) -> FeedbackItem:
    fields = {k: at(v) if isinstance(v, str) and k.endswith("_at") else v for k, v in dates.items()}
    fields.setdefault("text", "Something to say.")
    return FeedbackItem.objects.create(
        program=program, state=state, submitted_at=at(submitted), **fields
    )


@pytest.fixture
def five(world: World) -> World:
    """Five items submitted Monday 2 March 2026, acknowledged after 1, 2, 5, 9 and 15
    working days; one closed and one verified (both after 5 working days), one declined."""
    a = world.alpha
    item(
        a,
        "closed",
        "2026-03-02",
        acknowledged_at="2026-03-03",
        verified_at="2026-03-06",
        closed_at="2026-03-09",
    )
    item(a, "verified", "2026-03-02", acknowledged_at="2026-03-04", verified_at="2026-03-09")
    item(a, "planned", "2026-03-02", acknowledged_at="2026-03-09", planned_at="2026-03-10")
    item(
        a,
        "declined",
        "2026-03-02",
        acknowledged_at="2026-03-13",
        declined_at="2026-03-13",
        declined_reason="Out of scope.",
    )
    item(a, "implemented", "2026-03-02", acknowledged_at="2026-03-23", implemented_at="2026-03-24")
    # another program's feedback never counts
    item(world.beta, "new", "2026-03-02", text="Beta only")
    return world


def test_working_days_skip_weekends() -> None:
    assert mon.working_days(dt.date(2026, 3, 2), dt.date(2026, 3, 3)) == 1  # Mon → Tue
    assert mon.working_days(dt.date(2026, 3, 6), dt.date(2026, 3, 9)) == 1  # Fri → Mon
    assert mon.working_days(dt.date(2026, 3, 2), dt.date(2026, 3, 16)) == 10  # two weeks
    assert mon.working_days(dt.date(2026, 3, 2), dt.date(2026, 3, 2)) == 0


def test_times_and_closure_rate(five: World) -> None:
    f = mon.figures(
        five.alpha, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31), today=dt.date(2026, 3, 31)
    )
    assert f.received == 5
    # acknowledged after [1, 2, 5, 9, 15] working days
    assert f.acknowledge.count == 5
    assert f.acknowledge.median == 5
    assert f.acknowledge.p90 == pytest.approx(12.6)  # 9 + 0.6 × (15 − 9)
    # closed after 5 working days (verified after 4), verified after 5
    assert f.close.count == 2
    assert (f.close.median, f.close.p90) == (5, 5)
    # 2 verified/closed of the 4 not declined
    assert f.loop_closed == 2 and f.declined == 1
    assert f.closure_rate == pytest.approx(0.5)


def test_window_excludes_other_months(five: World) -> None:
    f = mon.figures(five.alpha, start=dt.date(2026, 4, 1), end=dt.date(2026, 4, 30))
    assert f.received == 0
    assert f.closure_rate is None and f.acknowledge.median is None


def test_overdue_counts_working_days(world: World) -> None:
    a = world.alpha
    ServiceTarget.objects.create(program=a, acknowledge_days=2, close_days=10)
    item(a, "new", "2026-03-05")  # Thursday: acknowledge by Monday 9 (2 working days)
    item(a, "acknowledged", "2026-02-20", acknowledged_at="2026-02-23")  # close by Fri 6 March
    item(a, "closed", "2026-01-05", closed_at="2026-01-09")
    item(a, "declined", "2026-01-05", declined_at="2026-01-06", declined_reason="No.")
    window: dict[str, Any] = {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 3, 31)}
    monday = mon.figures(a, today=dt.date(2026, 3, 9), **window)
    assert (monday.open_items, monday.overdue) == (2, 1)  # four calendar days are not late
    assert (monday.overdue_acknowledge, monday.overdue_close) == (0, 1)
    tuesday = mon.figures(a, today=dt.date(2026, 3, 10), **window)
    assert (tuesday.overdue, tuesday.overdue_acknowledge, tuesday.overdue_close) == (2, 1, 1)


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("The new signs are clear and helpful", 1.0),
        ("Parking is not good", -1.0),
        ("The wait wasn't slow at all", 1.0),
        ("Never late, never rude", 1.0),
        ("Friendly staff, but the wait was slow", 0.0),
        ("Not now. Great work", 1.0),  # the negation stops at the clause's end
        ("Nothing to report here", 0.0),
        ("Terrible noise and poor signs, good coffee", pytest.approx(-1 / 3)),
        ("", 0.0),
    ],
)
def test_sentiment_scorer(text: str, score: float) -> None:
    assert mon.sentiment_score(text) == score


def test_trend_per_group_and_component(world: World) -> None:
    a = world.alpha
    item(
        a,
        "new",
        "2026-03-03",
        group="Clinicians",
        rating=4,
        text="Great and helpful",
        component=world.comp,
    )
    item(a, "new", "2026-03-10", group="Clinicians", rating=2, text="Too slow")
    item(a, "new", "2026-04-02", group="Clinicians", rating=5)
    item(a, "new", "2026-03-12", group="Patients", rating=1, text="Not good")
    item(a, "new", "2026-03-12", rating=None, text="No rating given")
    rows = mon.trend(a, by="group", start=dt.date(2026, 3, 1), end=dt.date(2026, 4, 30))
    got = {(r.key, r.month.isoformat()): (r.count, r.mean_rating, r.mean_sentiment) for r in rows}
    assert got == {
        ("Clinicians", "2026-03-01"): (2, 3.0, 0.0),
        ("Clinicians", "2026-04-01"): (1, 5.0, 0.0),
        ("No group", "2026-03-01"): (1, None, 0.0),
        ("Patients", "2026-03-01"): (1, 1.0, -1.0),
    }
    by_component = mon.trend(a, by="component", start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
    assert {(r.key, r.count) for r in by_component} == {("C1", 1), ("Program", 3)}
    chart = mon.chart_data(rows, "mean_rating", None)
    clinicians = next(s for s in chart["series"] if s["name"] == "Clinicians")
    assert clinicians["points"] == [["2026-03-01", 3.0], ["2026-04-01", 5.0]]


def test_health_rules(world: World) -> None:
    a = world.alpha
    today = dt.date(2026, 3, 31)
    empty = mon.feedback_health(a, today)
    assert empty.rag == "green" and "No feedback" in empty.reason
    for _ in range(5):
        item(a, "acknowledged", "2026-03-30", acknowledged_at="2026-03-30")
    assert mon.feedback_health(a, today).rag == "green"
    item(a, "new", "2026-03-02")  # 1 of 6 open items overdue: amber
    amber = mon.feedback_health(a, today)
    assert amber.rag == "amber" and "1 of 6 open items are overdue" in amber.reason
    item(a, "new", "2026-03-02")  # 2 of 7 (29 %) overdue: red
    red = mon.feedback_health(a, today)
    assert red.rag == "red" and "2 of 7 open items are overdue" in red.reason
    assert "20%" in red.rule


def test_health_red_when_median_acknowledgement_is_late(world: World) -> None:
    a = world.alpha
    for _ in range(3):  # acknowledged after 10 working days, target 5
        item(a, "acknowledged", "2026-03-02", acknowledged_at="2026-03-16")
    health = mon.feedback_health(a, dt.date(2026, 3, 17))
    assert health.rag == "red"
    assert "median time to acknowledge is 10 working days" in health.reason


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("team_member", 200),
        ("program_manager", 200),
        ("component_manager", 200),
        ("admin", 200),
        ("stakeholder", 403),
        ("non_member", 404),
    ],
)
def test_monitoring_page_access(world: World, client: Any, role: str, status: int) -> None:
    client.force_login(world.by_role(role))
    assert client.get("/programs/ALPHA/feedback/monitoring/").status_code == status


def test_monitoring_page_shows_figures(five: World, client: Any) -> None:
    client.force_login(five.team)
    # the five items are in March 2026: ask for the months up to then
    from unittest import mock

    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2026, 3, 31)):
        response = client.get("/programs/ALPHA/feedback/monitoring/?months=3")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Closure rate" in html and "50%" in html
    assert 'data-chart="trend"' in html and "group-rating-data" in html
    assert "Beta only" not in html
    assert "<script>" not in html and 'style="' not in html


def test_monitoring_page_empty_state(world: World, client: Any) -> None:
    client.force_login(world.pm)
    html = client.get("/programs/ALPHA/feedback/monitoring/").content.decode()
    assert "No feedback in the last 6 months" in html


def test_monitoring_tab_hidden_for_stakeholders(world: World) -> None:
    from podium.core.navigation import tabs_for
    from podium.feedback.views_reports import register_tabs

    register_tabs()

    def labels(user: Any) -> set[str]:
        return {t.label for t in tabs_for(user, world.alpha)}

    assert "Feedback monitoring" in labels(world.team)
    assert "Feedback monitoring" not in labels(world.stakeholder)
    assert "You said, we did" in labels(world.stakeholder)
