"""Every change to governance: the board, gate templates and reviews, evidence,
recommendations, decisions (immutable) and component authorizations.

Each function is one transaction: permission check (:mod:`podium.governance.access`),
validation, the write and its audit record. Pages, the API and the demo call these.

The gate rule: :func:`check_gate` is registered with :mod:`podium.programs.gates`, so a
program or component moves forward only with an approved, unused gate review. A go (or
go-with-conditions) decision moves the subject itself; a terminate decision closes the
program or cancels the component. A correcting decision never re-runs a transition.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from podium.accounts.models import User
from podium.core import audit
from podium.core.errors import NotFound, TransitionRefused, ValidationFailed
from podium.core.services import update_versioned
from podium.governance import access, criteria
from podium.governance.models import (
    BoardMember,
    BoardRole,
    ComponentAuthorization,
    ConditionStatus,
    CriterionEvidence,
    CriterionKind,
    Decision,
    DecisionKind,
    DecisionOutcome,
    GateCondition,
    GateCriterion,
    GateReview,
    GateTemplate,
    Recommendation,
    ReviewStatus,
    SubjectKind,
)
from podium.programs.models import Component, ComponentStatus, Program, Stage
from podium.programs.permissions import require

__all__ = [
    "GATE_OUTCOMES",
    "ConditionInput",
    "CriterionResult",
    "add_board_member",
    "add_evidence",
    "cancel_review",
    "check_evidence",
    "check_gate",
    "complete_condition",
    "correct_decision",
    "criteria_of",
    "decide",
    "ensure_template",
    "evaluate_review",
    "gate_url",
    "next_gate",
    "open_review",
    "pass_gate",
    "recommend",
    "record_decision",
    "remove_board_member",
    "save_authorization",
]

GATE_OUTCOMES = (
    DecisionOutcome.GO,
    DecisionOutcome.GO_WITH_CONDITIONS,
    DecisionOutcome.HOLD,
    DecisionOutcome.NO_GO,
    DecisionOutcome.TERMINATE,
)
_GO = (DecisionOutcome.GO, DecisionOutcome.GO_WITH_CONDITIONS)
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


def _tell(program: Program, users: Any, title: str, url: str, exclude: Any = None) -> None:
    """Notify ``users`` (category "governance") once the transaction commits."""
    from podium.notifications.services import notify

    people = {u.pk: u for u in users if u is not None and u != exclude}

    def send() -> None:
        for user in people.values():
            if access.can_see(user, program):
                notify(user=user, title=title, url=url, program=program, category="governance")

    transaction.on_commit(send)


def _board_and_managers(review: GateReview) -> list[Any]:
    people: list[Any] = [
        m.user for m in BoardMember.objects.filter(program=review.program).select_related("user")
    ]
    people.append(review.program.manager)
    if review.component is not None:
        people.append(review.component.manager)
    return people


def _review_url(review: GateReview) -> str:
    return reverse("governance:review", kwargs={"code": review.program.code, "pk": review.pk})


# -- decisions -------------------------------------------------------------------------


@transaction.atomic
def record_decision(
    *,
    actor: User | None,
    program: Program,
    kind: str,
    outcome: str,
    rationale: str,
    subject: models.Model | None = None,
    subject_label: str = "",
    corrects: Decision | None = None,
) -> Decision:
    """Write one decision, numbered next in the program. The caller has checked that
    ``actor`` may decide (gate reviews here, change requests in podium.changes); this
    validates and records. ``subject`` (any model instance) fills subject_type and
    subject_id and, without a label, subject_label."""
    errors: dict[str, list[str]] = {}
    if kind not in DecisionKind.values:
        errors["kind"] = [f"Unknown kind {kind!r}; use one of {', '.join(DecisionKind.values)}."]
    if outcome not in DecisionOutcome.values:
        errors["outcome"] = [
            f"Unknown outcome {outcome!r}; use one of {', '.join(DecisionOutcome.values)}."
        ]
    if not (rationale or "").strip():
        errors["rationale"] = ["Say why: a decision needs its rationale."]
    if corrects is not None and corrects.program_id != program.pk:
        errors["corrects"] = ["The corrected decision belongs to another program."]
    if errors:
        raise ValidationFailed(errors)
    # Lock the program row where the database can (PostgreSQL); the unique
    # (program, number) constraint refuses a duplicate number anyway.
    Program.objects.select_for_update().filter(pk=program.pk).first()
    last = Decision.objects.filter(program=program).aggregate(n=Max("number"))["n"] or 0
    label = subject_label or (str(subject) if subject is not None else "")
    subject_type = subject._meta.label_lower if subject is not None else ""
    subject_id = str(subject.pk) if subject is not None else ""
    if subject is None and corrects is not None:  # a correction is about the same thing
        subject_type, subject_id = corrects.subject_type, corrects.subject_id
    decision = Decision(
        program=program,
        number=last + 1,
        kind=kind,
        outcome=outcome,
        rationale=rationale.strip(),
        subject_label=label[:200],
        subject_type=subject_type,
        subject_id=subject_id,
        decided_by=actor if getattr(actor, "is_authenticated", False) else None,
        corrects=corrects,
    )
    decision.save()
    audit.record(
        user=actor,
        action="create",
        obj=decision,
        before=None,
        after=audit.snapshot(decision),
        program_id=program.pk,
        note=f"corrects decision #{corrects.number}" if corrects is not None else "",
    )
    return decision


@transaction.atomic
def correct_decision(actor: User, decision: Decision, outcome: str, rationale: str) -> Decision:
    """Record a new decision that corrects ``decision`` (which stays as it was). A
    correction of a gate decision does not move the program or component again."""
    program = decision.program
    require(
        access.can_decide(actor, program),
        "Only the board's chair (or the program manager when there is no chair) may "
        "correct a decision.",
    )
    later = decision.corrections.order_by("-number").first()
    if later is not None:
        raise TransitionRefused(
            f"Decision #{decision.number} is already corrected by #{later.number}; "
            f"correct #{later.number} instead."
        )
    gate_kinds = (DecisionKind.GATE, DecisionKind.AUTHORIZATION)
    if decision.kind in gate_kinds and outcome not in GATE_OUTCOMES:
        raise ValidationFailed(
            {"outcome": [f"A gate decision is one of {', '.join(GATE_OUTCOMES)}."]}
        )
    return record_decision(
        actor=actor,
        program=program,
        kind=decision.kind,
        outcome=outcome,
        rationale=rationale,
        subject_label=decision.subject_label,
        corrects=decision,
    )


# -- the board -------------------------------------------------------------------------


@transaction.atomic
def add_board_member(
    *, actor: User | None, program: Program, user: User, role: str = BoardRole.MEMBER
) -> BoardMember:
    """Add ``user`` to the board, or change their board role. One chair at a time: a new
    chair makes the previous one a member."""
    if actor is not None:
        require(
            access.can_manage_board(actor, program),
            "Only the program manager manages the governance board.",
        )
    if role not in BoardRole.values:
        raise ValidationFailed({"role": [f"Use one of {', '.join(BoardRole.values)}."]})
    if not program.memberships.filter(user=user).exists():
        raise ValidationFailed({"user": [f"{user} is not a member of {program.code}."]})
    if role == BoardRole.CHAIR:
        for chair in BoardMember.objects.filter(program=program, role=BoardRole.CHAIR).exclude(
            user=user
        ):
            update_versioned(chair, None, actor, role=BoardRole.MEMBER)
    member = BoardMember.objects.filter(program=program, user=user).first()
    if member is None:
        member = BoardMember(program=program, user=user, role=role, created_by=actor)
        member.save()
        audit.record(
            user=actor, action="create", obj=member, before=None,
            after=audit.snapshot(member), program_id=program.pk,
        )  # fmt: skip
    elif member.role != role:
        before = audit.snapshot(member)
        member = update_versioned(member, None, actor, role=role)
        audit.record(
            user=actor, action="update", obj=member, before=before,
            after=audit.snapshot(member), program_id=program.pk,
        )  # fmt: skip
    access.forget_board(user)
    return member


@transaction.atomic
def remove_board_member(*, actor: User, member: BoardMember) -> None:
    require(
        access.can_manage_board(actor, member.program),
        "Only the program manager manages the governance board.",
    )
    audit.record(
        user=actor, action="delete", obj=member, before=audit.snapshot(member), after=None,
        program_id=member.program_id,
    )  # fmt: skip
    access.forget_board(member.user)
    member.delete()


# -- templates -------------------------------------------------------------------------


def ensure_template(program: Program) -> GateTemplate:
    """The program's gate template, created with the default criteria on first use."""
    template = GateTemplate.objects.filter(program=program).first()
    if template is not None:
        return template
    with transaction.atomic():
        template = GateTemplate.objects.create(program=program)
        gates = [("program", s, t) for s, t in criteria.PROGRAM_GATES]
        gates += [("component", s, t) for s, t in criteria.COMPONENT_GATES]
        rows = []
        for subject_kind, source, target in gates:
            for order, spec in enumerate(criteria.default_criteria(subject_kind, source, target)):
                rows.append(
                    GateCriterion(
                        template=template,
                        subject_kind=subject_kind,
                        from_state=source,
                        to_state=target,
                        key=spec.key,
                        label=spec.label,
                        kind=spec.kind,
                        evaluator=spec.evaluator,
                        guidance=spec.guidance,
                        order=order,
                    )
                )
        GateCriterion.objects.bulk_create(rows)
        audit.record(
            user=None, action="create", obj=template, before=None,
            after={"criteria": len(rows)}, program_id=program.pk,
            note="gate template created with the default criteria",
        )  # fmt: skip
    return template


