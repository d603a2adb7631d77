"""Keeping a program's gate template: add a criterion to a gate, or remove one.

The program manager (or an administrator) keeps the template. While a review of a gate is
open its criteria are fixed — the board is looking at them — so changes to that gate
wait until the review is decided or cancelled. Automatic criteria name a registered
evaluator (:func:`podium.governance.criteria.evaluators`); manual ones need a label and
say what evidence is expected. Every change is audited.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify

from podium.core import audit
from podium.core.errors import TransitionRefused, ValidationFailed
from podium.governance import access, criteria
from podium.governance.models import (
    CriterionKind,
    GateCriterion,
    GateReview,
    ReviewStatus,
    SubjectKind,
)
from podium.governance.services import ensure_template
from podium.programs.models import Program
from podium.programs.permissions import require

__all__ = ["GATES", "add_criterion", "gate_key", "remove_criterion", "template_rows"]

# Every gate as (subject kind, from, to), programs first.
GATES: tuple[tuple[str, str, str], ...] = tuple(
    [(SubjectKind.PROGRAM.value, str(s), str(t)) for s, t in criteria.PROGRAM_GATES]
    + [(SubjectKind.COMPONENT.value, str(s), str(t)) for s, t in criteria.COMPONENT_GATES]
)


def gate_key(subject_kind: str, from_state: str, to_state: str) -> str:
    return f"{subject_kind}:{from_state}:{to_state}"


def template_rows(program: Program) -> list[tuple[str, str, list[GateCriterion]]]:
    """Each gate's key, label and criteria, in lifecycle order."""
    template = ensure_template(program)
    by_gate: dict[str, list[GateCriterion]] = {}
    for criterion in template.criteria.all():
        key = gate_key(criterion.subject_kind, criterion.from_state, criterion.to_state)
        by_gate.setdefault(key, []).append(criterion)
    return [
        (gate_key(*gate), f"{gate[0].capitalize()}: {gate[1]} → {gate[2]}", by_gate.get(
            gate_key(*gate), []))
        for gate in GATES
    ]  # fmt: skip


def _refuse_while_open(program: Program, subject_kind: str, source: str, target: str) -> None:
    open_reviews = GateReview.objects.filter(
        program=program,
        status=ReviewStatus.OPEN,
        from_state=source,
        to_state=target,
        component__isnull=subject_kind == SubjectKind.PROGRAM,
    )
    if open_reviews.exists():
        raise TransitionRefused(
            f"A review of the {source} → {target} gate is open; decide or cancel it before "
            "changing the gate's criteria."
        )


@transaction.atomic
def add_criterion(
    *,
    actor: Any,
    program: Program,
    gate: str,
    kind: str,
    evaluator: str = "",
    label: str = "",
    guidance: str = "",
) -> GateCriterion:
    """Add a criterion to ``gate`` (``"program:planning:delivery"``)."""
    require(
        access.can_manage_board(actor, program),
        "Only the program manager can change the gate criteria.",
    )
    parts = tuple(gate.split(":"))
    if parts not in GATES:
        raise ValidationFailed({"gate": [f"Unknown gate {gate!r}."]})
    subject_kind, source, target = parts
    if kind == CriterionKind.AUTOMATIC:
        known = criteria.evaluators()
        if evaluator not in known:
            raise ValidationFailed({"evaluator": ["Choose one of the automatic checks."]})
        key, label = evaluator, label.strip() or known[evaluator]
    elif kind == CriterionKind.MANUAL:
        label = label.strip()
        if not label:
            raise ValidationFailed({"label": ["Say what the criterion is."]})
        key = slugify(label)[:60] or "criterion"
        evaluator = ""
    else:
        raise ValidationFailed({"kind": ["Choose automatic or manual."]})
    _refuse_while_open(program, subject_kind, source, target)
    template = ensure_template(program)
    siblings = template.criteria.filter(
        subject_kind=subject_kind, from_state=source, to_state=target
    )
    if siblings.filter(key=key).exists():
        raise ValidationFailed({"label" if kind == "manual" else "evaluator": [
            "The gate already has this criterion."]})  # fmt: skip
    order = (siblings.aggregate(m=Max("order"))["m"] or 0) + 1
    criterion = GateCriterion.objects.create(
        template=template,
        subject_kind=subject_kind,
        from_state=source,
        to_state=target,
        key=key,
        label=label[:200],
        kind=kind,
        evaluator=evaluator,
        guidance=guidance.strip(),
        order=order,
        created_by=actor,
        updated_by=actor,
    )
    audit.record(
        user=actor,
        action="create",
        obj=criterion,
        before=None,
        after=audit.snapshot(criterion),
        program_id=program.pk,
        note=f"criterion of the {source} → {target} gate",
    )
    return criterion


@transaction.atomic
def remove_criterion(*, actor: Any, criterion: GateCriterion) -> None:
    program = criterion.template.program
    require(
        access.can_manage_board(actor, program),
        "Only the program manager can change the gate criteria.",
    )
    _refuse_while_open(program, criterion.subject_kind, criterion.from_state, criterion.to_state)
    audit.record(
        user=actor,
        action="delete",
        obj=criterion,
        before=audit.snapshot(criterion),
        after=None,
        program_id=program.pk,
        note=f"criterion of the {criterion.from_state} → {criterion.to_state} gate",
    )
    criterion.delete()
