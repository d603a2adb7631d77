"""Pages of governance: the gates overview, a gate review (criteria green or red with the
evidence that decides each, manual evidence, recommendations, the decision form), the
decision log with corrections, the board and a component's authorization request."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from podium.core.errors import REFUSALS, NotFound, PermissionDenied, ValidationFailed
from podium.core.views import AuthedRequest, add_form_errors, page, paginate_qs
from podium.governance import access, selectors, services
from podium.governance.forms import (
    AuthorizationForm,
    BoardMemberForm,
    CancelForm,
    CorrectionForm,
    DecisionFilter,
    DecisionForm,
    EvidenceForm,
    RecommendationForm,
)
from podium.governance.models import (
    BoardMember,
    CriterionKind,
    GateCondition,
    GateReview,
    ReviewStatus,
)
from podium.programs.models import Component, ComponentStatus, Program
from podium.programs.permissions import can_see_costs, get_component


def _component_from(request: AuthedRequest, program: Program) -> Component | None:
    raw = request.POST.get("component", "")
    if not raw.isdigit():
        return None
    return get_component(request.user, int(raw), program)


# -- gates overview --------------------------------------------------------------------


@login_required
@page
def gates(request: AuthedRequest, code: str) -> HttpResponse:
    program = selectors.governed_program(request.user, code)
    rows = selectors.gates_overview(program)
    context = {
        "program": program,
        "rows": rows,
        "can_prepare": {
            row.label: access.can_prepare(request.user, program, row.component) for row in rows
        },
        "conditions": selectors.conditions(program, open_only=True),
        "board": selectors.board(program),
        "recent": selectors.review_list(program).exclude(status=ReviewStatus.OPEN)[:10],
    }
    return render(request, "governance/gates.html", context)


@login_required
@require_POST
@page
def review_open(request: AuthedRequest, code: str) -> HttpResponse:
    program = selectors.governed_program(request.user, code)
    component = _component_from(request, program)
    try:
        review = services.open_review(actor=request.user, program=program, component=component)
    except REFUSALS as exc:
        messages.error(request, exc.message)
        return redirect("governance:gates", code=code)
    return redirect("governance:review", code=code, pk=review.pk)


# -- a gate review ---------------------------------------------------------------------


def _review_context(
    request: AuthedRequest, program: Program, review: GateReview, **forms: Any
) -> dict[str, Any]:
    user = request.user
    is_open = review.status == ReviewStatus.OPEN
    if is_open:
        results: list[Any] = services.evaluate_review(review)
    else:
        results = [services.CriterionResult(**r) for r in review.evaluation]
    criteria = services.criteria_of(
        program, review.subject_kind, review.from_state, review.to_state
    )
    manual = [(c.key, c.label) for c in criteria if c.kind == CriterionKind.MANUAL]
    evidence = list(review.evidence.all())
    prepare = access.can_prepare(user, program, review.component)
    may_add = is_open and bool(manual) and (prepare or access.is_board_member(user, program))
    decide = is_open and access.can_decide(user, program)
    authorization = None
    if review.component is not None and review.to_state == ComponentStatus.AUTHORIZED:
        authorization = selectors.authorization_of(review.component)
    return {
        "program": program,
        "review": review,
        "results": results,
        "red": [r for r in results if not r.passed],
        "evidence_by_key": {
            key: [e for e in evidence if e.criterion_key == key] for key, _ in manual
        },
        "manual_labels": dict(manual),
        "can_check": is_open and access.can_check_evidence(user, program),
        "can_prepare": is_open and prepare,
        "evidence_form": forms.get("evidence_form")
        or (EvidenceForm(manual=manual) if may_add else None),
        "recommend_form": forms.get("recommend_form")
        or (RecommendationForm() if is_open and access.can_recommend(user, program) else None),
        "decision_form": forms.get("decision_form")
        or (DecisionForm(program=program) if decide else None),
        "cancel_form": CancelForm() if is_open and prepare else None,
        "recommendations": list(review.recommendations.all()),
        "conditions": list(review.conditions.all()),
        "authorization": authorization,
        "show_budget": can_see_costs(user, program),
    }


def _review_page(
    request: AuthedRequest, program: Program, review: GateReview, status: int = 200, **forms: Any
) -> HttpResponse:
    context = _review_context(request, program, review, **forms)
    return render(request, "governance/review.html", context, status=status)


@login_required
@page
def review_detail(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = selectors.governed_program(request.user, code)
    return _review_page(request, program, selectors.get_review(program, pk))


@login_required
@require_POST
@page
def evidence_add(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = selectors.governed_program(request.user, code)
    review = selectors.get_review(program, pk)
    criteria = services.criteria_of(
        program, review.subject_kind, review.from_state, review.to_state
    )
    manual = [(c.key, c.label) for c in criteria if c.kind == CriterionKind.MANUAL]
    form = EvidenceForm(request.POST, request.FILES, manual=manual)
    if form.is_valid():
        try:
            services.add_evidence(
                actor=request.user, review=review, criterion_key=form.cleaned_data["criterion"],
                text=form.cleaned_data["text"], file=form.cleaned_data["file"],
            )  # fmt: skip
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        except REFUSALS as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Evidence attached; a reviewer checks it next.")
            return redirect("governance:review", code=code, pk=pk)
    return _review_page(request, program, review, status=422, evidence_form=form)


@login_required
@require_POST
@page
def evidence_check(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = selectors.governed_program(request.user, code)
    item = selectors.get_evidence(program, pk)
    try:
        services.check_evidence(actor=request.user, evidence=item)
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Evidence checked.")
    return redirect("governance:review", code=code, pk=item.review_id)


@login_required
@page
def evidence_file(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    """Download an evidence file (at most 20 MB, read whole) as an attachment."""
    program = selectors.governed_program(request.user, code)
    item = selectors.get_evidence(program, pk)
    if not item.file:
        raise NotFound(f"Evidence {pk} has no file.")
    with item.file.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type="application/octet-stream")
    filename = item.file.name.rsplit("/", 1)[-1].replace('"', "")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
@page
def review_recommend(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = selectors.governed_program(request.user, code)
    review = selectors.get_review(program, pk)
    form = RecommendationForm(request.POST)
    if form.is_valid():
        try:
            services.recommend(actor=request.user, review=review, **form.cleaned_data)
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        except REFUSALS as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Recommendation recorded.")
            return redirect("governance:review", code=code, pk=pk)
    return _review_page(request, program, review, status=422, recommend_form=form)


@login_required
@require_POST
@page
def review_decide(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = selectors.governed_program(request.user, code)
    review = selectors.get_review(program, pk)
    if not access.can_decide(request.user, program):
        raise PermissionDenied("Only the board's chair (or the program manager) decides.")
    form = DecisionForm(request.POST, program=program)
    if form.is_valid():
        try:
            decision = services.decide(
                actor=request.user, review=review, outcome=form.cleaned_data["outcome"],
                rationale=form.cleaned_data["rationale"],
                conditions=form.cleaned_data["conditions"],
            )  # fmt: skip
        except ValidationFailed as exc:
            add_form_errors(form, exc)
        except REFUSALS as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, f"Decision #{decision.number} recorded: {decision.get_outcome_display()}."
            )
            return redirect("governance:review", code=code, pk=pk)
    review = selectors.get_review(program, pk)
    return _review_page(request, program, review, status=422, decision_form=form)


@login_required
@require_POST
@page
def review_cancel(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = selectors.governed_program(request.user, code)
    review = selectors.get_review(program, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the review is cancelled.")
        return redirect("governance:review", code=code, pk=pk)
    try:
        services.cancel_review(
            actor=request.user, review=review, reason=form.cleaned_data["reason"]
        )
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Review cancelled.")
    return redirect("governance:review", code=code, pk=pk)


@login_required
@require_POST
@page
def condition_done(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = selectors.governed_program(request.user, code)
    condition = GateCondition.objects.filter(program=program, pk=pk).first()
    if condition is None:
        raise NotFound(f"No condition {pk}.")
    try:
        services.complete_condition(actor=request.user, condition=condition)
    except REFUSALS as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Condition “{condition.title}” done.")
    return redirect("governance:gates", code=code)


# -- decision log ----------------------------------------------------------------------


@login_required
@page
def decisions(request: AuthedRequest, code: str) -> HttpResponse:
    program = selectors.governed_program(request.user, code)
    filters = DecisionFilter(request.GET or None)
    kind = filters.cleaned_data["kind"] if filters.is_valid() else ""
    page_obj = paginate_qs(request, selectors.decision_list(program, kind=kind), 25)
    return render(
        request,
        "governance/decisions.html",
        {
            "program": program,
            "page_obj": page_obj,
            "filter_form": filters if request.GET else DecisionFilter(),
            "filters": {"kind": kind},
            "can_correct": access.can_decide(request.user, program),
        },
    )


@login_required
@page
def decision_detail(request: AuthedRequest, code: str, number: int) -> HttpResponse:
    program = selectors.governed_program(request.user, code)
    decision = selectors.get_decision(program, number)
    form = None
    can_correct = access.can_decide(request.user, program) and not decision.corrections.exists()
    if can_correct:
        form = CorrectionForm(request.POST or None, kind=decision.kind)
        if request.method == "POST" and form.is_valid():
            try:
                correction = services.correct_decision(
                    request.user, decision, form.cleaned_data["outcome"],
                    form.cleaned_data["rationale"],
                )  # fmt: skip
            except ValidationFailed as exc:
                add_form_errors(form, exc)
            except REFUSALS as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request, f"Decision #{correction.number} corrects #{decision.number}."
                )
                return redirect("governance:decision", code=code, number=correction.number)
    elif request.method == "POST":
        raise PermissionDenied("Only the board's chair (or the program manager) corrects.")
    return render(
        request,
        "governance/decision.html",
        {
            "program": program,
            "decision": decision,
            "reviews": list(decision.gate_reviews.select_related("component")),
            "corrections": list(decision.corrections.order_by("number")),
            "form": form,
        },
    )


# -- board -----------------------------------------------------------------------------


@login_required
@page
def board(request: AuthedRequest, code: str) -> HttpResponse:
    program = selectors.governed_program(request.user, code)
    manage = access.can_manage_board(request.user, program)
    form = BoardMemberForm(request.POST or None, program=program) if manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Only the program manager manages the governance board.")
        if form.is_valid():
            try:
                services.add_board_member(actor=request.user, program=program,
                                          **form.cleaned_data)  # fmt: skip
            except ValidationFailed as exc:
                add_form_errors(form, exc)
            except REFUSALS as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "Board updated.")
                return redirect("governance:board", code=code)
    return render(
        request,
        "governance/board.html",
        {"program": program, "members": selectors.board(program), "form": form, "manage": manage},
    )


@login_required
@require_POST
@page
def board_remove(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = selectors.governed_program(request.user, code)
    member = BoardMember.objects.filter(program=program, pk=pk).select_related("user").first()
    if member is None:
        raise NotFound(f"No board member {pk}.")
    services.remove_board_member(actor=request.user, member=member)
    messages.success(request, f"{member.user} left the board.")
    return redirect("governance:board", code=code)


# -- component authorization -----------------------------------------------------------


@login_required
@page
def authorization(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    program = selectors.governed_program(request.user, code)
    component = get_component(request.user, pk, program)
    auth = selectors.authorization_of(component)
    show_budget = can_see_costs(request.user, program)
    editable = (
        access.can_prepare(request.user, program, None)
        and component.status == ComponentStatus.PROPOSED
    )
    form = None
    if editable:
        initial: dict[str, Any] = {"business_case": component.business_case}
        if auth is not None:
            initial = {
                "business_case": auth.business_case,
                "expected_benefits": list(auth.expected_benefits.all()),
                "initial_budget": auth.initial_budget,
                "planned_start": auth.planned_start,
                "planned_finish": auth.planned_finish,
            }
        form = AuthorizationForm(
            request.POST or None, program=program, show_budget=show_budget, initial=initial
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.save_authorization(actor=request.user, component=component,
                                            **form.cleaned_data)  # fmt: skip
            except ValidationFailed as exc:
                add_form_errors(form, exc)
            except REFUSALS as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"Authorization request of {component.code} saved.")
                return redirect("governance:authorization", code=code, pk=pk)
    elif request.method == "POST":
        raise PermissionDenied(f"You may not change the authorization of {component.code}.")
    review = (
        GateReview.objects.filter(component=component, to_state=ComponentStatus.AUTHORIZED)
        .exclude(status=ReviewStatus.CANCELLED)
        .order_by("-created_at", "-id")
        .first()
    )
    return render(
        request,
        "governance/authorization.html",
        {
            "program": program,
            "component": component,
            "authorization": auth,
            "form": form,
            "show_budget": show_budget,
            "review": review,
            "can_open": editable and review is None,
        },
    )
