"""Shared machinery for service functions: versioned updates."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models
from django.db.models import F
from django.utils import timezone

from podium.core.errors import ValidationFailed, VersionConflict

__all__ = ["check_storable", "update_versioned", "validate_model"]

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
    check_storable(model, fields)
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


def check_storable(model: type[models.Model], values: dict[str, Any]) -> None:
    """Refuse (``ValidationFailed``) values the database would: None for a field that is
    not nullable, a whole number outside the column's range on this database."""
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if not isinstance(field, models.Field):
            continue
        if value is None and not field.null:
            errors[name] = ["This field cannot be empty."]
        elif isinstance(value, int) and isinstance(field, models.IntegerField):
            low, high = connection.ops.integer_field_range(field.get_internal_type())
            if (low is not None and value < low) or (high is not None and value > high):
                errors[name] = [f"Give a whole number between {low} and {high}."]
    if errors:
        raise ValidationFailed(errors)


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
