"""Gate criteria: the registry of automatic evaluators and the default gate templates.

An evaluator looks at the program's stored data and answers with an :class:`Evaluation`:
passed or not, one sentence of evidence a reviewer can check, and the page that shows
it. Apps add theirs from ``AppConfig.ready``::

    from podium.governance.criteria import Evaluation, register_evaluator

    register_evaluator("lessons_session_held", "Lessons-learned session held", held)

A criterion whose evaluator is not registered (yet) is shown red with evidence saying
so; the default template makes such a criterion manual instead (see
:func:`default_criteria`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from podium.programs.models import Component, ComponentStatus, Program, Stage

__all__ = [
    "COMPONENT_GATES",
    "PROGRAM_GATES",
    "CriterionSpec",
    "Evaluation",
    "Evaluator",
    "default_criteria",
    "evaluate",
    "evaluator_label",
    "evaluators",
    "register_evaluator",
]


@dataclass(frozen=True)
class Evaluation:
    passed: bool
    evidence: str
    url: str = ""


# (program, component or None) -> Evaluation
Evaluator = Callable[[Program, Component | None], Evaluation]


@dataclass(frozen=True)
class _Registered:
    label: str
    func: Evaluator


_EVALUATORS: dict[str, _Registered] = {}


def register_evaluator(key: str, label: str, func: Evaluator) -> None:
    """Make ``key`` available to automatic criteria (replaces an earlier registration)."""
    _EVALUATORS[key] = _Registered(label, func)


def evaluators() -> dict[str, str]:
    """Registered evaluator keys and their labels."""
    return {key: reg.label for key, reg in sorted(_EVALUATORS.items())}


def evaluator_label(key: str) -> str:
    reg = _EVALUATORS.get(key)
    return reg.label if reg is not None else key


def evaluate(key: str, program: Program, component: Component | None) -> Evaluation:
    reg = _EVALUATORS.get(key)
    if reg is None:
        return Evaluation(False, f"no evaluator {key!r} is installed; the criterion cannot pass")
    return reg.func(program, component)


# -- the gates --------------------------------------------------------------------------

# The forward steps that need an approved gate review.
PROGRAM_GATES: tuple[tuple[str, str], ...] = (
    (Stage.FORMULATION, Stage.PLANNING),
    (Stage.PLANNING, Stage.DELIVERY),
    (Stage.DELIVERY, Stage.CLOSURE),
    (Stage.CLOSURE, Stage.CLOSED),
)
COMPONENT_GATES: tuple[tuple[str, str], ...] = (
    (ComponentStatus.PROPOSED, ComponentStatus.AUTHORIZED),
    (ComponentStatus.AUTHORIZED, ComponentStatus.IN_DELIVERY),
    (ComponentStatus.IN_DELIVERY, ComponentStatus.TRANSITIONING),
    (ComponentStatus.TRANSITIONING, ComponentStatus.CLOSED),
)


@dataclass(frozen=True)
class CriterionSpec:
    key: str
    label: str
    kind: str  # "automatic" | "manual"
    evaluator: str = ""
    guidance: str = ""


def _auto(key: str) -> CriterionSpec:
    return CriterionSpec(key, evaluator_label(key), "automatic", key)


def _manual(key: str, label: str, guidance: str) -> CriterionSpec:
    if key in _EVALUATORS:  # an app has since made it automatic
        return _auto(key)
    return CriterionSpec(key, label, "manual", "", guidance)


def default_criteria(subject_kind: str, source: str, target: str) -> list[CriterionSpec]:
    """The criteria a new program's template gets for one gate."""
    lessons = _manual(
        "lessons_session_held",
        "Lessons-learned session held",
        "Minutes or summary of the lessons-learned session.",
    )
    table: dict[tuple[str, str, str], list[CriterionSpec]] = {
        ("program", Stage.FORMULATION, Stage.PLANNING): [
            _auto("program_has_manager"),
            _manual(
                "charter_approved",
                "Charter approved by the sponsor",
                "The sponsor's approval of the charter (minutes, signed charter).",
            ),
        ],
        ("program", Stage.PLANNING, Stage.DELIVERY): [
            _auto("program_has_manager"),
            _auto("budget_baseline_approved"),
            _auto("components_have_business_case"),
            _auto("benefits_have_owner"),
            _auto("no_open_high_risk_without_response"),
        ],
        ("program", Stage.DELIVERY, Stage.CLOSURE): [
            _auto("no_open_high_risk_without_response"),
            _auto("benefits_have_owner"),
            lessons,
        ],
        ("program", Stage.CLOSURE, Stage.CLOSED): [
            _auto("components_closed"),
            lessons,
        ],
        ("component", ComponentStatus.PROPOSED, ComponentStatus.AUTHORIZED): [
            _auto("authorization_business_case"),
            _auto("authorization_expected_benefits"),
            _auto("authorization_budget_schedule"),
        ],
        ("component", ComponentStatus.AUTHORIZED, ComponentStatus.IN_DELIVERY): [
            _auto("component_has_manager"),
        ],
        ("component", ComponentStatus.IN_DELIVERY, ComponentStatus.TRANSITIONING): [
            _auto("component_deliverables_delivered"),
        ],
        ("component", ComponentStatus.TRANSITIONING, ComponentStatus.CLOSED): [
            _auto("component_deliverables_accepted"),
            _auto("transition_plan_complete"),
        ],
    }
    return table.get((subject_kind, source, target), [])