def criteria_of(
    program: Program, subject_kind: str, source: str, target: str
) -> list[GateCriterion]:
    template = ensure_template(program)
    return list(
        template.criteria.filter(subject_kind=subject_kind, from_state=source, to_state=target)
    )


# -- evaluation ------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionResult:
    key: str
    label: str
    kind: str
    passed: bool
    evidence: str
    url: str = ""
    guidance: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key, "label": self.label, "kind": self.kind, "passed": self.passed,
            "evidence": self.evidence, "url": self.url,
        }  # fmt: skip


def _manual_result(review: GateReview, criterion: GateCriterion) -> CriterionResult:
    items = [e for e in review.evidence.all() if e.criterion_key == criterion.key]
    checked = [e for e in items if e.checked_at is not None]
    if checked:
        last = checked[-1]
        what = last.text.strip() or (last.file.name.rsplit("/", 1)[-1] if last.file else "")
        sentence = f"evidence checked by {last.checked_by} on {last.checked_at:%Y-%m-%d}"
        if what:
            sentence += f": {what[:120]}"
        return CriterionResult(criterion.key, criterion.label, "manual", True, sentence,
                               guidance=criterion.guidance)  # fmt: skip
    if items:
        sentence = "evidence attached, not yet checked by a reviewer"
    else:
        sentence = "no evidence attached"
    return CriterionResult(criterion.key, criterion.label, "manual", False, sentence,
                           guidance=criterion.guidance)  # fmt: skip


