"""THE permission matrix: every API operation with a path parameter, the request it is
called with, and the status each role expects in its own program and in another one.

Columns: anonymous, non_member, stakeholder, team_member, viewer, component_manager,
program_manager, admin — each × "own" (program ALPHA, where the role is held; the
component manager manages ALPHA's component C1) and "other" (program BETA, run by other
people, where only the administrator may look).

The expectations come from the product's rules (the ``access.py`` module of each app):

- anonymous callers get 401 everywhere;
- what a caller may not see answers 404, exactly like a missing object: programs they do
  not belong to, and inside their program the registers hidden from their role
  (stakeholders see neither the stakeholder register, nor change requests, governance,
  the team side of feedback, nor meetings they are not invited to);
- what they see but may not change (or may not read, like costs) answers 403.

Paths are the OpenAPI templates; :data:`ARGS` and each row's ``args`` say which object
of ``tests/security/matrix_targets.py`` fills each path parameter. A body value written
``"{key}"`` is replaced by that target value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Expect = Callable[[str, str], int]

ROLES = [
    "anonymous", "non_member", "stakeholder", "team_member", "viewer",
    "component_manager", "program_manager", "admin",
]  # fmt: skip
WHERE = ("own", "other")

SH, TM, VW = "stakeholder", "team_member", "viewer"
CM, PM = "component_manager", "program_manager"
MEMBERS = frozenset({SH, TM, VW, CM, PM})
TEAM_SIDE = MEMBERS - {SH}  # everyone but stakeholders
PM_ONLY = frozenset({PM})
PM_OR_CM = frozenset({PM, CM})
CONTRIBUTORS = frozenset({PM, CM, TM})  # raise risks and issues, record lessons, vote
NOT_VIEWER = MEMBERS - {VW}  # viewers only read
COSTS = PM_OR_CM  # may see budgets, rates and costs
SHEET_READERS = frozenset({PM, CM, TM})  # a timesheet: its owner and its approvers


# -- expectation helpers -----------------------------------------------------------------


def read(ok: int = 200, readers: frozenset[str] = MEMBERS, refused: int = 404) -> Expect:
    """Members in ``readers`` (and administrators) read; other members get ``refused``
    (404 when the thing is hidden from them, 403 when they see it exists)."""

    def expect(role: str, where: str) -> int:
        if role == "anonymous":
            return 401
        if role == "admin":
            return ok
        if where == "other" or role == "non_member":
            return 404
        return ok if role in readers else refused

    return expect


def cost_read(ok: int = 200) -> Expect:
    """Budgets and costs: members without the cost permission see the program but get 403."""
    return read(ok, COSTS, refused=403)


def write(
    ok: int, allowed: frozenset[str], readers: frozenset[str] = MEMBERS, admin: int | None = None
) -> Expect:
    """Roles in ``allowed`` and administrators change it (``admin``: the administrator's
    status when it differs from ``ok``); other ``readers`` get 403; whoever may not read
    it gets 404."""

    def expect(role: str, where: str) -> int:
        if role == "anonymous":
            return 401
        if role == "admin":
            return ok if admin is None else admin
        if where == "other" or role == "non_member":
            return 404
        if role not in readers:
            return 404
        return ok if role in allowed else 403

    return expect


def by_named(ok: int, named: str, readers: frozenset[str] = MEMBERS) -> Expect:
    """Only the one person named on the object (``named`` in ALPHA) may: the accepting
    stakeholder of a deliverable, a feedback item's submitter. Administrators and
    managers get 403 like everyone else who sees it."""
    return write(ok, frozenset({named}), readers, admin=403)


def personal(ok: int = 200, other: int = 404) -> Expect:
    """Things of the caller's own (their notifications, their week): every signed-in user;
    "other" is someone else's, hidden from everyone (``other``)."""

    def expect(role: str, where: str) -> int:
        if role == "anonymous":
            return 401
        return ok if where == "own" else other

    return expect


def pool(ok: int = 200, allowed: frozenset[str] = MEMBERS, refused: int = 404) -> Expect:
    """The organisation's resource pool belongs to no program: whoever belongs to any
    program reads it, the same in both columns."""

    def expect(role: str, where: str) -> int:
        if role == "anonymous":
            return 401
        if role == "admin":
            return ok
        if role == "non_member":
            return 404
        return ok if role in allowed else refused

    return expect


def with_hours(ok: int, who: str) -> Expect:
    """Submitting one's week: only someone who saved hours (``who``: the team member, the
    only one assigned to work) has something to submit; the others are told so (422). A
    week is personal: the program columns do not change it."""

    def expect(role: str, where: str) -> int:
        if role == "anonymous":
            return 401
        return ok if role == who else 422

    return expect


def creator(ok: int, who: str) -> Expect:
    """Only the creator (``who`` in ALPHA) and administrators: a background job."""

    def expect(role: str, where: str) -> int:
        if role == "anonymous":
            return 401
        if role == "admin":
            return ok
        return ok if (where == "own" and role == who) else 404

    return expect


# -- rows ----------------------------------------------------------------------------------

