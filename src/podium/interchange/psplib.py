r"""PSPLIB single-mode RCPSP instances (``.sm`` files) → :class:`ProjectFile`.

A ``.sm`` file (Kolisch & Sprecher, 1996) holds jobs ``1..N+2`` (``1`` and ``N+2``
are the dummy source and sink, duration 0), their successors (all finish-to-start
without lag), one duration and one request per renewable resource for each job, and
the resource capacities. Sections are introduced by ``PRECEDENCE RELATIONS:``,
``REQUESTS/DURATIONS:`` and ``RESOURCEAVAILABILITIES:``; the header states
``jobs (incl. supersource/sink ):`` and ``horizon``, and ``PROJECT INFORMATION``
gives the resource-free critical-path length (``MPM-Time``).

Time mapping
------------
PSPLIB periods are abstract. Podium maps **one period to one hour on a 24-hour
calendar** (:meth:`Calendar.twenty_four_hour`), starting at :data:`PSPLIB_START`
(Monday 2001-01-01 00:00). Every duration is a whole number of hours, every instant
of the schedule is a whole number of periods after the start, and

.. math:: \text{makespan (periods)} = (\text{finish} - \text{start}) / 60\ \text{min},

so the resource-free CPM makespan equals the critical-path length in periods
(:func:`makespan_periods`).

Resources become :class:`~podium.interchange.base.Resource` with
``max_units = capacity``; each non-zero request becomes an
:class:`~podium.interchange.base.Assignment` with ``units = request``.
:func:`read_psplib_arrays` returns the plain arrays a leveling engine needs.

Examples
--------
>>> text = '''jobs (incl. supersource/sink ):  3
... horizon                       :  5
... PRECEDENCE RELATIONS:
... jobnr.    #modes  #successors   successors
...    1        1          1           2
...    2        1          1           3
...    3        1          0
... REQUESTS/DURATIONS:
... jobnr. mode duration  R 1
...   1      1     0       0
...   2      1     5       2
...   3      1     0       0
... RESOURCEAVAILABILITIES:
...   R 1
...     4
... '''
>>> project = read_psplib(text)
>>> [a.duration_minutes for a in project.network.activities]
[0, 300, 0]
>>> project.resources[0].max_units
4.0
>>> from podium.engine import schedule
>>> makespan_periods(schedule(project.network), project)
5
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import numpy.typing as npt

from podium.engine.calendars import Calendar
from podium.engine.errors import EngineError, ParseError
from podium.engine.network import Activity, Link, Network
from podium.engine.results import ScheduleResult
from podium.interchange.base import Assignment, ProjectFile, Resource

__all__ = [
    "PERIOD_MINUTES",
    "PSPLIB_START",
    "PsplibInstance",
    "makespan_periods",
    "read_psplib",
    "read_psplib_arrays",
]

PERIOD_MINUTES = 60
"""One PSPLIB period is one hour on the 24-hour calendar."""
PSPLIB_START = datetime(2001, 1, 1)
"""Instant of period 0 (a Monday, midnight)."""

_INT = re.compile(r"^-?\d+$")


@dataclass(frozen=True)
class PsplibInstance:
    """The plain arrays of one single-mode RCPSP instance (0-based job indexes).

    Attributes
    ----------
    name : str
        File name (or ``"<text>"``).
    durations : ndarray of int64, shape (n,)
        Duration of each job in periods; job ``j`` of the file is index ``j - 1``.
    successors : tuple of tuple of int
        ``successors[i]`` are the indexes of the jobs that follow job ``i`` (FS, no lag).
    capacities : ndarray of int64, shape (k,)
        Capacity of each renewable resource per period.
    requests : ndarray of int64, shape (n, k)
        Units of each resource a job uses in every period it runs.
    horizon : int
        The file's horizon (sum of durations), 0 if absent.
    critical_path : int or None
        ``MPM-Time`` of the header: the resource-free critical-path length.
    """

    name: str
    durations: npt.NDArray[np.int64]
    successors: tuple[tuple[int, ...], ...]
    capacities: npt.NDArray[np.int64]
    requests: npt.NDArray[np.int64]
    horizon: int = 0
    critical_path: int | None = None

    @property
    def n_jobs(self) -> int:
        """Number of jobs including the dummy source and sink."""
        return int(self.durations.size)


class _Lines:
    """Numbered lines of the file with a cursor; errors name the line."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.lines = text.splitlines()
        self.pos = 0

    def error(self, lineno: int, reason: str) -> ParseError:
        return ParseError(self.name, lineno, reason)

    def seek(self, marker: str) -> int:
        """Move past the line starting with ``marker``; return its 1-based number."""
        for i in range(self.pos, len(self.lines)):
            if self.lines[i].strip().upper().startswith(marker):
                self.pos = i + 1
                return i + 1
        raise self.error(len(self.lines), f"section {marker!r} not found (truncated file?)")

    def numbers(self) -> tuple[int, list[int]]:
        """Next line made only of integers, skipping rules and column headings."""
        while self.pos < len(self.lines):
            raw = self.lines[self.pos].strip()
            self.pos += 1
            if not raw or set(raw) <= set("-*="):
                continue
            words = raw.split()
            if raw.endswith(":"):
                raise self.error(self.pos, f"unexpected section {raw!r} (missing rows?)")
            if not _INT.match(words[0]) and words[0][0] not in "-+0123456789":
                continue  # a heading such as "jobnr. mode duration R 1"
            bad = [w for w in words if not _INT.match(w)]
            if bad:
                raise self.error(self.pos, f"expected whole numbers, got {bad[0]!r}")
            return self.pos, [int(w) for w in words]
        raise self.error(len(self.lines), "unexpected end of file (truncated?)")