def evaluate_review(review: GateReview) -> list[CriterionResult]:
    """Each criterion of the review's gate, evaluated now (automatic ones from the data,
    manual ones from checked evidence)."""
    program = review.program
    component = review.component
    subject_kind = SubjectKind.COMPONENT if component is not None else SubjectKind.PROGRAM
    results = []
    for criterion in criteria_of(program, subject_kind, review.from_state, review.to_state):
        if criterion.kind == CriterionKind.MANUAL:
            results.append(_manual_result(review, criterion))
            continue
        found = criteria.evaluate(criterion.evaluator, program, component)
        results.append(
            CriterionResult(
                criterion.key,
                criterion.label,
                "automatic",
                found.passed,
                found.evidence,
                found.url,
            )
        )
    return results


# -- the gate rule ---------------------------------------------------------------------


def _gates(subject: Program | Component) -> tuple[tuple[str, str], ...]:
    return criteria.COMPONENT_GATES if isinstance(subject, Component) else criteria.PROGRAM_GATES


def _terminate_target(subject: Program | Component, source: str) -> str:
    if isinstance(subject, Component):
        return ComponentStatus.CANCELLED
    return Stage.CLOSED if source == Stage.CLOSURE else Stage.CLOSURE


def gate_url(program: Program) -> str:
    return reverse("governance:gates", kwargs={"code": program.code})


def _subject_of(review: GateReview) -> Program | Component:
    return review.component if review.component is not None else review.program


def gate_page_for(subject: Any, source: str, target: str) -> str | None:
    """Registered with :func:`podium.programs.gates.register_gate_page`: the Governance
    page for a gated step, None for a direct one."""
    if (source, target) not in _gates(subject):
        return None
    program = subject.program if isinstance(subject, Component) else subject
    return gate_url(program)


