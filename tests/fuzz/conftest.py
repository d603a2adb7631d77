"""The fuzzed API: the demo program loaded once per module, four people with tokens, the
real ids and codes path parameters are steered to, and the WSGI app schemathesis calls."""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction

from podium.accounts.models import User
from podium.accounts.services import create_token
from podium.demo import load_demo
from podium.discussions.targets import TARGETS
from podium.exports.registry import exports
from podium.programs.models import Component, Program

# The people the API is fuzzed as: (name in test ids, demo username).
IDENTITIES = {
    "admin": "admin",
    "program_manager": "pm.alvarez",
    "team_member": "tm.lindqvist",
    "stakeholder": "sh.osei",
}

# Integer path parameters → the models whose ids they name (a name several routers use,
# such as ``item_id``, gets the ids of all of them).
ID_MODELS: dict[str, tuple[str, ...]] = {
    "goal_id": ("programs.Goal",),
    "component_id": ("programs.Component",),
    "membership_id": ("programs.Membership",),
    "job_id": ("core.Job",),
    "activity_id": ("schedule.Activity",),
    "baseline_id": ("schedule.Baseline", "finance.BudgetBaseline"),
    "resource_id": ("resources.Resource",),
    "assignment_id": ("resources.Assignment",),
    "account_id": ("finance.CostAccount",),
    "line_id": ("finance.BudgetLine", "changes.ChangeLine"),
    "request_id": ("finance.BudgetChangeRequest",),
    "run_id": ("forecast.ForecastRun",),
    "risk_id": ("risks.Risk",),
    "action_id": ("risks.RiskAction", "feedback.FeedbackAction", "meetings.ActionItem"),
    "issue_id": ("risks.Issue",),
    "corr_id": ("risks.DurationCorrelation",),
    "deliverable_id": ("delivery.Deliverable",),
    "evidence_id": ("delivery.Evidence", "governance.CriterionEvidence"),
    "item_id": (
        "delivery.TransitionItem", "stakeholders.EngagementPlanItem",
        "feedback.FeedbackItem", "meetings.AgendaItem",
    ),
    "benefit_id": ("benefits.Benefit",),
    "measurement_id": ("benefits.Measurement",),
    "notification_id": ("notifications.Notification",),
    "stakeholder_id": ("stakeholders.Stakeholder",),
    "review_id": ("governance.GateReview",),
    "decision_id": ("governance.Decision",),
    "criterion_id": ("governance.GateCriterion",),
    "cr_id": ("changes.ChangeRequest",),
    "lesson_id": ("lessons.Lesson",),
    "session_id": ("lessons.LessonSession",),
    "pk": ("work.Timesheet",),
    "update_id": ("updates.ComponentUpdate",),
    "object_id": (
        "schedule.Activity", "delivery.Deliverable", "risks.Risk", "risks.Issue",
        "changes.ChangeRequest", "benefits.Benefit",
    ),
    "comment_id": ("discussions.Comment",),
    "attachment_id": ("discussions.CommentAttachment",),
    "meeting_id": ("meetings.Meeting",),
    "attendee_id": ("meetings.MeetingAttendee",),
}  # fmt: skip


@dataclass
class FuzzData:
    """What the fuzz runs against: tokens per identity and real path parameter values."""

    tokens: dict[str, str]
    path_values: dict[str, list[Any]] = field(default_factory=dict)


def _path_values() -> dict[str, list[Any]]:
    values: dict[str, list[Any]] = {}
    for name, labels in ID_MODELS.items():
        found: set[int] = set()
        for label in labels:
            found.update(apps.get_model(label).objects.values_list("pk", flat=True)[:40])
        values[name] = sorted(found)
    values["code"] = list(Program.objects.values_list("code", flat=True))
    values["component"] = list(Component.objects.values_list("code", flat=True))
    values["username"] = list(User.objects.values_list("username", flat=True))
    values["kind"] = list(TARGETS)
    values["key"] = [export.key for export in exports()] + ["all"]
    values["week"] = ["2026-03-02", "2026-03-04", "2025-12-29"]
    values["period"] = ["2026-03", "2026-Q1", "2025-Q4"]
    return {name: found for name, found in values.items() if found}


@pytest.fixture(scope="module")
def fuzz_data(django_db_setup: Any, django_db_blocker: Any) -> Iterator[FuzzData]:
    """The demo program, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        tokens = {
            name: create_token(actor=None, user=User.objects.get(username=username), name="fuzz")[1]
            for name, username in IDENTITIES.items()
        }  # fmt: skip
        yield FuzzData(tokens=tokens, path_values=_path_values())
        transaction.set_rollback(True)


class InProcessApp:
    """Django's WSGI handler for calls inside the test transaction: the request signals
    must not close the connection (the Django test client does the same), and a view's
    exception is kept so a 500 can be reported with its traceback."""

    def __init__(self) -> None:
        self.handler = WSGIHandler()
        self.last_exception: str | None = None

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        self.last_exception = None
        return self.handler(environ, start_response)

    def record_exception(self, sender: Any, request: Any = None, **kwargs: Any) -> None:
        self.last_exception = traceback.format_exc()


@pytest.fixture(scope="module")
def wsgi_app() -> Iterator[InProcessApp]:
    from django.core.signals import got_request_exception

    app = InProcessApp()
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    got_request_exception.connect(app.record_exception)
    try:
        yield app
    finally:
        got_request_exception.disconnect(app.record_exception)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
