"""API endpoints of governance: gates, gate reviews (open, evaluate, evidence,
recommendations, decide), the decision log (read and correct — never edit), the board and
component authorizations.

Who sees what follows :mod:`podium.governance.access`: stakeholders who are not on the
board and non-members get 404; team members and viewers read; writes they may not make
answer 403. Decisions are immutable: there is no PUT, PATCH or DELETE on them (405),
corrections are new decisions (``POST /decisions/{id}/corrections``).
"""

from typing import Any

from django.http import HttpResponse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from podium.accounts.models import User
from podium.benefits.models import Benefit
from podium.core.api import WRITE_ERRORS, ErrorOut, Pages, set_etag
from podium.core.errors import NotFound, ValidationFailed
from podium.core.views import AuthedRequest
from podium.governance import access, selectors, services
from podium.governance.models import BoardMember, CriterionEvidence, GateReview
from podium.governance.schemas import (
    AuthorizationIn,
    AuthorizationOut,
    BoardMemberIn,
    BoardMemberOut,
    CorrectionIn,
    CriterionOut,
    DecisionIn,
    DecisionOut,
    EvidenceIn,
    EvidenceOut,
    GateOut,
    RecommendationIn,
    ReviewIn,
    ReviewOut,
)
from podium.programs.models import Component, Program
from podium.programs.permissions import can_see_costs

__all__ = ["router"]

router = Router(tags=["governance"])

ERRORS = WRITE_ERRORS
READ_ERRORS: dict[int, type[Schema]] = {404: ErrorOut}


def _user(username: str | None, field: str) -> User | None:
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationFailed({field: [f"No user named {username!r}."]})
    return user


def _component(program: Program, code: str) -> Component:
    component = program.components.filter(code=(code or "").strip().upper()).first()
    if component is None:
        raise ValidationFailed({"component": [f"{program.code} has no component {code!r}."]})
    return component


def _review(request: AuthedRequest, review_id: int) -> GateReview:
    return selectors.get_review_for(request.user, review_id)


def _review_out(response: HttpResponse, review: GateReview) -> GateReview:
    fresh = selectors.get_review(review.program, review.pk)
    set_etag(response, fresh)
    return fresh


# -- gates and reviews --------------------------------------------------------------------


@router.get("/programs/{code}/gates", response={200: list[GateOut], **READ_ERRORS})
def list_gates(request: AuthedRequest, code: str) -> Any:
    """The program's next gate and each component's, with the open review if any."""
    program = selectors.governed_program(request.user, code)
    return [
        {
            "subject": row.label,
            "component": row.component.code if row.component else None,
            "state": row.state,
            "next_from": row.gate[0] if row.gate else None,
            "next_to": row.gate[1] if row.gate else None,
            "open_review": row.review.pk if row.review else None,
        }
        for row in selectors.gates_overview(program)
    ]


@router.get("/programs/{code}/gate-reviews", response=list[ReviewOut])
@paginate(Pages, page_size=50)
def list_gate_reviews(request: AuthedRequest, code: str, status: str = "") -> Any:
    program = selectors.governed_program(request.user, code)
    return selectors.review_list(program, status=status).prefetch_related(
        "evidence", "conditions__owner"
    )


@router.post("/programs/{code}/gate-reviews", response={201: ReviewOut, **ERRORS})
def open_gate_review(
    request: AuthedRequest, code: str, payload: ReviewIn, response: HttpResponse
) -> Any:
    """Open the review of the next gate of the program, or of ``component``."""
    program = selectors.governed_program(request.user, code)
    component = _component(program, payload.component) if payload.component else None
    review = services.open_review(
        actor=request.user, program=program, component=component, notes=payload.notes
    )
    return Status(201, _review_out(response, review))


@router.get("/gate-reviews/{review_id}", response={200: ReviewOut, **READ_ERRORS})
def get_gate_review(request: AuthedRequest, review_id: int, response: HttpResponse) -> Any:
    review = _review(request, review_id)
    set_etag(response, review)
    return review