def check_gate(*, actor: Any, subject: Any, source: str, target: str, review: Any) -> None:
    """The gate rule, registered with :mod:`podium.programs.gates`: a forward step needs
    an approved (go / go with conditions) gate review of this subject and step that has
    not moved anything yet; a terminate decision allows closing or cancelling."""
    program = subject.program if isinstance(subject, Component) else subject
    code = subject.code
    gated = (source, target) in _gates(subject)
    if review is None:
        if gated:
            raise TransitionRefused(
                f"{code} moves from {source} to {target} only through an approved gate "
                f"review: open one on the Governance page ({gate_url(program)})."
            )
        return
    if not isinstance(review, GateReview):
        raise TransitionRefused("The gate review given is not a gate review.")
    fresh = GateReview.objects.select_related("decision").get(pk=review.pk)
    same_subject = (
        fresh.component_id == subject.pk
        if isinstance(subject, Component)
        else fresh.component_id is None and fresh.program_id == subject.pk
    )
    outcome = fresh.decision.outcome if fresh.decision is not None else ""
    approves = (outcome in _GO and fresh.from_state == source and fresh.to_state == target) or (
        outcome == DecisionOutcome.TERMINATE and target == _terminate_target(subject, source)
    )
    if not same_subject or fresh.status != ReviewStatus.DECIDED or not approves:
        raise TransitionRefused(
            f"Gate review #{fresh.pk} does not approve moving {code} from {source} to "
            f"{target} ({gate_url(program)})."
        )
    if fresh.used_at is not None:
        raise TransitionRefused(
            f"Gate review #{fresh.pk} was already used on {fresh.used_at:%Y-%m-%d}; "
            f"open a new review ({gate_url(program)})."
        )
    GateReview.objects.filter(pk=fresh.pk).update(used_at=timezone.now())


def next_gate(subject: Program | Component) -> tuple[str, str] | None:
    """The forward gate the subject faces now (None when it is past every gate)."""
    state = subject.status if isinstance(subject, Component) else subject.stage
    for source, target in _gates(subject):
        if source == state:
            return source, target
    return None


# -- reviews ---------------------------------------------------------------------------


@transaction.atomic
def open_review(
    *, actor: User, program: Program, component: Component | None = None, notes: str = ""
) -> GateReview:
    """Open the review of the next gate of the program (or of ``component``)."""
    subject: Program | Component = component if component is not None else program
    if component is not None and component.program_id != program.pk:
        raise NotFound(f"No component {component.pk}.")
    require(
        access.can_prepare(actor, program, component),
        f"Only the program manager{' or the component manager' if component else ''} may "
        "open a gate review.",
    )
    gate = next_gate(subject)
    if gate is None:
        raise TransitionRefused(f"{subject.code} has no gate ahead of it.")
    source, target = gate
    existing = GateReview.objects.filter(
        program=program, component=component, status=ReviewStatus.OPEN
    ).first()
    if existing is not None:
        raise TransitionRefused(
            f"{subject.code} already has an open gate review (#{existing.pk}) for "
            f"{existing.from_state} → {existing.to_state}."
        )
    ensure_template(program)
    review = GateReview(
        program=program, component=component, from_state=source, to_state=target,
        opened_by=actor, notes=notes.strip(), created_by=actor, updated_by=actor,
    )  # fmt: skip
    review.save()
    audit.record(
        user=actor, action="create", obj=review, before=None, after=audit.snapshot(review),
        program_id=program.pk,
    )  # fmt: skip
    _tell(
        program, _board_and_managers(review),
        f"Gate review opened: {_label(review)}", _review_url(review), exclude=actor,
    )  # fmt: skip
    return review


def _require_open(review: GateReview) -> None:
    if review.status != ReviewStatus.OPEN:
        raise TransitionRefused(
            f"Gate review #{review.pk} is {review.status}; it no longer changes."
        )


@transaction.atomic
def cancel_review(*, actor: User, review: GateReview, reason: str) -> GateReview:
    require(
        access.can_prepare(actor, review.program, review.component),
        "Only the program manager may cancel a gate review.",
    )
    _require_open(review)
    if not reason.strip():
        raise ValidationFailed({"reason": ["Say why the review is cancelled."]})
    updated = update_versioned(review, None, actor, status=ReviewStatus.CANCELLED)
    audit.record(
        user=actor, action="transition", obj=updated, before={"status": review.status},
        after={"status": updated.status}, program_id=review.program_id, note=reason.strip(),
    )  # fmt: skip
    return updated


