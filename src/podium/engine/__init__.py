"""Podium's scheduling engine: calendars, networks, critical-path scheduling.

Pure Python and numpy; never imports Django (an import-linter contract enforces it).

>>> from podium.engine import Activity, Link, Network, schedule
"""

from podium.engine.calendars import Calendar, CalendarException, YearlyException
from podium.engine.cpm import schedule
from podium.engine.errors import (
    CycleError,
    EngineError,
    InfeasibleError,
    NetworkError,
    ParseError,
    UnknownActivityError,
)
from podium.engine.network import Activity, ConstraintType, Link, Network, ScheduleOptions
from podium.engine.results import ActivityResult, ScheduleResult

__all__ = [
    "Activity",
    "ActivityResult",
    "Calendar",
    "CalendarException",
    "ConstraintType",
    "CycleError",
    "EngineError",
    "InfeasibleError",
    "Link",
    "Network",
    "NetworkError",
    "ParseError",
    "ScheduleOptions",
    "ScheduleResult",
    "UnknownActivityError",
    "YearlyException",
    "schedule",
]
