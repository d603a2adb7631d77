"""Writing new values of a few fields into many rows, fast.

Django's ``bulk_update`` writes ``SET field = CASE WHEN id = 1 THEN ... WHEN id = 2 ...``
for every field, which grows with rows × fields and is most of the time of a 20,000
activity recompute. :func:`bulk_set` sends the values as a table instead::

    WITH v(id, start, ...) AS (VALUES (%s, %s, ...), ...)
    UPDATE schedule_activity SET start = v.start, ... FROM v WHERE schedule_activity.id = v.id

which PostgreSQL and SQLite (3.33 and later) both run in one pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections, router
from django.db.models import Field, Model

__all__ = ["bulk_set"]

# Parameters per statement stay far below SQLite's limit (32,766) and PostgreSQL's (65,535).
_MAX_PARAMS = 20_000


def bulk_set(model: type[Model], objects: Sequence[Model], fields: Sequence[str]) -> int:
    """Store ``fields`` of ``objects`` (instances of ``model`` with a primary key) in the
    database; return the number of rows written. Like ``bulk_update``: no signals, no
    ``save()``, and the caller holds the transaction."""
    if not objects:
        return 0
    using = router.db_for_write(model)
    connection = connections[using]
    if connection.vendor not in {"postgresql", "sqlite"}:
        model._default_manager.db_manager(using).bulk_update(objects, fields)
        return len(objects)
    meta = model._meta
    columns: list[Field[Any, Any]] = []
    for name in ["pk", *fields]:
        field = meta.pk if name == "pk" else meta.get_field(name)
        if not isinstance(field, Field) or not field.concrete:
            raise TypeError(f"{model.__name__}.{name} is not a column")
        columns.append(field)
    pk = columns[0]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    key = quote(str(pk.column))
    names = ["id", *(f"c{i}" for i in range(1, len(columns)))]
    if connection.vendor == "postgresql":  # VALUES needs the column types spelled out
        placeholder = "(" + ", ".join(f"%s::{f.db_type(connection)}" for f in columns) + ")"
    else:
        placeholder = "(" + ", ".join(["%s"] * len(columns)) + ")"
    assignments = ", ".join(
        f"{quote(str(f.column))} = v.{n}" for f, n in zip(columns[1:], names[1:], strict=True)
    )
    per_statement = max(1, _MAX_PARAMS // len(columns))
    written = 0
    with connection.cursor() as cursor:
        for i in range(0, len(objects), per_statement):
            chunk = objects[i : i + per_statement]
            params: list[Any] = []
            for obj in chunk:
                for field in columns:
                    value = getattr(obj, field.attname)
                    params.append(field.get_db_prep_save(value, connection))
            values = ", ".join([placeholder] * len(chunk))
            cursor.execute(
                f"WITH v({', '.join(names)}) AS (VALUES {values}) "  # noqa: S608 (names are ours)
                f"UPDATE {table} SET {assignments} FROM v WHERE {table}.{key} = v.id",
                params,
            )
            written += len(chunk)
    return written