@transaction.atomic
def add_evidence(
    *,
    actor: User,
    review: GateReview,
    criterion_key: str,
    text: str = "",
    file: UploadedFile | None = None,
) -> CriterionEvidence:
    """Attach evidence (text and/or a file) to a manual criterion of an open review."""
    require(
        access.can_prepare(actor, review.program, review.component)
        or access.is_board_member(actor, review.program),
        "Only the program manager, the component's manager or a board member may attach evidence.",
    )
    _require_open(review)
    manual = {
        c.key
        for c in criteria_of(
            review.program, review.subject_kind, review.from_state, review.to_state
        )
        if c.kind == CriterionKind.MANUAL
    }
    if criterion_key not in manual:
        raise ValidationFailed(
            {"criterion": [f"This gate has no manual criterion {criterion_key!r}."]}
        )
    if not text.strip() and file is None:
        raise ValidationFailed({"text": ["Describe the evidence or attach a file."]})
    if file is not None and file.size is not None and file.size > MAX_EVIDENCE_BYTES:
        raise ValidationFailed({"file": ["The file is larger than 20 MB."]})
    item = CriterionEvidence(
        review=review, criterion_key=criterion_key, text=text.strip(), added_by=actor,
        created_by=actor, updated_by=actor,
    )  # fmt: skip
    if file is not None:
        item.file = file
    item.save()
    audit.record(
        user=actor, action="create", obj=item, before=None, after=_evidence_snapshot(item),
        program_id=review.program_id,
    )  # fmt: skip
    return item


def _evidence_snapshot(item: CriterionEvidence) -> dict[str, Any]:
    fields = ("review", "criterion_key", "text", "added_by", "checked_by", "checked_at")
    return {**audit.snapshot(item, fields), "file": item.file.name if item.file else ""}


@transaction.atomic
def check_evidence(*, actor: User, evidence: CriterionEvidence) -> CriterionEvidence:
    """A reviewer confirms the evidence: the manual criterion turns green."""
    review = evidence.review
    require(
        access.can_check_evidence(actor, review.program),
        "Only a board member or the program manager may check evidence.",
    )
    _require_open(review)
    if evidence.checked_at is not None:
        return evidence
    before = _evidence_snapshot(evidence)
    updated = update_versioned(evidence, None, actor, checked_by=actor, checked_at=timezone.now())
    audit.record(
        user=actor, action="update", obj=updated, before=before, after=_evidence_snapshot(updated),
        program_id=review.program_id, note="evidence checked",
    )  # fmt: skip
    return updated


@transaction.atomic
def recommend(
    *, actor: User, review: GateReview, outcome: str, comment: str = ""
) -> Recommendation:
    require(
        access.can_recommend(actor, review.program),
        "Only board members give recommendations.",
    )
    _require_open(review)
    if outcome not in GATE_OUTCOMES:
        raise ValidationFailed({"outcome": [f"Use one of {', '.join(GATE_OUTCOMES)}."]})
    existing = Recommendation.objects.filter(review=review, reviewer=actor).first()
    if existing is None:
        rec = Recommendation(review=review, reviewer=actor, outcome=outcome,
                             comment=comment.strip(), created_by=actor)  # fmt: skip
        rec.save()
        audit.record(
            user=actor, action="create", obj=rec, before=None, after=audit.snapshot(rec),
            program_id=review.program_id,
        )  # fmt: skip
        return rec
    before = audit.snapshot(existing)
    rec = update_versioned(existing, None, actor, outcome=outcome, comment=comment.strip())
    audit.record(
        user=actor, action="update", obj=rec, before=before, after=audit.snapshot(rec),
        program_id=review.program_id,
    )  # fmt: skip
    return rec


@dataclass(frozen=True)
class ConditionInput:
    title: str
    owner: User | None = None
    due_date: dt.date | None = None


def _label(review: GateReview) -> str:
    subject = review.component.code if review.component is not None else review.program.code
    return f"{subject}: {review.from_state} → {review.to_state} gate"


