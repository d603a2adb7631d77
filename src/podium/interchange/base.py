"""What every reader returns: a schedulable network plus what the file says beside it.

Readers (``mspdi``, ``xer``, ``psplib``, ``dslib``, ``csv_format``, ``native``) turn a file
into one or more :class:`ProjectFile`; writers turn a :class:`ProjectFile` back into a
file. Nothing here imports Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from podium.engine.calendars import Calendar
from podium.engine.network import Network

__all__ = [
    "Assignment",
    "BaselineEntry",
    "ProjectFile",
    "Resource",
    "StoredDates",
]

FileFormat = Literal["mspdi", "xer", "psplib", "dslib", "csv", "json"]


@dataclass(frozen=True, slots=True)
class StoredDates:
    """The dates and floats the authoring tool computed and stored in the file.

    Reference tests compare Podium's schedule with these; ``None`` where the file did
    not store the value. Floats are in working minutes of the activity's calendar.
    """

    start: datetime | None = None
    finish: datetime | None = None
    early_start: datetime | None = None
    early_finish: datetime | None = None
    late_start: datetime | None = None
    late_finish: datetime | None = None
    total_float_minutes: int | None = None
    free_float_minutes: int | None = None
    critical: bool | None = None


@dataclass(frozen=True, slots=True)
class BaselineEntry:
    start: datetime | None
    finish: datetime | None
    duration_minutes: int | None = None
    cost: float | None = None


@dataclass(frozen=True, slots=True)
class Resource:
    """A resource of the file: ``kind`` work (people, equipment), material or cost.

    ``max_units`` is a fraction (1.0 = one full-time unit; PSPLIB capacities are whole
    numbers of units). Rates are per working hour in the file's currency.
    """

    id: str
    name: str
    kind: Literal["work", "material", "cost"] = "work"
    max_units: float = 1.0
    calendar: str | None = None
    standard_rate: float = 0.0
    overtime_rate: float = 0.0
    cost_per_use: float = 0.0


@dataclass(frozen=True, slots=True)
class Assignment:
    activity_id: str
    resource_id: str
    units: float = 1.0
    work_minutes: int | None = None
    cost: float | None = None


@dataclass
class ProjectFile:
    """One project read from a file.

    ``network`` is ready for :func:`podium.engine.schedule` with the options the file
    declares. Activity ids are the file's own identifiers (MSPDI ``UID``, XER
    ``task_code``, PSPLIB job number, DSLIB ``ID``).
    """

    name: str
    format: FileFormat
    network: Network
    source: str = ""
    calendars: dict[str, Calendar] = field(default_factory=dict)
    resources: list[Resource] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    baselines: dict[str, BaselineEntry] = field(default_factory=dict)
    stored: dict[str, StoredDates] = field(default_factory=dict)
    wbs: dict[str, str] = field(default_factory=dict)  # activity id -> WBS/outline code
    currency: str | None = None