# path parameter -> target key, unless a row says otherwise
ARGS = {
    "code": "code", "component_id": "comp", "membership_id": "mem", "goal_id": "goal",
    "activity_id": "act", "baseline_id": "budget", "resource_id": "res",
    "assignment_id": "asg", "account_id": "acct", "line_id": "budget_line",
    "request_id": "budget_cr", "run_id": "run", "risk_id": "risk", "issue_id": "issue",
    "corr_id": "corr", "deliverable_id": "planned", "evidence_id": "evidence",
    "benefit_id": "benefit", "measurement_id": "measurement",
    "notification_id": "notification", "stakeholder_id": "person", "job_id": "job",
    "review_id": "review", "decision_id": "decision", "criterion_id": "criterion",
    "cr_id": "cr", "lesson_id": "lesson", "session_id": "session", "pk": "timesheet",
    "week": "week", "update_id": "update", "kind": "kind", "object_id": "risk",
    "comment_id": "comment", "attachment_id": "attachment", "meeting_id": "meeting",
    "attendee_id": "attendee", "username": "board_user", "component": "ccode",
    "period": "period", "key": "export_key",
}  # fmt: skip


@dataclass(frozen=True)
class Row:
    method: str
    path: str  # the OpenAPI path template, without /api/v1
    expect: Expect
    body: Any = None  # JSON body; for "upload" rows the multipart fields
    args: dict[str, str] = field(default_factory=dict)  # path parameter -> target key
    query: str = ""  # appended to the URL
    upload: bool = False  # multipart form (``body`` has the fields, files are bytes)
    prepare: str = ""  # a state step run inside the cell first (matrix_targets.PREPARE)
    label: str = ""  # tells two rows of the same operation apart

    @property
    def operation(self) -> tuple[str, str]:
        return (self.method, self.path)

    @property
    def name(self) -> str:
        suffix = f" [{self.label}]" if self.label else ""
        return f"{self.method} {self.path}{suffix}"


def r(method: str, path: str, expect: Expect, body: Any = None, **options: Any) -> Row:
    args = {k: v for k, v in options.items() if k not in Row.__dataclass_fields__}
    rest = {k: v for k, v in options.items() if k in Row.__dataclass_fields__}
    return Row(method, path, expect, body, args=args, **rest)


GET, POST, PUT, PATCH, DELETE = "GET", "POST", "PUT", "PATCH", "DELETE"
CSV = {"file": ("costs.csv", b"date,cost account,amount\n2026-03-02,C1-LAB,12\n")}
FEEDBACK_CSV = {"file": ("feedback.csv", b"text,category\nThe lift is slow,other\n")}
PDF = ("minutes.pdf", b"%PDF-1.4 minutes")