@transaction.atomic
def decide(
    *,
    actor: User,
    review: GateReview,
    outcome: str,
    rationale: str,
    conditions: Sequence[ConditionInput] = (),
) -> Decision:
    """The board's decision on an open review. Go and go-with-conditions are refused
    while a criterion is red (the message names each one) and then move the program or
    component to the gate's target; terminate closes the program (closure, or closed
    from closure) or cancels the component; hold and no-go move nothing."""
    program = review.program
    require(
        access.can_decide(actor, program),
        "Only the board's chair (or the program manager when the board has no chair) "
        "decides a gate.",
    )
    _require_open(review)
    if outcome not in GATE_OUTCOMES:
        raise ValidationFailed({"outcome": [f"Use one of {', '.join(GATE_OUTCOMES)}."]})
    if not (rationale or "").strip():
        raise ValidationFailed({"rationale": ["Say why: a decision needs its rationale."]})
    subject = _subject_of(review)
    state = subject.status if isinstance(subject, Component) else subject.stage
    if state != review.from_state:
        raise TransitionRefused(
            f"{subject.code} is no longer {review.from_state} (it is {state}); cancel this "
            "review and open a new one."
        )
    results = evaluate_review(review)
    if outcome in _GO:
        red = [r for r in results if not r.passed]
        if red:
            names = "; ".join(f"{r.label}: {r.evidence}" for r in red)
            raise TransitionRefused(f"Go refused while criteria are red — {names}.")
    no_titles = not conditions or any(not c.title.strip() for c in conditions)
    if outcome == DecisionOutcome.GO_WITH_CONDITIONS and no_titles:
        raise ValidationFailed({"conditions": ["Name at least one condition (a title each)."]})
    authorization_gate = (
        review.component is not None and review.to_state == ComponentStatus.AUTHORIZED
    )
    decision = record_decision(
        actor=actor,
        program=program,
        kind=DecisionKind.AUTHORIZATION if authorization_gate else DecisionKind.GATE,
        outcome=outcome,
        rationale=rationale,
        subject=subject,
        subject_label=_label(review),
    )
    before = {"status": review.status}
    review = update_versioned(
        review, None, actor, status=ReviewStatus.DECIDED, decision=decision,
        evaluation=[r.as_dict() for r in results],
    )  # fmt: skip
    audit.record(
        user=actor, action="transition", obj=review, before=before,
        after={"status": review.status, "decision": decision.number},
        program_id=program.pk, note=f"decision #{decision.number}: {outcome}",
    )  # fmt: skip
    for condition in conditions if outcome == DecisionOutcome.GO_WITH_CONDITIONS else ():
        row = GateCondition(
            review=review, program=program, title=condition.title.strip()[:200],
            owner=condition.owner, due_date=condition.due_date, created_by=actor,
        )  # fmt: skip
        row.save()
        audit.record(
            user=actor, action="create", obj=row, before=None, after=audit.snapshot(row),
            program_id=program.pk,
        )  # fmt: skip
    target = ""
    if outcome in _GO:
        target = review.to_state
    elif outcome == DecisionOutcome.TERMINATE:
        target = _terminate_target(subject, review.from_state)
    if target:
        _move(actor, subject, target, review, decision)
    _tell(
        program, _board_and_managers(review),
        f"Decision #{decision.number}: {decision.get_outcome_display()} — {_label(review)}",
        _review_url(review), exclude=actor,
    )  # fmt: skip
    if authorization_gate and outcome in _GO:
        auth = ComponentAuthorization.objects.filter(component=review.component).first()
        if auth is not None:
            update_versioned(auth, None, actor, decision=decision)
    return decision


def _move(
    actor: User, subject: Program | Component, target: str, review: GateReview, decision: Decision
) -> None:
    from podium.programs import services as program_services

    reason = f"Gate decision #{decision.number} ({decision.get_outcome_display()}): " + (
        decision.rationale
    )
    if isinstance(subject, Component):
        program_services.transition_component(
            actor=actor, component=Component.objects.get(pk=subject.pk), target=target,
            reason=reason, gate_review=review,
        )  # fmt: skip
    else:
        program_services.transition_program(
            actor=actor, program=Program.objects.get(pk=subject.pk), target=target,
            reason=reason, gate_review=review,
        )  # fmt: skip