# -- the evaluators ---------------------------------------------------------------------


def _url(name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs=kwargs)


def _names(items: list[str], limit: int = 5) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _budget_baseline_approved(program: Program, component: Component | None) -> Evaluation:
    from podium.finance.models import BudgetBaseline

    url = _url("finance:budget", code=program.code)
    approved = (
        BudgetBaseline.objects.filter(program=program, status=BudgetBaseline.Status.APPROVED)
        .order_by("-number")
        .first()
    )
    if approved is None:
        return Evaluation(False, "no approved budget baseline", url)
    when = f" on {approved.approved_at:%Y-%m-%d}" if approved.approved_at else ""
    return Evaluation(True, f"budget baseline version {approved.number} approved{when}", url)


def _open_components(program: Program) -> Any:
    return program.components.exclude(
        status__in=(ComponentStatus.CANCELLED, ComponentStatus.CLOSED)
    ).order_by("code")


def _components_have_business_case(program: Program, component: Component | None) -> Evaluation:
    url = _url("programs:components", code=program.code)
    comps = list(_open_components(program))
    if not comps:
        return Evaluation(False, "the program has no components", url)
    missing = [c.code for c in comps if not c.business_case.strip()]
    if missing:
        return Evaluation(False, f"no business case: {_names(missing)}", url)
    return Evaluation(True, f"all {len(comps)} components have a business case", url)


def _components_authorized(program: Program, component: Component | None) -> Evaluation:
    url = _url("programs:components", code=program.code)
    comps = list(_open_components(program))
    if not comps:
        return Evaluation(False, "the program has no components", url)
    waiting = [c.code for c in comps if c.status == ComponentStatus.PROPOSED]
    if waiting:
        return Evaluation(False, f"not authorized yet: {_names(waiting)}", url)
    return Evaluation(True, f"all {len(comps)} open components are authorized", url)


def _components_closed(program: Program, component: Component | None) -> Evaluation:
    url = _url("programs:components", code=program.code)
    still = [c.code for c in _open_components(program)]
    if still:
        return Evaluation(False, f"components still open: {_names(still)}", url)
    return Evaluation(True, "every component is closed or cancelled", url)


def _deliverables_check(
    program: Program, component: Component | None, done: set[str], verb: str
) -> Evaluation:
    from podium.delivery.models import Deliverable

    url = _url("delivery:board", code=program.code)
    qs = Deliverable.objects.filter(program=program)
    if component is not None:
        qs = qs.filter(component=component)
        url += f"?component={component.pk}"
    rows = list(qs.order_by("code").values_list("code", "status"))
    if not rows:
        return Evaluation(False, "no deliverables registered", url)
    open_ = [code for code, status in rows if status not in done]
    if open_:
        return Evaluation(
            False, f"{len(open_)} of {len(rows)} deliverables not {verb}: {_names(open_)}", url
        )
    return Evaluation(True, f"all {len(rows)} deliverables {verb}", url)


def _deliverables_accepted(program: Program, component: Component | None) -> Evaluation:
    from podium.delivery.models import DeliverableStatus as S

    return _deliverables_check(program, component, {S.ACCEPTED.value, S.TRANSITIONED.value},
                               "accepted")  # fmt: skip


def _deliverables_delivered(program: Program, component: Component | None) -> Evaluation:
    from podium.delivery.models import DeliverableStatus as S

    done = {S.DELIVERED.value, S.ACCEPTED.value, S.TRANSITIONED.value}
    return _deliverables_check(program, component, done, "delivered")


def _transition_plan_complete(program: Program, component: Component | None) -> Evaluation:
    from podium.delivery.services import transition_complete, transition_gaps

    if component is None:
        return Evaluation(False, "this criterion applies to a component gate")
    url = _url("delivery:plan", code=program.code, pk=component.pk)
    if transition_complete(component):
        return Evaluation(
            True, "transition plan complete: owner, handover date, checklist done", url
        )
    gaps = " ".join(transition_gaps(component))
    return Evaluation(False, f"transition plan incomplete: {gaps}", url)


def high_risk_score() -> int:
    """A risk is high when probability score x impact score is above 12 (the red zone of
    the 5 x 5 matrix, as ``risks.selectors`` draws it)."""
    return 12


