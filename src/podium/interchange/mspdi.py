r"""Microsoft Project XML (MSPDI): read a project into the engine model, write it back.

:func:`read_mspdi` parses a document of the namespace ``http://schemas.microsoft.com/project``
safely (defusedxml: no DTD, no entities, no external references) into a
:class:`~podium.interchange.base.ProjectFile`; :func:`write_mspdi` (implemented in
:mod:`podium.interchange.mspdi_write`) turns one back into MSPDI.

What the reader maps
--------------------
==========================  ===============================================================
MSPDI                       engine / ProjectFile
==========================  ===============================================================
``Project/StartDate``       ``Network.project_start``
``Project/StatusDate``      ``Network.data_date``
``Project/CalendarUID``     ``Network.default_calendar``
``Calendars/Calendar``      :class:`~podium.engine.calendars.Calendar` keyed by ``UID``;
                            ``BaseCalendarUID`` is resolved (a derived calendar inherits the
                            weekdays it does not define and its base's exceptions);
                            exceptions in the 2007+ ``Exceptions`` form (recurring ones are
                            expanded into dated exceptions, yearly-by-date ones become
                            :class:`~podium.engine.calendars.YearlyException`) or the 2003
                            ``WeekDay/DayType=0`` form
``Task``                    :class:`~podium.engine.network.Activity` with ``id = UID``
``Duration``                working minutes; elapsed ``DurationFormat`` (em, eh, ed, ew,
                            emo, e%) gives ``elapsed=True`` and clock minutes
``ConstraintType`` 0..7     ASAP, ALAP, MSO, MFO, SNET, SNLT, FNET, FNLT
``PredecessorLink``         :class:`~podium.engine.network.Link`: ``Type`` 0 FF, 1 FS, 2 SF,
                            3 SS; ``LinkLag`` in tenths of a minute; elapsed ``LagFormat``
                            gives ``lag_kind="elapsed"``; 19/20/51/52 (``%``) give
                            ``lag_kind="percent"`` with ``LinkLag`` as the percentage
``Manual``                  ``Activity.manual`` (never critical, as in MS Project 2010+)
``CalendarUID``, resources  ``Activity.calendar``: the calendar MS Project schedules the
                            task on, its assigned work resources' calendars unless
                            ``IgnoreResourceCalendar`` (see :class:`_EffectiveCalendars`);
                            when that is a resource calendar, ``Activity.float_calendar``
                            is the task's own (or the project) calendar, where MS Project
                            measures its slack
``TotalSlack``/``FreeSlack``  ``StoredDates`` floats (tenths of a minute / 10)
``Assignment/``             ``Activity.splits``: zero-work runs of the assignments' work
``TimephasedData``          records (split tasks, see :mod:`~podium.interchange.mspdi_splits`)
==========================  ===============================================================

The project summary task (``UID 0``, outline level 0) is kept as a ``"summary"``
activity with id ``"0"`` that is the parent of every top-level task: its dates roll up
like MS Project's and its stored Start/Finish/TotalSlack/Critical can be compared like
any other task's. Null tasks (``IsNull=1``, blank rows) are skipped; cross-project links
are ignored. Schedule options: MS Project keeps "retained logic" unless the file turns
``SplitsInProgressTasks`` off (then "progress override"); lags are measured on the
project calendar; the critical threshold is ``CriticalSlackLimit`` days.

Examples
--------
>>> doc = b'''<Project xmlns="http://schemas.microsoft.com/project">
...   <StartDate>2024-01-01T08:00:00</StartDate>
...   <Tasks>
...     <Task><UID>1</UID><Name>Design</Name><Duration>PT16H0M0S</Duration></Task>
...     <Task><UID>2</UID><Name>Build</Name><Duration>PT8H0M0S</Duration>
...       <PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type></PredecessorLink>
...     </Task>
...   </Tasks>
... </Project>'''
>>> project = read_mspdi(doc, source="plan.xml")
>>> [(a.id, a.duration_minutes) for a in project.network.activities]
[('1', 960), ('2', 480)]
>>> project.network.links[0].label
'1 -> 2 (FS)'
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from os import PathLike, fspath
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from xml.etree.ElementTree import Element

from podium.engine.calendars import Calendar
from podium.engine.cpm_general import ELAPSED
from podium.engine.errors import NetworkError, ParseError
from podium.engine.network import (
    Activity,
    ActivityKind,
    ConstraintType,
    LagKind,
    Link,
    Network,
    ScheduleOptions,
)
from podium.interchange.base import (
    Assignment,
    BaselineEntry,
    ProjectFile,
    Resource,
    StoredDates,
)

if TYPE_CHECKING:
    from podium.engine.results import ScheduleResult

from podium.interchange.mspdi_calendars import (
    _YEARS_AFTER,
    _YEARS_BEFORE,
    _EffectiveCalendars,
    _read_calendar,
    _resolve_calendars,
)
from podium.interchange.mspdi_splits import WORK_TYPES, Record, splits_of
from podium.interchange.mspdi_xml import (
    _NULL_RESOURCE_UID,
    CONSTRAINT_CODES,
    ELAPSED_FORMATS,
    LINK_TYPE_CODES,
    NS,
    PERCENT_FORMATS,
    PROJECT_SUMMARY_UID,
    _child,
    _children,
    _parse,
    _Reader,
    _text,
)

__all__ = [
    "CONSTRAINT_CODES",
    "ELAPSED_FORMATS",
    "LINK_TYPE_CODES",
    "NS",
    "PERCENT_FORMATS",
    "PROJECT_SUMMARY_UID",
    "read_mspdi",
    "write_mspdi",
]


# --------------------------------------------------------------------------- tasks
@dataclass
class _RawTask:
    uid: str
    name: str
    level: int
    element: Element
    summary: bool


def _is_null(r: _Reader, t: Element) -> bool:
    if r.flag(t, "IsNull"):
        return True
    return (
        _text(t, "Name") is None
        and _text(t, "UID") not in (PROJECT_SUMMARY_UID,)
        and (_text(t, "Duration") is None and _child(t, "PredecessorLink") is None)
    )


def _kind_and_duration(r: _Reader, t: Element, summary: bool) -> tuple[ActivityKind, int, bool]:
    fmt = r.integer(t, "DurationFormat")
    elapsed = fmt in ELAPSED_FORMATS
    minutes = r.duration(t, "Duration") or 0
    if minutes < 0:
        raise r.doc.error(t, f"task {_text(t, 'UID')}: negative Duration")
    if summary:
        return "summary", minutes, elapsed
    if r.flag(t, "Milestone") and minutes == 0:
        return "milestone", 0, elapsed
    return "task", minutes, elapsed


def _constraint(r: _Reader, t: Element) -> tuple[ConstraintType, datetime | None]:
    code = r.integer(t, "ConstraintType", 0) or 0
    ctype = CONSTRAINT_CODES.get(code)
    if ctype is None:
        raise r.doc.error(t, f"task {_text(t, 'UID')}: unknown ConstraintType {code}")
    cdate = r.instant(t, "ConstraintDate")
    if ctype not in (ConstraintType.ASAP, ConstraintType.ALAP) and cdate is None:
        raise r.doc.error(
            t, f"task {_text(t, 'UID')}: ConstraintType {code} needs a ConstraintDate"
        )
    if ctype in (ConstraintType.ASAP, ConstraintType.ALAP):
        cdate = None
    return ctype, cdate


def _links(r: _Reader, t: Element, uid: str, known: set[str], notes: list[str]) -> Iterator[Link]:
    for pl in _children(t, "PredecessorLink"):
        pred = _text(pl, "PredecessorUID")
        if r.flag(pl, "CrossProject"):
            notes.append(f"task {uid}: cross-project link from {pred} ignored")
            continue
        if pred is None:
            raise r.doc.error(pl, f"task {uid}: PredecessorLink without PredecessorUID")
        if pred not in known:
            raise r.doc.error(pl, f"task {uid}: unknown predecessor UID {pred!r}")
        code = r.integer(pl, "Type", 1)
        ltype = LINK_TYPE_CODES.get(code if code is not None else 1)
        if ltype is None:
            raise r.doc.error(pl, f"task {uid}: unknown link Type {code}")
        raw_lag = r.integer(pl, "LinkLag", 0) or 0
        fmt = r.integer(pl, "LagFormat", 7) or 7
        kind: LagKind = "work"
        percent = 0.0
        minutes = round(raw_lag / 10)
        if fmt in PERCENT_FORMATS:
            kind, percent, minutes = "percent", float(raw_lag), 0
        elif fmt in ELAPSED_FORMATS:
            kind = "elapsed"
        if pred == uid:
            raise r.doc.error(pl, f"task {uid} is its own predecessor")
        yield Link(pred, uid, ltype, minutes, kind, percent)


def _stored(r: _Reader, t: Element) -> StoredDates:
    ts = r.integer(t, "TotalSlack")
    fs = r.integer(t, "FreeSlack")
    crit = _text(t, "Critical")
    return StoredDates(
        start=r.instant(t, "Start"),
        finish=r.instant(t, "Finish"),
        early_start=r.instant(t, "EarlyStart"),
        early_finish=r.instant(t, "EarlyFinish"),
        late_start=r.instant(t, "LateStart"),
        late_finish=r.instant(t, "LateFinish"),
        total_float_minutes=None if ts is None else round(ts / 10),
        free_float_minutes=None if fs is None else round(fs / 10),
        critical=None if crit is None else r.flag(t, "Critical"),
    )


def _baseline(r: _Reader, t: Element) -> BaselineEntry | None:
    for b in _children(t, "Baseline"):
        if (r.integer(b, "Number", 0) or 0) != 0:
            continue
        return BaselineEntry(
            start=r.instant(b, "Start"),
            finish=r.instant(b, "Finish"),
            duration_minutes=r.duration(b, "Duration"),
            cost=r.number(b, "Cost"),
        )
    return None


def _hierarchy(tasks: list[_RawTask]) -> dict[str, str | None]:
    """Parent of each task from outline levels in file order (a stack of open levels)."""
    parents: dict[str, str | None] = {}
    stack: list[_RawTask] = []
    for t in tasks:
        while stack and stack[-1].level >= t.level:
            stack.pop()
        parents[t.uid] = stack[-1].uid if stack else None
        stack.append(t)
    return parents


# --------------------------------------------------------------------------- read
def _load(path_or_bytes: str | PathLike[str] | bytes, source: str | None) -> tuple[bytes, str]:
    if isinstance(path_or_bytes, bytes | bytearray):
        return bytes(path_or_bytes), source or "<bytes>"
    name = source or fspath(path_or_bytes)
    try:
        return Path(path_or_bytes).read_bytes(), name
    except OSError as exc:
        raise ParseError(name, 0, f"cannot read the file: {exc.strerror or exc}") from None


def read_mspdi(
    path_or_bytes: str | PathLike[str] | bytes, *, source: str | None = None
) -> ProjectFile:
    """Read a Microsoft Project XML (MSPDI) document.

    Parameters
    ----------
    path_or_bytes : str, path-like or bytes
        A file path, or the document itself.
    source : str, optional
        Name used in error messages and ``ProjectFile.source`` (defaults to the path,
        or ``"<bytes>"``).

    Returns
    -------
    ProjectFile
        ``network`` ready for :func:`podium.engine.schedule` with the options the file
        declares, plus calendars (keyed by calendar UID), resources, assignments,
        baseline 0 and the dates MS Project stored (``stored``, keyed by task UID).

    Raises
    ------
    ParseError
        Malformed XML (with its line), a DTD, entity or external reference (refused,
        never expanded), an unknown predecessor or calendar, a bad value; the message
        is one line ``FILE:LINE: reason``.
    """
    data, name = _load(path_or_bytes, source)
    doc = _parse(data, name)
    r = _Reader(doc)
    root = doc.root
    notes: list[str] = []

    raw_cals = {
        rc.uid: rc
        for rc in (_read_calendar(r, c) for c in _children(_child(root, "Calendars"), "Calendar"))
    }
    calendars = _resolve_calendars(doc, raw_cals)
    cal_uid = _text(root, "CalendarUID")
    if cal_uid is not None and cal_uid not in calendars and cal_uid != "-1":
        raise doc.error(_child(root, "CalendarUID") or root, f"unknown project calendar {cal_uid}")
    default_cal = calendars.get(cal_uid or "") or next(
        iter(calendars.values()), Calendar.standard()
    )
    minutes_per_day = r.integer(root, "MinutesPerDay", 480) or 480

    # tasks ---------------------------------------------------------------------------
    raw: list[_RawTask] = []
    seen: set[str] = set()
    for t in _children(_child(root, "Tasks"), "Task"):
        if _is_null(r, t):
            continue
        uid = _text(t, "UID")
        if uid is None:
            raise doc.error(t, "task without UID")
        if uid in seen:
            raise doc.error(t, f"duplicate task UID {uid}")
        seen.add(uid)
        level = r.integer(t, "OutlineLevel")
        if level is None:
            number = _text(t, "OutlineNumber")
            level = 0 if uid == PROJECT_SUMMARY_UID else (number.count(".") + 1 if number else 1)
        raw.append(_RawTask(uid, _text(t, "Name") or "", level, t, r.flag(t, "Summary")))
    parents = _hierarchy(raw)
    has_children = {p for p in parents.values() if p is not None}

    start = r.instant(root, "StartDate")
    if start is None:
        starts = [d for d in (r.instant(t.element, "Start") for t in raw) if d is not None]
        if not starts:
            raise doc.error(root, "no StartDate and no task Start to schedule from")
        start = min(starts)

    resources, res_uids = _read_resources(r, root, calendars)
    assignments = _read_assignments(r, root, seen, res_uids)
    work_records = _read_work_records(r, root, seen)
    effective = _EffectiveCalendars(
        default_cal,
        calendars,
        resources,
        assignments,
        (start.year - _YEARS_BEFORE, start.year + _YEARS_AFTER),
    )
    activities: list[Activity] = []
    links: list[Link] = []
    stored: dict[str, StoredDates] = {}
    baselines: dict[str, BaselineEntry] = {}
    wbs: dict[str, str] = {}
    for rt in raw:
        t = rt.element
        summary = rt.summary or rt.uid in has_children
        kind, minutes, elapsed = _kind_and_duration(r, t, summary)
        ctype, cdate = _constraint(r, t)
        tcal_uid = _text(t, "CalendarUID")
        tcal = None
        if tcal_uid not in (None, "-1"):
            if tcal_uid not in calendars:
                raise doc.error(t, f"task {rt.uid}: unknown CalendarUID {tcal_uid}")
            tcal = calendars[tcal_uid]
        fcal = None
        if not summary:
            own = tcal
            tcal = effective.of(rt.uid, own, r.flag(t, "IgnoreResourceCalendar"))
            if tcal is not own:  # on its resources' calendar: slack on its own
                fcal = default_cal if own is None else own
        actual_start = actual_finish = None
        remaining = None
        pct = None
        if not summary:
            actual_start = r.instant(t, "ActualStart")
            actual_finish = r.instant(t, "ActualFinish") if actual_start else None
            if actual_start is not None:
                remaining = r.duration(t, "RemainingDuration")
                pct = r.number(t, "PercentComplete")
        splits: tuple[tuple[int, int], ...] = ()
        if kind == "task" and work_records.get(rt.uid):
            scal = ELAPSED if elapsed else tcal or default_cal
            splits = splits_of(work_records[rt.uid], scal, minutes)
        title = rt.name or (_text(root, "Name") or "" if rt.uid == PROJECT_SUMMARY_UID else "")
        try:
            activities.append(
                Activity(
                    id=rt.uid,
                    name=title,
                    duration_minutes=minutes,
                    calendar=tcal,
                    kind=kind,
                    parent=parents[rt.uid],
                    constraint_type=ctype,
                    constraint_date=cdate,
                    deadline=r.instant(t, "Deadline"),
                    actual_start=actual_start,
                    actual_finish=actual_finish,
                    remaining_minutes=remaining,
                    percent_complete=pct,
                    elapsed=elapsed,
                    manual=r.flag(t, "Manual"),
                    float_calendar=fcal,
                    splits=splits,
                )
            )
        except NetworkError as exc:
            raise doc.error(t, str(exc)) from None
        links.extend(_links(r, t, rt.uid, seen, notes))
        stored[rt.uid] = _stored(r, t)
        base = _baseline(r, t)
        if base is not None:
            baselines[rt.uid] = base
        code = _text(t, "WBS") or _text(t, "OutlineNumber")
        if code is not None:
            wbs[rt.uid] = code

    slack_days = r.integer(root, "CriticalSlackLimit", 0) or 0
    options = ScheduleOptions(
        progress="retained_logic"
        if r.flag(root, "SplitsInProgressTasks", default=True)
        else "progress_override",
        lag_calendar="project",
        critical_float_minutes=slack_days * minutes_per_day,
    )
    try:
        network = Network(
            activities=activities,
            links=links,
            project_start=start,
            default_calendar=default_cal,
            data_date=r.instant(root, "StatusDate"),
            options=options,
        )
    except NetworkError as exc:
        raise ParseError(name, "Tasks", str(exc)) from None

    return ProjectFile(
        name=_text(root, "Name") or _text(root, "Title") or Path(name).stem,
        format="mspdi",
        network=network,
        source=name,
        calendars=calendars,
        resources=resources,
        assignments=assignments,
        baselines=baselines,
        stored=stored,
        wbs=wbs,
        currency=_text(root, "CurrencyCode") or _text(root, "CurrencySymbol"),
    )


_RESOURCE_KINDS: dict[int, Literal["work", "material", "cost"]] = {
    0: "material",
    1: "work",
    2: "cost",
}


def _read_resources(
    r: _Reader, root: Element, calendars: dict[str, Calendar]
) -> tuple[list[Resource], set[str]]:
    out: list[Resource] = []
    for el in _children(_child(root, "Resources"), "Resource"):
        uid = _text(el, "UID")
        name = _text(el, "Name")
        if uid is None or r.flag(el, "IsNull") or (name is None and uid == "0"):
            continue
        kind = _RESOURCE_KINDS.get(r.integer(el, "Type", 1) or 0, "work")
        if r.flag(el, "IsCostResource"):
            kind = "cost"
        cal = _text(el, "CalendarUID")
        out.append(
            Resource(
                id=uid,
                name=name or "",
                kind=kind,
                max_units=r.number(el, "MaxUnits", 1.0) or 0.0,
                calendar=cal if cal in calendars else None,
                standard_rate=r.number(el, "StandardRate", 0.0) or 0.0,
                overtime_rate=r.number(el, "OvertimeRate", 0.0) or 0.0,
                cost_per_use=r.number(el, "CostPerUse", 0.0) or 0.0,
            )
        )
    return out, {res.id for res in out}


def _read_assignments(
    r: _Reader, root: Element, tasks: set[str], resources: set[str]
) -> list[Assignment]:
    out: list[Assignment] = []
    for el in _children(_child(root, "Assignments"), "Assignment"):
        task, res = _text(el, "TaskUID"), _text(el, "ResourceUID")
        if task is None or res is None or res == str(_NULL_RESOURCE_UID):
            continue
        if task not in tasks or res not in resources:
            continue  # null tasks, the blank resource
        out.append(
            Assignment(
                activity_id=task,
                resource_id=res,
                units=r.number(el, "Units", 1.0) or 0.0,
                work_minutes=r.duration(el, "Work"),
                cost=r.number(el, "Cost"),
            )
        )
    return out


def _read_work_records(r: _Reader, root: Element, tasks: set[str]) -> dict[str, list[list[Record]]]:
    """Each task's assignments' timephased work records (every resource, the null one too)."""
    out: dict[str, list[list[Record]]] = {}
    for el in _children(_child(root, "Assignments"), "Assignment"):
        task = _text(el, "TaskUID")
        if task is None or task not in tasks:
            continue
        records: list[Record] = []
        for td in _children(el, "TimephasedData"):
            if r.integer(td, "Type") not in WORK_TYPES:
                continue
            try:
                start, finish = r.instant(td, "Start"), r.instant(td, "Finish")
                value = r.duration(td, "Value")
                raw = _text(td, "Value")
                if value == 0 and raw is not None and any(c in raw for c in "123456789"):
                    value = 1  # seconds of work (a contour), not a split
            except ParseError:
                continue  # MS Project has written "17:-0:00": one bad record, not the file
            if start is None or finish is None or finish < start:
                continue
            records.append(Record(start, finish, value))
        if records:
            out.setdefault(task, []).append(records)
    return out


def write_mspdi(project: ProjectFile, result: ScheduleResult | None = None) -> bytes:
    """Write ``project`` as an MSPDI document (see :mod:`podium.interchange.mspdi_write`).

    Parameters
    ----------
    project : ProjectFile
        What to write: network, calendars, resources, assignments, baselines.
    result : ScheduleResult, optional
        Scheduled dates, slack and criticality to store with the tasks.

    Returns
    -------
    bytes
        A UTF-8 MSPDI document whose elements follow the order of ``mspdi_pj12.xsd``.
    """
    from podium.interchange.mspdi_write import write_mspdi as _write

    return _write(project, result)