@router.get("/gate-reviews/{review_id}/criteria", response={200: list[CriterionOut], **READ_ERRORS})
def evaluate_gate_review(request: AuthedRequest, review_id: int) -> Any:
    """Each criterion evaluated now (after the decision: as it stood at the decision)."""
    review = _review(request, review_id)
    if review.decision_id is not None:
        return review.evaluation
    return [r.as_dict() for r in services.evaluate_review(review)]


@router.post("/gate-reviews/{review_id}/evidence", response={201: EvidenceOut, **ERRORS})
def add_gate_evidence(request: AuthedRequest, review_id: int, payload: EvidenceIn) -> Any:
    """Text evidence for a manual criterion (``/evidence-file`` takes a file)."""
    review = _review(request, review_id)
    item = services.add_evidence(
        actor=request.user, review=review, criterion_key=payload.criterion, text=payload.text
    )
    return Status(201, item)


@router.post("/gate-reviews/{review_id}/evidence-file", response={201: EvidenceOut, **ERRORS})
def add_gate_evidence_file(
    request: AuthedRequest,
    review_id: int,
    criterion: Form[str],
    file: File[UploadedFile],
    text: Form[str] = "",
) -> Any:
    review = _review(request, review_id)
    item = services.add_evidence(
        actor=request.user, review=review, criterion_key=criterion, text=text, file=file
    )
    return Status(201, item)


@router.post("/gate-evidence/{evidence_id}/check", response={200: EvidenceOut, **ERRORS})
def check_gate_evidence(request: AuthedRequest, evidence_id: int) -> Any:
    """A reviewer confirms the evidence; its manual criterion turns green."""
    item = CriterionEvidence.objects.select_related("review__program").filter(pk=evidence_id)
    found = item.first()
    if found is None or not access.can_see(request.user, found.review.program):
        raise NotFound(f"No evidence {evidence_id}.")
    return services.check_evidence(actor=request.user, evidence=found)


@router.post("/gate-reviews/{review_id}/recommendations", response={200: ReviewOut, **ERRORS})
def recommend_on_gate(
    request: AuthedRequest, review_id: int, payload: RecommendationIn, response: HttpResponse
) -> Any:
    review = _review(request, review_id)
    services.recommend(
        actor=request.user, review=review, outcome=payload.outcome, comment=payload.comment
    )
    return _review_out(response, review)


@router.post("/gate-reviews/{review_id}/decision", response={201: DecisionOut, **ERRORS})
def decide_gate(request: AuthedRequest, review_id: int, payload: DecisionIn) -> Any:
    """The chair's decision. Go is refused (409) while a criterion is red, naming it."""
    review = _review(request, review_id)
    conditions = [
        services.ConditionInput(c.title, _user(c.owner, "conditions"), c.due_date)
        for c in payload.conditions
    ]
    decision = services.decide(
        actor=request.user, review=review, outcome=payload.outcome,
        rationale=payload.rationale, conditions=conditions,
    )  # fmt: skip
    return Status(201, selectors.decision_list(review.program).get(pk=decision.pk))


@router.post("/gate-reviews/{review_id}/cancel", response={200: ReviewOut, **ERRORS})
def cancel_gate_review(
    request: AuthedRequest, review_id: int, payload: CorrectionIn, response: HttpResponse
) -> Any:
    review = _review(request, review_id)
    services.cancel_review(actor=request.user, review=review, reason=payload.rationale)
    return _review_out(response, review)


# -- decisions ------------------------------------------------------------------------------


@router.get("/programs/{code}/decisions", response=list[DecisionOut])
@paginate(Pages, page_size=50)
def list_decisions(request: AuthedRequest, code: str, kind: str = "", outcome: str = "") -> Any:
    program = selectors.governed_program(request.user, code)
    return selectors.decision_list(program, kind=kind, outcome=outcome)


@router.get("/decisions/{decision_id}", response={200: DecisionOut, **READ_ERRORS})
def get_decision(request: AuthedRequest, decision_id: int) -> Any:
    return selectors.get_decision_for(request.user, decision_id)


