"""Writing and reading the audit trail."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.db import models

from podium.core.models import AuditRecord
from podium.core.request_context import current_request_id

__all__ = [
    "cost_types",
    "history_for",
    "private_types",
    "record",
    "register_cost_types",
    "register_private_types",
    "snapshot",
]

# Object types whose audit records carry cost figures (``"finance.budgetline"``): only
# users who may see costs see them in a program's history. Apps register theirs in
# ``AppConfig.ready``.
_COST_TYPES: set[str] = set()


def register_cost_types(*object_types: str) -> None:
    _COST_TYPES.update(object_types)


def cost_types() -> frozenset[str]:
    return frozenset(_COST_TYPES)


# Object types whose audit records only some members of a program may read (feedback
# text is private to its submitter and the team). ``visible(user, program)`` says who.
_PRIVATE_TYPES: dict[str, Callable[[Any, Any], bool]] = {}


def register_private_types(*object_types: str, visible: Callable[[Any, Any], bool]) -> None:
    for object_type in object_types:
        _PRIVATE_TYPES[object_type] = visible


def private_types(user: Any, program: Any) -> frozenset[str]:
    """The private object types whose records ``user`` may NOT read in ``program``."""
    return frozenset(t for t, visible in _PRIVATE_TYPES.items() if not visible(user, program))


# Fields that change on every save and say nothing to a reader.
_NOISE = {
    "created_at", "updated_at", "created_by", "updated_by", "version", "password", "last_login",
}  # fmt: skip


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    return value


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The object's concrete field values as JSON-able data (foreign keys as their string)."""
    out: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in _NOISE or (fields is not None and field.name not in fields):
            continue
        if isinstance(field, models.ForeignKey):
            related = getattr(obj, field.name) if getattr(obj, field.attname) else None
            out[field.name] = str(related) if related is not None else None
        else:
            out[field.name] = _plain(getattr(obj, field.attname))
    return out


def record(
    *,
    user: Any,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    program_id: int | None = None,
    note: str = "",
) -> AuditRecord:
    """Write one audit record. Call it inside the transaction that made the change."""
    return AuditRecord.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        request_id=current_request_id(),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        program_id=program_id,
        before=before,
        after=after,
        note=note,
    )


def history_for(obj: models.Model) -> models.QuerySet[AuditRecord]:
    """Audit records of one object, newest first."""
    return AuditRecord.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("user")