ROWS: list[Row] = [
    # programs: members read; the program manager changes (component managers their own)
    r(GET, "/programs/{code}", read()),
    r(PATCH, "/programs/{code}", write(200, PM_ONLY), {"vision": "New vision"}),
    r(POST, "/programs/{code}/transitions", write(200, PM_ONLY),
      {"target": "formulation", "reason": "Charter reopened"}),
    r(GET, "/programs/{code}/history", read()),
    r(GET, "/programs/{code}/goals", read()),
    r(POST, "/programs/{code}/goals", write(201, PM_ONLY), {"title": "Faster care"}),
    r(DELETE, "/programs/{code}/goals/{goal_id}", write(204, PM_ONLY)),
    r(GET, "/programs/{code}/components", read()),
    r(POST, "/programs/{code}/components", write(201, PM_ONLY),
      {"code": "NEW", "name": "New component"}),
    r(GET, "/components/{component_id}", read()),
    r(PATCH, "/components/{component_id}", write(200, PM_OR_CM), {"description": "More"}),
    r(POST, "/components/{component_id}/transitions", write(200, PM_ONLY),
      {"target": "cancelled", "reason": "Descoped"}),
    r(GET, "/components/{component_id}/history", read()),
    r(GET, "/programs/{code}/members", read()),
    r(POST, "/programs/{code}/members", write(201, PM_ONLY),
      {"user": "{joiner}", "role": "viewer"}),
    r(PATCH, "/memberships/{membership_id}", write(200, PM_ONLY), {"role": "stakeholder"}),
    r(DELETE, "/memberships/{membership_id}", write(204, PM_ONLY)),
    r(POST, "/programs/{code}/exports", write(202, PM_ONLY)),
    r(GET, "/jobs/{job_id}", creator(200, PM)),
    # schedule
    r(GET, "/programs/{code}/activities", read()),
    r(GET, "/activities/{activity_id}", read()),
    r(PATCH, "/activities/{activity_id}", write(200, PM_OR_CM), {"duration_minutes": 960}),
    r(POST, "/programs/{code}/schedule/compute", write(200, PM_OR_CM)),
    r(GET, "/programs/{code}/baselines", read()),
    r(POST, "/programs/{code}/baselines", write(201, PM_ONLY), {"name": "B1"}),
    r(GET, "/programs/{code}/baselines/{baseline_id}/variance", read(), baseline_id="base"),
    r(GET, "/programs/{code}/gantt", read()),
    # resources: the program's pool is the program manager's; staffing the component's
    r(GET, "/programs/{code}/resources", read()),
    r(POST, "/programs/{code}/resources", write(201, PM_ONLY), {"code": "R2", "name": "N"}),
    r(PATCH, "/resources/{resource_id}", write(200, PM_ONLY), {"capacity": 2}),
    r(GET, "/programs/{code}/resources/load", read()),
    r(GET, "/programs/{code}/resources/skills", read()),
    r(GET, "/pool/resources/{resource_id}", pool(), resource_id="pool"),
    r(GET, "/pool/resources/{resource_id}/load", pool(), resource_id="pool"),
    r(GET, "/activities/{activity_id}/assignments", read()),
    r(POST, "/activities/{activity_id}/assignments", write(201, PM_OR_CM), {"resource": "CRANE"},
      activity_id="act_c"),
    r(DELETE, "/assignments/{assignment_id}", write(204, PM_OR_CM)),
    # finance: budgets and costs are read by who may see costs (403 for other members)
    r(GET, "/programs/{code}/cost-accounts", cost_read()),
    r(POST, "/programs/{code}/cost-accounts", write(201, PM_ONLY),
      {"code": "NEW", "name": "New", "component": "C1"}),
    r(PATCH, "/cost-accounts/{account_id}", write(200, PM_ONLY), {"name": "Renamed"}),
    r(GET, "/programs/{code}/budget/baselines", cost_read()),
    r(POST, "/programs/{code}/budget/baselines", write(201, PM_ONLY), {"notes": "First"},
      prepare="no_budget"),
    r(GET, "/programs/{code}/budget/compare", cost_read(), query="?a=1&b=1",
      prepare="approved_budget"),
    r(GET, "/budget-baselines/{baseline_id}", cost_read()),
    r(PATCH, "/budget-baselines/{baseline_id}", write(200, PM_ONLY), {"notes": "n"}),
    r(POST, "/budget-baselines/{baseline_id}/approve", write(200, PM_ONLY), {}),
    r(GET, "/budget-baselines/{baseline_id}/history", cost_read()),
    r(POST, "/budget-baselines/{baseline_id}/lines", write(201, PM_ONLY),
      {"cost_account": "C1-LAB", "amount": "3"}),
    r(PATCH, "/budget-lines/{line_id}", write(200, PM_ONLY), {"amount": "3"}),
    r(DELETE, "/budget-lines/{line_id}", write(204, PM_ONLY)),
    r(GET, "/programs/{code}/budget/change-requests", cost_read(), prepare="approved_budget"),
    r(POST, "/programs/{code}/budget/change-requests", write(201, PM_OR_CM),
      {"title": "More", "reason": "Why",
       "changes": [{"op": "change", "line": "{budget_line}", "amount": "7"}]},
      prepare="approved_budget"),
    r(GET, "/budget-change-requests/{request_id}", cost_read(), prepare="approved_budget"),
    r(POST, "/budget-change-requests/{request_id}/approve", write(200, PM_ONLY), {},
      prepare="approved_budget"),
    r(POST, "/budget-change-requests/{request_id}/reject", write(200, PM_ONLY), {"note": "No"},
      prepare="approved_budget"),
    r(GET, "/programs/{code}/actual-costs", cost_read()),
    r(POST, "/programs/{code}/actual-costs", write(201, PM_OR_CM),
      {"cost_account": "C1-LAB", "date": "2026-03-02", "amount": "12"}),
    r(POST, "/programs/{code}/time-entries", write(201, PM_OR_CM),
      {"cost_account": "C1-LAB", "resource": "TEAM", "date": "2026-03-02", "hours": "4"}),
    r(POST, "/programs/{code}/actual-costs/import", write(201, PM_OR_CM), CSV, upload=True),
    r(GET, "/programs/{code}/budget/history", cost_read()),
    r(GET, "/programs/{code}/evm", cost_read()),
    r(GET, "/programs/{code}/evm/s-curve", cost_read()),
    r(GET, "/programs/{code}/evm/snapshots", cost_read()),
    r(POST, "/programs/{code}/evm/snapshots", write(201, PM_ONLY), {"name": "Week 10"}),
    r(GET, "/programs/{code}/evm/trend", cost_read()),
    r(PUT, "/activities/{activity_id}/earning-rule", write(200, PM_OR_CM),
      {"rule": "fifty_fifty"}),
    # forecasts: program and component managers start them, members read them
    r(GET, "/programs/{code}/forecasts", read()),
    r(POST, "/programs/{code}/forecasts", write(202, PM_OR_CM), {"iterations": 100, "seed": 1}),
    r(GET, "/programs/{code}/forecasts/{run_id}", read()),
    # risks and issues: contributors raise, the component's or program manager changes
    r(GET, "/programs/{code}/risks", read()),
    r(POST, "/programs/{code}/risks", write(201, CONTRIBUTORS), {"title": "New"}),
    r(GET, "/risks/{risk_id}", read()),
    r(PATCH, "/risks/{risk_id}", write(200, PM_OR_CM), {"title": "Renamed"}),
    r(PATCH, "/risks/{risk_id}", write(200, PM_ONLY), {"title": "Renamed"}, risk_id="prisk",
      label="program-level risk"),
    r(DELETE, "/risks/{risk_id}", write(204, PM_ONLY), risk_id="prisk"),
    r(POST, "/risks/{risk_id}/escalate", write(200, PM_OR_CM), {"reason": "Why"}),
    r(POST, "/risks/{risk_id}/occur", write(201, PM_OR_CM), {}),
    r(GET, "/risks/{risk_id}/history", read()),
    r(GET, "/programs/{code}/risk-matrix", read()),
    r(GET, "/risks/{risk_id}/actions", read()),
    r(POST, "/risks/{risk_id}/actions", write(201, PM_OR_CM), {"description": "Chase"}),
    r(PATCH, "/risk-actions/{action_id}", write(200, PM_OR_CM), {"status": "done"},
      action_id="risk_action"),
    r(DELETE, "/risk-actions/{action_id}", write(204, PM_OR_CM), action_id="risk_action"),
    r(GET, "/programs/{code}/issues", read()),
    r(POST, "/programs/{code}/issues", write(201, CONTRIBUTORS), {"title": "New"}),
    r(GET, "/issues/{issue_id}", read()),
    r(PATCH, "/issues/{issue_id}", write(200, PM_OR_CM), {"status": "resolved"}),
    r(DELETE, "/issues/{issue_id}", write(204, PM_OR_CM)),
    r(POST, "/issues/{issue_id}/escalate", write(200, PM_OR_CM), {"reason": "Why"}),
    r(GET, "/programs/{code}/estimates", read()),
    r(GET, "/activities/{activity_id}/estimate", read()),
    r(PUT, "/activities/{activity_id}/estimate", write(200, PM_OR_CM),
      {"kind": "pert", "optimistic": 60, "most_likely": 120, "pessimistic": 300},
      activity_id="act_b"),
    r(DELETE, "/activities/{activity_id}/estimate", write(204, PM_OR_CM)),
    r(GET, "/programs/{code}/correlations", read()),
    r(POST, "/programs/{code}/correlations", write(201, PM_OR_CM),
      {"activity_a": "{act}", "activity_b": "{act_b}", "rho": 0.4}),
    r(PATCH, "/correlations/{corr_id}", write(200, PM_OR_CM), {"rho": 0.1}),
    r(DELETE, "/correlations/{corr_id}", write(204, PM_OR_CM)),
    # deliverables: the component's or program manager; acceptance by the named stakeholder
    r(GET, "/programs/{code}/deliverables", read()),
    r(POST, "/programs/{code}/deliverables", write(201, PM_OR_CM),
      {"component": "C1", "name": "New"}),
    r(GET, "/programs/{code}/deliverable-board", read()),
    r(GET, "/deliverables/{deliverable_id}", read()),
    r(PATCH, "/deliverables/{deliverable_id}", write(200, PM_OR_CM), {"name": "Renamed"}),
    r(DELETE, "/deliverables/{deliverable_id}", write(204, PM_OR_CM)),
    r(POST, "/deliverables/{deliverable_id}/start", write(200, PM_OR_CM), {}),
    r(POST, "/deliverables/{deliverable_id}/deliver", write(200, PM_OR_CM), {},
      deliverable_id="producing"),
    r(POST, "/deliverables/{deliverable_id}/accept", by_named(200, SH), {}, deliverable_id="mine"),
    r(POST, "/deliverables/{deliverable_id}/reject", by_named(200, SH), {"reason": "Not yet"},
      deliverable_id="mine"),
    r(POST, "/deliverables/{deliverable_id}/transition", write(200, PM_OR_CM), {},
      deliverable_id="accepted"),
    r(GET, "/deliverables/{deliverable_id}/events", read(), deliverable_id="mine"),
    r(GET, "/deliverables/{deliverable_id}/evidence", read(), deliverable_id="mine"),
    r(POST, "/deliverables/{deliverable_id}/evidence", write(201, PM_OR_CM | {SH}),
      {"title": "Signed form", "url": "https://example.org/form"}, upload=True,
      deliverable_id="mine"),
    r(GET, "/evidence/{evidence_id}/file", read()),
    r(GET, "/components/{component_id}/transition-plan", read()),
    r(PUT, "/components/{component_id}/transition-plan", write(200, PM_OR_CM),
      {"receiving_organization": "Ops"}),
    r(POST, "/components/{component_id}/transition-plan/items", write(201, PM_OR_CM),
      {"text": "Keys"}),
    r(PATCH, "/transition-items/{item_id}", write(200, PM_OR_CM), {"done": True}, item_id="item"),
    r(DELETE, "/transition-items/{item_id}", write(204, PM_OR_CM), item_id="item"),
    # benefits: the program manager; measurements also by the benefit's owner (team member)
    r(GET, "/programs/{code}/benefits", read()),
    r(POST, "/programs/{code}/benefits", write(201, PM_ONLY),
      {"name": "New", "kpi": "K", "baseline_value": 1, "baseline_date": "2025-01-01"}),
    r(GET, "/benefits/{benefit_id}", read()),
    r(PATCH, "/benefits/{benefit_id}", write(200, PM_ONLY), {"name": "Renamed"}),
    r(DELETE, "/benefits/{benefit_id}", write(204, PM_ONLY)),
    r(PUT, "/benefits/{benefit_id}/targets", write(200, PM_ONLY),
      {"targets": [{"date": "2025-12-31", "value": 5}]}),
    r(GET, "/benefits/{benefit_id}/measurements", read()),
    r(POST, "/benefits/{benefit_id}/measurements", write(201, frozenset({PM, TM})),
      {"date": "2025-07-01", "value": 8}),
    r(DELETE, "/benefit-measurements/{measurement_id}", write(204, PM_ONLY)),
    r(GET, "/programs/{code}/benefits/summary", read()),
    r(GET, "/programs/{code}/benefits/traceability", read()),
    r(GET, "/programs/{code}/benefits/descope-impact", read(), query="?component=C1&cut=true"),
    r(GET, "/programs/{code}/benefits/forecast", read()),
    # notifications: one's own only
    r(POST, "/notifications/{notification_id}/read", personal()),
    # stakeholder register: hidden from stakeholders; the program manager keeps it
    r(GET, "/programs/{code}/stakeholders", read(readers=TEAM_SIDE)),
    r(POST, "/programs/{code}/stakeholders", write(201, PM_ONLY, TEAM_SIDE), {"name": "Porters"}),
    r(GET, "/programs/{code}/stakeholder-grid", read(readers=TEAM_SIDE)),
    r(GET, "/programs/{code}/stakeholders/{stakeholder_id}", read(readers=TEAM_SIDE)),
    r(PATCH, "/programs/{code}/stakeholders/{stakeholder_id}", write(200, PM_ONLY, TEAM_SIDE),
      {"interest": 3}),
    r(DELETE, "/programs/{code}/stakeholders/{stakeholder_id}", write(204, PM_ONLY, TEAM_SIDE)),
    r(GET, "/programs/{code}/stakeholders/{stakeholder_id}/plan", read(readers=TEAM_SIDE)),
    r(POST, "/programs/{code}/stakeholders/{stakeholder_id}/plan",
      write(201, PM_ONLY, TEAM_SIDE), {"what": "Site tour"}),
    r(GET, "/programs/{code}/stakeholders/{stakeholder_id}/plan/{item_id}",
      read(readers=TEAM_SIDE), item_id="plan_item"),
    r(PATCH, "/programs/{code}/stakeholders/{stakeholder_id}/plan/{item_id}",
      write(200, PM_ONLY, TEAM_SIDE), {"how": "E-mail"}, item_id="plan_item"),
    r(DELETE, "/programs/{code}/stakeholders/{stakeholder_id}/plan/{item_id}",
      write(204, PM_ONLY, TEAM_SIDE), item_id="plan_item"),
    # feedback: every member gives it; triage by the program manager or the component's
    # manager; verifying is the submitter's (the stakeholder's) own word
    r(GET, "/programs/{code}/feedback", read()),
    r(POST, "/programs/{code}/feedback", write(201, MEMBERS), {"text": "Signs are unclear"}),
    r(POST, "/programs/{code}/feedback/upload", write(201, MEMBERS),
      {"text": "See the photo", "attachment": ("photo.pdf", b"%PDF-1.4 photo")}, upload=True),
    r(GET, "/feedback/{item_id}", read(), item_id="fb"),
    r(POST, "/feedback/{item_id}/acknowledge", write(200, PM_OR_CM), {}, item_id="fb"),
    r(POST, "/feedback/{item_id}/plan", write(200, PM_OR_CM),
      {"note": "Next week", "actions": ["{fb_action}"]},
      item_id="fb", prepare="fb_acknowledged"),
    r(POST, "/feedback/{item_id}/implement", write(200, PM_OR_CM),
      {"note": "Done", "explicit": True},
      item_id="fb", prepare="fb_planned"),
    r(POST, "/feedback/{item_id}/verify", by_named(200, SH), {}, item_id="fb",
      prepare="fb_implemented"),
    r(POST, "/feedback/{item_id}/not-fixed", by_named(200, SH), {"note": "Still broken"},
      item_id="fb", prepare="fb_implemented"),
    r(POST, "/feedback/{item_id}/close", write(200, PM_OR_CM), {}, item_id="fb",
      prepare="fb_verified"),
    r(POST, "/feedback/{item_id}/decline", write(200, PM_OR_CM), {"reason": "Out of scope"},
      item_id="fb"),
    r(PUT, "/feedback/{item_id}/actions/{action_id}", write(200, PM_OR_CM),
      item_id="fb", action_id="fb_action"),
    r(DELETE, "/feedback/{item_id}/actions/{action_id}", write(200, PM_OR_CM),
      item_id="fb", action_id="fb_action", prepare="fb_linked"),
    r(POST, "/programs/{code}/feedback/import", write(201, PM_ONLY), FEEDBACK_CSV, upload=True),
    r(GET, "/programs/{code}/feedback-actions", read(readers=TEAM_SIDE)),
    r(POST, "/programs/{code}/feedback-actions", write(201, PM_OR_CM, TEAM_SIDE),
      {"title": "Print signs", "component": "C1"}),
    r(GET, "/feedback-actions/{action_id}", read(readers=TEAM_SIDE), action_id="fb_action"),
    r(PATCH, "/feedback-actions/{action_id}", write(200, PM_OR_CM, TEAM_SIDE),
      {"title": "Renamed"}, action_id="fb_action"),
    r(DELETE, "/feedback-actions/{action_id}", write(204, PM_OR_CM, TEAM_SIDE),
      action_id="fb_action"),
    r(GET, "/programs/{code}/feedback-target", read()),
    r(PUT, "/programs/{code}/feedback-target", write(200, PM_ONLY), {"close_days": 30}),
    r(GET, "/programs/{code}/feedback/monitoring", read(readers=TEAM_SIDE, refused=403)),
    r(GET, "/programs/{code}/feedback/reports", read()),
    r(GET, "/programs/{code}/feedback/reports/{period}", read(readers=TEAM_SIDE)),
    r(POST, "/programs/{code}/feedback/reports/{period}/publish", write(201, PM_ONLY),
      {"summary": "We listened."}),
    # governance: hidden from stakeholders (the viewer sits on the board here)
    r(GET, "/programs/{code}/gates", read(readers=TEAM_SIDE)),
    r(GET, "/programs/{code}/gate-reviews", read(readers=TEAM_SIDE)),
    r(POST, "/programs/{code}/gate-reviews", write(201, PM_OR_CM, TEAM_SIDE),
      {"component": "C1"}),
    r(GET, "/gate-reviews/{review_id}", read(readers=TEAM_SIDE)),
    r(GET, "/gate-reviews/{review_id}/criteria", read(readers=TEAM_SIDE)),
    r(POST, "/gate-reviews/{review_id}/evidence", write(201, frozenset({PM, VW}), TEAM_SIDE),
      {"criterion": "{criterion_key}", "text": "Signed charter"}),
    r(POST, "/gate-reviews/{review_id}/evidence-file", write(201, frozenset({PM, VW}), TEAM_SIDE),
      {"criterion": "{criterion_key}", "file": PDF}, upload=True),
    r(POST, "/gate-evidence/{evidence_id}/check", write(200, frozenset({PM, VW}), TEAM_SIDE),
      evidence_id="gate_evidence"),
    r(POST, "/gate-reviews/{review_id}/recommendations",
      write(200, frozenset({VW}), TEAM_SIDE, admin=403), {"outcome": "go"}),
    r(POST, "/gate-reviews/{review_id}/decision", write(201, PM_ONLY, TEAM_SIDE),
      {"outcome": "hold", "rationale": "Not ready yet"}),
    r(POST, "/gate-reviews/{review_id}/cancel", write(200, PM_ONLY, TEAM_SIDE),
      {"outcome": "cancelled", "rationale": "Wrong gate"}),
    r(GET, "/programs/{code}/decisions", read(readers=TEAM_SIDE)),
    r(GET, "/decisions/{decision_id}", read(readers=TEAM_SIDE)),
    r(POST, "/decisions/{decision_id}/corrections", write(201, PM_ONLY, TEAM_SIDE),
      {"outcome": "rejected", "rationale": "Recorded wrongly"}),
    r(GET, "/programs/{code}/board", read(readers=TEAM_SIDE)),
    r(POST, "/programs/{code}/board", write(201, PM_ONLY, TEAM_SIDE), {"user": "{joiner}"},
      prepare="joiner_member"),
    r(DELETE, "/programs/{code}/board/{username}", write(204, PM_ONLY, TEAM_SIDE)),
    r(GET, "/programs/{code}/components/{component}/authorization", read(readers=TEAM_SIDE),
      component="ccode2"),
    r(PUT, "/programs/{code}/components/{component}/authorization",
      write(200, PM_ONLY, TEAM_SIDE), {"business_case": "It pays back in two years."},
      component="ccode2"),
    r(GET, "/programs/{code}/gate-criteria", read(readers=TEAM_SIDE)),
    r(POST, "/programs/{code}/gate-criteria", write(201, PM_ONLY, TEAM_SIDE),
      {"gate": "component:proposed:authorized", "kind": "manual", "label": "Risk workshop"}),
    r(DELETE, "/gate-criteria/{criterion_id}", write(204, PM_ONLY, TEAM_SIDE)),
    # change requests: hidden from stakeholders; managers raise, the program manager decides
    r(GET, "/programs/{code}/change-requests", read(readers=TEAM_SIDE)),
    r(POST, "/programs/{code}/change-requests", write(201, PM_OR_CM, TEAM_SIDE),
      {"title": "More beds", "components": ["C1"]}),
    r(GET, "/programs/{code}/change-requests/pending", read(readers=TEAM_SIDE)),
    r(GET, "/change-requests/{cr_id}", read(readers=TEAM_SIDE)),
    r(PATCH, "/change-requests/{cr_id}", write(200, PM_OR_CM, TEAM_SIDE), {"title": "Renamed"}),
    r(DELETE, "/change-requests/{cr_id}", write(204, PM_OR_CM, TEAM_SIDE)),
    r(POST, "/change-requests/{cr_id}/lines", write(201, PM_OR_CM, TEAM_SIDE),
      {"kind": "duration", "activity": "{act_c}", "new_duration_days": "2"}),
    r(PATCH, "/change-lines/{line_id}", write(200, PM_OR_CM, TEAM_SIDE),
      {"new_duration_days": "6"}, line_id="cr_line"),
    r(DELETE, "/change-lines/{line_id}", write(204, PM_OR_CM, TEAM_SIDE), line_id="cr_line"),
    r(POST, "/change-requests/{cr_id}/submit", write(200, PM_OR_CM, TEAM_SIDE), {}),
    r(POST, "/change-requests/{cr_id}/withdraw", write(200, PM_OR_CM, TEAM_SIDE),
      {"reason": "Not needed"}, cr_id="submitted"),
    r(POST, "/change-requests/{cr_id}/approve", write(200, PM_ONLY, TEAM_SIDE),
      {"rationale": "Worth it"}, cr_id="submitted"),
    r(POST, "/change-requests/{cr_id}/reject", write(200, PM_ONLY, TEAM_SIDE),
      {"rationale": "Too dear"}, cr_id="submitted"),
    r(GET, "/change-requests/{cr_id}/impact", read(readers=TEAM_SIDE), cr_id="submitted"),
    # lessons: members read; contributors record and vote; managers accept and hold sessions
    r(GET, "/lessons/{lesson_id}", read()),
    r(PATCH, "/lessons/{lesson_id}", write(200, PM_OR_CM), {"title": "Renamed"}),
    r(GET, "/programs/{code}/lessons", read()),
    r(POST, "/programs/{code}/lessons", write(201, CONTRIBUTORS), {"title": "Book cranes early"}),
    r(POST, "/lessons/{lesson_id}/vote", write(200, CONTRIBUTORS)),
    r(DELETE, "/lessons/{lesson_id}/vote", read(), prepare="voted"),  # one's own vote
    r(POST, "/lessons/{lesson_id}/accept", write(200, PM_OR_CM)),
    r(POST, "/lessons/{lesson_id}/applied", write(200, PM_OR_CM), {"program": "{code}"},
      prepare="lesson_accepted"),
    r(GET, "/programs/{code}/lesson-sessions", read()),
    r(POST, "/programs/{code}/lesson-sessions", write(201, PM_OR_CM), {"kind": "periodic"}),
    r(GET, "/programs/{code}/lesson-sessions/suggested", read()),
    r(GET, "/lesson-sessions/{session_id}", read()),
    r(POST, "/lesson-sessions/{session_id}/hold", write(200, PM_OR_CM),
      {"held_on": "2026-11-20", "notes": "Held."}),
    # reports, dashboard, exports: every member, each seeing their own version
    r(GET, "/programs/{code}/status-report", read()),
    r(GET, "/programs/{code}/status-report.pdf", read()),
    r(GET, "/programs/{code}/status-report/subscription", read()),
    r(PUT, "/programs/{code}/status-report/subscription", write(200, MEMBERS),
      {"subscribed": True}),
    r(GET, "/programs/{code}/calendar-feed", read()),
    r(POST, "/programs/{code}/calendar-feed", write(200, MEMBERS)),
    r(GET, "/programs/{code}/dashboard", read()),
    r(GET, "/programs/{code}/register-exports", read()),
    r(GET, "/programs/{code}/exports/{key}.xlsx", read()),
    # my work: one's own week; timesheets decided by the program and component managers
    r(GET, "/my/timesheets/{week}", personal(other=200)),
    # hours only on one's own assignments (the team member's): seeing the activity is not
    # enough (403), another program's activity is missing (404), even for administrators
    r(PUT, "/my/timesheets/{week}", write(200, frozenset({TM}), admin=403),
      {"entries": [{"activity": "{act}", "date": "{week}", "hours": "2"}]}),
    r(POST, "/my/timesheets/{week}/submit", with_hours(200, TM), {}),
    r(GET, "/programs/{code}/timesheets", read(readers=PM_OR_CM, refused=403)),
    r(GET, "/programs/{code}/timesheets/{pk}", read(readers=SHEET_READERS),
      prepare="week_submitted"),
    r(POST, "/programs/{code}/timesheets/{pk}/approve", write(200, PM_OR_CM, SHEET_READERS),
      {}, prepare="week_submitted"),
    r(POST, "/programs/{code}/timesheets/{pk}/reject", write(200, PM_OR_CM, SHEET_READERS),
      {"reason": "Wrong week"}, prepare="week_submitted"),
    # component updates: filed by the component's or program manager; drafts hidden from
    # the other members; the program manager reopens
    r(GET, "/programs/{code}/updates", read()),
    r(POST, "/programs/{code}/updates", write(201, PM_OR_CM),
      {"component": "C1", "period": "{last_week}"}),
    r(GET, "/programs/{code}/updates/prefill", write(200, PM_OR_CM), query="?component=C1"),
    r(GET, "/programs/{code}/updates/overview", read()),
    r(GET, "/updates/{update_id}", read(readers=PM_OR_CM)),
    r(PATCH, "/updates/{update_id}", write(200, PM_OR_CM, PM_OR_CM), {"blockers": "None"}),
    r(POST, "/updates/{update_id}/submit", write(200, PM_OR_CM, PM_OR_CM), {}),
    r(POST, "/updates/{update_id}/reopen", write(200, PM_ONLY), {"note": "Fix the dates"},
      prepare="update_submitted"),
    # discussions (a thread on a risk, a comment by the component manager): readers of the
    # object read; everyone but viewers writes; authors edit, the program manager removes
    r(GET, "/programs/{code}/discussions/{kind}/{object_id}/comments", read()),
    r(POST, "/programs/{code}/discussions/{kind}/{object_id}/comments",
      write(201, NOT_VIEWER), {"body": "Agreed."}),
    r(POST, "/programs/{code}/discussions/{kind}/{object_id}/comments/upload",
      write(201, NOT_VIEWER), {"body": "See file", "attachment": ("a.txt", b"text")},
      upload=True),
    r(PATCH, "/programs/{code}/discussions/{kind}/{object_id}/comments/{comment_id}",
      write(200, frozenset({CM}), admin=403), {"body": "Edited."}),
    r(DELETE, "/programs/{code}/discussions/{kind}/{object_id}/comments/{comment_id}",
      write(204, PM_OR_CM)),
    r(GET, "/programs/{code}/discussions/attachments/{attachment_id}", read()),
    r(GET, "/programs/{code}/activity", read()),
    # meetings (a coordination meeting organised by the program manager; the component
    # manager and the team member invited): stakeholders who are not invited get 404
    r(GET, "/programs/{code}/meetings", read()),
    r(POST, "/programs/{code}/meetings", write(201, PM_OR_CM),
      {"kind": "coordination", "title": "Sync", "starts_at": "2030-01-07T10:00:00Z"}),
    r(GET, "/meetings/{meeting_id}", read(readers=TEAM_SIDE)),
    r(PATCH, "/meetings/{meeting_id}", write(200, PM_ONLY, TEAM_SIDE), {"location": "Room 2"}),
    r(DELETE, "/meetings/{meeting_id}", write(204, PM_ONLY, TEAM_SIDE)),
    r(POST, "/meetings/{meeting_id}/cancel", write(200, PM_ONLY, TEAM_SIDE)),
    r(POST, "/meetings/{meeting_id}/hold", write(200, PM_ONLY, TEAM_SIDE), {"minutes": "Done."}),
    r(POST, "/meetings/{meeting_id}/next", write(201, PM_ONLY, TEAM_SIDE), {}),
    r(GET, "/meetings/{meeting_id}/invite.ics", read(readers=TEAM_SIDE)),
    r(GET, "/meetings/{meeting_id}/attendees", read(readers=TEAM_SIDE)),
    r(POST, "/meetings/{meeting_id}/attendees", write(201, PM_ONLY, TEAM_SIDE),
      {"name": "Guest", "email": "guest@example.org"}),
    r(PATCH, "/meeting-attendees/{attendee_id}", write(200, PM_ONLY, TEAM_SIDE),
      {"required": False}),
    r(DELETE, "/meeting-attendees/{attendee_id}", write(204, PM_ONLY, TEAM_SIDE)),
    r(GET, "/meetings/{meeting_id}/agenda", read(readers=TEAM_SIDE)),
    r(POST, "/meetings/{meeting_id}/agenda", write(201, PM_ONLY, TEAM_SIDE), {"title": "Budget"}),
    r(POST, "/meetings/{meeting_id}/agenda/prefill", write(201, PM_ONLY, TEAM_SIDE),
      meeting_id="board_meeting"),
    r(PATCH, "/agenda-items/{item_id}", write(200, PM_ONLY, TEAM_SIDE), {"notes": "Short"},
      item_id="agenda"),
    r(DELETE, "/agenda-items/{item_id}", write(204, PM_ONLY, TEAM_SIDE), item_id="agenda"),
    r(GET, "/meetings/{meeting_id}/decisions", read(readers=TEAM_SIDE)),
    r(POST, "/meetings/{meeting_id}/decisions", write(201, PM_ONLY, TEAM_SIDE),
      {"rationale": "Go ahead"}),
    r(GET, "/programs/{code}/meeting-actions", read()),
    r(GET, "/meetings/{meeting_id}/actions", read(readers=TEAM_SIDE)),
    r(POST, "/meetings/{meeting_id}/actions", write(201, PM_ONLY, TEAM_SIDE),
      {"title": "Order signs", "owner": "{cm_username}"}),
    r(PATCH, "/meeting-actions/{action_id}", write(200, PM_OR_CM, TEAM_SIDE), {"status": "done"},
      action_id="meeting_action"),
    r(DELETE, "/meeting-actions/{action_id}", write(204, PM_ONLY, TEAM_SIDE),
      action_id="meeting_action"),
]  # fmt: skip

# Mutating operations without a path parameter: not in the matrix (no program column),
# but the audit test calls them too, with these bodies (as an administrator).
UNSCOPED_WRITES: dict[tuple[str, str], Any] = {
    ("POST", "/users"): {"username": "newcomer", "password": "correct-horse-battery-9"},
    ("POST", "/programs"): {"code": "GAMMA", "name": "Gamma"},
    ("POST", "/pool/resources"): {"code": "WELD2", "name": "Second welder"},
    ("POST", "/notifications/read-all"): None,
    ("PUT", "/notifications/preferences"): {"feedback": "daily"},
}