@router.post("/decisions/{decision_id}/corrections", response={201: DecisionOut, **ERRORS})
def correct_decision(request: AuthedRequest, decision_id: int, payload: CorrectionIn) -> Any:
    """Record a decision that corrects this one (which stays unchanged)."""
    decision = selectors.get_decision_for(request.user, decision_id)
    correction = services.correct_decision(
        request.user, decision, payload.outcome, payload.rationale
    )
    return Status(201, selectors.decision_list(decision.program).get(pk=correction.pk))


# -- the board ------------------------------------------------------------------------------


@router.get("/programs/{code}/board", response={200: list[BoardMemberOut], **READ_ERRORS})
def list_board_members(request: AuthedRequest, code: str) -> Any:
    program = selectors.governed_program(request.user, code)
    return list(selectors.board(program))


@router.post("/programs/{code}/board", response={201: BoardMemberOut, **ERRORS})
def add_board_member(request: AuthedRequest, code: str, payload: BoardMemberIn) -> Any:
    """Add a member (or change a member's board role: ``chair`` or ``member``)."""
    program = selectors.governed_program(request.user, code)
    user = _user(payload.user, "user")
    if user is None:
        raise ValidationFailed({"user": ["Name the user."]})
    member = services.add_board_member(
        actor=request.user, program=program, user=user, role=payload.role
    )
    return Status(201, member)


@router.delete("/programs/{code}/board/{username}", response={204: None, **ERRORS})
def remove_board_member(request: AuthedRequest, code: str, username: str) -> Any:
    program = selectors.governed_program(request.user, code)
    member = BoardMember.objects.filter(program=program, user__username=username).first()
    if member is None:
        raise ValidationFailed({"user": [f"{username} is not on the board."]})
    services.remove_board_member(actor=request.user, member=member)
    return Status(204, None)


# -- component authorization ----------------------------------------------------------------


def _authorization_out(user: Any, component: Component) -> Any:
    auth = selectors.authorization_of(component)
    if auth is None:
        return None
    data: dict[str, Any] = {
        "component": component.code, "business_case": auth.business_case,
        "expected_benefits": sorted(b.code for b in auth.expected_benefits.all()),
        "planned_start": auth.planned_start, "planned_finish": auth.planned_finish,
        "decision": auth.decision.number if auth.decision is not None else None,
    }  # fmt: skip
    if can_see_costs(user, component.program):  # the others get no initial budget key
        data["initial_budget"] = auth.initial_budget
    return data


@router.get(
    "/programs/{code}/components/{component}/authorization",
    response={200: AuthorizationOut | None, **READ_ERRORS},
    exclude_unset=True,
)
def get_authorization(request: AuthedRequest, code: str, component: str) -> Any:
    """The component's authorization request (the initial budget only for who sees costs)."""
    program = selectors.governed_program(request.user, code)
    return _authorization_out(request.user, _component(program, component))


@router.put(
    "/programs/{code}/components/{component}/authorization",
    response={200: AuthorizationOut, **ERRORS},
    exclude_unset=True,
)
def save_authorization(
    request: AuthedRequest, code: str, component: str, payload: AuthorizationIn
) -> Any:
    program = selectors.governed_program(request.user, code)
    comp = _component(program, component)
    codes = [c.strip().upper() for c in payload.expected_benefits]
    benefits = list(Benefit.objects.filter(program=program, code__in=codes))
    unknown = sorted(set(codes) - {b.code for b in benefits})
    if unknown:
        raise ValidationFailed(
            {"expected_benefits": [f"{program.code} has no benefit {', '.join(unknown)}."]}
        )
    services.save_authorization(
        actor=request.user, component=comp, business_case=payload.business_case,
        expected_benefits=benefits, initial_budget=payload.initial_budget,
        planned_start=payload.planned_start, planned_finish=payload.planned_finish,
    )  # fmt: skip
    return _authorization_out(request.user, comp)


# The gate template's criteria (kept apart: governance/api_criteria.py).
from podium.governance.api_criteria import router as _criteria_router  # noqa: E402

router.add_router("", _criteria_router)
