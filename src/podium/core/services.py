"""Shared machinery for service functions: versioned updates."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.db.models import F
from django.utils import timezone

from podium.core.errors import VersionConflict

__all__ = ["update_versioned", "validate_model"]

M = TypeVar("M", bound=models.Model)


def update_versioned(obj: M, expected_version: int | None, user: Any, **fields: Any) -> M:
    """Write ``fields`` to ``obj`` only if its stored version is still ``expected_version``.

    ``UPDATE … SET version = version + 1 WHERE pk = … AND version = expected`` is atomic
    on every database (SQLite included, where ``select_for_update`` does nothing): of two
    writers that read the same version, exactly one matches a row. ``expected_version``
    None means "whatever is stored now" (an unconditional write). Raises
    :class:`VersionConflict` with the stored version when no row matched.
    """
    model = type(obj)
    manager = model._default_manager
    if expected_version is None:
        expected_version = manager.filter(pk=obj.pk).values_list("version", flat=True).get()
    fields = {
        **fields,
        "updated_at": timezone.now(),
        "updated_by": user if getattr(user, "is_authenticated", False) else None,
    }
    matched = manager.filter(pk=obj.pk, version=expected_version).update(
        version=F("version") + 1, **fields
    )
    if matched == 0:
        current = manager.filter(pk=obj.pk).values_list("version", flat=True).first()
        raise VersionConflict(current or 0)
    return manager.get(pk=obj.pk)


def validate_model(obj: models.Model, exclude: list[str] | None = None) -> None:
    """Run the model's field and unique checks; raise ``ValidationFailed`` with
    per-field messages."""
    from django.core.exceptions import ValidationError

    from podium.core.errors import ValidationFailed

    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        errors = {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
        raise ValidationFailed(errors) from exc
