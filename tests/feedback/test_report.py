"""The "you said, we did" report: content, privacy, publishing, pages and PDF."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from pypdf import PdfReader

from podium.core.errors import NotFound, PermissionDenied, ValidationFailed
from podium.core.models import AuditRecord
from podium.feedback import monitoring as mon
from podium.feedback import services
from podium.feedback.models import FeedbackItem, PublishedReport
from podium.feedback.pdf import report_pdf
from podium.feedback.report import Period, build_report, get_report, parse_period, publish_report
from tests.conftest import World

UTC = dt.UTC
MARCH = Period.month(2026, 3)


def at(day: str, hour: int = 12) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def test_periods() -> None:
    assert (MARCH.start, MARCH.end, MARCH.key) == (
        dt.date(2026, 3, 1),
        dt.date(2026, 3, 31),
        "2026-03",
    )
    q4 = parse_period("2025-q4")
    assert (q4.start, q4.end, q4.label) == (dt.date(2025, 10, 1), dt.date(2025, 12, 31), "Q4 2025")
    assert parse_period("2026-01").previous().key == "2025-12"
    assert Period.of_dates(dt.date(2026, 1, 1), dt.date(2026, 3, 31)) == parse_period("2026-Q1")
    with pytest.raises(ValidationFailed) as refused:
        parse_period("March")
    assert "period" in refused.value.errors


@pytest.fixture
def fed(world: World) -> World:
    """ALPHA feedback handled in March 2026 through the services, by the stakeholder."""
    pm, a = world.pm, world.alpha
    submit = services.submit_feedback

    def handled(text: str, when: str, **extra: Any) -> FeedbackItem:
        fb = submit(actor=world.stakeholder, program=a, text=text, at=at(when), **extra)
        return services.acknowledge(actor=pm, item=fb, at=at(when, 14))

    signs = handled(
        "The signs to the ward are confusing.",
        "2026-02-23",
        category="quality",
        rating=2,
        component=world.comp,
    )
    action = services.create_action(actor=pm, program=a, title="New signposts in hall B")
    signs = services.plan(actor=pm, item=signs, actions=[action], at=at("2026-02-25"))
    services.update_action(actor=pm, action=action, status="done", at=at("2026-03-04"))
    signs = FeedbackItem.objects.get(pk=signs.pk)  # implemented with the action, 4 March
    services.verify(actor=world.stakeholder, item=signs, at=at("2026-03-05"))

    parking = handled("Free parking for visitors, please.", "2026-03-02", category="cost")
    services.decline(
        actor=pm, item=parking, reason="The car park belongs to the city.", at=at("2026-03-06")
    )

    early = handled("Earlier news about the works.", "2026-01-12", category="communication")
    early = services.plan(
        actor=pm,
        item=early,
        actions=[services.create_action(actor=pm, program=a, title="Monthly newsletter")],
        at=at("2026-01-13"),
    )
    services.mark_implemented(actor=pm, item=early, explicit=True, at=at("2026-02-10"))

    handled("Still waiting for the lift.", "2026-03-10")  # acknowledged only
    services.submit_feedback(
        actor=world.pm_b, program=world.beta, text="Beta canteen is cold.", at=at("2026-03-03")
    )
    return world


def test_report_content(fed: World) -> None:
    report = build_report(fed.alpha, MARCH, today=dt.date(2026, 3, 31))
    assert [e.said for e in report.done] == ["The signs to the ward are confusing."]
    entry = report.done[0]
    assert (entry.category, entry.component, entry.state) == ("Quality", "C1", "Verified")
    assert entry.done_on == dt.date(2026, 3, 4)
    assert [(x.title, x.done_on) for x in entry.actions] == [
        ("New signposts in hall B", dt.date(2026, 3, 4))
    ]
    # implemented in February: February's report, not March's
    assert "Earlier news" not in str(report.as_dict())
    feb = build_report(fed.alpha, Period.month(2026, 2))
    assert [e.said for e in feb.done] == ["Earlier news about the works."]
    assert [(d.said, d.reason) for d in report.declined] == [
        ("Free parking for visitors, please.", "The car park belongs to the city.")
    ]
    # March's submissions: parking (declined) and the lift (open)
    assert report.figures.received == 2 and report.figures.declined == 1
    assert "Beta canteen" not in str(report.as_dict())
    assert "stakeholder" not in str(report.as_dict())  # no submitter's username


def test_pdf_has_period_figures_and_texts_but_no_names(fed: World) -> None:
    publish_report(
        actor=fed.pm,
        program=fed.alpha,
        period=MARCH,
        summary="Signposts are up; parking is not ours to change.",
    )
    data = report_pdf(build_report(fed.alpha, MARCH))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    text = " ".join(text.split())
    assert "March 2026" in text and "2026-03-01 to 2026-03-31" in text
    assert "Closure rate" in text and "Feedback received" in text
    assert "The signs to the ward are confusing." in text
    assert "New signposts in hall B" in text
    assert "The car park belongs to the city." in text
    assert "Signposts are up" in text
    assert "stakeholder" not in text.lower().replace("stakeholders", "")
    assert "Beta canteen" not in text


def test_publish_rules(fed: World) -> None:
    with pytest.raises(PermissionDenied):
        publish_report(actor=fed.stakeholder, program=fed.alpha, period=MARCH)
    with pytest.raises(PermissionDenied):
        publish_report(actor=fed.team, program=fed.alpha, period=MARCH)
    with pytest.raises(ValidationFailed) as long:
        publish_report(actor=fed.pm, program=fed.alpha, period=MARCH, summary="x" * 4001)
    assert "summary" in long.value.errors
    future = Period.containing(dt.date.today() + dt.timedelta(days=400))
    with pytest.raises(ValidationFailed) as early:
        publish_report(actor=fed.pm, program=fed.alpha, period=future)
    assert "period" in early.value.errors
    assert not PublishedReport.objects.exists()

    first = publish_report(actor=fed.pm, program=fed.alpha, period=MARCH, summary="One")
    again = publish_report(actor=fed.pm, program=fed.alpha, period=MARCH, summary="Two")
    assert again.pk == first.pk and again.summary == "Two"
    assert PublishedReport.objects.count() == 1
    actions = list(
        AuditRecord.objects.filter(object_type="feedback.publishedreport")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update"]


def test_stakeholder_sees_published_reports_only(fed: World) -> None:
    with pytest.raises(NotFound):
        get_report(fed.stakeholder, fed.alpha, MARCH)
    assert get_report(fed.team, fed.alpha, MARCH).published is None  # a draft for the team
    publish_report(actor=fed.pm, program=fed.alpha, period=MARCH)
    assert get_report(fed.stakeholder, fed.alpha, MARCH).is_published


# -- pages ----------------------------------------------------------------------------------


def test_report_pages_for_a_stakeholder(fed: World, client: Any) -> None:
    client.force_login(fed.stakeholder)
    base = "/programs/ALPHA/feedback/reports/"
    assert client.get(f"{base}2026-03/").status_code == 404
    assert client.get(f"{base}2026-03/pdf/").status_code == 404
    listing = client.get(base)
    assert (
        listing.status_code == 200
        and "No report has been published yet" in listing.content.decode()
    )
    assert client.post(f"{base}2026-03/publish/", {"summary": "Mine"}).status_code == 403

    publish_report(actor=fed.pm, program=fed.alpha, period=MARCH, summary="What changed in March")
    listing = client.get(base).content.decode()
    assert "March 2026" in listing and "What changed in March" in listing
    page = client.get(f"{base}2026-03/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "The signs to the ward are confusing." in html
    assert "New signposts in hall B" in html
    assert "The car park belongs to the city." in html
    assert "Publish March 2026" not in html and 'name="summary"' not in html  # no form
    pdf = client.get(f"{base}2026-03/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    # February is not published
    assert client.get(f"{base}2026-02/").status_code == 404


@pytest.mark.parametrize("path", ["", "2026-03/", "2026-03/pdf/"])
def test_outsider_gets_404(fed: World, client: Any, path: str) -> None:
    publish_report(actor=fed.pm, program=fed.alpha, period=MARCH)
    client.force_login(fed.outsider)
    assert client.get(f"/programs/ALPHA/feedback/reports/{path}").status_code == 404
    client.force_login(fed.pm_b)  # BETA's manager: ALPHA is not theirs
    assert client.get(f"/programs/ALPHA/feedback/reports/{path}").status_code == 404


def test_manager_publishes_from_the_page(fed: World, client: Any) -> None:
    client.force_login(fed.pm)
    draft = client.get("/programs/ALPHA/feedback/reports/2026-03/").content.decode()
    assert "Draft" in draft and "Publish March 2026" in draft
    refused = client.post(
        "/programs/ALPHA/feedback/reports/2026-03/publish/", {"summary": "x" * 4001}
    )
    assert refused.status_code == 422 and "Keep the summary under" in refused.content.decode()
    response = client.post(
        "/programs/ALPHA/feedback/reports/2026-03/publish/", {"summary": "Thank you"}
    )
    assert response.status_code == 302
    assert PublishedReport.objects.get().summary == "Thank you"
    picked = client.get("/programs/ALPHA/feedback/reports/?period=2026-Q1")
    assert picked.status_code == 302 and picked["Location"].endswith("/reports/2026-Q1/")
    bad = client.get("/programs/ALPHA/feedback/reports/?period=soon").content.decode()
    assert "is not a period" in bad


def test_figures_and_report_change_when_an_item_closes(fed: World) -> None:
    """The loop of one item, end to end: the monitoring figures and the report follow."""
    a, pm = fed.alpha, fed.pm
    lift = FeedbackItem.objects.get(text__startswith="Still waiting")
    window: dict[str, Any] = {
        "start": dt.date(2026, 3, 1),
        "end": dt.date(2026, 3, 31),
        "today": dt.date(2026, 3, 31),
    }
    before = mon.figures(a, **window)
    assert (before.loop_closed, before.closure_rate, before.close.count) == (0, 0.0, 0)
    assert "Still waiting" not in str(build_report(a, MARCH).as_dict())

    action = services.create_action(actor=pm, program=a, title="Repair the lift")
    lift = services.plan(actor=pm, item=lift, actions=[action], at=at("2026-03-11"))
    services.update_action(actor=pm, action=action, status="done", at=at("2026-03-16"))
    lift = FeedbackItem.objects.get(pk=lift.pk)
    lift = services.verify(actor=fed.stakeholder, item=lift, at=at("2026-03-17"))
    verified = mon.figures(a, **window)
    assert (verified.loop_closed, verified.closure_rate, verified.close.median) == (1, 1.0, 5)
    # verified is still open until the manager closes it (with two older open items)
    assert verified.open_items == before.open_items == 3
    services.close(actor=pm, item=lift, at=at("2026-03-18"))

    after = mon.figures(a, **window)
    assert (after.loop_closed, after.closure_rate, after.close.count) == (1, 1.0, 1)
    assert after.close.median == 6  # Tue 10 → Wed 18 March
    assert after.open_items == 2
    done = build_report(a, MARCH).done
    lift_entry = next(e for e in done if e.said == "Still waiting for the lift.")
    assert lift_entry.state == "Closed" and lift_entry.actions[0].title == "Repair the lift"


def test_pages_do_not_grow_queries_with_items(
    fed: World, client: Any, django_assert_max_num_queries: Any
) -> None:
    pm, a = fed.pm, fed.alpha
    action = services.create_action(actor=pm, program=a, title="Shared fix")
    for n in range(15):
        FeedbackItem.objects.create(
            program=a,
            text=f"Point {n}",
            state="closed",
            rating=n % 5 + 1,
            group=f"G{n % 3}",
            submitted_at=at("2026-03-02"),
            implemented_at=at("2026-03-03"),
            closed_at=at("2026-03-04"),
            acknowledged_at=at("2026-03-02"),
        ).actions.add(action)
    client.force_login(fed.team)
    with django_assert_max_num_queries(20):
        assert client.get("/programs/ALPHA/feedback/reports/2026-03/").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/programs/ALPHA/feedback/reports/2026-03/pdf/").status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get("/programs/ALPHA/feedback/monitoring/?months=12").status_code == 200
