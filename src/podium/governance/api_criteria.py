"""API of the gate template: list, add and remove criteria (see
:mod:`podium.governance.criteria_admin`)."""

from __future__ import annotations

from typing import Any

from ninja import Router, Schema, Status

from podium.core.api import WRITE_ERRORS, ErrorOut
from podium.core.errors import NotFound
from podium.core.views import AuthedRequest
from podium.governance import selectors
from podium.governance.criteria_admin import add_criterion, gate_key, remove_criterion
from podium.governance.models import GateCriterion
from podium.governance.services import ensure_template

router = Router(tags=["governance"])


class GateCriterionOut(Schema):
    id: int
    gate: str
    key: str
    label: str
    kind: str
    evaluator: str
    guidance: str


class GateCriterionIn(Schema):
    gate: str  # "program:planning:delivery" or "component:proposed:authorized"
    kind: str  # "automatic" | "manual"
    evaluator: str = ""
    label: str = ""
    guidance: str = ""


def _out(c: GateCriterion) -> dict[str, Any]:
    return {
        "id": c.pk, "gate": gate_key(c.subject_kind, c.from_state, c.to_state), "key": c.key,
        "label": c.label, "kind": c.kind, "evaluator": c.evaluator, "guidance": c.guidance,
    }  # fmt: skip


@router.get("/programs/{code}/gate-criteria", response={200: list[GateCriterionOut], 404: ErrorOut})
def list_gate_criteria(request: AuthedRequest, code: str) -> Any:
    program = selectors.governed_program(request.user, code)
    return [_out(c) for c in ensure_template(program).criteria.all()]


@router.post("/programs/{code}/gate-criteria", response={201: GateCriterionOut, **WRITE_ERRORS})
def add_gate_criterion(request: AuthedRequest, code: str, payload: GateCriterionIn) -> Any:
    program = selectors.governed_program(request.user, code)
    criterion = add_criterion(actor=request.user, program=program, **payload.dict())
    return Status(201, _out(criterion))


@router.delete("/gate-criteria/{criterion_id}", response={204: None, **WRITE_ERRORS})
def remove_gate_criterion(request: AuthedRequest, criterion_id: int) -> Any:
    criterion = (
        GateCriterion.objects.select_related("template__program").filter(pk=criterion_id).first()
    )
    if criterion is None:
        raise NotFound(f"No criterion {criterion_id}.")
    selectors.governed_program(request.user, criterion.template.program.code)
    remove_criterion(actor=request.user, criterion=criterion)
    return Status(204, None)
