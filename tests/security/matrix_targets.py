"""The objects the permission matrix calls: two programs (ALPHA, where every role is held,
and BETA, run by other people) with one object of every kind each, built through the
services once per test module.

:func:`build` returns the people and, per program, a dict of path values (``code``,
``risk``, ``meeting``...) that the rows of :mod:`tests.security.permission_matrix` name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from podium.accounts.models import User
from podium.benefits import services as benefits
from podium.changes import services as changes
from podium.core.jobs import start_job
from podium.delivery import services as delivery
from podium.discussions import services as discussions
from podium.feedback import services as feedback
from podium.finance import services as finance
from podium.forecast.services import start_forecast
from podium.governance import services as governance
from podium.governance.criteria_admin import add_criterion
from podium.governance.models import BoardRole, CriterionKind
from podium.lessons import services as lessons
from podium.meetings import services as meetings
from podium.meetings.models import MeetingKind
from podium.notifications.services import notify
from podium.programs import services as programs
from podium.programs.models import Component, ComponentStatus, Program, Role
from podium.resources import services as resources
from podium.resources.models import Resource
from podium.risks import services as risks
from podium.schedule.models import Activity
from podium.schedule.services import import_project, save_baseline
from podium.stakeholders import services as stakeholders
from podium.updates import services as updates
from podium.work import services as work
from podium.work.selectors import monday_of
from tests.conftest import make_user
from tests.governance.helpers import advance
from tests.schedule.conftest import small_project

ROLES = [
    "anonymous", "non_member", "stakeholder", "team_member", "viewer",
    "component_manager", "program_manager", "admin",
]  # fmt: skip


@dataclass
class Targets:
    users: dict[str, User | None]  # role -> the user acting in it (None: anonymous)
    own: dict[str, Any] = field(default_factory=dict)  # ALPHA's objects
    other: dict[str, Any] = field(default_factory=dict)  # BETA's objects
    # per role: objects that belong to that user (their notification), in ALPHA terms
    personal: dict[str, dict[str, Any]] = field(default_factory=dict)


def _at(days: int, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _complete_update() -> dict[str, Any]:
    """Every colour green with a reason and the narrative: a draft that may be submitted."""
    fields: dict[str, Any] = {}
    for dim in updates.RATED:
        fields[f"{dim}_rag"] = "green"
        fields[f"{dim}_reason"] = f"{dim} as planned"
    fields.update(accomplishments="Ward 3 rewired.", next_steps="Rewire ward 4.")
    return fields


def _people(suffix: str) -> dict[str, User]:
    return {
        role: make_user(f"{role}{suffix}", email=f"{role}{suffix}@example.org")
        for role in ("program_manager", "component_manager", "team_member", "stakeholder",
                     "viewer")
    }  # fmt: skip


def _program(admin: User, code: str, people: dict[str, User]) -> dict[str, Any]:
    """One program with a component managed by the component manager and one object of
    every kind; returns the path values."""
    pm, cm = people["program_manager"], people["component_manager"]
    team, sh, viewer = people["team_member"], people["stakeholder"], people["viewer"]
    program = programs.create_program(actor=admin, code=code, name=f"{code} program", manager=pm)
    for role in ("component_manager", "team_member", "stakeholder", "viewer"):
        programs.add_member(actor=pm, program=program, user=people[role], role=Role(role))
    comp = programs.create_component(
        actor=pm, program=program, code="C1", name="First component", manager=cm,
        business_case="Because it pays back.",
    )  # fmt: skip
    comp2 = programs.create_component(actor=pm, program=program, code="C2", name="Proposed one")
    goal = programs.add_goal(actor=pm, program=program, title="Shorter stays")
    extra = make_user(f"extra_{code}")
    membership = programs.add_member(actor=pm, program=program, user=extra, role=Role.VIEWER)
    joiner = make_user(f"joiner_{code}")

    # planning stage, a schedule, a budget (as tests/finance/conftest.py)
    program = advance(pm, program, "Charter approved")
    import_project(actor=None, program=program, project=small_project(), component=comp)
    a, b, c, d = (Activity.objects.get(component=comp, code=x) for x in "ABCD")
    baseline = save_baseline(actor=None, program=program, name="B0")
    lab = finance.create_cost_account(
        actor=None, program=program, component=comp, code="C1-LAB", name="C1 labour"
    )
    mat = finance.create_cost_account(
        actor=None, program=program, component=comp, code="C1-MAT", name="C1 material"
    )
    budget = finance.create_baseline(actor=None, program=program, management_reserve="300")
    budget_line = finance.add_line(
        actor=None, baseline=budget, cost_account=lab, amount="1000", activity=a
    )
    finance.add_line(actor=None, baseline=budget, cost_account=mat, amount="500")
    # the draft stays a draft (rows that need an approved budget approve it in their cell)
    resource = resources.create_resource(
        actor=pm, program=program, code="TEAM", name="Team member",
        kind=Resource.Kind.PERSON, standard_rate=Decimal("50"), user=team,
    )  # fmt: skip
    crane = resources.create_resource(actor=pm, program=program, code="CRANE", name="Crane")
    resources.assign(actor=cm, activity=a, resource=resource)
    assignment = resources.assign(actor=cm, activity=b, resource=crane)

    # risks (as tests/risks/conftest.py)
    risk = risks.create_risk(
        actor=pm, program=program, component=comp, title="Vendor delivers late",
        probability=0.4, schedule_score=4, cost_score=3, strategy="mitigate",
        duration_kind="triangular", duration_low=8, duration_mode=16, duration_high=40,
        activities=[a, b],
    )  # fmt: skip
    prisk = risks.create_risk(actor=pm, program=program, title="Reuse old cabling",
                              kind="opportunity", probability=0.2)  # fmt: skip
    risk_action = risks.create_action(actor=pm, risk=risk, description="Call supplier")
    issue = risks.create_issue(actor=pm, program=program, component=comp, title="Keys")
    risks.set_estimate(actor=pm, activity=a, kind="triangular", optimistic=600,
                       most_likely=960, pessimistic=1800)  # fmt: skip
    correlation = risks.create_correlation(actor=pm, program=program, a=a, b=c, rho=0.5)

    # deliverables (as tests/delivery/conftest.py)
    make = delivery.create_deliverable
    planned = make(actor=cm, program=program, component=comp, name="Refitted ward",
                   accepting_stakeholder=sh)  # fmt: skip
    mine = make(actor=cm, program=program, component=comp, name="Ward handbook",
                accepting_stakeholder=sh)  # fmt: skip
    mine = delivery.mark_delivered(
        actor=cm, deliverable=delivery.start_production(actor=cm, deliverable=mine)
    )
    producing = make(actor=cm, program=program, component=comp, name="Cleaning service",
                     accepting_stakeholder=sh)  # fmt: skip
    producing = delivery.start_production(actor=cm, deliverable=producing)
    accepted = make(actor=cm, program=program, component=comp, name="Floor plan",
                    accepting_stakeholder=sh)  # fmt: skip
    accepted = delivery.mark_delivered(
        actor=cm, deliverable=delivery.start_production(actor=cm, deliverable=accepted)
    )
    accepted = delivery.accept_deliverable(actor=sh, deliverable=accepted, comment="Fine.")
    evidence = delivery.add_evidence(
        actor=cm, deliverable=mine, title="Photo",
        file=SimpleUploadedFile("photo.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )  # fmt: skip
    delivery.save_transition_plan(actor=cm, component=comp, receiving_organization="Facilities")
    item = delivery.add_transition_item(actor=cm, component=comp, text="Runbook")

    # benefits
    benefit = benefits.create_benefit(
        actor=pm, program=program, name="Faster discharge", kpi="Hours", baseline_value=10,
        baseline_date=dt.date(2025, 1, 1), targets=[(dt.date(2025, 12, 31), 6)],
        direction="lower", owner=team, components=[comp], expected_value="5000",
    )  # fmt: skip
    measurement = benefits.record_measurement(
        actor=pm, benefit=benefit, date=dt.date(2025, 6, 1), value=9
    )

    # stakeholders
    person = stakeholders.create_stakeholder(actor=pm, program=program, name="Surgeons",
                                             power=5, interest=5)  # fmt: skip
    plan_item = stakeholders.add_plan_item(actor=pm, stakeholder=person, what="Monthly briefing")

    # feedback: one item by the stakeholder, an action
    feedback.save_service_target(actor=pm, program=program, allow_anonymous=True)
    fb_item = feedback.submit_feedback(actor=sh, program=program, text="Nobody told nights.",
                                       component=comp)  # fmt: skip
    fb_action = feedback.create_action(actor=pm, program=program, title="Brief nights",
                                       component=comp)  # fmt: skip

    # governance: a board, an open review on the component, a decision, a criterion
    governance.add_board_member(actor=pm, program=program, user=viewer, role=BoardRole.MEMBER)
    decision = governance.record_decision(
        actor=pm, program=program, kind="other", outcome="approved",
        rationale="Go ahead with the pilot ward.", subject=comp,
    )  # fmt: skip
    signed = add_criterion(actor=pm, program=program, gate="program:planning:delivery",
                           kind=CriterionKind.MANUAL, label="Sponsor signed")  # fmt: skip
    criterion = add_criterion(actor=pm, program=program, gate="component:proposed:authorized",
                              kind=CriterionKind.MANUAL, label="Site visited")  # fmt: skip
    review = governance.open_review(actor=pm, program=program)
    gate_evidence = governance.add_evidence(actor=pm, review=review, criterion_key=signed.key,
                                            text="Minutes, item 3.")  # fmt: skip

    # change requests: a draft with a line, a submitted one
    cr = changes.create_change_request(actor=cm, program=program, title="Extend interface",
                                       components=[comp.pk])  # fmt: skip
    cr_line = changes.add_line(actor=cm, cr=cr, kind="duration", activity=b.pk,
                               new_duration_days="5")  # fmt: skip
    submitted = changes.create_change_request(actor=cm, program=program, title="Rewire more",
                                              components=[comp.pk])  # fmt: skip
    changes.add_line(actor=cm, cr=submitted, kind="duration", activity=b.pk, new_duration_days="4")
    submitted = changes.submit(actor=cm, cr=submitted, expected_version=None)

    # lessons and a session
    lesson = lessons.create_lesson(actor=pm, program=program, title="Supplier slipped",
                                   description="Late release.", category="suppliers")  # fmt: skip
    session = lessons.plan_session(actor=pm, program=program, kind="periodic", facilitator=pm)

    # timesheets: the team member's week, submitted
    monday = monday_of(timezone.localdate())
    timesheet = work.save_week(actor=team, week=monday,
                               hours=[work.HoursIn(a.pk, monday, Decimal("4"))],
                               progress=[])[0]  # fmt: skip

    # a component update (draft)
    Component.objects.filter(pk=comp.pk).update(status=ComponentStatus.IN_DELIVERY)
    comp.refresh_from_db()
    update = updates.create_update(actor=cm, component=comp, **_complete_update())

    # discussions: a comment with a file on the risk
    posted = discussions.post_comment(
        actor=cm, obj=risk, body="Called them.",
        attachments=[SimpleUploadedFile("notes.txt", b"notes", content_type="text/plain")],
    )  # fmt: skip
    comment = posted.comment
    attachment = comment.attachments.first()
    assert attachment is not None

    # meetings: a coordination meeting organised by the program manager
    meeting = meetings.plan_meeting(
        actor=pm, program=program, kind=MeetingKind.COORDINATION, title="Weekly",
        starts_at=_at(3), guests=[meetings.Guest(user=cm), meetings.Guest(user=team)],
    )  # fmt: skip
    attendee = meeting.attendees.get(user=team)
    agenda = meetings.add_agenda_item(actor=pm, meeting=meeting, title="Risks")
    board_meeting = meetings.plan_meeting(
        actor=pm, program=program, kind=MeetingKind.BOARD, title="Board", starts_at=_at(10),
    )  # fmt: skip
    meeting_action = meetings.add_action(actor=pm, meeting=meeting, title="Send notes", owner=cm)

    # a forecast run and an export job
    run, _ = start_forecast(actor=pm, program=program, iterations=100, seed=1)
    job = start_job("programs.export_json", user=pm, params={"program_id": program.pk},
                    program_id=program.pk)  # fmt: skip

    return {
        "code": program.code, "goal": goal.pk, "comp": comp.pk, "ccode": comp.code,
        "mem": membership.pk, "joiner": joiner.username, "act": a.pk, "act_b": b.pk,
        "act_c": c.pk, "act_d": d.pk, "base": baseline.pk, "res": resource.pk,
        "crane": crane.pk, "asg": assignment.pk, "acct": lab.pk, "budget": budget.pk,
        "budget_line": budget_line.pk, "mat": mat.pk,
        "risk": risk.pk, "prisk": prisk.pk, "risk_action": risk_action.pk, "issue": issue.pk,
        "corr": correlation.pk, "planned": planned.pk, "mine": mine.pk,
        "producing": producing.pk, "accepted": accepted.pk, "evidence": evidence.pk,
        "item": item.pk, "benefit": benefit.pk, "measurement": measurement.pk,
        "person": person.pk, "plan_item": plan_item.pk, "fb": fb_item.pk,
        "fb_action": fb_action.pk, "decision": decision.pk, "review": review.pk,
        "criterion": criterion.pk, "criterion_key": signed.key,
        "gate_evidence": gate_evidence.pk, "cr": cr.pk, "cr_line": cr_line.pk,
        "submitted": submitted.pk, "lesson": lesson.pk, "session": session.pk,
        "timesheet": timesheet.pk, "week": monday.isoformat(), "update": update.pk,
        "comment": comment.pk, "attachment": attachment.pk, "meeting": meeting.pk,
        "attendee": attendee.pk, "agenda": agenda.pk, "meeting_action": meeting_action.pk,
        "run": run.pk, "job": job.pk, "board_user": viewer.username,
        "board_meeting": board_meeting.pk, "cm_username": cm.username, "ccode2": comp2.code,
        "kind": "risk",
        "period": "2026-10", "export_key": "risks",
        "last_week": (monday - dt.timedelta(weeks=1)).isoformat(),
    }  # fmt: skip


def build() -> Targets:
    admin = make_user("admin", is_staff=True, email="admin@example.org")
    outsider = make_user("outsider")
    alpha_people = _people("")
    beta_people = _people("_b")
    users: dict[str, User | None] = {"anonymous": None, "non_member": outsider, "admin": admin}
    users.update(alpha_people)
    targets = Targets(users)
    targets.own = _program(admin, "ALPHA", alpha_people)
    targets.other = _program(admin, "BETA", beta_people)
    pool = resources.create_resource(actor=admin, program=None, code="POOL", name="Welder")
    alpha = Program.objects.get(code="ALPHA")
    beta = Program.objects.get(code="BETA")
    targets.own["pool"] = targets.other["pool"] = pool.pk
    for role, user in users.items():
        if user is None:
            continue
        note = notify(user=user, title="Hello", program=alpha if role != "non_member" else None)
        theirs = notify(user=beta_people["program_manager"], title="Not yours", program=beta)
        assert note is not None and theirs is not None
        targets.personal[role] = {"notification": note.pk, "other_notification": theirs.pk}
    return targets


# -- state steps some rows need, run inside the cell (rolled back with it) ---------------


def _program_of(values: dict[str, Any]) -> Program:
    return Program.objects.get(code=values["code"])


def _approved_budget(values: dict[str, Any], user: Any) -> dict[str, Any]:
    from podium.finance.models import BudgetBaseline, BudgetLine

    budget = finance.approve_baseline(
        actor=None, baseline=BudgetBaseline.objects.get(pk=values["budget"]),
        expected_version=None,
    )  # fmt: skip
    line = BudgetLine.objects.filter(baseline=budget).order_by("pk").first()
    assert line is not None
    cr = finance.propose_change(
        actor=None, baseline=budget, title="More labour", reason="Scope grew",
        changes=[{"op": "change", "line": line.pk, "amount": "1100"}],
    )  # fmt: skip
    return {"budget_cr": cr.pk, "budget_line": line.pk}


def _no_budget(values: dict[str, Any], user: Any) -> dict[str, Any]:
    from podium.finance.models import BudgetBaseline

    BudgetBaseline.objects.filter(program=_program_of(values)).delete()
    return {}


def _feedback(values: dict[str, Any], steps: int) -> dict[str, Any]:
    from podium.feedback.models import FeedbackAction, FeedbackItem

    item = FeedbackItem.objects.get(pk=values["fb"])
    moves = [feedback.acknowledge, feedback.plan, feedback.mark_implemented]
    for move in moves[:steps]:
        if move is feedback.plan:
            action = FeedbackAction.objects.get(pk=values["fb_action"])
            item = feedback.plan(actor=None, item=item, actions=[action])
        elif move is feedback.mark_implemented:
            item = feedback.mark_implemented(actor=None, item=item, explicit=True)
        else:
            item = move(actor=None, item=item)
    if steps > 3:
        item = feedback.verify(actor=item.submitted_by, item=item)
    return {}


def _fb_linked(values: dict[str, Any], user: Any) -> dict[str, Any]:
    from podium.feedback.models import FeedbackAction, FeedbackItem

    feedback.link_action(
        actor=None, item=FeedbackItem.objects.get(pk=values["fb"]),
        action=FeedbackAction.objects.get(pk=values["fb_action"]),
    )  # fmt: skip
    return {}


def _joiner_member(values: dict[str, Any], user: Any) -> dict[str, Any]:
    joiner = User.objects.get(username=values["joiner"])
    programs.add_member(actor=None, program=_program_of(values), user=joiner, role=Role.VIEWER)
    return {}


def _voted(values: dict[str, Any], user: Any) -> dict[str, Any]:
    from podium.lessons.access import can_vote
    from podium.lessons.models import Lesson

    lesson = Lesson.objects.get(pk=values["lesson"])
    if user is not None and can_vote(user, lesson):
        lessons.vote(actor=user, lesson=lesson)
    return {}


def _update_submitted(values: dict[str, Any], user: Any) -> dict[str, Any]:
    from podium.updates.models import ComponentUpdate

    update = ComponentUpdate.objects.get(pk=values["update"])
    updates.submit_update(actor=None, update=update)
    return {}


def _lesson_accepted(values: dict[str, Any], user: Any) -> dict[str, Any]:
    from podium.lessons.models import Lesson

    lessons.accept_lesson(actor=None, lesson=Lesson.objects.get(pk=values["lesson"]))
    return {}


def _week_submitted(values: dict[str, Any], user: Any) -> dict[str, Any]:
    from podium.work.models import Timesheet

    sheet = Timesheet.objects.select_related("user").get(pk=values["timesheet"])
    work.submit_week(actor=sheet.user, week=sheet.week)
    return {}


PREPARE = {
    "lesson_accepted": _lesson_accepted,
    "week_submitted": _week_submitted,
    "approved_budget": _approved_budget,
    "no_budget": _no_budget,
    "fb_acknowledged": lambda values, user: _feedback(values, 1),
    "fb_planned": lambda values, user: _feedback(values, 2),
    "fb_implemented": lambda values, user: _feedback(values, 3),
    "fb_verified": lambda values, user: _feedback(values, 4),
    "fb_linked": _fb_linked,
    "joiner_member": _joiner_member,
    "voted": _voted,
    "update_submitted": _update_submitted,
}
