"""Every change to the stakeholder register and engagement plans.

Each function is one transaction: permission check (:mod:`podium.stakeholders.access`),
validation (field messages), the versioned write and an audit record. ``actor`` None is
the system (the demo loader). Pages, the API and the CSV import call these.
"""

from __future__ import annotations

import copy
import csv
import io
from typing import Any

from django.db import transaction

from podium.accounts.models import User
from podium.core import audit
from podium.core.errors import ValidationFailed, VersionConflict
from podium.core.services import update_versioned, validate_model
from podium.programs.models import Program
from podium.programs.permissions import require
from podium.stakeholders.access import can_change_register
from podium.stakeholders.models import EngagementPlanItem, Stakeholder

__all__ = [
    "CSV_COLUMNS",
    "add_plan_item",
    "create_stakeholder",
    "delete_stakeholder",
    "import_stakeholders_csv",
    "remove_plan_item",
    "update_plan_item",
    "update_stakeholder",
]

STAKEHOLDER_FIELDS = {
    "user", "name", "kind", "organization", "role", "group", "email", "power", "interest",
    "current_engagement", "desired_engagement", "channel", "communication_notes",
}  # fmt: skip
PLAN_FIELDS = {"what", "how", "frequency", "owner", "next_due", "active"}
CSV_COLUMNS = (
    "name", "kind", "organization", "role", "group", "power", "interest",
    "current_engagement", "desired_engagement", "email",
)  # fmt: skip


def _require_change(actor: Any, program: Program) -> None:
    if actor is not None:
        require(
            can_change_register(actor, program),
            f"You may not change the stakeholder register of {program.code}.",
        )


def _refuse_unknown(changes: dict[str, Any], editable: set[str]) -> None:
    unknown = sorted(set(changes) - editable)
    if unknown:
        raise ValidationFailed({f: ["This field cannot be changed here."] for f in unknown})


def _check_member(user: User | None, program: Program, field: str) -> None:
    if user is None:
        return
    if not user.is_active or not program.memberships.filter(user=user).exists():
        raise ValidationFailed({field: [f"{user} is not a member of {program.code}."]})


def _validate_stakeholder(stakeholder: Stakeholder) -> None:
    if not (stakeholder.name or "").strip():
        raise ValidationFailed({"name": ["A stakeholder needs a name."]})
    validate_model(stakeholder, exclude=["created_by", "updated_by", "program", "user"])


def _validate_item(item: EngagementPlanItem) -> None:
    if not (item.what or "").strip():
        raise ValidationFailed({"what": ["Say what is communicated."]})
    validate_model(item, exclude=["created_by", "updated_by", "stakeholder", "owner"])


# -- stakeholders -------------------------------------------------------------------------


@transaction.atomic
def create_stakeholder(
    *, actor: User | None, program: Program, name: str, **fields: Any
) -> Stakeholder:
    """Add a person or group to ``program``'s register (program manager, administrator)."""
    _require_change(actor, program)
    _refuse_unknown(fields, STAKEHOLDER_FIELDS)
    _check_member(fields.get("user"), program, "user")
    stakeholder = Stakeholder(program=program, name=(name or "").strip(), **fields)
    stakeholder.created_by = stakeholder.updated_by = actor
    _validate_stakeholder(stakeholder)
    stakeholder.save()
    audit.record(
        user=actor, action="create", obj=stakeholder, before=None,
        after=audit.snapshot(stakeholder), program_id=program.pk,
    )  # fmt: skip
    return stakeholder


@transaction.atomic
def update_stakeholder(
    *, actor: User | None, stakeholder: Stakeholder, expected_version: int | None, **changes: Any
) -> Stakeholder:
    program = stakeholder.program
    _require_change(actor, program)
    _refuse_unknown(changes, STAKEHOLDER_FIELDS)
    if "user" in changes and changes["user"] != stakeholder.user:
        _check_member(changes["user"], program, "user")
    if "name" in changes:
        changes["name"] = str(changes["name"] or "").strip()
    candidate = copy.copy(stakeholder)
    for name, value in changes.items():
        setattr(candidate, name, value)
    _validate_stakeholder(candidate)
    before = audit.snapshot(stakeholder)
    if "user" in changes:  # update_versioned's own ``user`` is the actor
        linked = changes.pop("user")
        changes["user_id"] = linked.pk if linked is not None else None
    updated = update_versioned(stakeholder, expected_version, actor, **changes)
    audit.record(
        user=actor, action="update", obj=updated, before=before, after=audit.snapshot(updated),
        program_id=program.pk,
    )  # fmt: skip
    return updated


@transaction.atomic
def delete_stakeholder(
    *, actor: User | None, stakeholder: Stakeholder, expected_version: int | None = None
) -> None:
    _require_change(actor, stakeholder.program)
    if expected_version is not None and expected_version != stakeholder.version:
        raise VersionConflict(stakeholder.version)
    audit.record(
        user=actor, action="delete", obj=stakeholder, before=audit.snapshot(stakeholder),
        after=None, program_id=stakeholder.program_id,
    )  # fmt: skip
    stakeholder.delete()


# -- engagement plan ----------------------------------------------------------------------


