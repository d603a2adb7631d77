"""Django's PostgreSQL backend, storing every time with a zone as UTC.

PostgreSQL accepts zone offsets up to 15:59; ISO 8601 (and so the API's input) allows
up to 23:59. Django hands an aware time to the driver with the offset it came with, so
"2026-05-04T22:09:56-20:35" reached the server and failed there (a 500). Converting to
UTC first stores the same instant, which is what PostgreSQL does anyway; a time that has
no UTC equivalent within years 1-9999 is refused as invalid input.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.backends.postgresql import base, operations

from podium.core.errors import ValidationFailed


class DatabaseOperations(operations.DatabaseOperations):
    def adapt_datetimefield_value(self, value: Any) -> Any:
        if isinstance(value, dt.datetime) and value.utcoffset() is not None:
            try:
                value = value.astimezone(dt.UTC)
            except OverflowError:
                raise ValidationFailed(
                    f"{value.isoformat()} is outside the years 1-9999 in UTC"
                ) from None
        return super().adapt_datetimefield_value(value)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