def _no_open_high_risk_without_response(
    program: Program, component: Component | None
) -> Evaluation:
    from podium.risks.models import Risk, RiskKind, RiskStatus

    url = _url("risks:register", code=program.code)
    qs = Risk.objects.filter(program=program, kind=RiskKind.THREAT, status=RiskStatus.OPEN)
    if component is not None:
        qs = qs.filter(component=component)
    high = [
        r for r in qs.order_by("code") if r.probability_score * r.impact_score > high_risk_score()
    ]
    bare = [r.code for r in high if r.owner_id is None or not r.response.strip()]
    if bare:
        return Evaluation(
            False, f"open high risks without a response or owner: {_names(bare)}", url
        )
    if high:
        return Evaluation(
            True, f"all {len(high)} open high risks have an owner and a response", url
        )
    return Evaluation(True, "no open high risks", url)


def _benefits_have_owner(program: Program, component: Component | None) -> Evaluation:
    from podium.benefits.models import Benefit

    url = _url("benefits:register", code=program.code)
    rows = list(
        Benefit.objects.filter(program=program).order_by("code").values_list("code", "owner_id")
    )
    if not rows:
        return Evaluation(False, "no benefits registered", url)
    missing = [code for code, owner in rows if owner is None]
    if missing:
        return Evaluation(False, f"benefits without an owner: {_names(missing)}", url)
    return Evaluation(True, f"all {len(rows)} benefits have an owner", url)


def _program_has_manager(program: Program, component: Component | None) -> Evaluation:
    url = _url("programs:members", code=program.code)
    if program.manager is None:
        return Evaluation(False, "the program has no program manager", url)
    return Evaluation(True, f"program manager: {program.manager}", url)


def _component_has_manager(program: Program, component: Component | None) -> Evaluation:
    if component is None:
        return Evaluation(False, "this criterion applies to a component gate")
    url = _url("programs:component", code=program.code, pk=component.pk)
    if component.manager is None:
        return Evaluation(False, f"{component.code} has no component manager", url)
    return Evaluation(True, f"component manager: {component.manager}", url)


def _authorization(component: Component | None) -> Any:
    from podium.governance.models import ComponentAuthorization

    if component is None:
        return None
    return ComponentAuthorization.objects.filter(component=component).first()


def _review_url(program: Program, component: Component | None) -> str:
    if component is None:
        return ""
    return _url("governance:authorization", code=program.code, pk=component.pk)


def _auth_business_case(program: Program, component: Component | None) -> Evaluation:
    auth = _authorization(component)
    url = _review_url(program, component)
    if auth is None or not auth.business_case.strip():
        return Evaluation(False, "no business case in the authorization request", url)
    return Evaluation(True, f"business case given ({len(auth.business_case.split())} words)", url)


def _auth_benefits(program: Program, component: Component | None) -> Evaluation:
    auth = _authorization(component)
    url = _review_url(program, component)
    codes = sorted(auth.expected_benefits.values_list("code", flat=True)) if auth else []
    if not codes:
        return Evaluation(False, "no expected benefits named", url)
    return Evaluation(True, f"expected benefits: {_names(codes)}", url)


def _auth_budget_schedule(program: Program, component: Component | None) -> Evaluation:
    auth = _authorization(component)
    url = _review_url(program, component)
    missing = []
    if auth is None or auth.initial_budget is None:
        missing.append("initial budget")
    if auth is None or auth.planned_start is None:
        missing.append("planned start")
    if auth is None or auth.planned_finish is None:
        missing.append("planned finish")
    if missing:
        return Evaluation(False, f"missing: {', '.join(missing)}", url)
    assert auth is not None
    return Evaluation(
        True,
        # the amount stays on the authorization page: not every reader may see costs
        f"initial budget given; planned {auth.planned_start:%Y-%m-%d} to "
        f"{auth.planned_finish:%Y-%m-%d}",
        url,
    )


for _key, _label, _func in (
    ("budget_baseline_approved", "Budget baseline approved", _budget_baseline_approved),
    ("components_have_business_case", "Every component has a business case",
     _components_have_business_case),
    ("components_authorized", "Every open component is authorized", _components_authorized),
    ("components_closed", "Every component closed or cancelled", _components_closed),
    ("component_deliverables_accepted", "All deliverables accepted", _deliverables_accepted),
    ("component_deliverables_delivered", "All deliverables delivered",
     _deliverables_delivered),
    ("transition_plan_complete", "Transition plan complete", _transition_plan_complete),
    ("no_open_high_risk_without_response", "No open high risk without a response",
     _no_open_high_risk_without_response),
    ("benefits_have_owner", "Every benefit has an owner", _benefits_have_owner),
    ("program_has_manager", "The program has a manager", _program_has_manager),
    ("component_has_manager", "The component has a manager", _component_has_manager),
    ("authorization_business_case", "Business case present", _auth_business_case),
    ("authorization_expected_benefits", "Expected benefits named", _auth_benefits),
    ("authorization_budget_schedule", "Initial budget and schedule given", _auth_budget_schedule),
):  # fmt: skip
    register_evaluator(_key, _label, _func)
