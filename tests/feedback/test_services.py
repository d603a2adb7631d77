"""The feedback lifecycle through the services: every step, its refusals, the audit
trail, notifications to the submitter and the program manager's digest."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from podium.core.errors import NotFound, PermissionDenied, TransitionRefused, ValidationFailed
from podium.core.models import AuditRecord
from podium.feedback import selectors, services
from podium.feedback.models import ActionStatus, FeedbackItem
from podium.notifications.models import Notification
from tests.feedback.conftest import Feedback

UTC = dt.UTC


def submit(fb: Feedback, **extra: Any) -> FeedbackItem:
    fields: dict[str, Any] = {"text": "The signage in ward 3 is confusing.", "category": "quality"}
    fields.update(extra)
    actor = fields.pop("actor", fb.stakeholder)
    return services.submit_feedback(actor=actor, program=fb.alpha, **fields)


def planned(fb: Feedback, **extra: Any) -> tuple[FeedbackItem, Any]:
    item = submit(fb, **extra)
    item = services.acknowledge(actor=fb.pm, item=item)
    action = services.create_action(actor=fb.pm, program=fb.alpha, title="New signs", owner=fb.team)
    item = services.plan(actor=fb.pm, item=item, actions=[action])
    return item, action


def test_the_whole_loop_dates_every_step_and_audits_it(
    fb: Feedback, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        item, action = planned(fb, rating=2, component=fb.comp)
        assert item.state == "planned" and item.acknowledged_at and item.planned_at
        # the action is done: the planned item moves to implemented by itself
        services.update_action(actor=fb.team, action=action, status=ActionStatus.DONE)
        item.refresh_from_db()
        assert item.state == "implemented" and item.implemented_at is not None
        item = services.verify(actor=fb.stakeholder, item=item, note="Much better now.")
        assert item.state == "verified" and item.verified_at is not None
        item = services.close(actor=fb.pm, item=item)
    assert item.state == "closed" and item.closed_at is not None
    steps = [e.action for e in selectors.events_of(item)]
    assert steps == ["submit", "acknowledge", "plan", "implement", "verify", "close"]
    moves = AuditRecord.objects.filter(
        object_type="feedback.feedbackitem", object_id=str(item.pk), action="transition"
    )
    assert moves.count() == 5
    # the submitter heard of every change the team made (not of their own verify)
    titles = list(
        Notification.objects.filter(user=fb.stakeholder, category="feedback")
        .order_by("id")
        .values_list("title", flat=True)
    )
    assert titles == [f"Feedback {item.reference}: {s}" for s in
                      ("Acknowledged", "Planned", "Implemented", "Closed")]  # fmt: skip
    assert [m.to for m in mail.outbox] == [["s1@example.org"]] * 4


def test_planning_needs_an_action_or_a_risk(fb: Feedback) -> None:
    item = services.acknowledge(actor=fb.pm, item=submit(fb))
    with pytest.raises(ValidationFailed) as exc:
        services.plan(actor=fb.pm, item=item)
    assert "actions" in exc.value.errors
    item.refresh_from_db()
    assert item.state == "acknowledged"


def test_steps_only_from_their_states(fb: Feedback) -> None:
    item = submit(fb)
    with pytest.raises(TransitionRefused):
        services.close(actor=fb.pm, item=item)
    with pytest.raises(TransitionRefused):
        services.mark_implemented(actor=fb.pm, item=item)
    item, _ = planned(fb)
    with pytest.raises(TransitionRefused):
        services.acknowledge(actor=fb.pm, item=item)


def test_who_may_triage(fb: Feedback) -> None:
    about_program = submit(fb)
    about_c1 = submit(fb, component=fb.comp)
    for who in (fb.team, fb.viewer, fb.stakeholder):
        with pytest.raises(PermissionDenied):
            services.acknowledge(actor=who, item=about_c1)
    # the component manager triages the items about their component only
    with pytest.raises(PermissionDenied):
        services.acknowledge(actor=fb.cm, item=about_program)
    assert services.acknowledge(actor=fb.cm, item=about_c1).state == "acknowledged"
    assert services.acknowledge(actor=fb.admin, item=about_program).state == "acknowledged"


def test_implemented_waits_for_open_actions_unless_explicit(fb: Feedback) -> None:
    item, _ = planned(fb)
    with pytest.raises(TransitionRefused, match="New signs"):
        services.mark_implemented(actor=fb.pm, item=item)
    item = services.mark_implemented(actor=fb.pm, item=item, explicit=True)
    assert item.state == "implemented"
    assert "explicitly" in item.events.get(action="implement").note


def test_one_action_for_many_items(fb: Feedback) -> None:
    first, action = planned(fb)
    second = services.acknowledge(actor=fb.pm, item=submit(fb, actor=fb.other))
    second = services.plan(actor=fb.pm, item=second, actions=[action])
    extra = services.create_action(actor=fb.pm, program=fb.alpha, title="Train porters")
    services.link_action(actor=fb.pm, item=second, action=extra)
    services.update_action(actor=fb.pm, action=action, status="done")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == "implemented"
    assert second.state == "planned"  # still waits for "Train porters"
    services.update_action(actor=fb.pm, action=extra, status="done")
    second.refresh_from_db()
    assert second.state == "implemented"


def test_only_the_submitter_verifies_or_says_not_fixed(fb: Feedback) -> None:
    item, action = planned(fb)
    services.update_action(actor=fb.pm, action=action, status="done")
    item.refresh_from_db()
    for who in (fb.pm, fb.admin, fb.other):
        with pytest.raises(PermissionDenied):
            services.verify(actor=who, item=item)
        with pytest.raises(PermissionDenied):
            services.not_fixed(actor=who, item=item)
    item = services.not_fixed(actor=fb.stakeholder, item=item, note="Still lost.")
    assert item.state == "planned" and item.implemented_at is None
    told = Notification.objects.get(user=fb.pm, title__contains="not fixed")
    assert told.body == "Still lost."


def test_program_manager_verifies_after_ten_working_days(fb: Feedback) -> None:
    item, action = planned(fb)
    services.update_action(actor=fb.pm, action=action, status="done")
    item = FeedbackItem.objects.get(pk=item.pk)
    # implemented on Monday 2 March 2026: ten working days later is Monday 16 March
    FeedbackItem.objects.filter(pk=item.pk).update(
        implemented_at=dt.datetime(2026, 3, 2, 12, tzinfo=UTC)
    )
    item.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.verify(actor=fb.pm, item=item, at=dt.datetime(2026, 3, 13, 12, tzinfo=UTC))
    item = services.verify(actor=fb.pm, item=item, at=dt.datetime(2026, 3, 16, 12, tzinfo=UTC))
    assert item.state == "verified"
    assert "no answer from the submitter" in item.events.get(action="verify").note


def test_decline_needs_a_reason_and_an_open_state(fb: Feedback) -> None:
    item = submit(fb)
    with pytest.raises(ValidationFailed) as exc:
        services.decline(actor=fb.pm, item=item, reason="  ")
    assert "reason" in exc.value.errors
    item = services.decline(actor=fb.pm, item=item, reason="Out of the program's scope.")
    assert item.state == "declined" and item.declined_at and item.declined_reason
    note = Notification.objects.get(user=fb.stakeholder)
    assert "Out of the program's scope." in note.body
    done, action = planned(fb)
    services.update_action(actor=fb.pm, action=action, status="done")
    done.refresh_from_db()
    with pytest.raises(TransitionRefused):
        services.decline(actor=fb.pm, item=done, reason="Too late")


def test_planned_item_keeps_a_link(fb: Feedback) -> None:
    item, action = planned(fb)
    with pytest.raises(TransitionRefused):
        services.unlink_action(actor=fb.pm, item=item, action=action)
    assert item.actions.count() == 1


def test_submitting_checks_the_program_and_its_parts(fb: Feedback) -> None:
    with pytest.raises(NotFound):
        services.submit_feedback(actor=fb.stakeholder, program=fb.beta, text="Hello")
    with pytest.raises(ValidationFailed) as exc:
        submit(fb, component=fb.comp_b, rating=9, category="weather")
    assert set(exc.value.errors) == {"component", "rating", "category"}
    assert FeedbackItem.objects.count() == 0


def test_anonymous_only_where_allowed_and_never_recorded(fb: Feedback) -> None:
    services.save_service_target(actor=fb.pm, program=fb.alpha, allow_anonymous=False)
    with pytest.raises(ValidationFailed) as exc:
        submit(fb, anonymous=True)
    assert "anonymous" in exc.value.errors
    services.save_service_target(actor=fb.pm, program=fb.alpha, allow_anonymous=True)
    item = submit(fb, anonymous=True)
    assert item.submitted_by == fb.stakeholder and item.created_by is None
    record = AuditRecord.objects.get(object_type="feedback.feedbackitem", action="create")
    assert record.user is None
    assert "submitted_by" not in record.after and "stakeholder" not in record.after
    assert item.events.get().actor is None


def test_overdue_counts_working_days(fb: Feedback) -> None:
    services.save_service_target(actor=fb.pm, program=fb.alpha, acknowledge_days=2, close_days=5)
    # Friday 6 March 2026: acknowledge by Tuesday 10, close by Friday 13
    item = submit(fb, at=dt.datetime(2026, 3, 6, 10, tzinfo=UTC))
    assert not selectors.is_overdue(item, dt.date(2026, 3, 10))
    assert selectors.is_overdue(item, dt.date(2026, 3, 11))
    assert [i.pk for i in selectors.overdue_items(fb.alpha, dt.date(2026, 3, 11))] == [item.pk]
    item = services.acknowledge(actor=fb.pm, item=item)
    assert not selectors.is_overdue(item, dt.date(2026, 3, 13))
    assert selectors.is_overdue(item, dt.date(2026, 3, 16))
    item = services.decline(actor=fb.pm, item=item, reason="No.")
    assert not selectors.is_overdue(item, dt.date(2026, 4, 30))
    assert selectors.add_working_days(dt.date(2026, 3, 6), 1) == dt.date(2026, 3, 9)
    assert selectors.working_days_between(dt.date(2026, 3, 2), dt.date(2026, 3, 16)) == 10


def test_manager_digest(fb: Feedback) -> None:
    assert services.send_manager_digest(fb.alpha, dt.date(2026, 3, 2)) == 0
    submit(fb, anonymous=True)
    assert services.send_manager_digest(fb.alpha) == 1
    note = Notification.objects.get(user=fb.pm)
    assert note.category == "feedback" and "1 new" in note.title
    assert "stakeholder" not in note.body  # the anonymous submitter is not named


def test_service_target_rules(fb: Feedback) -> None:
    with pytest.raises(PermissionDenied):
        services.save_service_target(actor=fb.team, program=fb.alpha, close_days=3)
    with pytest.raises(ValidationFailed) as exc:
        services.save_service_target(
            actor=fb.pm, program=fb.alpha, acknowledge_days=10, close_days=3
        )
    assert "close_days" in exc.value.errors


def test_csv_import_is_all_or_nothing(fb: Feedback) -> None:
    bad = (
        "text,category,rating,component,submitted_by\n"
        "Good session,communication,5,C1,stakeholder\n"
        ",other,,,\n"
        "Too slow,schedule,7,ZZ,nobody\n"
    )
    with pytest.raises(ValidationFailed) as exc:
        services.import_feedback_csv(actor=fb.pm, program=fb.alpha, data=bad.encode())
    messages = exc.value.errors["file"]
    assert any(m.startswith("line 3: text") for m in messages)
    assert any(m.startswith("line 4: rating") for m in messages)
    assert any(m.startswith("line 4: component") for m in messages)
    assert any(m.startswith("line 4: submitted_by") for m in messages)
    assert FeedbackItem.objects.count() == 0
    good = (
        "text,category,rating,component,submitted_by,submitted_at\n"
        "Good session,communication,5,C1,stakeholder,2026-03-02\n"
        "More maps please,,,,,\n"
    )
    items = services.import_feedback_csv(actor=fb.pm, program=fb.alpha, data=good)
    assert [i.state for i in items] == ["new", "new"]
    assert items[0].submitted_by == fb.stakeholder and items[0].component == fb.comp
    assert items[0].submitted_at.date() == dt.date(2026, 3, 2)
    with pytest.raises(PermissionDenied):
        services.import_feedback_csv(actor=fb.team, program=fb.alpha, data=good)


def test_items_carry_the_submitters_stakeholder_group(fb: Feedback) -> None:
    from podium.stakeholders.models import Stakeholder

    entry = Stakeholder.objects.create(
        program=fb.alpha, user=fb.stakeholder, name="S. One", group="Clinicians"
    )
    item = submit(fb)
    assert item.stakeholder == entry and item.group == "Clinicians"
    anon = submit(fb, anonymous=True)
    assert anon.stakeholder is None and anon.group == "Clinicians"


def test_planning_with_a_risk_only(fb: Feedback) -> None:
    from podium.risks.models import Risk

    risk = Risk.objects.create(program=fb.alpha, code="R-1", title="Staff not informed")
    item = services.acknowledge(actor=fb.pm, item=submit(fb))
    item = services.plan(actor=fb.pm, item=item, risk=risk)
    assert item.state == "planned" and item.risk == risk
    with pytest.raises(TransitionRefused):
        services.set_risk(actor=fb.pm, item=item, risk=None)
    other = Risk.objects.create(program=fb.beta, code="R-1", title="Beta's")
    with pytest.raises(ValidationFailed):
        services.set_risk(actor=fb.pm, item=item, risk=other)


def test_planning_into_a_change_request(fb: Feedback) -> None:
    from podium.changes import services as changes

    cr = changes.create_change_request(
        actor=fb.pm, program=fb.alpha, title="Move the night-shift briefing earlier"
    )
    item = services.acknowledge(actor=fb.pm, item=submit(fb))
    item = services.plan(actor=fb.pm, item=item, change_request=cr)
    assert item.state == "planned" and item.change_request == cr
    assert list(cr.feedback_items.all()) == [item]
    # A change request of another program is refused, naming the field.
    other = changes.create_change_request(actor=fb.pm_b, program=fb.beta, title="Beta's")
    second = services.acknowledge(actor=fb.pm, item=submit(fb))
    with pytest.raises(ValidationFailed) as refused:
        services.plan(actor=fb.pm, item=second, change_request=other)
    assert "change_request" in refused.value.errors
    assert FeedbackItem.objects.get(pk=second.pk).state == "acknowledged"