@transaction.atomic
def add_plan_item(
    *, actor: User | None, stakeholder: Stakeholder, what: str, **fields: Any
) -> EngagementPlanItem:
    program = stakeholder.program
    _require_change(actor, program)
    _refuse_unknown(fields, PLAN_FIELDS)
    _check_member(fields.get("owner"), program, "owner")
    item = EngagementPlanItem(stakeholder=stakeholder, what=(what or "").strip(), **fields)
    item.created_by = item.updated_by = actor
    _validate_item(item)
    item.save()
    audit.record(
        user=actor, action="create", obj=item, before=None, after=audit.snapshot(item),
        program_id=program.pk,
    )  # fmt: skip
    return item


@transaction.atomic
def update_plan_item(
    *, actor: User | None, item: EngagementPlanItem, expected_version: int | None, **changes: Any
) -> EngagementPlanItem:
    program = item.stakeholder.program
    _require_change(actor, program)
    _refuse_unknown(changes, PLAN_FIELDS)
    if "owner" in changes and changes["owner"] != item.owner:
        _check_member(changes["owner"], program, "owner")
    if "what" in changes:
        changes["what"] = str(changes["what"] or "").strip()
    candidate = copy.copy(item)
    for name, value in changes.items():
        setattr(candidate, name, value)
    _validate_item(candidate)
    before = audit.snapshot(item)
    updated = update_versioned(item, expected_version, actor, **changes)
    audit.record(
        user=actor, action="update", obj=updated, before=before, after=audit.snapshot(updated),
        program_id=program.pk,
    )  # fmt: skip
    return updated


@transaction.atomic
def remove_plan_item(
    *, actor: User | None, item: EngagementPlanItem, expected_version: int | None = None
) -> None:
    program = item.stakeholder.program
    _require_change(actor, program)
    if expected_version is not None and expected_version != item.version:
        raise VersionConflict(item.version)
    audit.record(
        user=actor, action="delete", obj=item, before=audit.snapshot(item), after=None,
        program_id=program.pk,
    )  # fmt: skip
    item.delete()


# -- CSV import ---------------------------------------------------------------------------


def _csv_text(data: str | bytes) -> str:
    if isinstance(data, str):
        return data
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(
            {"file": ["The file is not UTF-8 text (save it as CSV UTF-8)."]}
        ) from exc
    if "\x00" in text:
        raise ValidationFailed({"file": ["The file is not CSV text (it holds NUL bytes)."]})
    return text


def _scale(raw: str, line: int, column: str) -> int:
    text = raw.strip()
    if not text:
        return 3
    if not text.isdigit() or not 1 <= int(text) <= 5:
        raise ValidationFailed(
            {"file": [f"Line {line}, column {column}: {raw!r} is not a whole number 1-5."]}
        )
    return int(text)


@transaction.atomic
def import_stakeholders_csv(
    *, actor: User | None, program: Program, data: str | bytes
) -> list[Stakeholder]:
    """Add the stakeholders of a CSV file (header line, then one stakeholder a line).

    Columns: ``name,kind,organization,role,group,power,interest,current_engagement,
    desired_engagement,email`` (only ``name`` is required; empty power and interest are
    3, empty engagement levels take the model's defaults). All or nothing: the first bad
    value refuses the whole file with ``ValidationFailed({"file": ["Line N, column C:
    …"]})`` (line numbers count the header as line 1) and nothing is stored.
    """
    _require_change(actor, program)
    try:
        return _import_rows(
            actor, program, csv.DictReader(io.StringIO(_csv_text(data)), strict=True)
        )
    except csv.Error as exc:  # an unclosed quote, a field over csv.field_size_limit()
        raise ValidationFailed({"file": [f"The file is not valid CSV: {exc}."]}) from None


def _import_rows(
    actor: User | None, program: Program, reader: csv.DictReader[str]
) -> list[Stakeholder]:
    header = [h.strip() for h in (reader.fieldnames or [])]
    if "name" not in header:
        raise ValidationFailed({"file": ["Line 1: the header must name a 'name' column."]})
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if unknown:
        raise ValidationFailed(
            {"file": [f"Line 1: unknown column(s) {', '.join(unknown)}; "
                      f"expected {','.join(CSV_COLUMNS)}."]}
        )  # fmt: skip
    reader.fieldnames = header
    created: list[Stakeholder] = []
    for row in reader:
        line = reader.line_num
        values = {k: (v or "").strip() for k, v in row.items() if k is not None}
        if not any(values.values()):
            continue
        fields: dict[str, Any] = {
            k: v for k, v in values.items() if k not in ("name", "power", "interest") and v
        }
        fields["power"] = _scale(values.get("power", ""), line, "power")
        fields["interest"] = _scale(values.get("interest", ""), line, "interest")
        try:
            created.append(
                create_stakeholder(
                    actor=actor, program=program, name=values.get("name", ""), **fields
                )
            )
        except ValidationFailed as exc:
            field, messages = next(iter(exc.errors.items()))
            raise ValidationFailed(
                {"file": [f"Line {line}, column {field}: {messages[0]}"]}
            ) from exc
    if not created:
        raise ValidationFailed({"file": ["The file has no stakeholders below its header."]})
    return created
