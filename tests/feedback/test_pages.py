"""The feedback pages as people use them: the portal, the triage list, an item's page
with its buttons, actions, settings and the CSV import."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from podium.feedback import services
from podium.feedback.models import FeedbackAction, FeedbackItem
from podium.notifications.models import Notification
from tests.feedback.conftest import Feedback


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_loop_through_the_pages(fb: Feedback) -> None:
    stakeholder, pm = client_for(fb.stakeholder), client_for(fb.pm)
    portal = stakeholder.get("/programs/portal/feedback/").content.decode()
    assert "ALPHA" in portal and "BETA" not in portal and "Give feedback" in portal
    form = stakeholder.get("/programs/ALPHA/my-feedback/").content.decode()
    assert "Submit anonymously" in form and "C1 First component" in form
    response = stakeholder.post(
        "/programs/ALPHA/my-feedback/",
        {"about": f"component:{fb.comp.pk}", "category": "communication", "rating": "2",
         "text": "Nobody told us the ward moves."},
    )  # fmt: skip
    assert response.status_code == 302
    item = FeedbackItem.objects.get()
    assert item.component == fb.comp and item.submitted_by == fb.stakeholder
    base = f"/programs/ALPHA/feedback/{item.pk}/"
    page = pm.get(base).content.decode()
    assert ">Acknowledge</button>" in page and ">Decline</button>" in page
    pm.post(f"{base}acknowledge/", {"version": item.version})
    page = pm.get(base).content.decode()
    assert ">Plan</button>" in page
    response = pm.post(
        f"{base}plan/", {"new_action": "Send a letter to every ward", "owner": fb.team.pk}
    )
    assert response.status_code == 302
    action = FeedbackAction.objects.get()
    assert action.owner == fb.team and action.component == fb.comp
    page = pm.get(base).content.decode()
    assert ">Mark done</button>" in page
    pm.post(f"/programs/ALPHA/feedback-actions/{action.pk}/", {"status": "done", "next": base})
    item.refresh_from_db()
    assert item.state == "implemented"
    assert Notification.objects.filter(user=fb.stakeholder, title__contains="Implemented").exists()
    page = stakeholder.get(base).content.decode()
    assert ">Verify</button>" in page and ">Not fixed</button>" in page
    assert ">Acknowledge</button>" not in page
    stakeholder.post(f"{base}verify/", {"note": "Letter arrived."})
    pm.post(f"{base}close/")
    item.refresh_from_db()
    assert item.state == "closed"
    mine = stakeholder.get("/programs/ALPHA/my-feedback/").content.decode()
    assert "Closed" in mine


def test_plan_without_action_shows_the_field_error(fb: Feedback) -> None:
    item = services.submit_feedback(actor=fb.stakeholder, program=fb.alpha, text="Hello")
    item = services.acknowledge(actor=fb.pm, item=item)
    response = client_for(fb.pm).post(f"/programs/ALPHA/feedback/{item.pk}/plan/", {})
    assert response.status_code == 422
    assert "Link at least one action" in response.content.decode()


def test_decline_without_reason_shows_the_field_error(fb: Feedback) -> None:
    item = services.submit_feedback(actor=fb.stakeholder, program=fb.alpha, text="Hello")
    pm = client_for(fb.pm)
    response = pm.post(f"/programs/ALPHA/feedback/{item.pk}/decline/", {"reason": ""})
    assert response.status_code == 422 and "Say why it is declined" in response.content.decode()
    pm.post(f"/programs/ALPHA/feedback/{item.pk}/decline/", {"reason": "Not ours to fix."})
    item.refresh_from_db()
    assert item.state == "declined"


def test_triage_buttons_are_for_triagers_only(fb: Feedback) -> None:
    item = services.submit_feedback(actor=fb.stakeholder, program=fb.alpha, text="Hello")
    page = client_for(fb.team).get(f"/programs/ALPHA/feedback/{item.pk}/").content.decode()
    assert ">Acknowledge</button>" not in page
    response = client_for(fb.team).post(f"/programs/ALPHA/feedback/{item.pk}/acknowledge/")
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.state == "new"


def test_triage_list_filters_and_empty_states(fb: Feedback) -> None:
    pm = client_for(fb.pm)
    empty = pm.get("/programs/ALPHA/feedback/").content.decode()
    assert "No feedback yet" in empty
    for n in range(30):
        services.submit_feedback(
            actor=fb.stakeholder, program=fb.alpha, text=f"Point {n}",
            category="cost" if n % 2 else "schedule", component=fb.comp if n < 3 else None,
        )  # fmt: skip
    page = pm.get("/programs/ALPHA/feedback/")
    assert len(page.context["rows"]) == 25 and "Page 1 of 2" in page.content.decode()
    page = pm.get(f"/programs/ALPHA/feedback/?component={fb.comp.pk}")
    assert len(page.context["rows"]) == 3
    page = pm.get("/programs/ALPHA/feedback/?category=cost&state=new")
    assert len(page.context["rows"]) == 15
    page = pm.get("/programs/ALPHA/feedback/?state=closed")
    assert "No feedback matches these filters" in page.content.decode()
    assert pm.get("/programs/ALPHA/feedback/?overdue=on").context["rows"] == []


def test_actions_page_and_settings(fb: Feedback) -> None:
    pm = client_for(fb.pm)
    assert "No actions" in pm.get("/programs/ALPHA/feedback-actions/").content.decode()
    response = pm.post("/programs/ALPHA/feedback-actions/", {"title": "", "status": "open"})
    assert "An action needs a title." in response.content.decode()
    pm.post("/programs/ALPHA/feedback-actions/", {"title": "Fix lifts", "status": "open"})
    assert FeedbackAction.objects.filter(title="Fix lifts").exists()
    response = pm.post(
        "/programs/ALPHA/feedback/settings/",
        {"acknowledge_days": "3", "close_days": "20", "allow_anonymous": ""},
    )
    assert response.status_code == 302
    form = client_for(fb.stakeholder).get("/programs/ALPHA/my-feedback/").content.decode()
    assert "Submit anonymously" not in form
    assert client_for(fb.team).get("/programs/ALPHA/feedback/settings/").status_code == 403


def test_csv_import_page(fb: Feedback) -> None:
    pm = client_for(fb.pm)
    bad = SimpleUploadedFile("f.csv", b"text,rating\nFine,9\n")
    response = pm.post("/programs/ALPHA/feedback/import/", {"file": bad})
    assert "line 2: rating" in response.content.decode()
    assert FeedbackItem.objects.count() == 0
    good = SimpleUploadedFile("f.csv", b"text,rating\nFine,4\nBetter,5\n")
    assert pm.post("/programs/ALPHA/feedback/import/", {"file": good}).status_code == 302
    assert FeedbackItem.objects.count() == 2
    assert client_for(fb.team).get("/programs/ALPHA/feedback/import/").status_code == 403


def test_change_request_page_shows_the_feedback_it_answers(fb: Feedback) -> None:
    from podium.changes import services as changes

    cr = changes.create_change_request(actor=fb.pm, program=fb.alpha, title="Earlier briefing")
    item = services.submit_feedback(
        actor=fb.stakeholder, program=fb.alpha, text="Night shift never hears about moves."
    )
    item = services.acknowledge(actor=fb.pm, item=item)
    services.plan(actor=fb.pm, item=item, change_request=cr)
    page = client_for(fb.pm).get(f"/programs/ALPHA/changes/{cr.pk}/").content.decode()
    assert "From feedback" in page and item.reference in page