def _header_int(src: _Lines, label: str) -> tuple[int, int] | None:
    for i, line in enumerate(src.lines):
        if line.strip().lower().startswith(label):
            value = line.rsplit(":", 1)[-1].strip()
            if not _INT.match(value):
                raise src.error(i + 1, f"{label!r} is not a whole number: {value!r}")
            return i + 1, int(value)
    return None


def _source(path_or_text: str | Path) -> tuple[str, str]:
    if isinstance(path_or_text, Path) or "\n" not in path_or_text:
        path = Path(path_or_text)
        try:
            return path.name, path.read_text(encoding="latin-1")
        except OSError as exc:
            raise ParseError(str(path), 0, f"cannot read file: {exc.strerror}") from None
    return "<text>", path_or_text


def _parse(name: str, text: str) -> PsplibInstance:
    src = _Lines(name, text)
    jobs_at = _header_int(src, "jobs (incl. supersource/sink )")
    horizon_at = _header_int(src, "horizon")
    critical_path: int | None = None
    for i, line in enumerate(src.lines):
        if line.strip().lower().startswith("pronr."):
            words = src.lines[i + 1].split() if i + 1 < len(src.lines) else []
            if len(words) >= 6 and _INT.match(words[5]):
                critical_path = int(words[5])
            break

    src.seek("PRECEDENCE RELATIONS")
    if jobs_at is None:
        raise src.error(1, "missing header 'jobs (incl. supersource/sink ):'")
    if jobs_at[1] < 1:
        raise src.error(jobs_at[0], f"number of jobs must be positive, got {jobs_at[1]}")
    succ_raw: list[tuple[int, list[int]]] = []
    while len(succ_raw) < jobs_at[1]:
        lineno, nums = src.numbers()
        if len(nums) < 3:
            raise src.error(lineno, "precedence row needs job, modes, successor count")
        job, modes, count = nums[0], nums[1], nums[2]
        if job != len(succ_raw) + 1:
            raise src.error(lineno, f"expected job {len(succ_raw) + 1}, got {job}")
        if modes != 1:
            raise src.error(lineno, f"job {job} has {modes} modes; only single-mode is read")
        if len(nums) - 3 != count:
            raise src.error(
                lineno, f"job {job} announces {count} successors, lists {len(nums) - 3}"
            )
        succ_raw.append((lineno, nums[3:]))
    n = len(succ_raw)

    src.seek("REQUESTS/DURATIONS")
    durations = np.zeros(n, dtype=np.int64)
    request_rows: list[list[int]] = []
    for j in range(n):
        lineno, nums = src.numbers()
        if len(nums) < 3:
            raise src.error(lineno, "request row needs job, mode, duration")
        if nums[0] != j + 1:
            raise src.error(lineno, f"expected job {j + 1}, got {nums[0]}")
        if nums[2] < 0 or any(v < 0 for v in nums[3:]):
            raise src.error(lineno, f"job {j + 1}: negative duration or request")
        if request_rows and len(nums) - 3 != len(request_rows[0]):
            raise src.error(lineno, f"job {j + 1}: expected {len(request_rows[0])} requests")
        durations[j] = nums[2]
        request_rows.append(nums[3:])

    src.seek("RESOURCEAVAILABILITIES")
    lineno, caps = src.numbers()
    k = len(request_rows[0])
    if len(caps) != k:
        raise src.error(lineno, f"expected {k} capacities, got {len(caps)}")
    if any(c < 0 for c in caps):
        raise src.error(lineno, "negative capacity")

    successors: list[tuple[int, ...]] = []
    for lineno, succ in succ_raw:
        for s in succ:
            if not 1 <= s <= n:
                raise src.error(lineno, f"unknown successor job {s} (jobs are 1..{n})")
        successors.append(tuple(s - 1 for s in succ))
    return PsplibInstance(
        name=name,
        durations=durations,
        successors=tuple(successors),
        capacities=np.asarray(caps, dtype=np.int64),
        requests=np.asarray(request_rows, dtype=np.int64).reshape(n, k),
        horizon=horizon_at[1] if horizon_at else 0,
        critical_path=critical_path,
    )