@transaction.atomic
def complete_condition(*, actor: User, condition: GateCondition) -> GateCondition:
    program = condition.program
    allowed = access.can_manage_board(actor, program) or (
        condition.owner_id is not None and condition.owner_id == actor.pk
    )
    require(allowed, "Only the condition's owner or the program manager may close it.")
    if condition.status == ConditionStatus.DONE:
        return condition
    before = audit.snapshot(condition)
    updated = update_versioned(
        condition, None, actor, status=ConditionStatus.DONE, done_at=timezone.now()
    )
    audit.record(
        user=actor, action="update", obj=updated, before=before, after=audit.snapshot(updated),
        program_id=program.pk,
    )  # fmt: skip
    return updated


# -- component authorization -----------------------------------------------------------


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValidationFailed({"initial_budget": ["Enter an amount, e.g. 250000.00."]}) from exc
    if amount < 0:
        raise ValidationFailed({"initial_budget": ["The budget cannot be negative."]})
    return amount


@transaction.atomic
def save_authorization(
    *,
    actor: User,
    component: Component,
    business_case: str,
    expected_benefits: Sequence[Any] = (),
    initial_budget: Any = None,
    planned_start: dt.date | None = None,
    planned_finish: dt.date | None = None,
) -> ComponentAuthorization:
    """Fill in (or change) what the board authorizes ``component`` on. Refused once the
    component is authorized. The business case is also the component's own when it has
    none yet."""
    from podium.benefits.models import Benefit
    from podium.programs import services as program_services

    program = component.program
    require(
        access.can_prepare(actor, program, None),
        "Only the program manager fills in a component's authorization.",
    )
    if component.status != ComponentStatus.PROPOSED:
        raise TransitionRefused(
            f"{component.code} is {component.status}; its authorization is done."
        )
    errors: dict[str, list[str]] = {}
    benefits = list(expected_benefits)
    wrong = [b for b in benefits if not isinstance(b, Benefit) or b.program_id != program.pk]
    if wrong:
        errors["expected_benefits"] = [f"Name benefits of {program.code} only."]
    budget = _decimal(initial_budget)
    if planned_start and planned_finish and planned_finish < planned_start:
        errors["planned_finish"] = ["The planned finish is before the planned start."]
    if errors:
        raise ValidationFailed(errors)
    auth = ComponentAuthorization.objects.filter(component=component).first()
    fields = {
        "business_case": business_case.strip(), "initial_budget": budget,
        "planned_start": planned_start, "planned_finish": planned_finish,
    }  # fmt: skip
    if auth is None:
        auth = ComponentAuthorization(component=component, created_by=actor, **fields)
        auth.save()
        before = None
    else:
        before = audit.snapshot(auth)
        auth = update_versioned(auth, None, actor, **fields)
    auth.expected_benefits.set(benefits)
    after = {**audit.snapshot(auth), "expected_benefits": sorted(b.code for b in benefits)}
    audit.record(
        user=actor, action="create" if before is None else "update", obj=auth, before=before,
        after=after, program_id=program.pk,
    )  # fmt: skip
    if fields["business_case"] and not component.business_case.strip():
        program_services.update_component(
            actor=actor, component=component, expected_version=None,
            business_case=fields["business_case"],
        )  # fmt: skip
    return auth


# -- a whole gate at once (demo loader, command line) ----------------------------------


@transaction.atomic
def pass_gate(
    *,
    actor: User,
    subject: Program | Component,
    rationale: str,
    evidence: Mapping[str, str] | None = None,
    outcome: str = DecisionOutcome.GO,
    conditions: Sequence[ConditionInput] = (),
    chair: User | None = None,
) -> GateReview:
    """Open the subject's next gate review, attach and check ``evidence`` (manual
    criterion key → text) and decide: the same steps a board takes on the pages, in one
    transaction. ``actor`` (the program manager) prepares; ``chair`` (default: ``actor``)
    checks the evidence and decides. Refused like :func:`decide` when a criterion is
    red."""
    if isinstance(subject, Component):
        program, component = subject.program, subject
    else:
        program, component = subject, None
    review = open_review(actor=actor, program=program, component=component)
    for key, text in (evidence or {}).items():
        item = add_evidence(actor=actor, review=review, criterion_key=key, text=text)
        check_evidence(actor=chair or actor, evidence=item)
    decide(
        actor=chair or actor, review=review, outcome=outcome, rationale=rationale,
        conditions=conditions,
    )  # fmt: skip
    return GateReview.objects.get(pk=review.pk)
