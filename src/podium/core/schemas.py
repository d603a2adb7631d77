"""Field types shared by the API schemas of every app."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import WithJsonSchema

__all__ = ["WALL_CLOCK_PATTERN", "WallClock"]

# 2026-11-06T17:00, 2026-11-06T17:00:00 or 2026-11-06T17:00:00.250: no "Z", no offset.
WALL_CLOCK_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$"

# A schedule date as the API answers it: the wall-clock time of the program's calendar
# (schedule.wall.to_wall), which has no time zone. Documented as a pattern instead of
# ``format: date-time``, which requires an offset. Only the answer is described this way;
# as input the field still takes any ISO 8601 date-time.
WallClock = Annotated[
    dt.datetime,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": WALL_CLOCK_PATTERN,
            "description": "wall-clock time in the program's calendar, no time zone",
            "examples": ["2026-11-06T17:00:00"],
        },
        mode="serialization",
    ),
]