def read_psplib_arrays(path_or_text: str | Path) -> PsplibInstance:
    """Read a ``.sm`` file into plain arrays (for the resource-leveling engine).

    Parameters
    ----------
    path_or_text : str or Path
        A path, or the file's text (any string containing a newline).

    Returns
    -------
    PsplibInstance

    Raises
    ------
    ParseError
        Missing section, wrong numbers, unknown successor, truncated file — naming the
        file and line.

    Examples
    --------
    >>> inst = read_psplib_arrays('''jobs (incl. supersource/sink ): 2
    ... PRECEDENCE RELATIONS:
    ...  1 1 1 2
    ...  2 1 0
    ... REQUESTS/DURATIONS:
    ...  1 1 0 0
    ...  2 1 3 1
    ... RESOURCEAVAILABILITIES:
    ...  2
    ... ''')
    >>> inst.durations.tolist(), inst.successors, inst.requests.tolist()
    ([0, 3], ((1,), ()), [[0], [1]])
    """
    name, text = _source(path_or_text)
    return _parse(name, text)


def read_psplib(path_or_text: str | Path, *, start: datetime = PSPLIB_START) -> ProjectFile:
    """Read a single-mode RCPSP ``.sm`` file into a schedulable :class:`ProjectFile`.

    Activity ids are the job numbers (``"1"`` … ``"N+2"``); one period is one hour on a
    24-hour calendar starting at ``start`` (see the module notes).

    Parameters
    ----------
    path_or_text : str or Path
        A path, or the file's text.
    start : datetime
        Instant of period 0.

    Returns
    -------
    ProjectFile

    Raises
    ------
    ParseError
        Bad input, naming the file, the line and the reason; also for a network the
        engine refuses (reported at line 0).
    """
    inst = read_psplib_arrays(path_or_text)
    cal = Calendar.twenty_four_hour("PSPLIB periods")
    n = inst.n_jobs
    activities = [
        Activity(
            id=str(j + 1),
            name=f"Job {j + 1}",
            duration_minutes=int(inst.durations[j]) * PERIOD_MINUTES,
            kind="milestone" if inst.durations[j] == 0 else "task",
        )
        for j in range(n)
    ]
    links = [Link(str(i + 1), str(s + 1)) for i, succ in enumerate(inst.successors) for s in succ]
    try:
        network = Network(activities, links, project_start=start, default_calendar=cal)
    except EngineError as exc:
        raise ParseError(inst.name, 0, str(exc)) from None
    resources = [
        Resource(id=f"R{r + 1}", name=f"R {r + 1}", max_units=float(c))
        for r, c in enumerate(inst.capacities.tolist())
    ]
    assignments = [
        Assignment(activity_id=str(j + 1), resource_id=f"R{r + 1}", units=float(u))
        for j, row in enumerate(inst.requests.tolist())
        for r, u in enumerate(row)
        if u
    ]
    return ProjectFile(
        name=inst.name,
        format="psplib",
        network=network,
        source=inst.name,
        calendars={cal.name: cal},
        resources=resources,
        assignments=assignments,
    )


def makespan_periods(result: ScheduleResult, project: ProjectFile) -> int:
    """Makespan of a schedule of a PSPLIB project, in periods.

    :math:`(\\text{finish} - \\text{start}) / 60` minutes on the 24-hour calendar.
    """
    start = project.network.project_start
    minutes = (result.project_finish - start).total_seconds() / 60
    return round(minutes / PERIOD_MINUTES)
